"""Machine-readable outputs, as site path -> bytes: the versioned JSON API, export files, raw persona
files and the JSON Schema of the front matter (generated from `model.FIELDS`, the validator's own source)."""

from __future__ import annotations

import json
from collections.abc import Callable

from .exports import DEFAULT_API_MODEL, FORMATS, export_text
from .model import Catalog, Persona
from .schema import persona_schema
from .paths import API_VERSION, INDEX_PATH, SCHEMA_PATH, page_path, persona_json_path, raw_path

SiteUrl = Callable[[str], str]


def persona_exports(persona: Persona) -> dict[str, str]:
    """Format id -> site path of the persona's export file."""
    return {f.id: f.site_path(persona.slug) for f in FORMATS}


def index_entry(persona: Persona, site_url: SiteUrl) -> dict[str, object]:
    return {
        **persona.fields(),
        "url": site_url(page_path(persona.slug)),
        "raw_url": site_url(raw_path(persona.slug)),
        "exports": {fid: site_url(path) for fid, path in persona_exports(persona).items()},
    }


def api_index(catalog: Catalog, site_url: SiteUrl) -> dict[str, object]:
    return {"version": API_VERSION, "personas": [index_entry(p, site_url) for p in catalog.personas]}


def dump_json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def site_outputs(catalog: Catalog, site_url: SiteUrl, api_model: str = DEFAULT_API_MODEL) -> dict[str, bytes]:
    """Every machine-readable file of the site, keyed by its path under the site folder."""
    files = {
        INDEX_PATH: dump_json(api_index(catalog, site_url)),
        SCHEMA_PATH: dump_json(persona_schema(site_url(SCHEMA_PATH))),
    }
    for persona in catalog.personas:
        files[raw_path(persona.slug)] = persona.raw
        files[persona_json_path(persona.slug)] = dump_json({**index_entry(persona, site_url), "prompt": persona.body})
        for fmt in FORMATS:
            files[fmt.site_path(persona.slug)] = export_text(persona, fmt.id, api_model).encode("utf-8")
    return files
