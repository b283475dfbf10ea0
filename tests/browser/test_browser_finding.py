"""Finding a persona in real headless Chromium (issue 23): the export tab that looks chosen is the chosen one at
every width, and no page asks for something that can only fail, wherever the site is served."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from conftest import Site, persona_text, serve, type_in_header_search, write_and_build

pytestmark = pytest.mark.browser

WIDTHS = {1280: 800, 390: 844}
SCHEMES = ("light", "dark")
# Not where the tests serve it: every absolute URL built from it points elsewhere.
SITE_URL = "http://catalog.example.invalid/"
PERSONAS = {
    "development/reviewer.md": persona_text(
        "Pull Request Reviewer", "development", tags=["code-review", "feedback"], models=["claude-code"],
        body="You are a pull request reviewer. Review code changes in each PR for off-by-one errors and unclear "
             "names.\n"),
    "development/refactoring.md": persona_text(
        "Refactoring Partner", "development", tags=["refactoring"], models=["cursor"],
        body="You are a refactoring partner. You review code and suggest smaller, clearer changes.\n"),
    "writing/cover-letter.md": persona_text(
        "Cover Letter Coach", "writing", tags=["feedback", "careers", "letters", "job-search"], models=["claude-code"], version="1.0.0",
        body="You are a cover letter coach. You give feedback on letters.\n"),
    "product/pricing.md": persona_text(
        "Pricing Strategist", "product", tags=["pricing"],
        body="You are a pricing strategist. You help a product team practise pricing with a preview of revenue.\n"),
}

# The generator's own docs, about refactoring more often than any persona.
DOCS = {"index.md": "# Home\n", "guide.md": "# Refactoring guide\n\n" + "Refactoring refactoring code review. " * 30 + "\n"}


@pytest.fixture(scope="module")
def finding_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("finding") / "project"
    theme = {"name": "material", "font": False, "features": ["search.highlight"],  # results link with ?h=query
             "palette": [{"scheme": "default", "toggle": {"icon": "material/weather-night", "name": "Dark"}},
                         {"scheme": "slate", "toggle": {"icon": "material/weather-sunny", "name": "Light"}}]}
    return write_and_build(root, PERSONAS, config={"site_url": SITE_URL, "theme": theme}, docs=DOCS)


@pytest.fixture(scope="module")
def finding_url(finding_site: Site) -> Iterator[str]:
    url, stop = serve(finding_site.site_dir)
    yield url
    stop()


# Where an underline is drawn under the tool labels: Material's sliding indicator (the labels' ::before, moved
# sideways by --md-indicator-x along the bottom of the labels) and any label's own bottom border.
UNDERLINES = """labels => {
  const found = [];
  const box = labels.getBoundingClientRect();
  const before = getComputedStyle(labels, "::before");
  if (before.display !== "none" && before.content !== "none" && parseFloat(before.width) > 0) {
    const x = new DOMMatrixReadOnly(before.transform === "none" ? undefined : before.transform).m41;
    found.push({left: box.left + x, right: box.left + x + parseFloat(before.width), bottom: box.bottom});
  }
  for (const label of labels.querySelectorAll("label")) {
    const style = getComputedStyle(label);
    const colour = style.borderBottomColor;
    if (parseFloat(style.borderBottomWidth) > 0 && !/rgba\\(.*, 0\\)$/.test(colour) && colour !== "transparent") {
      const r = label.getBoundingClientRect();
      found.push({left: r.left, right: r.right, bottom: r.bottom});
    }
  }
  return found;
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_underline_is_under_the_chosen_tool_at_every_width(browser, finding_url: str, width: int,
                                                                scheme: str) -> None:
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]}, color_scheme=scheme)
    page.goto(f"{finding_url}personas/pull-request-reviewer/")
    labels = page.locator(".pc-exports .tabbed-labels")
    rows = set()
    for index in range(labels.locator("label").count()):
        label = labels.locator("label").nth(index)
        label.click()
        page.wait_for_timeout(300)  # Material's indicator slides for 250 ms
        assert page.locator(".pc-exports .tabbed-set > input").nth(index).is_checked()
        chosen = label.bounding_box()
        rows.add(round(chosen["y"]))
        underlines = labels.evaluate(UNDERLINES)
        assert len(underlines) == 1, (index, underlines)
        line = underlines[0]
        text = label.inner_text()
        assert chosen["x"] - 1 <= line["left"] and line["right"] <= chosen["x"] + chosen["width"] + 1, (text, line)
        assert abs(line["bottom"] - (chosen["y"] + chosen["height"])) <= 1, (text, line, chosen)
        if index in (0, labels.locator("label").count() - 1):
            page.locator(".pc-exports").screenshot(path=f"/tmp/pc-export-tabs-{width}-{scheme}-{index}.png")
    if width == 390:
        assert len(rows) > 1, "the labels wrap on a phone: the case the indicator got wrong"
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_request_fails_when_served_elsewhere_than_site_url(browser, finding_url: str, width: int) -> None:
    """Home, a persona, a category and a tag page, served from another address than `site_url`: every request
    goes to where the site is served and succeeds (no category sitemap.xml, nothing at site_url)."""
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]})
    failed: list[str] = []
    elsewhere: list[str] = []
    page.on("requestfailed", lambda request: failed.append(f"{request.url} {request.failure}"))
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.url} {response.status}"))
    page.on("request", lambda request: request.url.startswith(("http:", "https:"))
            and not request.url.startswith(finding_url) and elsewhere.append(request.url))
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    for path in ("", "personas/pull-request-reviewer/", "categories/development/", "tags/feedback/"):
        page.goto(f"{finding_url}{path}", wait_until="networkidle")
    assert failed == [] and elsewhere == [] and errors == []
    page.close()


