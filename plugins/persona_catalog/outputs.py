"""Machine-readable outputs: the versioned JSON API and the raw persona files, as site path -> bytes."""

from __future__ import annotations

import json
from collections.abc import Callable

from .model import Catalog, Persona
from .render import raw_path

API_VERSION = "v1"
INDEX_PATH = f"api/{API_VERSION}/personas.json"

SiteUrl = Callable[[str], str]


def page_path(slug: str) -> str:
    """Site path of a persona's page (the public URL contract `/personas/<slug>/`)."""
    return f"personas/{slug}/"


def index_entry(persona: Persona, site_url: SiteUrl) -> dict[str, object]:
    return {
        **persona.fields(),
        "url": site_url(page_path(persona.slug)),
        "raw_url": site_url(raw_path(persona.slug)),
    }


def api_index(catalog: Catalog, site_url: SiteUrl) -> dict[str, object]:
    return {"version": API_VERSION, "personas": [index_entry(p, site_url) for p in catalog.personas]}


def dump_json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def site_outputs(catalog: Catalog, site_url: SiteUrl) -> dict[str, bytes]:
    """Every machine-readable file of the site, keyed by its path under the site folder."""
    files = {INDEX_PATH: dump_json(api_index(catalog, site_url))}
    for persona in catalog.personas:
        files[raw_path(persona.slug)] = persona.raw
    return files
