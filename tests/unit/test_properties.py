"""Property-based tests: any input ends in a persona whose outputs all parse, or in a clear problem; never an
exception, never a path outside the site folder. Across the loader, renderer, exporters, outputs and `--fix`."""

from __future__ import annotations

import html
import json
import posixpath
import unicodedata

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from export_parsing import check_export
from persona_catalog import (
    DEFAULT_API_MODEL,
    FIELDS,
    FORMATS,
    Catalog,
    Renderer,
    fix_persona,
    parse_persona,
    site_outputs,
    site_pages,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HOSTILE = st.sampled_from(["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}",
                           "{% raw %}", "javascript:alert(1)", "&amp;", "\u202e", "--8<-- 'x'", "</title>",
                           "\u200b", "\U000e0041", "\x1b[2J", "\ud800", "\u2028", "index", "pc-prompt-source",
                           "<!-- hidden -->", "![x](https://evil.example/p.gif)", "â€”", "---", "1:59:59",
                           "2024-02-30", "!!int x", "*alias", "&anchor"])
TEXT = st.one_of(st.text(max_size=40), HOSTILE, st.builds(lambda a, b: a + b, st.text(max_size=10), HOSTILE))
SLUGS = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
SCALARS = st.one_of(TEXT, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
VALUES = st.one_of(SCALARS, st.lists(st.one_of(SLUGS, SCALARS), max_size=4),
                   st.dictionaries(st.text(max_size=5), SCALARS, max_size=3))
KEYS = st.one_of(st.sampled_from([f.name for f in FIELDS]), st.text(min_size=1, max_size=10))
SITE = "https://example.org/catalog/"


def printable(text: str) -> bool:
    """No control, format, surrogate or line-separator character: nothing that can rewrite a terminal line."""
    return not any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") for char in text)


def assemble(meta: dict, body: str) -> bytes:
    return ("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + body).encode("utf-8", "surrogatepass")


def check(data: bytes) -> None:
    """The loader's verdict is a persona or errors; a persona renders escaped and every output parses."""
    persona, problems = parse_persona(data, "generated.md")
    for problem in problems:
        assert printable(str(problem)) and problem.path == "generated.md"
        json.dumps(problem.to_json(), ensure_ascii=False).encode("utf-8")
    if persona is None:
        assert any(p.is_error for p in problems)
        return
    catalog = Catalog((persona,))
    renderer = Renderer(catalog)
    for page in site_pages(catalog):
        out = renderer.render(page, lambda target: target)
        if page.template == "persona.html":
            assert f">{html.escape(persona.name, quote=False)}</h1>" in out.replace("&#34;", '"').replace("&#39;", "'")
            assert "<script>alert" not in out and "<img" not in out
            assert 'id="pc-prompt-source"' not in out.split("data-pc-source")[0]
    for fmt in FORMATS:
        check_export(fmt.id, fmt.text(persona), persona, DEFAULT_API_MODEL)
    for path, content in site_outputs(catalog, lambda p: SITE + p):
        assert not posixpath.isabs(path) and not posixpath.normpath(path).startswith("..")
        if path.endswith(".json"):
            json.loads(content)


@SETTINGS
@given(st.dictionaries(KEYS, VALUES, max_size=8), TEXT)
def test_any_front_matter_mapping(meta: dict, body: str) -> None:
    check(assemble(meta, body))


@SETTINGS
@given(name=TEXT, description=TEXT, author=TEXT, tags=st.lists(SLUGS, max_size=4), body=st.text(min_size=1))
def test_valid_shapes_with_hostile_text_render(name: str, description: str, author: str, tags: list, body: str) -> None:
    meta = {"name": name, "category": "testing", "description": description, "author": author, "tags": tags}
    check(assemble(meta, body + "\n<script>alert(1)</script>\n[x](javascript:alert(1))"))


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes(data: bytes) -> None:
    check(data)


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_after_a_front_matter_marker(text: str) -> None:
    check(("---\n" + text).encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.one_of(st.binary(max_size=300), st.builds(lambda meta, body: assemble(meta, body),
                                                     st.dictionaries(KEYS, VALUES, max_size=5), TEXT)))
def test_fix_never_fails_and_never_makes_things_worse(data: bytes) -> None:
    repair = fix_persona(data)
    assert fix_persona(repair.data).changes == []  # idempotent: a second run finds nothing left to do
    before, _ = parse_persona(data, "p.md")
    after, _ = parse_persona(repair.data, "p.md")
    if before is not None:  # a valid persona stays valid, with the same fields, after a repair
        assert after is not None and after.slug == before.slug and after.tags == before.tags
    if not repair.changes:
        assert repair.data == data