def test_a_category_page_links_its_feed_in_the_page_not_the_head(finding_site: Site) -> None:
    html = finding_site.page("categories/development/")
    head = html[:html.index("</head>")]
    assert head.count('rel="alternate"') == 1 and 'href="../../feed.xml"' in head
    assert '<a href="feed.xml" rel="alternate" type="application/atom+xml">Atom feed</a>' in html
    assert (finding_site.site_dir / "categories/development/feed.xml").is_file()
    assert SITE_URL not in head.split('rel="canonical"')[0]


def header_search(page, query: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The results Material's header search box shows for `query`: path, title, label line and excerpt."""
    type_in_header_search(page, query)
    page.wait_for_function("""q => {
        const first = document.querySelector('.md-search-result__item > a');
        const meta = document.querySelector('.md-search-result__meta');
        return (first && new URL(first.href).searchParams.get('h') === q) || /No matching/.test(meta.textContent);
    }""", arg=query.lower(), timeout=10_000)
    return shown_results(page)


def shown_results(page) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The results the header search box shows now."""
    return page.eval_on_selector_all(".md-search-result__item > a", """as => as.map(a => ({
        path: new URL(a.href).pathname, title: a.querySelector('h1, h2').innerText,
        label: (a.querySelector('.pc-search-category') || {}).innerText || '',
        excerpt: [...a.querySelectorAll('p')].pop().innerText}))""")


@pytest.fixture(scope="module")
def finding_page(browser, finding_url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(finding_url)
    yield page
    page.close()


def test_excerpts_come_from_the_description_and_prompt_not_the_facts(finding_page) -> None:
    found = header_search(finding_page, "coach")
    assert found[0]["path"].endswith("/personas/cover-letter-coach/")
    assert "feedback on letters" in found[0]["excerpt"] or "cover letter coach" in found[0]["excerpt"].lower()
    for word in ("Models", "Version", "Category", "claude-code", "1.0.0"):
        assert word not in found[0]["excerpt"], found[0]


def test_a_tool_name_is_not_a_match_for_a_word_inside_it(finding_page) -> None:
    """"code" matches the personas about code, not one whose only "code" is its model claude-code."""
    paths = [r["path"] for r in header_search(finding_page, "code")]
    assert any(p.endswith("/personas/pull-request-reviewer/") for p in paths)
    assert not any(p.endswith("/personas/cover-letter-coach/") for p in paths), paths


def test_docs_pages_come_after_every_persona_and_say_they_are_documentation(finding_page) -> None:
    found = header_search(finding_page, "refactoring")
    kinds = ["persona" if r["path"].startswith("/personas/") else "docs" for r in found]
    assert kinds[0] == "persona" and "docs" in kinds and kinds == sorted(kinds, key=lambda k: k != "persona")
    assert next(r["label"] for r in found if not r["path"].startswith("/personas/")) == "Documentation"
    assert next(r["label"] for r in found if r["path"].startswith("/personas/")) == "Development"


def home_find(page, url: str, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The home listing's cards for `text` typed into its box, once the search worker has answered."""
    page.goto(url)
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    page.get_by_label("Search names, descriptions, tags and prompts").fill(text)
    page.wait_for_function("t => document.querySelector('.pc-browse').dataset.pcFound === t", arg=text)
    assert page.url.endswith("?" + urlencode({"find": text}))
    return page.eval_on_selector_all(".pc-browse .pc-card", "cs => cs.filter(c => c.offsetParent).map(c => c.dataset.slug)")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_box_finds_what_the_header_search_finds(browser, finding_url: str, width: int, scheme: str) -> None:
    """Words match whole and stemmed in any field, the prompt included, best match first: "reviewing code" and
    "off-by-one" are in prompts only, "PR review" is not the pricing persona's "product", "practise", "preview"."""
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]}, color_scheme=scheme)
    found = home_find(page, finding_url, "reviewing code")
    assert set(found) == {"pull-request-reviewer", "refactoring-partner"}
    assert home_find(page, finding_url, "off-by-one") == ["pull-request-reviewer"]
    assert home_find(page, finding_url, "PR review")[0] == "pull-request-reviewer"
    assert "pricing-strategist" not in home_find(page, finding_url, "PR review")
    assert page.locator("[data-pc-sort] option").first.inner_text() == "best match"
    assert not page.locator("#__search").is_checked()  # ?find= is the listing's, not Material's ?q=
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_found_offers_the_full_text_search_and_the_nearest_names(browser, finding_url: str,
                                                                          width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]})
    page.goto(f"{finding_url}?find=refactoring+parnter&category=writing")  # found, but in another category
    page.wait_for_function("() => document.querySelector('.pc-browse').dataset.pcFound === 'refactoring parnter'")
    empty = page.locator("[data-pc-empty]")
    assert empty.is_visible()
    near = empty.get_by_role("link", name="Refactoring Partner")
    assert near.get_attribute("href").endswith("personas/refactoring-partner/")
    empty.get_by_role("link", name="Search the whole site for \u201crefactoring parnter\u201d").click()
    search = page.locator("input.md-search__input")
    page.wait_for_function("() => document.getElementById('__search').checked")
    assert search.input_value() == "refactoring parnter"  # Material's own box, opened by ?q=
    assert page.get_by_label("Search names, descriptions, tags and prompts").input_value() == ""
    page.close()


