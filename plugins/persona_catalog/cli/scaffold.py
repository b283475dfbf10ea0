"""A new persona file for `persona-catalog new`: whatever the author has not given yet is written as a
`TODO(persona-catalog)` marker, which the loader reports (`catalog.placeholders`) until it is replaced; every other
optional field of `model.FIELDS` is offered as a commented-out line."""

from __future__ import annotations

import json
from dataclasses import dataclass

from persona_catalog.catalog.model import FIELDS
from persona_catalog.catalog.placeholders import TODO


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
    asked = {"name": draft.name, "category": draft.category,
             "description": draft.description or f"{TODO}: one line on what this persona does",
             "use_when": draft.use_when or f"{TODO}: Use when ... (when to pick this persona)"}
    given = {"tags": list(draft.tags), "models": list(draft.models)}
    front = [f"{key}: {_yaml(value)}" for key, value in asked.items()]
    for spec in FIELDS:
        if spec.name in asked or spec.name == "slug":  # the slug is derived from the name
            continue
        value = given.get(spec.name)
        front.append(f"{spec.name}: {_yaml(value)}" if value
                     else f"# {spec.name}: {spec.draft if spec.draft is not None else _yaml(spec.example)}")
    return ("---\n" + "\n".join(front) + "\n---\n\n"
            f"{TODO}: say who the assistant is and what it is for, in one or two sentences.\n\n"
            f"## How you work\n\n1. {TODO}: the first step.\n\n"
            f"## What you hand back\n\n- {TODO}: the result.\n\n"
            f"## Boundaries\n\n- {TODO}: what the assistant must not do.\n")


def _yaml(value: object) -> str:
    """A YAML scalar or flow list (JSON is valid YAML, and quoting keeps any text a string)."""
    return json.dumps(value, ensure_ascii=False)
