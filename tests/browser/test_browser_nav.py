"""Where am I, and getting around by keyboard: breadcrumbs, the active tab, sidebars, skip link and focus rings,
in real headless Chromium on the bundled site."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PERSONA, TAG, CATEGORY = "personas/pull-request-reviewer/", "tags/quality/", "categories/development/"


def crumbs(page) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The breadcrumbs as (text, absolute URL)."""
    return page.eval_on_selector_all("nav.md-path a", "as => as.map(a => [a.innerText.trim(), a.href])")


def active_tab(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(".md-tabs__item--active .md-tabs__link", "as => as.map(a => a.innerText.trim())")


@pytest.mark.parametrize(("path", "trail", "tab"), [
    (PERSONA, [("Home", ""), ("Categories", "categories/"), ("Development", CATEGORY)], "Categories"),
    (CATEGORY, [("Home", ""), ("Categories", "categories/")], "Categories"),
    (TAG, [("Home", ""), ("Tags", "tags/")], "Tags"),
    ("categories/", [], "Categories"),
    ("tags/", [], "Tags"),
    ("all/", [], "Home"),  # the all-personas listing continues home's: under Home, which has no breadcrumbs
])
def test_generated_pages_show_breadcrumbs_and_their_tab(browser, served: str, path: str, trail: list, tab: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(served + path)
    assert crumbs(page) == [[text, served + target] for text, target in trail]
    assert active_tab(page) == [tab]
    for _, url in crumbs(page):  # real links
        assert page.request.get(url).ok, url
    page.close()


def test_the_active_tab_stands_out(browser, served: str) -> None:
    """Not only by opacity: the active tab is bold and underlined, the others are neither."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(served + TAG)
    style = """as => as.map(a => { const s = getComputedStyle(a);
                 return [a.innerText.trim(), s.fontWeight, s.textDecorationLine]; })"""
    tabs = {name: (weight, line) for name, weight, line in page.eval_on_selector_all(".md-tabs__link", style)}
    assert tabs.pop("Tags") == ("700", "underline")
    assert tabs and all(weight != "700" and line == "none" for weight, line in tabs.values()), tabs
    page.close()


@pytest.mark.parametrize("path", ["tags/", "categories/", TAG, CATEGORY, PERSONA])
def test_no_sidebar_that_lists_only_the_page_itself(browser, served: str, path: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(served + path)
    assert not page.locator(".md-sidebar--primary").is_visible()
    page.close()
    phone = browser.new_page(viewport={"width": 390, "height": 844})  # the drawer still holds the whole nav
    phone.goto(served + path)
    phone.get_by_label("Navigation", exact=True).first.wait_for(state="attached")
    phone.locator("label.md-header__button[for=__drawer]").click()
    drawer = phone.locator(".md-nav--primary")
    drawer.get_by_role("link", name="Home").wait_for(state="visible")
    assert drawer.get_by_role("link", name="Tags").is_visible()
    phone.close()


@pytest.mark.parametrize("path", ["", PERSONA, TAG, CATEGORY, "tags/", "categories/", "contributing/"])
def test_skip_link_leads_past_the_header_into_the_content(browser, served: str, path: str) -> None:
    """The first Tab stop is Material's skip link; Enter goes to a heading of the content: the page title on
    generated pages, the listing on home (whose HTML title is not in Material's outline)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(served + path)
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text().strip() == "Skip to content" and skip.is_visible()
    page.keyboard.press("Enter")
    target = page.evaluate("location.hash").removeprefix("#")
    assert page.evaluate("id => document.getElementById(id).matches('.md-content :is(h1, h2)')", target)
    if path:
        assert target == page.locator("h1").get_attribute("id")
    page.close()


# What shows the focus of a control that is itself invisible (Material's palette and tool radio buttons).
RING = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  let shown = e;
  if (e.matches(".md-option")) shown = e.closest(".md-header__option");
  else if (e.matches(".tabbed-set > input")) shown = e.parentElement.querySelector(".tabbed-labels");
  const s = getComputedStyle(shown), r = shown.getBoundingClientRect();
  return {what: e.outerHTML.slice(0, 100), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          color: s.outlineColor, size: r.width * r.height};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", PERSONA, TAG, CATEGORY, "tags/", "categories/", "all/"])
def test_every_control_shows_a_focus_ring(browser, served: str, path: str, scheme: str) -> None:
    """Tab through the whole page: every stop draws a solid outline of at least 2 px on something visible."""
    page = browser.new_page(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page.goto(served + path, wait_until="networkidle")
    stops, first = 0, None
    for _ in range(600):
        page.keyboard.press("Tab")
        ring = page.evaluate(RING)
        if ring is None or ring["what"] == first:
            break
        first = first or ring["what"]
        stops += 1
        assert ring["style"] == "solid" and ring["width"] >= 2 and ring["size"] > 0, ring
        assert ring["color"] not in ("transparent", "rgba(0, 0, 0, 0)"), ring
    assert stops >= 8
    page.close()


def test_breadcrumbs_and_tabs_work_with_the_keyboard(browser, served: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(served + PERSONA)
    page.locator("nav.md-path a", has_text="Development").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(served + CATEGORY)
    page.locator(".md-tabs__link", has_text="Tags").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(served + "tags/")
    assert active_tab(page) == ["Tags"]
    page.close()


@pytest.mark.parametrize(("scheme", "other"), [("light", "slate"), ("dark", "default")])
def test_palette_toggle_works_with_the_keyboard(browser, served: str, scheme: str, other: str) -> None:
    """Space or Enter on the focused toggle switches the scheme, and again switches back."""
    page = browser.new_page(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page.goto(served + TAG, wait_until="networkidle")
    mine = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    while not page.evaluate("document.activeElement.matches('.md-option')"):
        page.keyboard.press("Tab")
    for key, expected in (("Space", other), ("Enter", mine), ("Space", other)):
        page.keyboard.press(key)
        page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{expected}'")
    page.close()
