"""The Zensical site of a fixture catalog (`persona-catalog build --engine zensical`) in headless Chromium: Copy
prompt, the home filters, the header search."""

from __future__ import annotations

import re

import pytest
from test_zensical import build_pair  # skips this module too without Zensical

from conftest import Site
from persona_catalog import load_catalog

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Site]:
    return build_pair(tmp_path_factory)


@pytest.fixture
def zensical_served(pair):  # type: ignore[no-untyped-def]
    from serving import serve
    url, stop = serve(pair[1].site_dir)
    yield url
    stop()


@pytest.mark.browser
def test_copy_prompt_copies_exactly_the_prompt(browser, zensical_served: str, pair) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    for persona in load_catalog(pair[1].root / "personas").catalog.personas:
        page.goto(f"{zensical_served}personas/{persona.slug}/")
        page.evaluate("navigator.clipboard.writeText('')")
        page.get_by_role("button", name="Copy prompt", exact=True).click()
        page.get_by_role("status").filter(has_text="copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == persona.body, persona.slug
    context.close()


@pytest.mark.browser
def test_home_filters_narrow_by_tag(browser, zensical_served: str) -> None:
    from conftest import listing_slugs
    page = browser.new_page()
    page.goto(zensical_served)
    assert sorted(listing_slugs(page)) == ["code-explainer", "on-call-buddy", "pager-triage", "patch-reviewer"]
    page.goto(f"{zensical_served}?tag=incident")
    assert sorted(listing_slugs(page)) == ["on-call-buddy", "pager-triage"]
    page.goto(f"{zensical_served}?tag=quality")
    assert sorted(listing_slugs(page)) == ["on-call-buddy", "patch-reviewer"]
    page.close()


@pytest.mark.browser
def test_header_search_finds_a_persona_by_name(browser, zensical_served: str) -> None:
    from playwright.sync_api import expect
    page = browser.new_page()
    page.goto(zensical_served)
    for name, slug in (("Pager Triage", "pager-triage"), ("Code Explainer", "code-explainer")):
        page.locator(".md-search__button").click()
        page.keyboard.press("Control+A")  # the box keeps the last query
        page.keyboard.type(name, delay=10)
        # The best result is the persona (its page or its heading), once the results settle (in a shadow root).
        expect(page.locator("[role=option]").first).to_have_attribute(
            "href", re.compile(rf"/personas/{slug}/(#.*)?$"), timeout=10_000)
        page.keyboard.press("Escape")
    page.close()


