"""Catalog filters, sortable tags and accessibility in real headless Chromium on the bundled site."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlencode

import pytest

from conftest import Site
from persona_catalog.loader import load_catalog
from persona_catalog.model import Persona

pytestmark = pytest.mark.browser


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def expected(personas: tuple[Persona, ...], q: str = "", category: str = "", model: str = "", context: str = "",
             tags: tuple[str, ...] = ()) -> set[str]:
    """The personas a filter must show, computed from the sources."""
    found = set()
    for p in personas:
        text = fold(f"{p.name} {p.description} {' '.join(p.tags)}")
        if all(term in text for term in fold(q).split()) and (not category or p.category == category) \
                and (not model or model in p.models) and (not context or p.context_window == context) \
                and all(t in p.tags for t in tags):
            found.add(p.slug)
    return found


def visible_slugs(page) -> set[str]:  # type: ignore[no-untyped-def]
    return set(page.eval_on_selector_all(".pc-browse .pc-card", "cs => cs.filter(c => c.offsetParent).map(c => c.dataset.slug)"))


@pytest.fixture(scope="module")
def personas(bundled_site: Site) -> tuple[Persona, ...]:
    return load_catalog(bundled_site.root / "personas").catalog.personas


CASES = [
    {"q": "incident"},
    {"q": "SQL performance"},
    {"category": "security"},
    {"model": "cursor"},
    {"context": "small"},
    {"tags": ("documentation",)},
    {"tags": ("documentation", "release")},
    {"category": "development", "tags": ("quality",)},
    {"model": "claude-code", "context": "large", "q": "code"},
    {"category": "writing", "model": "copilot", "tags": ("changelog",)},
    {"q": "no-such-persona-anywhere"},
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: urlencode(c, doseq=True))
def test_url_filters_show_exactly_the_matching_personas(browser, served: str, personas, case: dict) -> None:
    want = expected(personas, **case)
    query = {k: v for k, v in case.items() if k != "tags"}
    query_string = urlencode([*query.items(), *(("tag", t) for t in case.get("tags", ()))])
    page = browser.new_page()
    page.goto(f"{served}?{query_string}")
    assert visible_slugs(page) == want
    status = page.locator("[data-pc-count]").inner_text()
    assert status == (f"{len(personas)} personas" if len(want) == len(personas)
                      else f"Showing {len(want)} of {len(personas)} personas")
    assert page.locator("[data-pc-empty]").is_visible() == (not want)
    page.close()


def test_controls_filter_update_the_url_and_clear(browser, served: str, personas) -> None:
    page = browser.new_page()
    page.goto(served)
    assert visible_slugs(page) == {p.slug for p in personas}
    page.get_by_label("Category").select_option("development")
    page.get_by_label("Model or tool").select_option("cursor")
    page.get_by_role("checkbox", name="quality").check()
    want = expected(personas, category="development", model="cursor", tags=("quality",))
    assert visible_slugs(page) == want and want
    assert page.url.endswith("?category=development&model=cursor&tag=quality")
    count = sum(1 for p in personas if p.category == "development" and "quality" in p.tags)
    assert page.get_by_label("Model or tool").locator("option[value=cursor]").inner_text() == f"cursor ({len(want)})"
    assert page.get_by_role("checkbox", name="quality").is_checked()
    assert page.locator("label.pc-tag-option", has_text="quality").inner_text().strip() == f"quality ({len(want)})"
    assert count >= len(want)
    page.get_by_label("Search names, descriptions and tags").fill("zzz")
    assert visible_slugs(page) == set()
    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_function("() => location.search === ''")
    assert visible_slugs(page) == {p.slug for p in personas}
    page.close()


def test_without_javascript_home_lists_every_persona_and_links_work(browser, served: str, bundled_site: Site,
                                                                   personas) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served}?category=security")  # without scripts the query cannot filter: everything shows
    assert visible_slugs(page) == {p.slug for p in personas}
    assert not page.locator("[data-pc-filters]").is_visible()
    hrefs = page.eval_on_selector_all(".pc-browse a[href]", "as => as.map(a => a.href)")
    for href in sorted(set(hrefs)):
        response = page.request.get(href)
        assert response.ok, href
    page.goto(f"{served}personas/pull-request-reviewer/")
    assert page.get_by_role("link", name="Download source file", exact=True).get_attribute("href") == "pull-request-reviewer.md"
    context.close()


def test_tag_index_sorts_by_name_and_by_count(browser, served: str) -> None:
    page = browser.new_page()
    page.goto(f"{served}tags/")
    rows = lambda: page.eval_on_selector_all(  # noqa: E731
        ".pc-tag-table tbody tr", "rs => rs.map(r => [r.cells[0].innerText, Number(r.cells[1].innerText)])")
    by_name = rows()
    assert [r[0] for r in by_name] == sorted(r[0] for r in by_name)
    page.get_by_role("button", name="Personas").click()
    ascending = rows()
    assert [r[1] for r in ascending] == sorted(r[1] for r in by_name)
    page.get_by_role("button", name="Personas").click()
    assert [r[1] for r in rows()] == sorted((r[1] for r in by_name), reverse=True)
    assert page.locator("th", has_text="Personas").get_attribute("aria-sort") == "descending"
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "tags/quality/", "personas/pull-request-reviewer/", "categories/"])
def test_no_serious_accessibility_violations(browser, served: str, path: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(color_scheme=scheme)
    page.goto(served + path)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
    page.close()
