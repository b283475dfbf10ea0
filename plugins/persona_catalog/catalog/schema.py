"""The JSON Schema (2020-12) of a persona's front matter, made from `model.FIELDS` so that it and the loader
give the same verdict on every front matter (a property test holds them to it).

- Every text value follows `characters.TEXT_PATTERN`: one line, no invisible or control character, at least
  one visible character; then its field's pattern, set of values, length and reserved values.
- An optional field written but left empty (null, `""`, `[]`) counts as absent, as in the loader.
- Unknown fields are allowed: the loader ignores them (with a warning naming the field).
"""

from __future__ import annotations

from persona_catalog.catalog.characters import TEXT_PATTERN
from persona_catalog.catalog.model import FIELDS, FieldSpec
from persona_catalog.catalog.readers.origin import KEY as ORIGIN
from persona_catalog.catalog.readers.origin import origin_schema


def _text_rule(spec: FieldSpec) -> dict[str, object]:
    rules: list[dict[str, object]] = [{"pattern": TEXT_PATTERN}]
    if spec.pattern:
        rules.append({"pattern": spec.pattern})
    rule: dict[str, object] = {"type": "string", "allOf": rules}
    if spec.enum:
        rule["enum"] = list(spec.enum)
    if spec.max_length:
        rule["maxLength"] = spec.max_length
    if spec.reserved:
        rule["not"] = {"enum": list(spec.reserved)}
    return rule


def field_rule(spec: FieldSpec) -> dict[str, object]:
    """The schema of one field's value."""
    rule = _text_rule(spec)
    if spec.type == "array":
        rule = {"type": "array", "items": rule, "uniqueItems": True}
        if spec.max_items:
            rule["maxItems"] = spec.max_items
    if spec.required:
        return rule
    empty: list[dict[str, object]] = [{"type": "null"}, {"const": ""}, {"const": []}]
    return {"anyOf": [rule, *empty]}


def persona_schema(schema_id: str) -> dict[str, object]:
    """JSON Schema (2020-12) of a persona file's front matter."""
    properties = {spec.name: {"title": spec.title, "description": spec.description, **field_rule(spec),
                              "examples": [spec.example]} for spec in FIELDS}
    properties[ORIGIN] = origin_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": "Persona",
        "description": "Front matter of a Persona Catalog persona file; the Markdown body after it is the prompt. "
                       "Fields not listed here are ignored (persona-catalog lint warns about them).",
        "type": "object",
        "required": [f.name for f in FIELDS if f.required],
        "properties": properties,
    }
