"""Catalog filters, the first viewport, keyboard, sortable tags and accessibility in real headless Chromium on the
bundled site (32 personas: the home listing has two pages of 24)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from urllib.parse import urlencode

import pytest

from conftest import BuildSite, Site, listing_slugs, persona_text, serve
from persona_catalog import Persona, load_catalog

pytestmark = pytest.mark.browser


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def expected(personas: tuple[Persona, ...], find: str = "", category: str = "", model: str = "", context: str = "",
             tags: tuple[str, ...] = ()) -> set[str]:
    """The personas a filter must show, computed from the sources: every word of the text begins a word of the
    name, description, tags or prompt (as the header search matches them)."""
    found = set()
    for p in personas:
        text = set(re.findall(r"\w+", fold(f"{p.name} {p.description} {' '.join(p.tags)} {p.body}")))
        if all(any(word.startswith(term) for word in text) for term in re.findall(r"\w+", fold(find))) \
                and (not category or p.category == category) \
                and (not model or model in p.models) and (not context or p.context_window == context) \
                and all(t in p.tags for t in tags):
            found.add(p.slug)
    return found


def visible_slugs(page) -> set[str]:  # type: ignore[no-untyped-def]
    """Every result of the home listing, over all its pages (the page is left on the last one)."""
    slugs = listing_slugs(page)
    assert len(slugs) == len(set(slugs))
    return set(slugs)


@pytest.fixture(scope="module")
def personas(bundled_site: Site) -> tuple[Persona, ...]:
    return load_catalog(bundled_site.root / "personas").catalog.personas


CASES = [
    {"find": "incident"},
    {"find": "SQL performance"},
    {"category": "security"},
    {"model": "cursor"},
    {"context": "small"},
    {"tags": ("documentation",)},
    {"tags": ("documentation", "release")},
    {"category": "development", "tags": ("quality",)},
    {"model": "claude-code", "context": "large", "find": "code"},
    {"category": "writing", "model": "copilot", "tags": ("changelog",)},
    {"find": "xyzzy plugh"},
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
    page.goto(served)
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    assert not page.get_by_role("button", name="Clear filters").is_visible()  # nothing to clear yet
    page.get_by_label("Category").select_option("development")
    page.get_by_label("Model or tool").select_option("cursor")
    page.locator("[data-pc-tags] summary").click()  # the tag facet: find a tag by typing, then check it
    page.get_by_label("Find a tag").fill("qual")
    page.get_by_role("checkbox", name="quality").check()
    want = expected(personas, category="development", model="cursor", tags=("quality",))
    assert page.url.endswith("?category=development&model=cursor&tag=quality")
    assert page.get_by_label("Model or tool").locator("option[value=cursor]").inner_text() == f"cursor ({len(want)})"
    assert page.get_by_role("checkbox", name="quality").is_checked()
    assert page.locator("label.pc-tag-option", has_text="quality").inner_text().strip() == f"quality ({len(want)})"
    page.keyboard.press("Escape")  # closes the facet
    assert page.locator("[data-pc-tags] summary").inner_text().split() == ["Tags", "quality"]
    assert not page.get_by_label("Find a tag").is_visible()
    assert visible_slugs(page) == want and want
    page.get_by_label("Search names, descriptions, tags and prompts").fill("zzz")
    assert visible_slugs(page) == set()
    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_function("() => location.search === ''")
    assert visible_slugs(page) == {p.slug for p in personas}
    page.close()


def test_tag_facet_offers_the_most_used_tags_and_finds_any_other(browser, served: str, personas) -> None:
    counts = Counter(tag for p in personas for tag in p.tags)
    page = browser.new_page()
    page.goto(served)
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    page.locator("[data-pc-tags] summary").click()
    offered = lambda: page.eval_on_selector_all("label.pc-tag-option", "ls => ls.map(l => l.innerText.trim())")  # noqa: E731
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:12]
    assert offered() == [f"{tag} ({n})" for tag, n in top]  # not a wall of checkboxes: the twelve most used
    rare = min(counts, key=lambda tag: (counts[tag], tag))
    assert rare not in dict(top)
    page.get_by_label("Find a tag").fill(rare)
    assert f"{rare} ({counts[rare]})" in offered()
    page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(rare)} \(\d+\)$")).check()
    assert visible_slugs(page) == expected(personas, tags=(rare,))
    page.close()


def test_sort_by_recently_updated_and_back_restores_the_page(browser, served: str, bundled_site: Site,
                                                             personas) -> None:
    page = browser.new_page()
    page.goto(served)
    by_name = listing_slugs(page)
    assert by_name == [p.slug for p in personas]  # the catalog's order: by name
    assert page.url.endswith("?page=2")
    page.go_back()  # each page is a history entry
    page.wait_for_function("() => location.search === ''")
    assert page.locator(".pc-cards .pc-card").first.get_attribute("data-slug") == by_name[0]
    page.get_by_label("Sort by").select_option("updated")
    assert page.url.endswith("?sort=updated")
    updated = {p["s"]: p["u"] for p in bundled_site.json("api/v1/listing.json")["personas"]}
    order = listing_slugs(page)
    assert order == sorted(by_name, key=lambda slug: (-updated[slug], by_name.index(slug)))
    page.close()


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_a_persona_card_is_in_the_first_viewport(browser, served: str, width: int, height: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(served)
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    title = page.locator(".pc-cards .pc-card__title a").first.bounding_box()
    assert title is not None and title["y"] >= 0 and title["y"] + title["height"] <= height, title
    page.close()


def test_the_first_persona_is_at_most_fifteen_tab_presses_away(browser, served: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(served)
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    first = page.locator(".pc-cards .pc-card__title a").first
    for _ in range(15):
        page.keyboard.press("Tab")
        if first.evaluate("a => a === document.activeElement"):
            break
    else:
        pytest.fail("the first persona card link is more than 15 Tab presses from the top of home")
    page.close()


def test_without_javascript_home_shows_the_first_page_and_links_work(browser, served: str, bundled_site: Site,
                                                                     personas) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served}?category=security")  # without scripts the query cannot filter: the first page shows
    shown = page.eval_on_selector_all(".pc-browse .pc-cards .pc-card", "cs => cs.map(c => c.dataset.slug)")
    assert shown == [p.slug for p in personas][:24]
    assert not page.locator("[data-pc-filters]").is_visible()
    assert not page.locator("button", has_text="Copy").count()  # nothing to copy without the script: no button
    hrefs = page.eval_on_selector_all(".pc-browse a[href]", "as => as.map(a => a.href)")
    for href in sorted(set(hrefs)):
        response = page.request.get(href)
        assert response.ok, href
    page.get_by_role("link", name="More personas").click()  # the all-personas listing: 96 a page, here one
    assert page.url == f"{served}all/"
    assert page.eval_on_selector_all(".pc-cards .pc-card", "cs => cs.map(c => c.dataset.slug)") == \
        [p.slug for p in personas]
    page.goto(f"{served}personas/pull-request-reviewer/")
    assert page.get_by_role("link", name="Download source file", exact=True).get_attribute("href") == "pull-request-reviewer.md"
    assert page.locator("button", has_text="Copy").count()
    assert not page.locator("button:visible", has_text="Copy").count()
    context.close()


def test_tag_index_sorts_by_name_and_by_count(browser, served: str) -> None:
    page = browser.new_page()
    page.goto(f"{served}tags/")
    items = lambda: page.eval_on_selector_all(  # noqa: E731
        ".pc-tag-columns > li", "ls => ls.map(l => [l.querySelector('a').innerText, Number(l.lastChild.innerText)])")
    by_name = items()
    assert [i[0] for i in by_name] == sorted(i[0] for i in by_name) and len(by_name) > 50
    name, count = page.get_by_role("button", name="Name"), page.get_by_role("button", name="Most used")
    assert name.get_attribute("aria-pressed") == "true"
    count.focus()
    page.keyboard.press("Enter")  # the keyboard alone sorts
    assert items() == sorted(by_name, key=lambda i: (-i[1], i[0]))
    assert count.get_attribute("aria-pressed") == "true" and name.get_attribute("aria-pressed") == "false"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert items() == by_name and name.get_attribute("aria-pressed") == "true"
    page.close()


def test_tag_index_without_javascript_is_a_list_by_name(browser, served: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served}tags/")
    names = page.eval_on_selector_all(".pc-tag-columns a", "as => as.map(a => a.innerText)")
    assert names == sorted(names) and not page.get_by_role("button", name="Most used").is_visible()
    height = page.evaluate("document.querySelector('.pc-tag-columns').offsetHeight")
    assert height < 1200, f"the tag index is {height} px tall"  # columns, not a 3,400 px table
    context.close()


PAGE_KINDS = {"home": "", "home filtered": "?sort=updated&page=2", "persona": "personas/pull-request-reviewer/", "persona with links": "personas/changelog-curator/",
              "tag": "tags/quality/", "category": "categories/development/", "tag index": "tags/",
              "category index": "categories/", "all personas": "all/"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_accessibility_violations(browser, served: str, kind: str, scheme: str) -> None:
    """axe-core finds nothing, of any impact, on every kind of page in both colour schemes."""
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(color_scheme=scheme)
    page.goto(served + PAGE_KINDS[kind], wait_until="networkidle")
    shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert shown == {"light": "default", "dark": "slate"}[scheme]  # Material's palette follows the system's
    if kind == "home filtered":  # the listing's later page, with the tag facet open
        page.wait_for_selector(".pc-browse[data-pc-loaded]")
        page.locator("[data-pc-tags] summary").click()
    results = Axe().run(page)
    violations = results.response["violations"]
    assert violations == [], [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
                              for v in violations]
    page.close()


CODE_BODY = "# Coder\n\nYou write code.\n\n```python\nprint(1)\n```\n\nThen:\n\n```sh\necho 2\n```\n"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_site_without_this_sites_overrides_has_no_accessibility_violations(browser, build_site: BuildSite,
                                                                            scheme: str) -> None:
    """The fixes the catalog's pages need ship with the plugin: a plain Material site (no `custom_dir`) with code
    copy buttons, a palette toggle and search passes axe on a persona page with two code blocks."""
    from axe_playwright_python.sync_playwright import Axe

    palette = [{"media": f"(prefers-color-scheme: {media})", "scheme": name,
                "toggle": {"icon": "material/brightness-6", "name": f"Switch from {name}"}}
               for media, name in (("light", "default"), ("dark", "slate"))]
    site = build_site({"coder.md": persona_text("Coder", body=CODE_BODY)}, config={"theme": {
        "name": "material", "font": False, "features": ["content.code.copy"], "palette": palette}})
    url, stop = serve(site.site_dir)
    page = browser.new_page(color_scheme=scheme)
    page.goto(url + "personas/coder/", wait_until="networkidle")
    assert page.locator("nav.md-code__nav").count() >= 2  # Material's code copy buttons are there
    results = Axe().run(page)
    violations = results.response["violations"]
    assert violations == [], [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
                              for v in violations]
    page.close()
    stop()


def test_tag_facet_lines_up_with_the_selects_and_a_new_page_shows_its_count(browser, served: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(served)
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    boxes = page.eval_on_selector_all(".pc-filters__row:first-child :is(select, .pc-facet__box)",
                                      "es => es.map(e => e.getBoundingClientRect()).map(r => [r.top, r.height])")
    assert len(boxes) == 4 and all(abs(top - boxes[0][0]) < 1 and abs(h - boxes[0][1]) < 1 for top, h in boxes), boxes
    assert page.locator(".pc-facet__label").inner_text() == "Tags"  # a label line, as the selects have
    page.locator("[data-pc-pages] a[rel=next]").click()  # the count is scrolled to, below Material's header
    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert page.evaluate("document.querySelector('[data-pc-count]').getBoundingClientRect().top") >= header
    page.close()
