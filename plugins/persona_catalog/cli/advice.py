"""Suggestions for valid personas: what would make them better, shown by `persona-catalog lint` only.

A suggestion never fails a build, strict or not, and never makes lint exit with 1.
"""

from __future__ import annotations

from persona_catalog.catalog.describe import describe
from persona_catalog.catalog.loader import LoadResult
from persona_catalog.catalog.model import Persona
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
