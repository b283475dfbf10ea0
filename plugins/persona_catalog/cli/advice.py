"""Suggestions for valid personas: what would make them better, shown by `persona-catalog lint` only.

A suggestion never fails a build, strict or not, and never makes lint exit with 1. A catalog that wants a field
on every persona says so with `lint --require FIELD` (`required`): then a persona without it is a lint error.
"""

from __future__ import annotations

from persona_catalog.catalog.describe import describe
from persona_catalog.catalog.loader import LoadResult
from persona_catalog.catalog.model import FIELDS, FIELDS_BY_NAME, Persona
from persona_catalog.catalog.problems import Problem, show
from persona_catalog.exports import export_advice


def advise(persona: Persona, shown: str) -> list[Problem]:
    """What the persona's author could add or change."""
    advice = []
    if persona.description == describe(persona.body):
        advice.append(Problem(shown, "no description: listings show one derived from the prompt", level="suggestion",
                              field="description", found=show(persona.description),
                              hint="add 'description:' with one line on what the persona does"))
    return advice + export_advice(persona, shown)


def advise_all(result: LoadResult) -> list[Problem]:
    """Advice for the catalog's own files; an agent read from another tool's collection keeps that tool's fields."""
    return [problem for persona in result.catalog.personas if persona.origin is None
            for problem in advise(persona, result.shown[persona.slug])]


# The optional fields `lint --require` can make required (`slug` always has a value: derived from the name).
REQUIRABLE = tuple(f.name for f in FIELDS if not f.required and f.name != "slug")


def missing(persona: Persona, name: str) -> bool:
    """Whether the persona's file leaves out the optional field `name` (a description derived from the prompt
    counts as left out)."""
    if name == "description":
        return persona.description == describe(persona.body)
    return not getattr(persona, name)


def required(result: LoadResult, fields: tuple[str, ...]) -> list[Problem]:
    """An error for each of the catalog's own personas without one of `fields` (`lint --require`)."""
    return [Problem(result.shown[persona.slug], f"the catalog requires '{name}' (lint --require)", field=name,
                    expected=FIELDS_BY_NAME[name].description, hint=f"add '{name}:' to the front matter")
            for persona in result.catalog.personas if persona.origin is None
            for name in fields if missing(persona, name)]
