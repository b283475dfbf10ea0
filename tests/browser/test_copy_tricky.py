"""Prompts with content that looks like markup or templates: shown inert, copied exactly, in Chromium."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, BuildSite, serve
from persona_catalog import FORMATS_BY_ID, Persona, load_catalog

TRICKY = FIXTURES / "tricky"
SNIPPETS_CONFIG = {"markdown_extensions": [{"pymdownx.snippets": {"base_path": [str(FIXTURES)]}}]}


@pytest.fixture
def tricky_site(build_site: BuildSite):  # type: ignore[no-untyped-def]
    personas = {p.name: p.read_bytes() for p in TRICKY.glob("*.md")}
    return build_site(personas, config=SNIPPETS_CONFIG, strict=False)  # markup-sampler warns of its <script>


def bodies() -> dict[str, str]:
    return {p.slug: p.body for p in load_catalog(TRICKY).catalog.personas}


def personas() -> dict[str, Persona]:
    return {p.slug: p for p in load_catalog(TRICKY).catalog.personas}


def test_fixture_bodies_keep_what_they_test() -> None:
    found = bodies()
    assert "````markdown\n```python" in found["fence-keeper"]
    assert "{{ user.name }}" in found["template-lookalike"] and '--8<-- "secret.txt"' in found["template-lookalike"]
    assert "spaces   \n\tIndented" in found["markup-sampler"] and "مرحبا" in found["markup-sampler"]
    assert found["windows-saver"] == "First line\nSecond line with a \u201cquote\u201d"
    assert found["mark-first"].startswith("\ufeffThe prompt")  # a decoder that drops a leading BOM loses it


def test_nothing_in_a_prompt_is_interpreted(tricky_site) -> None:  # type: ignore[no-untyped-def]
    page = tricky_site.page("personas/template-lookalike/")
    assert "TOP-SECRET-FILE-CONTENT" not in page  # the site's snippets extension never sees prompts
    assert "{{ user.name }}" in page and "{% now" in page and "--8&lt;--" in page
    sampler = tricky_site.page("personas/markup-sampler/")
    rendered = sampler.split("data-pc-source")[0]
    assert "window.__pwned" in rendered and "<script>window.__pwned" not in rendered  # shown as text, never run


@pytest.mark.browser
def test_copy_prompt_is_exact_for_tricky_bodies(browser, tricky_site) -> None:  # type: ignore[no-untyped-def]
    url, stop = serve(tricky_site.site_dir)
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        for slug, persona in personas().items():
            body = persona.body
            page.goto(f"{url}personas/{slug}/")
            page.get_by_role("button", name="Copy prompt", exact=True).click()
            page.locator(".pc-copy-status", has_text="Copied").first.wait_for()
            assert page.evaluate("navigator.clipboard.readText()") == body, slug
            assert page.evaluate("window.__pwned") is None
            for fmt in (FORMATS_BY_ID["cursor"], FORMATS_BY_ID["claude-api"], FORMATS_BY_ID["codex"]):
                page.locator(".pc-exports .tabbed-labels label", has_text=fmt.label).click()  # one panel at a time
                page.get_by_role("button", name=f"Copy {fmt.label} file").click()
                page.wait_for_function("t => navigator.clipboard.readText().then(c => c === t)", arg=fmt.text(persona))
    finally:
        context.close()
        stop()
