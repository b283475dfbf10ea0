"""The built bundled site in real headless Chromium: copying prompts and searching."""

from __future__ import annotations

import pytest

from conftest import Site, type_in_header_search
from persona_catalog import load_catalog

pytestmark = pytest.mark.browser

CLIPBOARD = ["clipboard-read", "clipboard-write"]
# Makes the page behave as on a plain-HTTP host: no secure context, so no async Clipboard API for the page.
INSECURE = "Object.defineProperty(window, 'isSecureContext', {value: false});"


def bundled_prompts(site: Site) -> dict[str, str]:
    return {p.slug: p.body for p in load_catalog(site.root / "personas").catalog.personas}


@pytest.mark.parametrize("secure", [True, False], ids=["https", "plain-http"])
def test_copy_prompt_copies_exactly_the_body_of_every_persona(browser, served: str, bundled_site: Site,
                                                              secure: bool) -> None:
    context = browser.new_context(permissions=CLIPBOARD)
    if not secure:
        context.add_init_script(INSECURE)
    page = context.new_page()
    prompts = bundled_prompts(bundled_site)
    assert prompts
    for slug, body in prompts.items():
        page.goto(f"{served}personas/{slug}/")
        page.evaluate("navigator.clipboard.writeText('')")
        page.get_by_role("button", name="Copy prompt", exact=True).click()
        page.get_by_role("status").filter(has_text="copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == body, slug
    context.close()


def test_search_finds_a_persona_by_name_tag_and_phrase(browser, served: str, bundled_site: Site) -> None:
    page = browser.new_page()
    page.goto(served)
    for query in ("Pull Request Reviewer", "pull-requests", "colleague's change"):
        type_in_header_search(page, query, delay=10)
        result = page.locator(".md-search-result__item a[href*='personas/pull-request-reviewer/']").first
        page.locator(".md-search-result__meta").filter(has_text="matching").wait_for(timeout=10_000)
        page.locator(".md-search__scrollwrap").evaluate("list => list.scrollTop = list.scrollHeight")  # Material
        result.wait_for(timeout=10_000)  # renders results in batches as the list scrolls; the persona may be below
        page.keyboard.press("Escape")
    page.close()
