"""The persona page's tool picker in headless Chromium: one panel at a time, and each tool's Copy and Download,
built in the browser, give exactly the exporter's text (byte for byte), also for hostile prompts."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from conftest import Site, persona_text, serve
from persona_catalog import FORMATS, Persona, formats_for, load_catalog
from persona_catalog.site.render import INLINE_SOURCE_LIMIT

pytestmark = pytest.mark.browser

CLIPBOARD = ["clipboard-read", "clipboard-write"]
# As on a plain-HTTP host: no secure context, so the copy goes through a selected textarea.
INSECURE = "Object.defineProperty(window, 'isSecureContext', {value: false});"


# Every branch of the page's encoders: quotes, backslashes, TOML and Python string delimiters, line and paragraph
# separators, tab, DEL, C1 and other control characters the loader lets through (with a warning), a one-line
# prompt (Codex writes it as a one-line TOML string).
HOSTILE = {
    "encoders.md": persona_text("Encoder Breaker", "hostile", description='Says "hi" \\ and \'bye\'',
                                body='Quotes " \' `\'\'\'` `"""` and a backslash \\ and \\n \\u0041 \\"\n\n'
                                     'Tab\there, LS \u2028 PS \u2029 DEL \x7f C1 \x85 \x9b ESC \x1b BEL \x07 SOH \x01 BS \x08 '
                                     'FF \x0c VT \x0b BOM \ufeff 👩🏽‍💻 日本 مرحبا\n\n---\nname: "evil"\n+++\n</script><!--\n'),
    "one-line.md": persona_text("One Liner", "hostile", body='One line: "quoted" \\ back \x7f and \t tab.'),
}
# A prompt longer than INLINE_SOURCE_LIMIT: the page reads it from the persona's JSON document.
HOSTILE["long.md"] = persona_text("Long Breaker", "hostile", body=HOSTILE["encoders.md"].split("---\n\n", 1)[1] * 120)


def check_tools(page, persona: Persona, slug: str) -> None:  # type: ignore[no-untyped-def]
    """Every tool's Copy and Download give the exporter's text for the persona."""
    labels = page.locator(".pc-exports .tabbed-labels label")
    assert labels.evaluate_all("ls => ls.map(l => l.dataset.pcLabel)") == [f.label for f in formats_for(persona)]
    # A tool that would not take the file as it is has a mark on its tab (its verdict), the others none.
    assert labels.evaluate_all("ls => ls.map(l => l.textContent.endsWith(' ⚠'))") == [
        bool(f.limit_notes(persona)) for f in formats_for(persona)]
    for index, fmt in enumerate(formats_for(persona)):
        labels.nth(index).click()
        panel = page.locator(".pc-export:visible")
        assert panel.count() == 1 and panel.get_attribute("data-pc-format") == fmt.id
        page.evaluate("navigator.clipboard.writeText('')")
        panel.get_by_role("button", name=f"Copy {fmt.label} file").click()
        panel.get_by_role("status").filter(has_text="Copied").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        with page.expect_download() as download:
            panel.get_by_role("button", name=f"Download {fmt.download_name(slug)}").click()
        assert download.value.suggested_filename == fmt.download_name(slug)
        downloaded = Path(download.value.path()).read_bytes()
        assert downloaded == fmt.text(persona).encode("utf-8"), fmt.id
        assert copied == fmt.text(persona), fmt.id
        panel.locator("details.pc-preview summary").click()  # the preview shows the exact file
        preview = panel.locator("[data-pc-preview]")
        page.wait_for_function("code => code.textContent.length > 0", arg=preview.element_handle())
        assert preview.evaluate("code => code.textContent") == fmt.text(persona), fmt.id
    assert index + 1 == len(FORMATS)


@pytest.mark.parametrize(("slug", "secure"), [("pull-request-reviewer", True), ("data-analyst", True),
                                              ("pull-request-reviewer", False)], ids=["prr", "analyst", "plain-http"])
def test_each_tools_copy_and_download_give_exactly_the_exporters_text(browser, served: str, bundled_site: Site,
                                                                       slug: str, secure: bool) -> None:
    persona = load_catalog(bundled_site.root / "personas").catalog.by_slug[slug]
    context = browser.new_context(permissions=CLIPBOARD, accept_downloads=True)
    if not secure:
        context.add_init_script(INSECURE)
    page = context.new_page()
    page.goto(f"{served}personas/{slug}/")
    check_tools(page, persona, slug)
    context.close()


def test_hostile_prompts_copy_and_download_exactly(browser, build_site) -> None:  # type: ignore[no-untyped-def]
    site = build_site(HOSTILE, strict=False)  # the loader warns about the control characters
    catalog = load_catalog(site.root / "personas").catalog
    assert {p.slug for p in catalog.personas} == {"encoder-breaker", "one-liner", "long-breaker"}
    assert "\x85" in catalog.by_slug["encoder-breaker"].body and "\n" not in catalog.by_slug["one-liner"].body
    assert len(catalog.by_slug["long-breaker"].body) > INLINE_SOURCE_LIMIT
    assert '<span hidden data-pc-src="../../api/v1/personas/long-breaker.json"></span>' in site.page("personas/long-breaker/")
    url, stop = serve(site.site_dir)
    context = browser.new_context(permissions=CLIPBOARD, accept_downloads=True)
    try:
        page = context.new_page()
        for persona in catalog.personas:
            page.goto(f"{url}personas/{persona.slug}/")
            page.get_by_role("button", name="Copy prompt", exact=True).click()
            page.locator(".pc-copy-status", has_text="Copied").first.wait_for()
            assert page.evaluate("navigator.clipboard.readText()") == persona.body
            check_tools(page, persona, persona.slug)
        insecure = browser.new_context(permissions=CLIPBOARD)  # a fetched source, then the textarea fallback
        insecure.add_init_script(INSECURE)
        page = insecure.new_page()
        page.goto(f"{url}personas/long-breaker/")
        page.get_by_role("button", name="Copy prompt", exact=True).click()
        page.locator(".pc-copy-status", has_text="Copied").first.wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == catalog.by_slug["long-breaker"].body
        insecure.close()
    finally:
        context.close()
        stop()


def test_exports_work_after_instant_navigation(browser, build_site) -> None:  # type: ignore[no-untyped-def]
    """Material's instant navigation re-creates inline scripts without their attributes: the panels' parts and the
    prompt source are found by place, so Copy and Download still build the right file on the swapped page."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    personas = {"a.md": persona_text("First Reviewer", tags=["reviews"], body="# First\n\nReview *first*.\n"),
                "b.md": HOSTILE["encoders.md"].replace("tags", "x").replace("---\n", '---\ntags: ["reviews"]\n', 1)}
    site = build_site(personas, strict=False, config={
        "site_url": f"http://127.0.0.1:{port}/",
        "theme": {"name": "material", "font": False, "features": ["navigation.instant"]}})
    catalog = load_catalog(site.root / "personas").catalog
    url, stop = serve(site.site_dir, port)
    context = browser.new_context(permissions=CLIPBOARD, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(f"{url}personas/first-reviewer/")
        page.evaluate("window.__samePage = true")
        page.locator(".pc-related a[href*='encoder-breaker']").click()
        page.locator("[data-slug='encoder-breaker'] .pc-exports").wait_for()
        assert page.evaluate("window.__samePage") is True, "Material's instant navigation swapped the page"
        check_tools(page, catalog.by_slug["encoder-breaker"], "encoder-breaker")
    finally:
        context.close()
        stop()
