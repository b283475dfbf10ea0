"""A new persona file for `persona-catalog new`, and the check that its placeholders were all filled in.

Whatever the author has not given yet is written as a `TODO(persona-catalog)` marker; the loader reports every
marker left in a field or the prompt as an error, so a draft is never published (lint and build agree).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .problems import Problem, show

TODO = "TODO(persona-catalog)"


@dataclass(frozen=True)
class Draft:
    """What the author told `new`; anything empty becomes a marked TODO or a commented-out example."""

    name: str
    category: str
    tags: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    description: str = ""
    use_when: str = ""


def scaffold(draft: Draft) -> str:
    """The file's text: front matter with the given values, then a prompt outline to fill in."""
    front = [f"name: {_yaml(draft.name)}", f"category: {_yaml(draft.category)}",
             f"description: {_yaml(draft.description or f'{TODO}: one line on what this persona does')}",
             f"use_when: {_yaml(draft.use_when or f'{TODO}: Use when ... (when to pick this persona)')}"]
    for key, values, example in (("tags", draft.tags, '["incident", "on-call"]'),
                                 ("models", draft.models, '["claude-code", "claude-api"]')):
        front.append(f"{key}: {_yaml(list(values))}" if values else f"# {key}: {example}")
    front += ["# context_window: medium", "# version: 1.0.0", "# author: your-handle"]
    return ("---\n" + "\n".join(front) + "\n---\n\n"
            f"{TODO}: say who the assistant is and what it is for, in one or two sentences.\n\n"
            f"## How you work\n\n1. {TODO}: the first step.\n\n"
            f"## What you hand back\n\n- {TODO}: the result.\n\n"
            f"## Boundaries\n\n- {TODO}: what the assistant must not do.\n")


def placeholder_problems(meta: dict, lines: dict[str, int], body: str, rel: str,
                         body_line: int | None = None) -> list[Problem]:
    """An error for each field, and the first line of the prompt, that still holds a `new` placeholder.

    `body_line` is the file line the prompt starts on, so the prompt's problem names the first marker's line.
    """
    problems = []
    for key, value in meta.items():
        if TODO in json.dumps(value, ensure_ascii=False, default=str):
            problems.append(Problem(rel, "still holds a placeholder from 'persona-catalog new'", field=str(key),
                                    line=lines.get(str(key)), found=show(value),
                                    hint=f"replace the {TODO} text with the real value"))
    todo_lines = [(number, line) for number, line in enumerate(body.split("\n")) if TODO in line]
    if todo_lines:
        first, text = todo_lines[0]
        problems.append(Problem(rel, f"the prompt still holds {len(todo_lines)} placeholder(s) from "
                                     "'persona-catalog new'", field="body", found=show(text.strip()),
                                line=body_line + first if body_line else None,
                                hint=f"write the prompt in place of every {TODO} line"))
    return problems


def _yaml(value: object) -> str:
    """A YAML scalar or flow list (JSON is valid YAML, and quoting keeps any text a string)."""
    return json.dumps(value, ensure_ascii=False)
