"""A text as tomli-w writes it in TOML, without tomli-w's loop over characters: the encoder by which the persona
page writes a prompt back into Codex's file (catalog.js has its twin), and the Codex file written with it."""

from __future__ import annotations

import re

import tomli_w

_TOML_ESCAPED = re.compile(r'["\\\x00-\x08\x0a-\x1f\x7f]')
_TOML_SHORT = {"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
# Stands for the text in what tomli-w writes (given a prompt, its loop took a third of the exports' time).
_STAND_IN = "\ue000persona-catalog-prompt\ue000"


def toml_string(text: str, multiline: bool) -> str:
    """`text` as tomli-w writes a string value: quote, backslash and control characters but tab escaped, and with
    `multiline` a \"\"\" string keeping its line breaks when it has one. One regular expression (~20x faster);
    tests/site/test_exports.py compares the two."""
    lines = multiline and "\n" in text

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        return char if lines and char == "\n" else _TOML_SHORT.get(char) or f"\\u{ord(char):04x}"

    written = _TOML_ESCAPED.sub(escape, text)
    return f'"""\n{written}"""' if lines else f'"{written}"'


def toml_with_text(fields: dict[str, object], key: str, text: str) -> str:
    """`fields` and `key = text` as tomli-w writes them, the text written by `toml_string` where tomli-w wrote a
    stand-in. A multi-line TOML string reads CR LF as LF, so with a CR in any value every string is written on one
    line, escaped (tomli-w's `multiline_strings` off)."""
    table = {**fields, key: text}
    multiline = not any("\r" in str(value) for value in table.values())
    head, *tail = tomli_w.dumps({**table, key: _STAND_IN}, multiline_strings=multiline).split(f'"{_STAND_IN}"')
    if len(tail) != 1:  # a field holds the stand-in: tomli-w writes the text itself
        return tomli_w.dumps(table, multiline_strings=multiline)
    return head + toml_string(text, multiline) + tail[0]
