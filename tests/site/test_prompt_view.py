"""The persona page's prompt view as built: the prompt's length, the context window's meaning, one source."""

from __future__ import annotations

import html
import json
import re

import pytest

from conftest import BuildSite, persona_text
from hostile import HIDDEN_BODY, HIDDEN_CHARACTERS
from persona_catalog import CONTEXT_WINDOW_MEANINGS, CONTEXT_WINDOWS, prompt_length

TAGS = re.compile(r"<[^>]+>")


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(TAGS.sub("", fragment)).split())


def fact(page: str, name: str) -> str:
    """The text of one fact of the page's facts list (`Length`, `Context window`)."""
    match = re.search(rf"<dt>{name}</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.DOTALL)
    assert match, name
    return text_of(match.group(1))


@pytest.mark.parametrize(("text", "characters", "words", "tokens"), [
    ("", 0, 0, 0),
    ("You", 3, 1, 1),
    ("You are a reviewer.", 19, 4, 5),
    ("Ein Straße\u00a0und\tzwei\n\nZeilen", 27, 5, 7),  # a no-break space, a tab and newlines separate words
    ("数据分析师", 5, 1, 2),  # code points, not bytes (15 in UTF-8); no spaces, so one word
    ("👩🏽‍💻 ok", 7, 2, 2),  # an emoji sequence is five code points
])
def test_prompt_length_counts_code_points_words_and_estimated_tokens(text: str, characters: int, words: int,
                                                                     tokens: int) -> None:
    length = prompt_length(text)
    assert (length.characters, length.words, length.tokens) == (characters, words, tokens)
    assert length.characters == len(text) and length.words == len(text.split())


def test_persona_page_shows_the_length_next_to_the_context_window(build_site: BuildSite) -> None:
    body = "# Reviewer\n\nYou review " + "changes carefully, " * 700 + "then stop.\n\n## Boundaries\n\n- Never merge."
    site = build_site({"long.md": persona_text("Long One", context_window="large", body=body),
                       "short.md": persona_text("Short One", body="Hi")})
    page = site.page("personas/long-one/")
    length = prompt_length(body.strip())
    assert length.characters > 10_000  # so the thousands separator shows
    assert fact(page, "Length") == (f"{length.characters:,} characters, {length.words:,} words, "
                                    f"≈ {length.tokens:,} tokens")
    facts = re.findall(r"<dt>([^<]+)</dt>", page)
    assert facts.index("Length") == facts.index("Context window") + 1
    assert fact(site.page("personas/short-one/"), "Length") == "2 characters, 1 word, ≈ 1 token"


@pytest.mark.parametrize("size", CONTEXT_WINDOWS)
def test_context_window_is_explained_by_tooltip_and_visible_text(build_site: BuildSite, size: str) -> None:
    page = build_site({"p.md": persona_text("Sized", context_window=size)}).page("personas/sized/")
    chip = re.search(r"<dt>Context window</dt>\s*<dd><span class=\"pc-chip\" title=\"([^\"]+)\">(\w+)</span>", page)
    assert chip and chip.group(2) == size
    assert html.unescape(chip.group(1)) == f"{size.capitalize()}: {CONTEXT_WINDOW_MEANINGS[size]}"
    figures = re.search(r"<details class=\"pc-figures\"[^>]*>(.*?)</details>", page, re.DOTALL)
    assert figures, "the explanation is reachable without a mouse"
    explained = text_of(figures.group(1))
    for other, meaning in CONTEXT_WINDOW_MEANINGS.items():
        suffix = " (this persona)" if other == size else ""
        assert f"{other}{suffix}: {meaning}" in explained
    assert "characters / 4" in explained


def test_raw_view_is_built_from_the_one_source_with_invisible_characters_located(build_site: BuildSite) -> None:
    site = build_site({"hider.md": persona_text("Hider", body=HIDDEN_BODY),
                       "plain.md": persona_text("Plain", body="Plain words only.\n")}, strict=False)
    page = site.page("personas/hider/")
    assert "pc-raw" not in page.split("<article")[1].split("</article>")[0]  # no second copy: the browser builds it
    assert len(re.findall(r"data-pc-source", page)) == 1
    marks = json.loads(html.unescape(re.search(r"data-pc-marks='([^']*)'", page).group(1)))
    body = HIDDEN_BODY.strip()
    assert [body[index] for index, _ in marks] == [c for c in body if c in HIDDEN_CHARACTERS]
    assert marks[0][1] == "U+200B ZERO WIDTH SPACE"
    plain = site.page("personas/plain/")
    assert "data-pc-view" in plain and "data-pc-marks" not in plain
    assert re.search(r'<div class="pc-view"[^>]*\bhidden>', plain), "the switch is hidden until the script runs"
