"""Installing from the site in headless Chromium: the Claude Code panel names this build's marketplace, and a bundle
picked on the home listing downloads as one zip holding exactly the chosen personas' files for the chosen tool."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import BuildSite, persona_text, serve
from persona_catalog import load_catalog
from persona_catalog.exports import FORMATS_BY_ID
from persona_catalog.site.render import INLINE_SOURCE_LIMIT

pytestmark = pytest.mark.browser

SITE_URL = "https://catalog.example.org/team/"
LONG = "You review long things, \"quoted\" \\ and \U0001F680.\n" * (INLINE_SOURCE_LIMIT // 40)
PERSONAS = {
    "a.md": persona_text("Alpha Analyst", slug="alpha", category="data", use_when="Use when: data."),
    "b.md": persona_text("Beta Writer", slug="beta", category="writing", body="Say \"hi\" 🚀\n\tok \u2028 \x1b end\n"),
    "c.md": persona_text("Gamma Long", slug="gamma", category="writing", body=LONG),
    "d.md": persona_text("Delta Spare", slug="delta", category="data"),
}


def test_the_claude_code_panel_names_this_build_s_marketplace(browser, build_site: BuildSite) -> None:
    site = build_site(PERSONAS, config={"site_url": SITE_URL}, strict=False)
    market = site.json("api/v1/personas.json")["claude_code_marketplace"]["url"]
    assert market == SITE_URL + "api/v1/claude-code/marketplace.json"
    url, stop = serve(site.site_dir)
    try:
        page = browser.new_page()
        page.goto(f"{url}personas/beta/")
        page.locator(".pc-exports .tabbed-labels label[data-pc-label='Claude Code']").click()
        panel = page.locator(".pc-export:visible")
        assert panel.get_attribute("data-pc-format") == "claude-code"
        assert panel.locator(".pc-install code").inner_text() == (f"/plugin marketplace add {market}\n"
                                                                   "/plugin install writing@test-catalog")
        page.close()
    finally:
        stop()


@pytest.mark.parametrize("format_id", ["claude-code", "antigravity"])
def test_three_picked_personas_download_as_one_zip_of_their_files(browser, build_site: BuildSite,
                                                                  format_id: str) -> None:
    site = build_site(PERSONAS, strict=False)  # the loader warns about the control characters
    catalog = load_catalog(site.root / "personas").catalog
    fmt = FORMATS_BY_ID[format_id]
    chosen = ["beta", "gamma", "alpha"]
    url, stop = serve(site.site_dir)
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(f"{url}?category=")
        page.wait_for_selector(".pc-browse[data-pc-loaded]")
        for slug in chosen:
            page.locator(f".pc-card[data-slug='{slug}'] .pc-pick input").check()
        assert parse_qs(urlsplit(page.url).query)["pick"] == chosen  # kept in the URL, like the filters
        page.reload()  # and read back from it
        page.wait_for_selector(".pc-browse[data-pc-loaded]")
        assert page.locator(".pc-pick input:checked").count() == 3
        page.locator("[data-pc-bundle] select").select_option(format_id)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download zip").click()
        data = Path(download.value.path()).read_bytes()
        expected = {path: text for slug in chosen for path, text in fmt.project_files(catalog.by_slug[slug]).items()}
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None
            assert sorted(archive.namelist()) == sorted(expected)
            for name in archive.namelist():
                assert archive.read(name).decode() == expected[name], name
        assert len({fmt.destination(slug) for slug in chosen} & set(expected)) == 3  # exactly their three files
        page.locator("[data-pc-bundle-commands]").wait_for()
        assert f"unzip -o personas-{format_id}.zip" in page.locator("[data-pc-bundle-commands]").inner_text()
    finally:
        context.close()
        stop()
