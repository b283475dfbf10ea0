"""The persona page's prompt view in real Chromium: Rendered/Raw, the sticky Copy bar, keyboard, no-JS, axe."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from conftest import FIXTURES, persona_text, serve, write_and_build
from hostile import HIDDEN_BODY, HIDDEN_CHARACTERS
from persona_catalog import load_catalog

pytestmark = pytest.mark.browser

CLIPBOARD = ["clipboard-read", "clipboard-write"]
SECTIONS = "".join(f"## Step {n}\n\nDo step {n} with care, and **say** what you did.\n\n- check {n}\n\n" for n in range(60))
LONG_BODY = "# Long Reviewer\n\nYou review changes in sixty steps.\n\n" + SECTIONS + "## Boundaries\n\nStop at the end."
PERSONAS = {
    **{f"tricky/{p.name}": p.read_bytes() for p in (FIXTURES / "tricky").glob("*.md")},
    "hider.md": persona_text("Hider", body=HIDDEN_BODY),
    "long.md": persona_text("Long Reviewer", context_window="large", tags=["reviews", "steps"], body=LONG_BODY),
    "sibling.md": persona_text("Sibling Reviewer", tags=["reviews", "steps"],
                               body="# Sibling\n\nYou review *siblings*.\n\n    indented code\n"),
}


@dataclass
class PromptSite:
    url: str
    bodies: dict[str, str]


@pytest.fixture(scope="module")
def prompt_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PromptSite]:
    """The personas above, built once with Material's instant navigation (it needs `site_url`: the server takes
    a free port first, then the site is built for that address into the folder it serves)."""
    root = tmp_path_factory.mktemp("prompt") / "project"
    url, stop = serve(root / "site")
    site = write_and_build(root, PERSONAS, plugin={"export_files": True},  # a Download link beside the buttons
                           strict=False,  # the hidden-content prompt warns
                           config={"site_url": url,
                                   "theme": {"name": "material", "font": False, "features": ["navigation.instant"]}})
    yield PromptSite(url, {p.slug: p.body for p in load_catalog(site.root / "personas").catalog.personas})
    stop()


def raw_text(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("pre.pc-raw").evaluate("pre => pre.textContent")


def test_raw_view_is_exactly_the_prompt(browser, prompt_site: PromptSite) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    assert len(prompt_site.bodies) == len(PERSONAS)
    for slug, body in prompt_site.bodies.items():
        page.goto(f"{prompt_site.url}personas/{slug}/")
        page.get_by_role("button", name="Raw", exact=True).click()
        assert raw_text(page) == body, slug
        assert page.locator("pre.pc-raw").is_visible() and not page.locator(".pc-prompt").is_visible()
        assert page.evaluate("window.__pwned") is None
    # Invisible characters stay in the raw text, each in a mark that shows its code point.
    page.goto(f"{prompt_site.url}personas/hider/")
    marks = page.locator("pre.pc-raw .pc-invisible")
    expected = [c for c in prompt_site.bodies["hider"] if c in HIDDEN_CHARACTERS]
    assert marks.evaluate_all("ms => ms.map(m => m.textContent)") == expected
    assert marks.evaluate_all("ms => ms.map(m => getComputedStyle(m, '::before').content)")[:2] == [
        '"U+200B"', '"U+200B"']
    assert marks.first.get_attribute("title") == "U+200B ZERO WIDTH SPACE"
    assert errors == []
    page.close()


def test_view_choice_is_remembered_across_pages_and_instant_navigation(browser, prompt_site: PromptSite) -> None:
    page = browser.new_page()
    page.goto(f"{prompt_site.url}personas/long-reviewer/")
    rendered, raw = (page.get_by_role("button", name=name, exact=True) for name in ("Rendered", "Raw"))
    assert rendered.get_attribute("aria-pressed") == "true" and not page.locator("pre.pc-raw").count()
    raw.click()
    assert raw.get_attribute("aria-pressed") == "true" and rendered.get_attribute("aria-pressed") == "false"
    page.evaluate("window.__samePage = true")
    page.locator(".pc-related a[href*='sibling-reviewer']").first.click()  # a related persona, by instant navigation
    page.wait_for_url("**/personas/sibling-reviewer/")
    assert page.evaluate("window.__samePage") is True, "Material's instant navigation swapped the page"
    page.locator("[data-slug='sibling-reviewer'] pre.pc-raw").wait_for()  # the URL changes before the content
    assert raw_text(page) == prompt_site.bodies["sibling-reviewer"]
    assert page.get_by_role("button", name="Raw", exact=True).get_attribute("aria-pressed") == "true"
    page.context.grant_permissions(CLIPBOARD)
    page.get_by_role("button", name="Copy prompt", exact=True).click()  # Copy is wired on the swapped page too
    page.wait_for_function("t => navigator.clipboard.readText().then(c => c === t)",
                           arg=prompt_site.bodies["sibling-reviewer"])
    page.goto(f"{prompt_site.url}personas/hider/")  # a full page load
    assert page.locator("pre.pc-raw").is_visible() and not page.locator(".pc-prompt").is_visible()
    page.get_by_role("button", name="Rendered", exact=True).click()
    page.goto(f"{prompt_site.url}personas/long-reviewer/")
    assert page.locator(".pc-prompt").is_visible() and not page.locator("pre.pc-raw").count()
    page.close()


def test_view_switch_works_when_storage_is_blocked(browser, prompt_site: PromptSite) -> None:
    """Reading or writing the choice throws here (as with storage disabled); the switch works all the same (an
    exception escaping the script would leave it hidden or the Raw view unbuilt). Material's own palette code
    reports the blocked storage on each page, so page errors are not what is checked."""
    context = browser.new_context()
    context.add_init_script("Object.defineProperty(window, 'localStorage', "
                            "{get() { throw new DOMException('blocked', 'SecurityError'); }});")
    page = context.new_page()
    page.goto(f"{prompt_site.url}personas/sibling-reviewer/")
    page.get_by_role("button", name="Raw", exact=True).click()
    assert raw_text(page) == prompt_site.bodies["sibling-reviewer"]
    page.goto(f"{prompt_site.url}personas/long-reviewer/")  # not remembered
    assert page.locator(".pc-prompt").is_visible() and page.locator(".pc-view").is_visible()
    page.get_by_role("button", name="Raw", exact=True).click()
    assert raw_text(page) == prompt_site.bodies["long-reviewer"]
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_copy_bar_is_in_view_at_the_prompts_end_and_copies_the_body(browser, prompt_site: PromptSite,
                                                                     width: int) -> None:
    context = browser.new_context(permissions=CLIPBOARD, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{prompt_site.url}personas/long-reviewer/")
    body = prompt_site.bodies["long-reviewer"]
    copy = page.get_by_role("button", name="Copy prompt", exact=True)
    for view, prompt in (("Rendered", ".pc-prompt"), ("Raw", "pre.pc-raw")):
        page.get_by_role("button", name=view, exact=True).click()
        page.locator(prompt).evaluate("p => p.scrollIntoView({block: 'end'})")  # the prompt's last line in view
        assert page.evaluate("scrollY") > 3000
        box = copy.bounding_box()
        header = page.locator(".md-header").bounding_box()
        assert box and header and header["y"] + header["height"] <= box["y"] + 1, view
        assert box["y"] + box["height"] <= 800, view
        assert copy.evaluate("b => document.elementFromPoint(b.getBoundingClientRect().x + 5, "
                             "b.getBoundingClientRect().y + 5) === b"), "nothing covers the button"
        page.evaluate("navigator.clipboard.writeText('')")
        copy.click()
        page.wait_for_function("t => navigator.clipboard.readText().then(c => c === t)", arg=body)
    context.close()


def test_copy_bar_casts_a_shadow_only_while_stuck(browser, prompt_site: PromptSite) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{prompt_site.url}personas/long-reviewer/")
    bar = page.locator(".pc-prompt-bar")
    shadow = lambda: bar.evaluate("b => getComputedStyle(b).boxShadow")  # noqa: E731
    assert shadow() == "none"  # in its place above the prompt
    page.locator(".pc-prompt").evaluate(  # mid-prompt: the bar is stuck
        "p => window.scrollTo(0, p.getBoundingClientRect().top + scrollY + p.offsetHeight / 2)")
    page.wait_for_function("() => document.querySelector('.pc-prompt-bar').classList.contains('pc-stuck')")
    assert shadow() != "none"
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_function("() => !document.querySelector('.pc-prompt-bar').classList.contains('pc-stuck')")
    assert shadow() == "none"
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_buttons_and_links_side_by_side_are_one_height(browser, prompt_site: PromptSite, width: int) -> None:
    """A <button> (Copy) beside a link (Download): the persona page's bar; in an export panel Copy and Download
    (buttons) and, with `export_files`, the published file's Download link."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(f"{prompt_site.url}personas/long-reviewer/")
    page.wait_for_selector(".pc-export .pc-copy-export:not([hidden])")
    heights = "r => [...r.querySelectorAll('.md-button')].filter(b => b.offsetParent)" \
              ".map(b => [b.tagName, b.getBoundingClientRect().height])"
    for box in (".pc-prompt-bar", ".pc-export:visible"):
        shown = page.locator(box).first.evaluate(heights)
        assert {tag for tag, _ in shown} == {"A", "BUTTON"}, shown
        assert max(h for _, h in shown) - min(h for _, h in shown) < 0.5, (box, shown)
    page.close()


