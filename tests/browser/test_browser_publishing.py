"""The "page not found" page in real headless Chromium: it offers the catalog's search."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_not_found_page_searches_the_catalog(browser, served: str) -> None:
    page = browser.new_page()
    page.goto(f"{served}404.html")
    box = page.get_by_label("Search the catalog")
    assert box.input_value() == "", "the page's own address is not a search"
    box.fill("incident")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/404.html?q=incident")  # this page again: home's listing would take q for itself
    search = page.locator("input.md-search__input")
    search.wait_for()
    assert search.input_value() == "incident"  # Material opened its search with the query
    page.locator(".md-search-result__item a[href*='personas/incident-commander/']").first.wait_for(timeout=10_000)
    page.close()
