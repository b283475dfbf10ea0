"""What the exports need from a persona: tool limits are warnings (the loader reports them with every build),
a missing `use_when` is a suggestion (`persona-catalog lint` shows it, through `advice`)."""

from __future__ import annotations

from persona_catalog.catalog.model import Persona
from persona_catalog.catalog.problems import Level, Problem
from persona_catalog.exports.formats import FORMATS, KNOWN_API_MODELS


def export_problems(persona: Persona, path: str) -> list[Problem]:
    """The tool limits the persona breaks, as warnings; `path` names its file as the user sees it. For an agent
    read from another tool's collection, whose maintainers wrote it for that tool, they are notes."""
    level: Level = "note" if persona.origin is not None else "warning"
    return [Problem(path, f"{fmt.label}: {note.message}", level=level, field=note.field, hint=note.hint)
            for fmt in FORMATS for note in fmt.limit_notes(persona)]


def export_advice(persona: Persona, path: str) -> list[Problem]:
    """A suggestion to write `use_when`, which agent exports give the tools as the agent's description."""
    if persona.use_when:
        return []
    return [Problem(path, "no 'use_when' line: agent exports describe the persona from its name and tags, and "
                          "tools delegate to it less often", level="suggestion", field="use_when",
                    expected="one line saying when to use the persona",
                    hint="add e.g. 'use_when: Use when reviewing a pull request before merge.'")]


def api_model_warning(model: str) -> str | None:
    """A message when `model` is not a current Claude model id known to this version."""
    if model in KNOWN_API_MODELS:
        return None
    return (f"api_model '{model}' is not a current Claude model id known to persona-catalog "
            f"(known: {', '.join(sorted(KNOWN_API_MODELS))}); the Claude API exports may be rejected")
