"""A persona page carries its prompt once (rendered) plus one exact source, and weighs at most twice its source
file plus a fixed overhead whatever the prompt's size. The overhead: the page of a persona with the same fields
and a one-word prompt (25.1 KB in this test's site; at most EMPTY_PAGE_LIMIT), plus PROMPT_ALLOWANCE: up to 6 KB
for the prompt's headings in the outline (at most PROMPT_OUTLINE_LIMIT) and up to 4 KB for the markup of a
prompt that is also embedded as the source (at most INLINE_SOURCE_LIMIT characters; a longer one is read from
the persona's JSON document)."""

from __future__ import annotations

import pytest

from conftest import DEMO, BuildSite, Site, persona_text
from persona_catalog import FORMATS, load_catalog
from persona_catalog.site.render import INLINE_SOURCE_LIMIT, PROMPT_OUTLINE_LIMIT

# The one-word page in the test site (Material, no docs nav): theme chrome, the header with the fields, the
# export panel with twelve tools' parts (29.8 KB measured; 25.1 KB with nine tools, before Agent Skills, Kiro and
# Antigravity), related personas, history. The bundled site adds its docs nav and breadcrumbs: there every page
# is within 2 x source + 41.3 KB (measured with twelve tools; 37.3 KB with nine), checked against BUNDLED_OVERHEAD.
EMPTY_PAGE_LIMIT = 31_000
PROMPT_ALLOWANCE = 10_000
BUNDLED_OVERHEAD = 43_000


def bundled_bodies() -> str:
    """Real prompts: the bundled personas' bodies, one after the other."""
    return "\n\n".join(p.body for p in load_catalog(DEMO / "personas").catalog.personas)


def fields() -> dict[str, object]:
    """The same field sizes for every persona here, so only the prompt differs between their pages."""
    return {"description": "Reviews pull requests for correctness, tests and readability, and says what to fix first.",
            "models": ["claude-code", "cursor"], "tags": ["code-review", "testing", "quality", "git"],
            "version": "1.2.0", "author": "someone", "use_when": "Use when a pull request needs a careful review."}


def weights(site: Site, slug: str) -> tuple[int, int]:
    """(page bytes, source file bytes) of a persona."""
    page = site.site_dir / "personas" / slug / "index.html"
    return page.stat().st_size, (site.site_dir / "personas" / slug / f"{slug}.md").stat().st_size


def prose(size: int) -> str:
    """A long prompt of prose: a section heading per kilobyte of paragraphs."""
    section = ("## Section\n\n" + "Read the change and the tests before the description, then say what to fix "
               "first and why, in plain words, with the line it concerns. " * 8 + "\n\n")
    return (section * (1 + size // len(section)))[:size]


def build(build_site: BuildSite, large: str) -> Site:
    small = load_catalog(DEMO / "personas").catalog.by_slug["pull-request-reviewer"].body
    return build_site({
        "empty.md": persona_text("Reviewer Aaaa", "development", body="Review.\n", **fields()),
        "small.md": persona_text("Reviewer Bbbb", "development", body=small, **fields()),
        "large.md": persona_text("Reviewer Cccc", "development", body=large, **fields()),
    }, strict=False)  # the large prompt is over Copilot's limit: a warning


def test_a_small_prompts_page_weighs_at_most_twice_its_source_plus_the_overhead(build_site: BuildSite) -> None:
    site = build(build_site, prose(6_000))
    empty, _ = weights(site, "reviewer-aaaa")
    assert empty <= EMPTY_PAGE_LIMIT, empty
    page, source = weights(site, "reviewer-bbbb")
    assert page <= 2 * source + empty + PROMPT_ALLOWANCE, (page, source, empty)
    for slug in ("reviewer-bbbb", "reviewer-cccc"):  # the prompt rendered once, one source, each export's parts
        html = site.page(f"personas/{slug}/")
        assert html.count("data-pc-source") == 1 and html.count("data-pc-export>") == len(FORMATS)


LARGE = {"prose-24k": lambda: prose(24_000), "prose-200k": lambda: prose(200_000),
         "headings-12k": lambda: bundled_bodies()[:12_000], "headings-16k": lambda: bundled_bodies()[:15_900],
         "headings-200k": lambda: (bundled_bodies() * 5)[:200_000]}


@pytest.mark.parametrize("kind", LARGE)
def test_a_large_prompts_page_weighs_at_most_twice_its_source_plus_the_overhead(build_site: BuildSite,
                                                                                kind: str) -> None:
    site = build(build_site, LARGE[kind]())
    empty, _ = weights(site, "reviewer-aaaa")
    page, source = weights(site, "reviewer-cccc")
    assert page <= 2 * source + empty + PROMPT_ALLOWANCE, (page, source, empty)
    html = site.page("personas/reviewer-cccc/")
    embedded = len(LARGE[kind]()) <= INLINE_SOURCE_LIMIT
    assert html.count("data-pc-source") == embedded and html.count('data-pc-src="../../api/v1/personas/') == (not embedded)
    assert html.count('href="#prompt-') <= PROMPT_OUTLINE_LIMIT + 1  # "Prompt" and its first headings


def test_every_bundled_persona_page_weighs_at_most_twice_its_source_plus_the_overhead(bundled_site: Site) -> None:
    slugs = [p.slug for p in load_catalog(DEMO / "personas").catalog.personas]
    for slug in slugs:
        page, source = weights(bundled_site, slug)
        assert page <= 2 * source + BUNDLED_OVERHEAD, (slug, page, source)
    assert len(slugs) >= 30

