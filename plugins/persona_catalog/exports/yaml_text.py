"""A text as the front matter dumper writes it in YAML: the encoder by which the persona page writes a prompt back
into Antigravity's config.yaml (catalog.js has its twin; tests compare both with LibYAML's and PyYAML's emitters)."""

from __future__ import annotations

import re

# What PyYAML (and LibYAML: the same output, tests/test_exports.py) escapes in a double-quoted scalar written with
# allow_unicode: quote and backslash, line breaks, the BOM and every character outside YAML's printable set
# (astral characters included), with its short escape where YAML has one.
_YAML_ESCAPED = re.compile('["\\\\\x85\u2028\u2029\ufeff]|[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd]')
_YAML_SHORT = {"\0": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\x0b": "v", "\x0c": "f", "\r": "r",
               "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\u2028": "L", "\u2029": "P"}


def yaml_string(body: str) -> str:
    """The prompt as the front matter dumper writes a text value: one double-quoted line (see `_YAML_ESCAPED`)."""
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        code = ord(char)
        short = _YAML_SHORT.get(char)
        if short:
            return "\\" + short
        return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"

    return '"' + _YAML_ESCAPED.sub(escape, body) + '"'
