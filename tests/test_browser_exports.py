"""The persona page's tool picker in headless Chromium: one panel at a time, Copy equals Download."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Site
from persona_catalog.exports import FORMATS, formats_for
from persona_catalog.loader import load_catalog

pytestmark = pytest.mark.browser

CLIPBOARD = ["clipboard-read", "clipboard-write"]
# As on a plain-HTTP host: no secure context, so the copy goes through a selected textarea.
INSECURE = "Object.defineProperty(window, 'isSecureContext', {value: false});"


@pytest.mark.parametrize(("slug", "secure"), [("pull-request-reviewer", True), ("data-analyst", True),
                                              ("pull-request-reviewer", False)], ids=["prr", "analyst", "plain-http"])
def test_each_tools_copy_gives_exactly_the_file_its_download_gives(browser, served: str, bundled_site: Site,
                                                                    slug: str, secure: bool) -> None:
    persona = load_catalog(bundled_site.root / "personas").catalog.by_slug[slug]
    context = browser.new_context(permissions=CLIPBOARD, accept_downloads=True)
    if not secure:
        context.add_init_script(INSECURE)
    page = context.new_page()
    page.goto(f"{served}personas/{slug}/")
    labels = page.locator(".pc-exports .tabbed-labels label")
    assert labels.all_inner_texts() == [f.label for f in formats_for(persona)]
    for index, fmt in enumerate(formats_for(persona)):
        labels.nth(index).click()
        panel = page.locator(".pc-export:visible")
        assert panel.count() == 1 and panel.get_attribute("data-pc-format") == fmt.id
        page.evaluate("navigator.clipboard.writeText('')")
        panel.get_by_role("button", name=f"Copy {fmt.label} file").click()
        panel.get_by_role("status").filter(has_text="Copied").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        with page.expect_download() as download:
            panel.get_by_role("link", name=f"Download {fmt.download_name(slug)}").click()
        assert download.value.suggested_filename == fmt.download_name(slug)
        downloaded = Path(download.value.path()).read_text("utf-8")
        assert copied == downloaded == fmt.text(persona), fmt.id
    assert index + 1 == len(FORMATS)
    context.close()
