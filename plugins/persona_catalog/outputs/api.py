"""Machine-readable outputs, as (site path, bytes) pairs made one at a time: the versioned JSON API,
whole-catalog zips (and, with `export_files`, each persona's export files), raw persona files and the JSON Schema
of the front matter (generated from `model.FIELDS`, the validator's own source)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime

from persona_catalog.catalog.model import Catalog, Persona, slugify
from persona_catalog.catalog.schema import persona_schema
from persona_catalog.exports import (
    DEFAULT_API_MODEL,
    FORMATS,
    Exports,
    Marketplace,
    each_bundle,
    export_file,
    export_parts,
    json_file,
    skill_zip,
)
from persona_catalog.site.urls import (
    API_VERSION,
    INDEX_PATH,
    LISTING_PATH,
    MARKETPLACE_JSON_PATH,
    SCHEMA_PATH,
    bundle_path,
    marketplace_path,
    page_path,
    persona_json_path,
    raw_path,
    skill_zip_path,
)

SiteUrl = Callable[[str], str]
Updated = Callable[[Persona], datetime]


def persona_exports(persona: Persona) -> dict[str, str]:
    """Format id -> site path of the persona's export file."""
    return {f.id: f.site_path(persona.slug) for f in FORMATS}


def tool_warnings(persona: Persona) -> dict[str, list[dict[str, str]]]:
    """Format id -> why that tool would reject, cut or shadow the persona's file, with the fix (the verdicts the
    persona page shows beside each tool); tools that take it as it is are left out."""
    return {fmt.id: [{"field": n.field, "message": n.message, "fix": n.hint} for n in notes]
            for fmt in FORMATS if (notes := fmt.limit_notes(persona))}


def index_entry(persona: Persona, site_url: SiteUrl, export_files: bool = False,
                raw_files: bool = True) -> dict[str, object]:
    """The persona's API entry; `exports` (format id -> URL) only when its export files are written, `raw_url`
    null when its source file is not (`raw_files`)."""
    entry = {**persona.fields(), "url": site_url(page_path(persona.slug)),
             "raw_url": site_url(raw_path(persona.slug)) if raw_files else None,
             "tool_warnings": tool_warnings(persona)}
    if export_files:
        entry["exports"] = {fid: site_url(path) for fid, path in persona_exports(persona).items()}
    return entry


def export_formats(catalog: Catalog, site_url: SiteUrl, zips: bool = True) -> list[dict[str, object]]:
    """Every export format: where its file goes in a project and (`zips`) its whole-catalog and category zips."""
    formats = []
    for fmt in FORMATS:
        entry: dict[str, object] = {"id": fmt.id, "label": fmt.label, "path": fmt.project_path,
                                    "user_dir": fmt.user_dir, "max_prompt_characters": fmt.max_body,
                                    "reserved_names": sorted(fmt.reserved), "docs": fmt.docs}
        if fmt.bundled and zips:
            entry["zip_url"] = site_url(bundle_path(fmt.id))
            entry["category_zip_urls"] = {c.id: site_url(bundle_path(fmt.id, c.id)) for c in catalog.categories}
        formats.append(entry)
    return formats


def api_index(catalog: Catalog, site_url: SiteUrl, export_files: bool = False,
              marketplace: Marketplace | None = None, zips: bool = True, raw_files: bool = True) -> dict[str, object]:
    """`claude_code_marketplace`: the marketplace the site serves (null without an https site address); without
    `zips`, no zip URLs (`claude_code_marketplace_url` null)."""
    served = None
    if marketplace is not None and marketplace.url is not None:
        url = marketplace.url(MARKETPLACE_JSON_PATH)
        served = {"name": marketplace.name, "url": url, "add": f"/plugin marketplace add {url}"}
    return {"version": API_VERSION,
            "personas": [index_entry(p, site_url, export_files, raw_files) for p in catalog.personas],
            "export_formats": export_formats(catalog, site_url, zips),
            "claude_code_marketplace_url": site_url(marketplace_path()) if zips else None,
            "claude_code_marketplace": served}


def listing_index(catalog: Catalog, updated: Updated | None = None) -> dict[str, object]:
    """What the home page's filters, sort and later pages need, compactly: short keys, empty fields left out,
    no prompts (docs/api.md). `u` is the persona's last change in seconds since 1970 (git, else file time)."""
    personas = []
    for p in catalog.personas:
        entry = {"s": p.slug, "n": p.name, "d": p.description, "c": p.category, "m": list(p.models),
                 "x": p.context_window, "t": list(p.tags), "a": p.author, "v": p.version,
                 "u": int(updated(p).timestamp()) if updated else None}
        personas.append({key: value for key, value in entry.items() if value not in (None, "", [])})
    return {"version": API_VERSION, "categories": {c.id: c.title for c in catalog.categories}, "personas": personas}


def site_outputs(catalog: Catalog, site_url: SiteUrl, api_model: str = DEFAULT_API_MODEL,
                 site_name: str = "Persona Catalog", updated: Updated | None = None, exports: Exports | None = None,
                 export_files: bool = False, marketplace: Marketplace | None = None,
                 zips: bool = True, raw_files: bool = True, persona_json: bool = True) -> Iterator[tuple[str, bytes]]:
    """Every machine-readable file of the site with its path under the site folder, one at a time, so the
    caller writes each as it is made and they are never all held at once. `exports`: the build's `export_parts`
    (computed here when not given); `export_files`: also write each persona's export files; `marketplace`: the
    Claude Code marketplace (default: named after the site, offered as a zip only); `zips`: the tools' zips;
    `raw_files`: each persona's source file; `persona_json`: each persona's JSON document."""
    exports = export_parts(catalog, api_model) if exports is None else exports
    marketplace = marketplace or Marketplace(marketplace_name(site_name), site_name)
    yield INDEX_PATH, json_file(api_index(catalog, site_url, export_files, marketplace, zips, raw_files))
    yield LISTING_PATH, json.dumps(listing_index(catalog, updated), ensure_ascii=False, separators=(",", ":")).encode()
    yield SCHEMA_PATH, json_file(persona_schema(site_url(SCHEMA_PATH)))
    yield from each_bundle(catalog, exports, marketplace, zips)
    for persona in catalog.personas:
        if raw_files:
            yield raw_path(persona.slug), persona.raw
        if persona.files:
            yield skill_zip_path(persona.slug), skill_zip(persona)
        if persona_json:
            yield persona_json_path(persona.slug), json_file({**index_entry(persona, site_url, export_files, raw_files),
                                                              "prompt": persona.body})
        for fmt in FORMATS if export_files else ():
            yield fmt.site_path(persona.slug), export_file(exports, fmt, persona)
            for path, text in (fmt.companions(persona).items() if fmt.companions else ()):
                yield f"{fmt.site_path(persona.slug).rsplit('/', 1)[0]}/{persona.slug}.{path}", text.encode("utf-8")


def marketplace_name(site_name: str) -> str:
    """The marketplace's id: the site's name as a slug (Claude Code installs `<category>@<id>`)."""
    return slugify(site_name) or "persona-catalog"
