"""Field validation: front matter values checked against `model.FIELDS`, the schema the JSON Schema is made from.

Rules every text value follows (names, slugs, tags, ...): valid Unicode (no lone surrogates), no control or
invisible characters, at least one visible character, one line, within its field's length. Slugs, tags,
models, versions and context windows are taken exactly as written (padding is an error, as in the schema);
free text (name, author, description, use_when) is checked as written, then trimmed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from persona_catalog.catalog.characters import has_visible, hidden_characters
from persona_catalog.catalog.model import DEVICE_NAMES, FIELDS, FIELDS_BY_NAME, LETTERED_PATTERN, FieldSpec, slugify
from persona_catalog.catalog.problems import Problem, show

MISSING = "a required field is missing or empty"


def is_empty(value: object) -> bool:
    """Null, an empty text or an empty list: an optional field written but left empty counts as absent."""
    return value is None or value == "" or value == []


def validate(meta: dict[str, object], lines: dict[str, int], rel: str) -> tuple[dict[str, object], list[Problem]]:
    """Every field checked against its spec: the valid values by field name, and the problems."""
    problems: list[Problem] = [_unknown_field(key, lines.get(key), rel) for key in meta if key not in FIELDS_BY_NAME]
    values: dict[str, object] = {}
    for spec in FIELDS:
        raw = meta.get(spec.name)
        if is_empty(raw):
            if spec.required:
                problems.append(Problem(rel, MISSING, field=spec.name,
                                        line=lines.get(spec.name, 2), expected=expected(spec),
                                        hint=f"add '{spec.name}: {_example(spec)}'"))
            continue
        value, problem = _check(spec, raw, rel, lines.get(spec.name))
        if problem:
            problems.append(problem)
        else:
            values[spec.name] = value
    return values, problems


def _check(spec: FieldSpec, raw: object, rel: str, line: int | None) -> tuple[object, Problem | None]:
    def problem(message: str, found: str, hint: str | None = None) -> tuple[None, Problem]:
        return None, Problem(rel, message, field=spec.name, line=line, expected=expected(spec), found=found, hint=hint)

    if spec.type == "array":
        if not isinstance(raw, list):
            hint = f"write a list: {spec.name}: [{', '.join(_slug_items(raw))}]" if isinstance(raw, str) else None
            return problem("must be a list", show(raw), hint)
        if spec.max_items and len(raw) > spec.max_items:
            return problem(f"has more than {spec.max_items} items", f"{len(raw)} items",
                           f"keep the {spec.max_items} that describe it best")
        for item in raw:
            if not isinstance(item, str):
                return problem("every item must be text", show(item))
            message, hint = _text_problem(spec, item)
            if message:
                return problem("an item " + message.replace("does not match the required form", "is not a slug"),
                               show(item), hint)
        if len(set(raw)) < len(raw):
            twice = next(item for index, item in enumerate(raw) if item in raw[:index])
            return problem("an item is listed twice", show(twice), f"remove the second '{twice}'")
        return tuple(raw), None
    if not isinstance(raw, str):
        hint = None
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            hint = f"write it as text: {spec.name}: \"{_semver(str(raw)) if spec.name == 'version' else raw}\""
        return problem("must be text", show(raw), hint)
    message, hint = _text_problem(spec, raw)
    if message:
        return problem(message, show(raw), hint)
    return (raw.strip() if spec.free_text else raw), None


def _text_problem(spec: FieldSpec, value: str) -> tuple[str | None, str | None]:
    """What is wrong with one text value (the message and a fix), or (None, None)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode (it has a lone surrogate)", "remove the '\\ud...' escape"
    if "\n" in value or "\u2028" in value or "\u2029" in value:
        return "must be a single line", "write it on one line"
    hidden = hidden_characters(value)
    if hidden:
        return f"contains an invisible or control character ({hidden[0].label})", "remove it"
    if not has_visible(value):
        return "has no visible character", "write it out, or remove the field"
    if spec.max_length and len(value) > spec.max_length:
        return f"is longer than {spec.max_length} characters", "shorten it"
    if spec.enum and value not in spec.enum:
        close = difflib.get_close_matches(value.lower(), spec.enum, n=1)
        return "is not one of the allowed values", f"use '{close[0]}'" if close else None
    if spec.name == "slug" and ("/" in value or "\\" in value or value.startswith(".")):
        return "would write outside the site's personas folder", _slug_hint(value) or "use letters, digits and hyphens only"
    if spec.pattern == LETTERED_PATTERN and not re.match(spec.pattern, value):
        return "has no letter or digit", "write it out in words"
    if spec.pattern and not re.match(spec.pattern, value):
        if spec.name == "version":
            return "does not match the required form", f"use '{_semver(value)}'"
        return "does not match the required form", _slug_hint(value) if _is_slug_field(spec) else None
    if value in spec.reserved:
        what = ("is a device name Windows reserves: a file or folder so named cannot be created or unzipped there"
                if value in DEVICE_NAMES else "is reserved for the site's own pages")
        return what, f"use '{value}-{spec.name.rstrip('s')}' or another name"
    return None, None


def _semver(text: str) -> str:
    """`1.0` -> `1.0.0`, `v2` -> `2.0.0`; anything else -> `1.0.0`."""
    parts = text.strip().lstrip("vV").split(".")
    if 1 <= len(parts) <= 3 and all(part.isdigit() for part in parts):
        return ".".join(str(int(part)) for part in parts + ["0"] * (3 - len(parts)))
    return "1.0.0"


def _is_slug_field(spec: FieldSpec) -> bool:
    return spec.pattern is not None and spec.pattern.startswith("^[a-z0-9]")


def _slug_hint(value: str) -> str | None:
    """`use 'back-end'`; where Latin letters mix with look-alikes from another script, which ones they are."""
    slug = slugify(value)
    if not slug:
        return None
    lookalikes = [c for c in dict.fromkeys(value) if c.isalpha() and not c.isascii()
                  and not unicodedata.name(c, "LATIN").startswith("LATIN")]
    if lookalikes and any(c.isascii() and c.isalpha() for c in value):
        names = ", ".join(f"{unicodedata.name(c).split()[0].title()} '{c}' (U+{ord(c):04X})" for c in lookalikes[:3])
        return f"'{value}' looks like '{slug}' but contains {names}; use '{slug}'"
    return f"use '{slug}'"


def expected(spec: FieldSpec) -> str:
    """What a field takes, in words."""
    if spec.enum:
        return "one of " + ", ".join(spec.enum)
    kind = {"name": "a one-line title", "version": "a semantic version like 1.0.0", "description": "one line of text",
            "use_when": "one line of text", "author": "text"}
    if spec.name in kind:
        return kind[spec.name]
    if spec.type == "array":
        return "a list of slugs (lowercase letters, digits, hyphens)"
    return "a slug (lowercase letters, digits, hyphens)" if spec.pattern else "text"


def _example(spec: FieldSpec) -> str:
    return str(spec.example).replace("'", '"')


def _slug_items(raw: str) -> list[str]:
    return [s for s in (slugify(part) for part in raw.split(",")) if s]


def _unknown_field(key: str, line: int | None, rel: str) -> Problem:
    close = difflib.get_close_matches(key, list(FIELDS_BY_NAME), n=1, cutoff=0.6)
    return Problem(rel, "unknown field (ignored)", level="warning", field=key, line=line,
                   expected="one of " + ", ".join(FIELDS_BY_NAME),
                   hint=f"did you mean '{close[0]}'?" if close else "remove it")
