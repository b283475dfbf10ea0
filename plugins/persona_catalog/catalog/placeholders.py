"""The check that a file's `persona-catalog new` placeholders were all filled in.

Whatever the author has not given `new` yet is written as a `TODO(persona-catalog)` marker; the loader reports every
marker left in a field or the prompt as an error, so a draft is never published (lint and build agree).
"""

from __future__ import annotations

import json

from persona_catalog.catalog.problems import Problem, show

TODO = "TODO(persona-catalog)"


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

