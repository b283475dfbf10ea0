"""Whole-catalog installs: per tool, one zip of every persona and one per category, laid out as the tool expects
in a project; and a Claude Code plugin marketplace (one plugin per category). Each persona's file for a tool is
compressed once and the same bytes go into every zip that holds it (`zipping`). Deterministic: sorted entries,
fixed timestamps and permissions, so the same catalog always gives the same bytes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from persona_catalog.catalog.files import ATTACHMENT_MAX_BYTES, read_bounded
from persona_catalog.catalog.model import SLUG_PATTERN, Catalog, Persona
from persona_catalog.exports.formats import DEFAULT_API_MODEL, FORMATS, ExportFormat, ExportParts
from persona_catalog.exports.zipping import Deflated, deflate, zip_archive
from persona_catalog.site.urls import bundle_path, marketplace_path


def skill_zip(persona: Persona) -> bytes:
    """A skill's folder as one zip: `<name>/SKILL.md` (the file as read) and its other files, each read again by
    the file policy (a file that became unreadable, or a link out, since the folder was read is left out)."""
    name = persona.origin.name if persona.origin is not None else ""
    folder = name if re.fullmatch(SLUG_PATTERN, name) else persona.slug  # never `../` or a path into the zip
    members = {f"{folder}/SKILL.md": persona.raw}
    for attachment in persona.files:
        data = read_bounded(Path(attachment.path), ATTACHMENT_MAX_BYTES)
        if isinstance(data, bytes):
            members[f"{folder}/{attachment.name}"] = data
    return zip_bytes(members)


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A zip of `files` (path -> content) that depends on nothing but them."""
    return zip_archive((name, deflate(content)) for name, content in files.items())


Exports = Mapping[tuple[str, str], ExportParts]  # (format id, slug) -> the export file, cut around the prompt


def export_parts(catalog: Catalog, api_model: str = DEFAULT_API_MODEL) -> dict[tuple[str, str], ExportParts]:
    """Every export of every persona, written once per build for the pages, the zips and the optional files.
    Kept cut around the prompt, so holding them costs a few hundred bytes per file, not the prompt again."""
    return {(fmt.id, p.slug): fmt.parts(p, api_model) for p in catalog.personas for fmt in FORMATS}


def export_file(exports: Exports, fmt: ExportFormat, persona: Persona) -> bytes:
    """One persona's file for one tool."""
    return exports[fmt.id, persona.slug].text(persona.body).encode("utf-8")


def tool_bundles(catalog: Catalog, exports: Exports | None = None) -> dict[str, bytes]:
    """Site path -> zip, for every tool that keeps one file per agent: the whole catalog and each category."""
    return dict(each_bundle(catalog, exports))


def each_bundle(catalog: Catalog, exports: Exports | None = None,
                marketplace: tuple[str, str] | None = None) -> Iterator[tuple[str, bytes]]:
    """Every zip one at a time (site path, bytes), so a build writes each as it is made: each tool's whole-catalog
    and category zips, and with `marketplace` (its name and owner) the Claude Code marketplace. Formats with the
    same writer (Claude Code and Cursor subagents) write the same file, so they share its compressed bytes; they
    are held for one writer at a time."""
    exports = export_parts(catalog) if exports is None else exports
    writers: dict[object, list[ExportFormat]] = {}
    for fmt in FORMATS:
        if fmt.bundled:
            writers.setdefault(fmt.render, []).append(fmt)
    for same in writers.values():
        files = {p.slug: deflate(export_file(exports, same[0], p)) for p in catalog.personas}
        for fmt in same:
            yield bundle_path(fmt.id), _tool_zip(fmt, catalog.personas, files)
            for category in catalog.categories:
                yield bundle_path(fmt.id, category.id), _tool_zip(fmt, catalog.by_category[category.id], files)
        if marketplace and any(fmt.id == "claude-code" for fmt in same):
            yield marketplace_path(), zip_archive(marketplace_members(catalog, *marketplace, files))


def _tool_zip(fmt: ExportFormat, personas: Iterable[Persona], files: Mapping[str, Deflated]) -> bytes:
    """The personas' files at their paths in a project."""
    return zip_archive((fmt.destination(p.slug), files[p.slug]) for p in personas)  # type: ignore[misc]


def marketplace_members(catalog: Catalog, name: str, owner: str,
                        agents: Mapping[str, Deflated]) -> Iterator[tuple[str, Deflated]]:
    """A Claude Code plugin marketplace in folder `name`: one plugin per category, its personas as agents
    (`agents`: slug -> the persona's Claude Code file, compressed)."""
    plugins = []
    for category in catalog.categories:
        description = category.description or f"{category.title} personas from {owner} as Claude Code sub-agents."
        root = f"plugins/{category.id}"
        plugins.append({"name": category.id, "source": f"./{root}", "description": description})
        manifest = {"name": category.id, "description": description}
        yield f"{name}/{root}/.claude-plugin/plugin.json", deflate(json_file(manifest))
        for persona in catalog.by_category[category.id]:
            yield f"{name}/{root}/agents/{persona.slug}.md", agents[persona.slug]
    yield f"{name}/.claude-plugin/marketplace.json", deflate(json_file({"name": name, "owner": {"name": owner},
                                                                        "plugins": plugins}))


def json_file(value: object) -> bytes:
    """A JSON file as the site publishes them: indented, UTF-8, a final newline."""
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
