"""Search in Material's header box, answered by the site's own index, on the built bundled site in headless Chromium.

Expectations are computed from the persona files (names, tags, bodies), never listed by hand.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import BuildSite, Site, persona_text, serve, type_in_header_search
from persona_catalog import Persona, load_catalog

pytestmark = pytest.mark.browser

LISTING = re.compile(r"^/(tags|categories)(/|$)|^/$")
WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*")


@pytest.fixture(scope="module")
def personas(bundled_site: Site) -> tuple[Persona, ...]:
    return load_catalog(bundled_site.root / "personas").catalog.personas


def served_page(browser, site: Site):  # type: ignore[no-untyped-def]
    """A browser page on the home of `site`, served over HTTP, for a fixture to yield from."""
    url, stop = serve(site.site_dir)
    page = browser.new_page()
    page.goto(url)
    yield page
    page.close()
    stop()


@pytest.fixture(scope="module")
def search_page(browser, bundled_site: Site):  # type: ignore[no-untyped-def]
    yield from served_page(browser, bundled_site)


def results(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The paths of the results shown for `query` typed into the header search box, best first ([] if none)."""
    type_in_header_search(page, query)
    try:  # the theme links each result with the query's terms, so this tells this query's results from earlier ones
        page.wait_for_function(
            """q => {
                const first = document.querySelector('.md-search-result__item > a');
                return first && new URL(first.href).searchParams.get('h') === q;
            }""", arg=query.lower(), timeout=10_000)
    except PlaywrightTimeout:
        return []
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "as => as.map(a => a.href)")
    return [urlparse(href).path for href in hrefs]


def persona_path(persona: Persona) -> str:
    return f"/personas/{persona.slug}/"


def test_exact_name_puts_that_persona_first(search_page, personas: tuple[Persona, ...]) -> None:
    for persona in personas:
        found = results(search_page, persona.name)
        assert found and found[0] == persona_path(persona), (persona.name, found[:3])


def test_name_matches_across_case_and_plural(search_page, personas: tuple[Persona, ...]) -> None:
    persona = next(p for p in personas if p.name.split()[-1].endswith("er"))  # e.g. "... Reviewer"
    words = persona.name.split()
    variants = {persona.name.upper(), " ".join([*words[:-1], words[-1] + "s"]).lower()}
    for query in variants:
        found = results(search_page, query)
        assert persona_path(persona) in found[:3], (query, found[:3])


@pytest.mark.parametrize("tag", ["sre", "kubernetes", "most-used"])
def test_tag_fills_the_top_results_with_tagged_personas(search_page, personas: tuple[Persona, ...], tag: str) -> None:
    if tag == "most-used":
        tag = Counter(t for p in personas for t in p.tags).most_common(1)[0][0]
    tagged = {persona_path(p) for p in personas if tag in p.tags}
    assert tagged, tag
    found = results(search_page, tag)
    top = found[:len(tagged)]
    assert set(top) == tagged, (tag, top, tagged)


def distinctive_phrase(persona: Persona, personas: tuple[Persona, ...], size: int = 4) -> str | None:
    """The first run of `size` words of the prompt that no other persona's prompt contains."""
    others = [" ".join(WORD.findall(p.body.lower())) for p in personas if p is not persona]
    words = WORD.findall(persona.body.lower())
    for start in range(len(words) - size):
        phrase = " ".join(words[start:start + size])
        if all(len(w) > 3 for w in words[start:start + size]) and not any(phrase in other for other in others):
            return phrase
    return None


def test_body_phrase_puts_its_persona_in_the_top_three(search_page, personas: tuple[Persona, ...]) -> None:
    owner = [p for p in personas if "off-by-one" in p.body.lower()]
    assert owner
    assert persona_path(owner[0]) in results(search_page, "off-by-one")[:3]
    misses = []
    for persona in personas:
        phrase = distinctive_phrase(persona, personas)
        if phrase and persona_path(persona) not in results(search_page, phrase)[:3]:
            misses.append((persona.slug, phrase))
    assert not misses, misses


@pytest.mark.parametrize("query", ["persona", "tags", "category", "prompt"])
def test_docs_pages_rank_below_personas_and_listings_never_appear(search_page, query: str) -> None:
    found = results(search_page, query)
    assert found, query
    kinds = ["persona" if path.startswith("/personas/") else "docs" for path in found]
    assert kinds == sorted(kinds, key=lambda kind: kind != "persona"), (query, found)
    assert not [path for path in found if LISTING.search(path)], (query, found)


def test_tag_and_category_words_never_return_listing_pages(search_page, personas: tuple[Persona, ...]) -> None:
    categories = {p.category for p in personas}
    for query in [*sorted(categories)[:4], "tags", "categories", "browse the catalog"]:
        assert not [path for path in results(search_page, query) if LISTING.search(path)], query


def test_results_show_name_category_tags_and_highlighted_excerpt(search_page, personas: tuple[Persona, ...]) -> None:
    persona = next(p for p in personas if "kubernetes" in p.tags)
    results(search_page, "kubernetes")
    first = search_page.locator(".md-search-result__item").first
    assert first.locator("h1").inner_text() == persona.name
    assert first.locator(".pc-search-category").inner_text().lower().startswith(persona.category[:4])
    assert first.locator(".md-tag").all_inner_texts()[:len(persona.tags)] == list(persona.tags)
    assert first.locator("mark").first.inner_text().lower() == "kubernetes"


