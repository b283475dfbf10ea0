"""The published JSON Schema and the loader give the same verdict on every front matter; hints, applied, work."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import persona_text
from persona_catalog import FIELDS, Category, load_catalog, parse_persona, persona_schema, read_front_matter

VALIDATOR = jsonschema.Draft202012Validator(persona_schema("https://example.org/schema/persona.schema.json"))
SPECIAL = st.sampled_from(["", " ", "index", "dev", " dev", "dev ", "a-b", "A", "1.0.0", "1.0", "v1", "small",
                           "huge", "\u200b", "a\u200bb", "👩\u200d💻", "a\u200cb", "x\ny", "x\u2028y", "\ud800",
                           "\x7f", "\u202eabc", "d\u0435v", "a" * 41, "a" * 101, "--", "a--b", "a_b", "Ünï",
                           "name: x", "2024-02-30", "1:59:59"])
TEXT = st.one_of(SPECIAL, st.text(max_size=12), st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True))
VALUE = st.one_of(TEXT, st.none(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                  st.lists(st.one_of(TEXT, st.integers(), st.none()), max_size=4),
                  st.dictionaries(st.text(max_size=3), TEXT, max_size=2))
META = st.dictionaries(st.one_of(st.sampled_from([f.name for f in FIELDS]), st.text(max_size=8)), VALUE, max_size=8)
BASE = st.fixed_dictionaries({"name": st.one_of(st.just("Tester"), TEXT), "category": st.one_of(st.just("dev"), TEXT)})


def verdicts(meta: dict) -> tuple[bool, bool]:
    """The schema's verdict on the fields as the YAML boundary reads them, and the loader's on the file."""
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\nYou are a test.\n"
    front = read_front_matter(text, "p.md")
    assume(not isinstance(front, list))  # YAML the boundary refuses (e.g. a NEL line break) has no fields to judge
    persona, _ = parse_persona(text.encode("utf-8", "surrogatepass"), "p.md")
    return VALIDATOR.is_valid(front.fields), persona is not None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BASE, META)
def test_schema_and_loader_agree_on_any_front_matter(base: dict, extra: dict) -> None:
    meta = {**base, **extra}
    schema_valid, loader_valid = verdicts(meta)
    assert schema_valid == loader_valid, meta


def test_the_five_cases_that_used_to_disagree() -> None:
    for meta in ({"name": "A", "category": "dev", "author": None}, {"name": "A", "category": "dev", "author": ""},
                 {"name": "A", "category": "dev", "tags": ["a", "a"]}, {"name": "A", "category": " dev "},
                 {"name": "A", "category": "dev", "colour": "blue"}):
        schema_valid, loader_valid = verdicts(meta)
        assert schema_valid == loader_valid, meta


# Hints: apply what the `fix:` says, lint again, and the problem is gone.
HINTED = {
    "version: 1.0": ("---\nname: A\ncategory: dev\nversion: 1.0\n---\nbody\n", "version"),
    "tags: a, b": ("---\nname: A\ncategory: dev\ntags: a, b\n---\nbody\n", "tags"),
    "tag not a slug": ("---\nname: A\ncategory: dev\ntags: [Back End]\n---\nbody\n", "tags"),
    "category": ("---\nname: A\ncategory: Dev Ops\n---\nbody\n", "category"),
    "homoglyph": ("---\nname: A\ncategory: d\u0435v\n---\nbody\n", "category"),
    "context": ("---\nname: A\ncategory: dev\ncontext_window: larg\n---\nbody\n", "context_window"),
    "missing": ("---\nname: A\n---\nbody\n", "category"),
    "reserved": ("---\nname: A\ncategory: dev\nslug: index\n---\nbody\n", "slug"),
}


def apply(text: str, field: str, hint: str) -> str:
    """Do what a hint says: `use 'x'` replaces the value, `field: value` (after 'add' or 'write') the line."""
    lines = text.split("\n")
    line = next((i for i, at in enumerate(lines) if at.startswith(f"{field}:")), None)
    use = re.search(r"use '([^']+)'", hint)
    written = re.search(rf"(?:add|write[^:]*:|quote it:) '?({field}: [^';]+?)'?(?:$| and|;)", hint)
    if use and line is not None:
        lines[line] = f"{field}: {use.group(1)}" if field not in ("tags", "models") else f"{field}: [{use.group(1)}]"
    elif written:
        new = written.group(1)
        if line is None:
            lines.insert(1, new)
        else:
            lines[line] = new
    else:
        raise AssertionError(f"hint cannot be applied: {hint}")
    return "\n".join(lines)


def test_every_hint_applied_fixes_its_problem() -> None:
    for label, (text, field) in HINTED.items():
        _, problems = parse_persona(text.encode(), "p.md")
        problem = next(p for p in problems if p.field == field)
        fixed = apply(text, field, problem.hint)
        persona, after = parse_persona(fixed.encode(), "p.md")
        assert persona is not None, (label, problem.hint, fixed, after)


def test_category_typo_and_slug_clash_hints_work(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(persona_text("Review Bot!", "developement"))
    (tmp_path / "b.md").write_text(persona_text("Review Bot?", "development"))
    categories = {"development": Category("development", "Development")}
    problems = load_catalog(tmp_path, categories).problems
    assert {(p.path.split("/")[-1], p.field) for p in problems} >= {("a.md", "category"), ("a.md", "slug"), ("b.md", "slug")}
    (tmp_path / "a.md").write_text(persona_text("Review Bot!", "development", slug="review-bot-2"))
    assert load_catalog(tmp_path, categories).problems == []