def test_a_query_that_finds_nothing_is_corrected_to_the_catalogs_words(finding_page) -> None:
    """"rpicing" (two letters swapped) finds nothing in the index; the catalog's vocabulary corrects it."""
    header_search(finding_page, "rpicing")  # "No matching" may show first, while the corrected search runs
    finding_page.wait_for_selector(".pc-search-corrected", timeout=10_000)
    finding_page.wait_for_selector(".md-search-result__item > a", timeout=10_000)
    found = shown_results(finding_page)
    assert found and found[0]["path"].endswith("/personas/pricing-strategist/")
    assert finding_page.locator(".pc-search-corrected").first.inner_text() == "Did you mean pricing?"
    assert header_search(finding_page, "xyzzy") == []  # nothing near: nothing offered


def test_the_issues_typo_finds_the_persona_in_the_header_search(finding_page) -> None:
    """"pull request reviwer" (issue 23: "No matching documents") puts the persona first: its other words
    match, and a query none of whose words match is corrected (the test above)."""
    header_search(finding_page, "pull request reviwer")
    finding_page.wait_for_selector(".md-search-result__item > a", timeout=10_000)
    assert shown_results(finding_page)[0]["path"].endswith("/personas/pull-request-reviewer/")
    header_search(finding_page, "reviwer")  # alone: nothing matches, so the vocabulary corrects it
    finding_page.wait_for_selector(".pc-search-corrected", timeout=10_000)
    finding_page.wait_for_selector(".md-search-result__item > a", timeout=10_000)
    assert shown_results(finding_page)[0]["path"].endswith("/personas/pull-request-reviewer/")
    assert finding_page.locator(".pc-search-corrected").first.inner_text() == "Did you mean reviewer?"


