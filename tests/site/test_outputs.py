"""Export files, the per-persona JSON API and the published JSON Schema, on the bundled catalog."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from conftest import Site
from persona_catalog import FIELDS, Persona, find_persona_files, load_catalog, parse_persona


@pytest.fixture(scope="module")
def personas(bundled_site: Site) -> tuple[Persona, ...]:
    return load_catalog(bundled_site.root / "personas").catalog.personas


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split as the tools do: a `---` line, YAML, a `---` line, then the body."""
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(front), body


def test_index_and_per_persona_json(bundled_site: Site, personas) -> None:
    index = bundled_site.json("api/v1/personas.json")
    assert [p["slug"] for p in index["personas"]] == [p.slug for p in personas]
    for persona, entry in zip(personas, index["personas"]):
        assert "exports" not in entry  # only with export_files: true (test_exports)
        detail = bundled_site.json(f"api/v1/personas/{persona.slug}.json")
        assert detail == {**entry, "prompt": persona.body}


def test_schema_documents_every_field(bundled_site: Site) -> None:
    schema = bundled_site.json("schema/persona.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    assert list(schema["properties"]) == [*(f.name for f in FIELDS), "origin"]  # origin: what `import` kept
    assert all(p["title"] and p["description"] for p in schema["properties"].values())
    assert schema["required"] == ["name", "category"]


def test_every_bundled_persona_validates_against_the_schema(bundled_site: Site) -> None:
    validator = jsonschema.Draft202012Validator(bundled_site.json("schema/persona.schema.json"))
    files = find_persona_files(bundled_site.root / "personas")
    for path in files:
        meta, _ = split_front_matter(path.read_text("utf-8"))
        errors = [e.message for e in validator.iter_errors(meta)]
        assert errors == [], (path, errors)
    assert len(files) >= 30


FRONT_MATTERS = [
    {"name": "A", "category": "dev"},
    {"name": "A", "category": "dev", "tags": ["x", "y-2"], "models": ["cursor"], "context_window": "small",
     "version": "1.2.3-rc.1", "author": "me", "slug": "a", "description": "One line."},
    {"category": "dev"},
    {"name": "A"},
    {"name": "A", "category": "Dev"},
    {"name": "A", "category": "dev", "tags": "x"},
    {"name": "A", "category": "dev", "tags": ["Not A Slug"]},
    {"name": "A", "category": "dev", "version": 1.0},
    {"name": "A", "category": "dev", "version": "1.0"},
    {"name": "A", "category": "dev", "context_window": "huge"},
    {"name": "A", "category": "dev", "models": [3]},
    {"name": "A\nB", "category": "dev"},
    {"name": "A", "category": "dev", "slug": "../escape"},
]


@pytest.mark.parametrize("meta", FRONT_MATTERS, ids=lambda m: json.dumps(m)[:60])
def test_schema_and_validator_agree(bundled_site: Site, meta: dict) -> None:
    schema_valid = jsonschema.Draft202012Validator(bundled_site.json("schema/persona.schema.json")).is_valid(meta)
    text = "---\n" + yaml.safe_dump(meta) + "---\n\nYou are a test.\n"
    persona, problems = parse_persona(text.encode(), "p.md")
    assert schema_valid == (persona is not None), problems
