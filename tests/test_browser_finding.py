"""Finding a persona in real headless Chromium (issue 23): the export tab that looks chosen is the chosen one at
every width, and no page asks for something that can only fail, wherever the site is served."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import Site, persona_text, serve, write_and_build

pytestmark = pytest.mark.browser

WIDTHS = {1280: 800, 390: 844}
SCHEMES = ("light", "dark")
# Not where the tests serve it: every absolute URL built from it points elsewhere.
SITE_URL = "http://catalog.example.invalid/"
PERSONAS = {
    "development/reviewer.md": persona_text(
        "Pull Request Reviewer", "development", tags=["code-review", "feedback"], models=["claude-code"],
        body="You are a pull request reviewer. Review code changes for off-by-one errors and unclear names.\n"),
    "development/refactoring.md": persona_text(
        "Refactoring Partner", "development", tags=["refactoring"], models=["cursor"],
        body="You are a refactoring partner. You review code and suggest smaller, clearer changes.\n"),
    "writing/cover-letter.md": persona_text(
        "Cover Letter Coach", "writing", tags=["feedback", "careers"],
        body="You are a cover letter coach. You give feedback on letters.\n"),
}


@pytest.fixture(scope="module")
def finding_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("finding") / "project"
    return write_and_build(root, PERSONAS, config={"site_url": SITE_URL})


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