def test_the_vocabulary_is_small_and_made_of_names_tags_and_categories(finding_site: Site) -> None:
    words = finding_site.json("search/vocabulary.json")["words"]  # type: ignore[index]
    assert {"pull", "request", "reviewer", "pricing", "feedback", "careers", "development"} <= set(words)
    assert "errors" not in words and words == sorted(set(words))  # prompt words are the full-text index's


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_404_page_offers_the_persona_nearest_to_a_missing_slug(browser, finding_url: str, finding_site: Site,
                                                                  width: int, scheme: str) -> None:
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]}, color_scheme=scheme)
    missing = f"{finding_url}personas/pull-request-reviwer/"  # served as a web server serves its 404 page
    page.route(missing, lambda route: route.fulfill(status=404, path=finding_site.site_dir / "404.html"))
    page.goto(missing)
    near = page.locator("[data-pc-nearest]")
    near.get_by_role("link").first.wait_for()
    assert near.get_by_role("link").all_inner_texts()[0] == "Pull Request Reviewer"
    near.get_by_role("link").first.click()
    page.wait_for_url("**/personas/pull-request-reviewer/")
    page.goto(f"{finding_url}404.html?q=pull+request+reviwer")  # after a search from the 404 page
    assert page.get_by_label("Search the catalog").input_value() == "pull request reviwer"  # not "404"
    page.close()


# The focused element as the Tab key reached it: where it is drawn (the palette toggle's radio button is drawn as
# its header option), whether it is on screen and visible, whether a focus ring is drawn, and whether it is the Copy.
FOCUSED = """() => {
  let e = document.activeElement;
  const drawn = e.matches('.md-option') ? e.closest('.md-header__option') : e;  /* as tests/browser/test_browser_nav.py */
  const r = drawn.getBoundingClientRect(), style = getComputedStyle(drawn);
  const shown = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.left < innerWidth
                && r.top < innerHeight && style.visibility !== 'hidden';
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
               || style.boxShadow !== 'none' || e.matches('.md-search__input');  /* Material's box lights up */
  return {what: e.tagName + ' ' + (e.innerText || e.getAttribute('aria-label') || e.className || '').trim().slice(0, 40),
          shown: shown, ring: ring, copy: e.matches('.pc-card__copy, [data-pc-copy]')};
}"""


def tabs_to_copy(page, skip: bool) -> list[dict]:  # type: ignore[no-untyped-def]
    """The stops the Tab key reaches from the top of the page to the first Copy button (with `skip`, the skip link
    is followed: Tab, Enter, then Tab)."""
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
        if skip and len(stops) == 1:
            assert "Skip to content" in stops[0]["what"]
            page.keyboard.press("Enter")
        if stops[-1]["copy"]:
            return stops
    raise AssertionError(f"no Copy button within 60 Tabs: {stops}")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["", "personas/pull-request-reviewer/"], ids=["home", "persona"])
def test_the_keyboard_reaches_copy_in_12_tabs_with_focus_always_in_view(browser, finding_url: str, path: str,
                                                                       width: int, scheme: str) -> None:
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]}, color_scheme=scheme)
    page.goto(f"{finding_url}{path}")
    page.wait_for_selector(".pc-card__copy:not([hidden]), [data-pc-copy]:not([hidden])")
    stops = tabs_to_copy(page, skip=False)
    assert [s for s in stops if not s["shown"]] == [], "focus on something hidden or off screen (the closed drawer)"
    assert [s for s in stops if not s["ring"]] == [], "focus without a visible ring"
    page.goto(f"{finding_url}{path}")
    page.wait_for_selector(".pc-card__copy:not([hidden]), [data-pc-copy]:not([hidden])")
    assert len(tabs_to_copy(page, skip=True)) <= 12
    page.close()
