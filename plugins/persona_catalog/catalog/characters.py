"""Which characters a page can show: the invisible ones a prompt could hide instructions in, and their marks.

Invisible means a format character (Unicode category Cf: zero-width spaces and joiners, bidi controls,
Unicode tag characters, the byte-order mark, ...), a control character other than tab and newline (Cc),
a lone surrogate (Cs), a line or paragraph separator (Zl, Zp) or a non-character. Two joiners stay
unmarked where they do visible work: U+200D (zero-width joiner) between emoji, and U+200C (zero-width
non-joiner) between letters or digits (Persian, Indic scripts).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass

_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Cs", "Zl", "Zp"}
ZWNJ, ZWJ = "\u200c", "\u200d"


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


# The planes holding every Cc, Cf, Cs, Zl and Zp character (checked against Unicode 15: the others hold none);
# non-characters, which every plane has, are found by arithmetic. Scanning these three keeps import at ~30 ms.
_PLANES = (0x0, 0x1, 0xE)


def _invisible_ranges() -> list[tuple[int, int]]:
    """Code point ranges of every invisible character, built once from this Python's Unicode database."""
    ranges: list[tuple[int, int]] = []
    scanned = (code for plane in range(sys.maxunicode // 0x10000 + 1)
               for code in (range(plane << 16, (plane + 1) << 16) if plane in _PLANES
                            else (*range(plane << 16 | 0xFFFE, (plane + 1) << 16),)))
    for code in scanned:
        char = chr(code)
        if char in "\t\n":
            continue
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES or _is_noncharacter(code):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return ranges


def _char_class(ranges: list[tuple[int, int]], escape: str) -> str:
    def one(code: int) -> str:
        return escape.format(code)
    return "".join(one(a) if a == b else f"{one(a)}-{one(b)}" for a, b in ranges)


_RANGES = _invisible_ranges()
# For Python's `re` (and JSON Schema validators built on it): `\U` escapes name astral code points directly.
INVISIBLE_CLASS = _char_class(_RANGES, "\\U{0:08x}")
_INVISIBLE = re.compile(f"[{INVISIBLE_CLASS}]")
_UNPRINTABLE = re.compile(f"[{INVISIBLE_CLASS}\n\t]")


# Emoji a zero-width joiner may join (👩‍💻): pictographs, dingbats and the emoji variation selector before it.
EMOJI_CLASS = "\u2600-\u27bf\U0001f000-\U0001faff"
_JOINED = re.compile(f"(?<=[{EMOJI_CLASS}\ufe0f])\u200d(?=[{EMOJI_CLASS}])|(?<=\\w)\u200c(?=\\w)")
# A text value of one line (for JSON Schema and Python's `re`): no invisible character but the joiners above,
# no newline, and at least one visible character.
TEXT_PATTERN = (f"^(?![\\s\\S]*\\n)(?=[\\s\\S]*[^\\s{INVISIBLE_CLASS}])"
                f"(?:[^{INVISIBLE_CLASS}\\n]|{_JOINED.pattern})*$")


def _does_visible_work(text: str, index: int) -> bool:
    """Is the joiner at `index` joining emoji (U+200D) or letters (U+200C)?"""
    return _JOINED.match(text, index) is not None


@dataclass(frozen=True)
class Hidden:
    """One invisible character: where it is and what it is called."""

    index: int
    char: str

    @property
    def code(self) -> str:
        return f"U+{ord(self.char):04X}"

    @property
    def label(self) -> str:
        name = unicodedata.name(self.char, "") or _fallback_name(self.char)
        return f"{self.code} {name}"


def _fallback_name(char: str) -> str:
    category = unicodedata.category(char)
    return {"Cc": "CONTROL", "Cs": "LONE SURROGATE", "Cn": "NONCHARACTER"}.get(category, "FORMAT CHARACTER")


# Python's `re` tries a class's ranges above U+FFFF one by one for each character, so a scan with `_INVISIBLE` was
# ~60x slower than one with its Basic Multilingual Plane part alone (0.6 ms for a 4 KB prompt, on every page). The
# scan looks for the plane's invisible characters and any character above it; those (rare) are checked in full.
_CANDIDATE = re.compile("[" + _char_class([(a, min(b, 0xFFFF)) for a, b in _RANGES if a <= 0xFFFF]
                                          + [(0x10000, sys.maxunicode)], "\\U{0:08x}") + "]")


def hidden_characters(text: str) -> list[Hidden]:
    """Every invisible character of `text` that a reader would not see, in order."""
    if text.isprintable():  # Python calls every invisible character unprintable: one C scan for most text
        return []
    return [Hidden(m.start(), m.group()) for m in _CANDIDATE.finditer(text)
            if (m.group() <= "\uffff" or _INVISIBLE.match(m.group())) and not _does_visible_work(text, m.start())]


def has_visible(text: str) -> bool:
    """Does `text` contain something a reader can see (not only spaces and invisible characters)?"""
    return any(not char.isspace() and not _INVISIBLE.match(char) for char in text)


def escape_invisible(text: str) -> str:
    """`text` with newlines, tabs and invisible characters written as visible escapes (`\\u200b`), for messages."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)
