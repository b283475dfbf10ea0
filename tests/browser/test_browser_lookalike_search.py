"""Issue 24: "HTTP API Designer" with an invisible letter inside was accepted beside the real persona and ranked
first in search for the real persona's exact name. In real Chromium, with the site's own search: the real one comes first and
the twin is nowhere (refused at build time, so there is nothing to rank)."""

from __future__ import annotations

import pytest
from test_browser_search import results

from conftest import BuildSite, persona_text, serve

pytestmark = pytest.mark.browser

REAL = "HTTP API Designer"


@pytest.mark.parametrize("blank", ["\u034f", "\u3164", "\u2800", "\u180b"])
def test_an_invisible_twin_never_outranks_the_real_name(browser, build_site: BuildSite, blank: str) -> None:
    twin = f"HTTP API{blank} Designer"
    personas = {
        "real.md": persona_text(REAL, "dev", description="Designs resources and errors."),
        "twin.md": persona_text(twin, "dev", slug="http-api-designer-2", description=f"{REAL}. The {REAL} for "
                                f"every {REAL} task.", tags=["http", "api", "designer"], body=f"{REAL}.\n" * 20),
        "other.md": persona_text("GraphQL Schema Reviewer", "dev", description="Reviews HTTP API and GraphQL designs."),
    }
    theme = {"name": "material", "font": False, "features": ["search.highlight"]}  # results link ?h=<query>
    site = build_site(personas, plugin={"on_invalid": "skip"}, strict=False, config={"theme": theme})
    url, stop = serve(site.site_dir)
    page = browser.new_page()
    try:
        page.goto(url)
        for query in (REAL, REAL.lower(), "API Designer"):
            found = results(page, query)
            assert found and found[0] == "/personas/http-api-designer/", (query, found)
            assert not any("http-api-designer-2" in path for path in found), (query, found)
    finally:
        page.close()
        stop()
