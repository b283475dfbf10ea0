"""Which characters a page can show: the invisible ones a prompt could hide instructions in, and their marks.

One list, applied alike to the Raw and Rendered views, Copy (which copies what the views mark), the API and
exports (which a strict build refuses while a prompt has any: each is a lint warning naming its line and
code point) and every field (where any is an error). Invisible means:

- a format character (Unicode category Cf: zero-width spaces and joiners, bidi controls, Unicode tag
  characters, the byte-order mark, ...), a control character other than tab and newline (Cc), a lone
  surrogate (Cs), a line or paragraph separator (Zl, Zp) or a non-character;
- a default-ignorable code point (Unicode's `Default_Ignorable_Code_Point` property, `DEFAULT_IGNORABLE`
  below): U+034F COMBINING GRAPHEME JOINER, the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the Khmer
  inherent vowels (U+17B4, U+17B5), the Mongolian free variation selectors (U+180B-U+180F), the variation
  selectors (U+FE00-U+FE0F, U+E0100-U+E01EF), ...;
- a blank that is drawn as nothing: U+2800 BRAILLE PATTERN BLANK, U+1D159 MUSICAL SYMBOL NULL NOTEHEAD.

Three stay unmarked where they do visible work: U+200D (zero-width joiner) and U+FE0E/U+FE0F (text and emoji
presentation selectors), and the tag characters, inside an emoji sequence Unicode recommends (RGI: `👩‍💻`, `❤️`,
`🏴󠁧󠁢󠁳󠁣󠁴󠁿`; a joiner between unrelated emoji joins nothing and is marked); and U+200C (zero-width non-joiner)
between letters or digits (Persian, Indic scripts).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Cs", "Zl", "Zp"}
ZWNJ, ZWJ = "\u200c", "\u200d"
# Default_Ignorable_Code_Point, from Unicode 15.1's DerivedCoreProperties.txt (the property is not in Python's
# unicodedata); the ones of category Cf are found by category too.
DEFAULT_IGNORABLE = ((0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
                     (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
                     (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
                     (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF))
BLANKS = ((0x2800, 0x2800), (0x1D159, 0x1D159))  # letters and symbols drawn as nothing
# Characters that are invisible alone but do visible work inside an emoji sequence Unicode recommends.
_IN_EMOJI = frozenset(["\u200d", "\ufe0f", *map(chr, range(0xE0020, 0xE0080))])


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


# The planes holding every Cc, Cf, Cs, Zl and Zp character (checked against Unicode 15: the others hold none);
# non-characters, which every plane has, are found by arithmetic. Scanning these three keeps import at ~30 ms.
_PLANES = (0x0, 0x1, 0xE)


def _merge(codes: Iterable[int]) -> list[tuple[int, int]]:
    """Ascending code points as ranges of consecutive ones."""
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ranges


def _invisible_ranges() -> list[tuple[int, int]]:
    """Code point ranges of every invisible character, built once from this Python's Unicode database."""
    scanned = (code for plane in range(sys.maxunicode // 0x10000 + 1)
               for code in (range(plane << 16, (plane + 1) << 16) if plane in _PLANES
                            else (*range(plane << 16 | 0xFFFE, (plane + 1) << 16),)))
    found = {code for code in scanned if chr(code) not in "\t\n" and (
        unicodedata.category(chr(code)) in _INVISIBLE_CATEGORIES or _is_noncharacter(code))}
    return _merge(sorted(found.union(*(range(a, b + 1) for a, b in DEFAULT_IGNORABLE + BLANKS))))


def _char_class(ranges: list[tuple[int, int]], escape: str) -> str:
    def one(code: int) -> str:
        return escape.format(code)
    return "".join(one(a) if a == b else f"{one(a)}-{one(b)}" for a, b in ranges)


_RANGES = _invisible_ranges()
# For Python's `re` (and JSON Schema validators built on it): `\U` escapes name astral code points directly.
INVISIBLE_CLASS = _char_class(_RANGES, "\\U{0:08x}")
_INVISIBLE = re.compile(f"[{INVISIBLE_CLASS}]")
# The invisible characters Python calls printable (letters such as the Hangul fillers, marks such as U+034F and
# the variation selectors): `str.isprintable` alone cannot rule them out.
# Found like `_CANDIDATE` below: the plane's ones, or any character above it (then checked in full).
_PRINTABLE_INVISIBLE = re.compile("[" + _char_class([*_merge(
    c for a, b in DEFAULT_IGNORABLE + BLANKS for c in range(a, min(b, 0xFFFF) + 1) if chr(c).isprintable()),
    (0x10000, sys.maxunicode)], "\\U{0:08x}") + "]")
_UNPRINTABLE = re.compile(f"[{INVISIBLE_CLASS}\n\t]")


# Emoji a zero-width joiner may join (👩‍💻): pictographs, dingbats and the emoji variation selector before it;
# and the characters an emoji presentation selector (U+FE0F, or U+FE0E for text) may follow.
EMOJI_CLASS = "\u2600-\u27bf\U0001f000-\U0001faff"
EMOJI_BASE_CLASS = (EMOJI_CLASS + "#*0-9\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a"
                    "\u231b\u2328\u23cf\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe"
                    "\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299")
_JOINED = re.compile(f"(?<=[{EMOJI_CLASS}\ufe0f])\u200d(?=[{EMOJI_CLASS}])|(?<=[{EMOJI_BASE_CLASS}])[\ufe0e\ufe0f]"
                     "|(?<=\\w)\u200c(?=\\w)")
_BY_ITSELF = re.compile(f"(?<=[{EMOJI_BASE_CLASS}])\ufe0e|(?<=\\w)\u200c(?=\\w)")  # text presentation, non-joiner
# A text value of one line (for JSON Schema and Python's `re`): no invisible character but the joiners and
# selectors above, no newline, and at least one visible character. (The loader also refuses the joiners and
# selectors outside a sequence Unicode recommends, which a regular expression cannot tell.)
TEXT_PATTERN = (f"^(?![\\s\\S]*\\n)(?=[\\s\\S]*[^\\s{INVISIBLE_CLASS}])"
                f"(?:[^{INVISIBLE_CLASS}\\n]|{_JOINED.pattern})*$")


def _does_visible_work(text: str, index: int, in_emoji: frozenset[int]) -> bool:
    """Is the character at `index` part of an emoji sequence (`in_emoji`), a text presentation selector after
    a character that has an emoji form, or a non-joiner between letters?"""
    return index in in_emoji if text[index] in _IN_EMOJI else _BY_ITSELF.match(text, index) is not None


def _emoji_parts(text: str) -> frozenset[int]:
    """Indices of the characters inside an emoji sequence Unicode recommends (RGI), longer than one character."""
    import emoji  # the RGI emoji and sequences (emoji-test.txt); 0.17 s to load, so only for text that needs it

    return frozenset(i for match in emoji.emoji_list(text) if match["match_end"] - match["match_start"] > 1
                     for i in range(match["match_start"], match["match_end"]))


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
    if category == "Cn":
        return "NONCHARACTER" if _is_noncharacter(ord(char)) else "UNASSIGNED DEFAULT IGNORABLE"
    return {"Cc": "CONTROL", "Cs": "LONE SURROGATE"}.get(category, "FORMAT CHARACTER")


# Python's `re` tries a class's ranges above U+FFFF one by one for each character, so a scan with `_INVISIBLE` was
# ~60x slower than one with its Basic Multilingual Plane part alone (0.6 ms for a 4 KB prompt, on every page). The
# scan looks for the plane's invisible characters and any character above it; those (rare) are checked in full.
_CANDIDATE = re.compile("[" + _char_class([(a, min(b, 0xFFFF)) for a, b in _RANGES if a <= 0xFFFF]
                                          + [(0x10000, sys.maxunicode)], "\\U{0:08x}") + "]")


def hidden_characters(text: str) -> list[Hidden]:
    """Every invisible character of `text` that a reader would not see, in order."""
    if text.isprintable() and (text.isascii() or not _PRINTABLE_INVISIBLE.search(text)):  # C scans for most text
        return []
    found = [Hidden(m.start(), m.group()) for m in _CANDIDATE.finditer(text)
             if m.group() <= "\uffff" or _INVISIBLE.match(m.group())]
    in_emoji = _emoji_parts(text) if any(h.char in _IN_EMOJI for h in found) else frozenset()
    return [h for h in found if not _does_visible_work(text, h.index, in_emoji)]


def has_visible(text: str) -> bool:
    """Does `text` contain something a reader can see (not only spaces and invisible characters)?"""
    return any(not char.isspace() and not _INVISIBLE.match(char) for char in text)


def escape_invisible(text: str) -> str:
    """`text` with newlines, tabs and invisible characters written as visible escapes (`\\u200b`), for messages."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)