def test_prompt_view_and_explanations_work_with_the_keyboard(browser, prompt_site: PromptSite) -> None:
    context = browser.new_context(permissions=CLIPBOARD)
    page = context.new_page()
    page.goto(f"{prompt_site.url}personas/long-reviewer/")
    focused = lambda: page.evaluate("document.activeElement.textContent.trim()")  # noqa: E731
    page.get_by_role("link", name="Download source file", exact=True).focus()
    page.keyboard.press("Tab")
    assert focused() == "Rendered"
    page.keyboard.press("Tab")
    assert focused() == "Raw"
    page.keyboard.press("Enter")
    assert raw_text(page) == prompt_site.bodies["long-reviewer"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert page.locator(".pc-prompt").is_visible() and not page.locator("pre.pc-raw").is_visible()
    page.get_by_role("button", name="Copy prompt", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_function("t => navigator.clipboard.readText().then(c => c === t)",
                           arg=prompt_site.bodies["long-reviewer"])
    explanation = page.get_by_text("a whole codebase, many documents")
    assert not explanation.is_visible()
    page.locator(".pc-figures summary").focus()
    page.keyboard.press("Enter")
    assert explanation.is_visible()
    context.close()


def test_links_into_the_prompts_outline_show_the_rendered_view(browser, prompt_site: PromptSite) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})  # wide enough for the table of contents
    page.goto(f"{prompt_site.url}personas/long-reviewer/")
    page.get_by_role("button", name="Raw", exact=True).click()
    # Made absolute by Material; the outline lists the prompt's first PROMPT_OUTLINE_LIMIT (24) headings.
    page.locator(".md-sidebar--secondary a[href$='#prompt-step-22']").click()
    heading = page.locator("#prompt-step-22")
    assert heading.is_visible() and page.locator(".pc-prompt").is_visible()
    # Material scrolls smoothly: wait until the scroll has settled (the same place for two frames) before measuring.
    page.wait_for_function("""() => new Promise(done => { const y = scrollY;
        requestAnimationFrame(() => requestAnimationFrame(() => done(scrollY === y && y > 0))); })""")
    box = heading.bounding_box()
    bar = page.locator(".pc-prompt-bar").bounding_box()
    assert box and bar and bar["y"] + bar["height"] <= box["y"] <= 800, "scrolled to, clear of the Copy bar"
    assert page.evaluate("localStorage.getItem('persona-catalog:prompt-view')") == "raw"  # the choice stays
    page.goto(f"{prompt_site.url}personas/sibling-reviewer/#prompt-sibling")  # e.g. from a search result
    assert page.locator("#prompt-sibling").is_visible()
    page.goto(f"{prompt_site.url}personas/sibling-reviewer/")
    assert page.locator("pre.pc-raw").is_visible()
    page.close()


def test_without_javascript_the_prompt_is_rendered_and_the_switch_absent(browser, prompt_site: PromptSite) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{prompt_site.url}personas/long-reviewer/")
    assert page.locator(".pc-prompt").is_visible()
    assert not page.locator(".pc-view").is_visible() and not page.locator("pre.pc-raw").count()
    page.locator(".pc-figures summary").click()  # the explanation is plain HTML
    assert page.get_by_text("a whole codebase, many documents").is_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_prompt_view_has_no_accessibility_violations(browser, prompt_site: PromptSite, scheme: str) -> None:
    """The facts, their explanation, the Copy bar, the switch and the Raw view (with its marks), in both views."""
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(color_scheme=scheme)
    page.goto(f"{prompt_site.url}personas/hider/")
    page.locator(".pc-figures summary").click()
    for view in ("Rendered", "Raw"):
        page.get_by_role("button", name=view, exact=True).click()
        results = Axe().run(page, context={"include": [[".pc-facts"], [".pc-figures"], [".pc-copy-scope"]],
                                           "exclude": [[".pc-prompt"]]})  # the rendered prompt is prompt.py's
        violations = results.response["violations"]
        assert violations == [], [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    page.close()
