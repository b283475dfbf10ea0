"""The prompt renderer: ordinary formatting kept, dangerous markup removed, hostile structure survived."""

from __future__ import annotations

import base64
import json
import re
import sys
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from persona_catalog import hidden_characters, parse_persona, prompt_html
from persona_catalog.catalog.characters import _INVISIBLE
from persona_catalog.site.render import json_for_script, packed_text

PATHOLOGICAL = {
    "nested-lists": "\n".join("    " * i + "- x" for i in range(400)),
    "nested-quotes": "> " * 3000 + "x",
    "emphasis-runs": "*" * 20000 + "x" + "*" * 20000,
    "nested-brackets": "[" * 20000 + "x" + "](y)" * 20000,
    "nested-divs": "<div>" * 5000 + "x" + "</div>" * 5000,
}


@pytest.mark.parametrize("body", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_bodies_render_without_losing_text(body: str) -> None:
    assert "x" in prompt_html(body)


def test_too_deep_nesting_is_shown_as_plain_text() -> None:
    assert prompt_html("> " * 50 + "<b>deep</b>") == f'<pre class="pc-prompt-plain">{"&gt; " * 50}&lt;b&gt;deep&lt;/b&gt;</pre>'
    assert "<blockquote>" in prompt_html("> > shallow")


def test_formatting_is_kept() -> None:
    html = prompt_html("# Role\n\n## Role\n\n- **bold** and *em*\n- `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                       "```python\nprint(1)\n```\n\n> quoted\n\n[docs](https://example.org/x)\n")
    for fragment in ('<h3 id="prompt-role">Role</h3>', '<h4 id="prompt-role-1">Role</h4>', "<strong>bold</strong>",
                     "<em>em</em>", "<code>code</code>", "<td>1</td>",
                     '<span class="pc-fence-info">python</span><code>print(1)\n</code></pre>',
                     "<blockquote>", 'href="https://example.org/x"'):
        assert fragment in html, fragment


def test_dangerous_markup_is_removed() -> None:
    html = prompt_html('<script>alert(1)</script>\n\n<img src="x" onerror="alert(2)">\n\n'
                       '[a](javascript:alert(3)) <a href="javascript:alert(4)">b</a> <a href="data:text/html,x">c</a>\n\n'
                       '<iframe src="https://example.org"></iframe><style>body{}</style><h2 id="evil">x</h2>')
    for forbidden in ("<script", "<img", "<iframe", "<style", "<h2", "<a href=\"javascript"):
        assert forbidden not in html, forbidden
    assert not re.search(r"<[a-z][^<>]*(href|src)=\"\s*(javascript|data):", html), html
    # Raw HTML is shown as the text it is: nothing of it is hidden, nothing of it runs.
    for shown in ("&lt;script&gt;alert(1)&lt;/script&gt;", 'onerror="alert(2)"', "&lt;style&gt;body{}&lt;/style&gt;"):
        assert shown in html, shown


def test_json_for_script_cannot_close_its_element() -> None:
    text = json_for_script("</script><!-- & \u2028")
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text


@given(st.text(st.characters(blacklist_categories=("Cs",))) | st.sampled_from(["\ufeffBOM first", "</script><!--",
                                                                             "\U0001f600 \u2028 & \r\n"]))
def test_a_packed_prompt_unpacks_to_itself_and_cannot_close_its_element(text: str) -> None:
    packed = packed_text(text)
    assert re.fullmatch(r'"[A-Za-z0-9+/=]*"', packed)  # a JSON string of base64: nothing a script could end at
    assert zlib.decompress(base64.b64decode(json.loads(packed)), -15).decode("utf-8") == text


def test_deeply_nested_front_matter_is_a_problem() -> None:
    for depth in (50, 5000):
        data = ("---\nname: " + "[" * depth + "]" * depth + "\ncategory: dev\n---\nbody\n").encode()
        persona, problems = parse_persona(data, "deep.md")
        assert persona is None and problems[0].field in ("name", "front matter")
        assert len(str(problems[0])) < 300


def test_the_fast_scan_finds_every_invisible_character_of_every_plane() -> None:
    """`hidden_characters` scans with the Basic Multilingual Plane's class and checks characters above it in full
    (a class with astral ranges is ~60x slower in `re`): it finds what the full class finds, nothing more."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))  # no joiner here sits between emoji or letters
    found = [hidden.char for hidden in hidden_characters(every)]
    assert found == _INVISIBLE.findall(every)
    assert {"\u200b", "\ufeff", "\U000e0041", "\U0010fffe"} <= set(found) and "\U0001f600" not in found
