"""Whole-catalog installs: per tool, one zip of every persona and one per category, laid out as the tool expects
in a project; and a Claude Code plugin marketplace (one plugin per category). Deterministic: sorted entries,
fixed timestamps and permissions, so the same catalog always gives the same bytes."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Mapping

from ..model import Catalog, Persona
from ..paths import bundle_path, marketplace_path
from .formats import DEFAULT_API_MODEL, FORMATS, FORMATS_BY_ID, ExportFormat, ExportParts

_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A zip of `files` (path -> content) that depends on nothing but them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permissions below are read
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


Exports = Mapping[tuple[str, str], ExportParts]  # (format id, slug) -> the export file, cut around the prompt


def export_parts(catalog: Catalog, api_model: str = DEFAULT_API_MODEL) -> dict[tuple[str, str], ExportParts]:
    """Every export of every persona, written once per build for the pages, the zips and the optional files.
    Kept cut around the prompt, so holding them costs a few hundred bytes per file, not the prompt again."""
    return {(fmt.id, p.slug): fmt.parts(p, api_model) for p in catalog.personas for fmt in FORMATS}


def export_file(exports: Exports, fmt: ExportFormat, persona: Persona) -> bytes:
    """One persona's file for one tool."""
    return exports[fmt.id, persona.slug].text(persona.body).encode("utf-8")


def tool_files(fmt: ExportFormat, personas: Iterable[Persona], exports: Exports) -> dict[str, bytes]:
    """The personas' files at their paths in a project."""
    return {fmt.destination(p.slug): export_file(exports, fmt, p) for p in personas}  # type: ignore[misc]


def tool_bundles(catalog: Catalog, exports: Exports | None = None) -> dict[str, bytes]:
    """Site path -> zip, for every tool that keeps one file per agent: the whole catalog and each category."""
    return dict(each_tool_bundle(catalog, exports))


def each_tool_bundle(catalog: Catalog, exports: Exports | None = None) -> Iterator[tuple[str, bytes]]:
    """`tool_bundles` one zip at a time, so a build can write each as it is made (or stop between two)."""
    exports = export_parts(catalog) if exports is None else exports
    for fmt in (f for f in FORMATS if f.bundled):
        yield bundle_path(fmt.id), zip_bytes(tool_files(fmt, catalog.personas, exports))
        for category in catalog.categories:
            yield bundle_path(fmt.id, category.id), zip_bytes(tool_files(fmt, catalog.by_category[category.id],
                                                                         exports))


def marketplace_files(catalog: Catalog, name: str, owner: str, exports: Exports | None = None) -> dict[str, bytes]:
    """A Claude Code plugin marketplace in folder `name`: one plugin per category, its personas as agents."""
    agents = FORMATS_BY_ID["claude-code"]
    plugins = []
    files: dict[str, bytes] = {}
    for category in catalog.categories:
        description = category.description or f"{category.title} personas from {owner} as Claude Code sub-agents."
        root = f"plugins/{category.id}"
        plugins.append({"name": category.id, "source": f"./{root}", "description": description})
        manifest = {"name": category.id, "description": description}
        files[f"{name}/{root}/.claude-plugin/plugin.json"] = json_file(manifest)
        for persona in catalog.by_category[category.id]:
            files[f"{name}/{root}/agents/{persona.slug}.md"] = (export_file(exports, agents, persona) if exports
                                                                 else agents.text(persona).encode("utf-8"))
    files[f"{name}/.claude-plugin/marketplace.json"] = json_file({"name": name, "owner": {"name": owner},
                                                              "plugins": plugins})
    return files


def marketplace_bundle(catalog: Catalog, name: str, owner: str, exports: Exports | None = None) -> dict[str, bytes]:
    return {marketplace_path(): zip_bytes(marketplace_files(catalog, name, owner, exports))}


def json_file(value: object) -> bytes:
    """A JSON file as the site publishes them: indented, UTF-8, a final newline."""
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