def test_keyboard_slash_arrows_enter_and_escape(browser, served: str, personas: tuple[Persona, ...]) -> None:
    page = browser.new_page()
    page.goto(served)
    box_focused = "document.activeElement.classList.contains('md-search__input')"
    page.keyboard.press("/")
    page.wait_for_function(box_focused)
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    assert not page.evaluate(box_focused)
    page.keyboard.press("s")
    page.wait_for_function(box_focused)
    # After "s" the theme sometimes leaves its overlay closed, with lunr as with our index (a race in the theme),
    # so the search itself starts from a fresh focus of the box, as a click gives it.
    page.evaluate("document.activeElement.blur()")
    page.locator("input.md-search__input").click()
    page.wait_for_function("document.getElementById('__search').checked")
    persona = personas[0]
    page.keyboard.type(persona.name, delay=5)
    page.locator(f".md-search-result__item > a[href*='personas/{persona.slug}/']").first.wait_for()
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert f"personas/{persona.slug}/" in focused
    page.keyboard.press("ArrowUp")
    assert page.evaluate(box_focused)
    page.keyboard.press("Enter")  # Material opens the best result
    page.wait_for_url(re.compile(f"/personas/{re.escape(persona.slug)}/"))
    assert page.locator("h1").first.inner_text() == persona.name
    page.close()


def test_a_page_load_fetches_no_search_index(browser, served: str, bundled_site: Site) -> None:
    page = browser.new_page()
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(served + "personas/" + load_catalog(bundled_site.root / "personas").catalog.personas[0].slug + "/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if "/search-index/" in url], fetched
    assert (bundled_site.site_dir / "search" / "search_index.json").stat().st_size < 200  # Material's stub only
    results(page, "review")
    assert [url for url in fetched if "/search-index/" in url]
    page.close()


def test_fragments_sent_gzip_encoded_give_the_same_results(browser, build_site: BuildSite) -> None:
    """A fragment is gzipped JSON: a host that sends `.gz` files with `Content-Encoding: gzip` (so the browser
    has inflated it) and one that sends the bytes as they are give the same results, with their excerpts."""
    site = build_site({"a.md": persona_text("Alpha Helper", "dev", body="You review zebra migrations.\n")})
    shown = []
    for encoded in (False, True):
        url, stop = serve(site.site_dir, gzip_encoding=encoded)
        page = browser.new_page()
        encodings: list[str | None] = []
        page.on("response", lambda r, seen=encodings: r.url.endswith(".gz") and seen.append(
            r.headers.get("content-encoding")))
        try:
            page.goto(url)
            type_in_header_search(page, "zebra")
            item = page.locator(".md-search-result__item").first
            item.wait_for(timeout=10_000)
            shown.append((urlparse(item.locator("a").get_attribute("href") or "").path, item.inner_text()))
            assert encodings == ["gzip" if encoded else None]
        finally:
            page.close()
            stop()
    assert shown[0] == shown[1] and shown[0][0].endswith("/personas/alpha-helper/"), shown
    assert "Alpha Helper" in shown[0][1] and "zebra" in shown[0][1]


def test_a_missing_index_says_so_in_the_search_box(browser, build_site: BuildSite) -> None:
    site = build_site({"a.md": persona_text("Alpha Helper", "dev")})
    shutil.rmtree(site.site_dir / "search-index")
    url, stop = serve(site.site_dir)
    page = browser.new_page()
    try:
        page.goto(url)
        page.locator("input.md-search__input").click()
        page.keyboard.type("alpha", delay=5)
        message = page.locator(".md-search-result__item").first
        message.wait_for(timeout=10_000)
        assert "Search is unavailable" in message.inner_text() and "mkdocs serve" in message.inner_text()
    finally:
        page.close()
        stop()


@pytest.mark.parametrize("query", ["kubernetes", "ci", "configuration", "pagefind"])
def test_the_generator_reference_is_never_a_result(search_page, personas: tuple[Persona, ...], query: str) -> None:
    """Only personas and the contributors' docs answer, personas first: never the generator's own pages."""
    found = results(search_page, query)
    assert not [p for p in found if p.strip("/") in ("configuration", "engines", "search", "exports",
                                                      "collections", "api", "publishing")], (query, found)
    kinds = ["persona" if path.startswith("/personas/") else "docs" for path in found]
    assert kinds == sorted(kinds, key=lambda kind: kind != "persona"), (query, found)
    if query in ("kubernetes", "ci"):
        assert kinds and kinds[0] == "persona", (query, found)


def test_results_link_into_a_site_served_under_a_subpath(browser, build_site: BuildSite, tmp_path) -> None:
    site = build_site({"a.md": persona_text("Alpha Helper", "dev", body="You help.\n\n## Deploying alpha\n\nalpha\n")})
    shutil.copytree(site.site_dir, tmp_path / "www" / "project")  # as a project site at https://host/project/
    url, stop = serve(tmp_path / "www")
    page = browser.new_page()
    try:
        page.goto(url + "project/")
        page.locator("input.md-search__input").click()
        page.keyboard.type("alpha", delay=5)
        page.locator(".md-search-result__item a").first.wait_for(timeout=10_000)
        hrefs = page.eval_on_selector_all(".md-search-result__item a", "as => as.map(a => a.href)")
        want = url + "project/personas/alpha-helper/"
        assert hrefs == [want, want + "#prompt-deploying-alpha"]  # the page, then its section
    finally:
        page.close()
        stop()
