"""What the exports need from a persona, as problems: tool limits are warnings, a missing `use_when` a suggestion."""

from __future__ import annotations

from ..model import Persona
from ..problems import Problem
from .formats import FORMATS, KNOWN_API_MODELS


def export_problems(persona: Persona, path: str) -> list[Problem]:
    """Problems of one persona's exports; `path` names its file as the user sees it."""
    problems = [
        Problem(path, f"{fmt.label}: {note.message}", level="warning", field=note.field, hint=note.hint)
        for fmt in FORMATS for note in fmt.limit_notes(persona)
    ]
    if not persona.use_when:
        problems.append(Problem(path, "no 'use_when' line: agent exports describe the persona from its name and "
                                      "tags, and tools delegate to it less often", level="suggestion",
                                field="use_when", expected="one line saying when to use the persona",
                                hint="add e.g. 'use_when: Use when reviewing a pull request before merge.'"))
    return problems


def api_model_warning(model: str) -> str | None:
    """A message when `model` is not a current Claude model id known to this version."""
    if model in KNOWN_API_MODELS:
        return None
    return (f"api_model '{model}' is not a current Claude model id known to persona-catalog "
            f"(known: {', '.join(sorted(KNOWN_API_MODELS))}); the Claude API exports may be rejected")
