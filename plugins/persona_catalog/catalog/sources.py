"""The catalog's sources: the personas folder (the catalog's own format) and `sources:`, folders of collections in
other tools' formats, each read by the file policy and its format's reader into one `LoadResult`.

In a source, every file is accounted for: a file its format reads becomes an entry or a problem naming it; a skill
folder's other files go with its `SKILL.md`; the rest (licences, images beside agents) are named in one note.
Hidden names (`.git/`, `.DS_Store`) are passed over, and outside skill folders names starting with `_` (templates
and drafts, as in the personas folder; a skill's `scripts/__init__.py` is part of it); links out of the source's
folder are refused.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from persona_catalog.catalog.files import PersonaFile, attachment, display_path, scan
from persona_catalog.catalog.loader import DEFAULT_MAX_BYTES, Check, Item, LoadResult, ParseCache, load_found
from persona_catalog.catalog.model import Attachment, Category, Persona
from persona_catalog.catalog.problems import Problem
from persona_catalog.catalog.progress import Progress
from persona_catalog.catalog.readers.base import Place, folder_category, readable_name
from persona_catalog.catalog.readers.registry import FORMAT_IDS, TOOL_FORMATS, candidate, read_entry
from persona_catalog.catalog.readers.skills import FILE_NAME as SKILL_FILE
from persona_catalog.catalog.readers.skills import FORMAT as SKILLS

SKILL_FILES_LIMIT = 1000  # files of one skill folder listed and zipped


@dataclass(frozen=True)
class Source:
    """A folder (or file) of agents in another tool's format: `format` one of `FORMAT_IDS`, `category` a fixed
    category for every entry (default: each file's own, else its folder's)."""

    path: Path
    format: str = "auto"
    category: str | None = None


def load_sources(
    personas_dir: Path | None,
    sources: Sequence[Source] = (),
    categories: Mapping[str, Category] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
    cache: ParseCache | None = None,
    checks: Check | None = None,
) -> LoadResult:
    """Every persona of the personas folder and of each source, and every problem; the categories the sources
    bring are known categories (titled from their id unless configured)."""
    items: list[Item] = []
    refused: list[Problem] = []
    base = personas_dir if personas_dir is not None else Path(".")
    if personas_dir is not None:
        found = scan(personas_dir)
        items.extend(found.files)
        refused.extend(found.problems)
    for source in sources:
        source_items, problems = _source_items(source, base)
        items.extend(source_items)
        refused.extend(problems)
    result = load_found(items, refused, categories, max_bytes, progress, cache, checks)
    if sources:  # a source's categories are known ones: a title from the id unless configured
        known = dict(categories or {})
        for persona in result.catalog.personas:
            if persona.origin is not None and persona.category not in known:
                known[persona.category] = Category(persona.category, readable_name(persona.category))
        result.catalog.configured_categories = known
    return result


def _source_items(source: Source, base: Path) -> tuple[list[Item], list[Problem]]:
    """The files a source's format reads, each with its reader; the others are attachments of a skill or noted."""
    if source.format not in FORMAT_IDS:
        return [], [Problem(display_path(source.path), f"unknown source format '{source.format}'",
                            expected="one of " + ", ".join(FORMAT_IDS))]
    if not os.path.lexists(source.path):
        return [], [Problem(display_path(source.path), "the source does not exist", field="sources",
                            hint="correct its 'path:' under 'sources:' (relative to mkdocs.yml)")]
    found = scan(source.path, accept=lambda name: True, ignore=(".",))
    root = source.path if source.path.is_dir() else source.path.parent
    skill_dirs = {f.source.rsplit("/", 1)[0] if "/" in f.source else "" for f in found.files
                  if f.source.rsplit("/", 1)[-1] == SKILL_FILE} if source.format in ("auto", "skills",
                                                                                       "claude-plugins") else set()
    attachments: dict[str, list[Attachment]] = {folder: [] for folder in skill_dirs}
    reads: list[PersonaFile] = []
    others: list[str] = []
    loose: list[str] = []  # with format skills: Markdown files in no skill folder
    problems = list(found.problems)
    drafts: list[str] = []  # outside skills, `_` starts templates and drafts, as in personas_dir
    for file in found.files:
        owner = _skill_of(file.source, skill_dirs)
        name = file.source.rsplit("/", 1)[-1]
        if owner is None and any(part.startswith("_") for part in file.source.split("/")):
            drafts.append(file.source)
            continue
        if owner is not None and not (name == SKILL_FILE and _parent(file.source) == owner):
            kept = attachment(file.path, file.source[len(owner) + 1:] if owner else file.source)
            if isinstance(kept, Problem):
                problems.append(kept)
            else:
                attachments[owner].append(kept)
        elif owner is not None or (candidate(name, source.format) and source.format != "skills"):
            reads.append(file)
        elif source.format == "skills" and candidate(name, "auto"):
            loose.append(file.source)
        else:
            others.append(file.source)
    items: list[Item] = []
    for file in reads:
        path, rel = file.path, file.source
        owner = _skill_of(rel, skill_dirs)
        files = tuple(attachments.get(owner, ())[:SKILL_FILES_LIMIT]) if owner is not None else ()
        fmt = "skills" if owner is not None else source.format
        place = Place(display_path(path), rel, os.path.relpath(path, base).replace(os.sep, "/"), source.category,
                      files, root.resolve().name)
        items.append((PersonaFile(path, place.source, file.root), partial(_read, place=place, format_id=fmt)))
    if loose:
        problems.append(Problem(display_path(source.path), f"{len(loose)} file(s) not read, in no skill folder (a "
                                f"folder without {SKILL_FILE}): {_names(loose)}", level="note", field="file",
                                hint=f"add a {SKILL_FILE} to the folder to make it a skill"))
    if drafts:
        problems.append(Problem(display_path(source.path), f"{len(drafts)} file(s) passed over, templates or drafts "
                                f"(a name starting with '_'): {_names(drafts)}", level="note", field="file",
                                hint="nothing to do"))
    if others:
        problems.append(Problem(display_path(source.path), f"{len(others)} file(s) not read, not in an agent format: "
                                f"{_names(others)}", level="note", field="file", hint="nothing to do"))
    return items, problems


def _names(names: list[str]) -> str:
    return ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")


def _read(data: bytes, shown: str, max_bytes: int, *, place: Place, format_id: str) -> tuple[Persona | None,
                                                                                                list[Problem]]:
    reading = read_entry(data, place, format_id, max_bytes)
    return reading.persona, reading.problems


def _parent(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else ""


def _skill_of(rel: str, skill_dirs: set[str]) -> str | None:
    """The nearest skill folder holding the file, or None."""
    folder = _parent(rel)
    while True:
        if folder in skill_dirs:
            return folder
        if not folder:
            return None
        folder = _parent(folder)


__all__ = ["SKILLS", "TOOL_FORMATS", "Source", "folder_category", "load_sources"]
