"""The words of the search index: lower-cased, accents removed, split at anything that is not a letter or a digit,
cut to 64 letters, and lightly stemmed (English plurals). search-worker.js `words`/`stem` do the same in the browser; the shared
table tests/data/stems.json keeps the two in agreement."""

from __future__ import annotations

import functools
import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")
WORD_LIMIT = 64  # letters of a word kept: a longer one is cut (a 70,000-letter "word" is no word to search for)
_KEEP = ("ss", "us", "is")  # "class", "status", "analysis": not plurals
_VOWEL = re.compile("[aeiouy]")


@functools.lru_cache(maxsize=1 << 16)  # a catalog's words repeat: most are stemmed once per build
def stem(word: str) -> str:
    """A word's stem: plural and singular meet ("policies" and "policy"), and so do "reviewing", "reviewed" and
    "review" (a stem keeps a vowel and three letters: "need", "bring" stay whole; a doubled last consonant is
    undoubled: "running" is "run")."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(_KEEP):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        rest = word[:-len(suffix)]
        if word.endswith(suffix) and not word.endswith("eed") and len(rest) >= 3 and _VOWEL.search(rest):
            if len(rest) > 3 and rest[-1] == rest[-2] and rest[-1] not in "aeiouylsz":
                rest = rest[:-1]
            return rest
    return word


def fold(text: str) -> str:
    """`text` lower-cased, without combining marks (accents)."""
    if text.isascii():  # most text: nothing to decompose
        return text.lower()
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.category(c).startswith("M")).lower()


def words(text: str) -> list[tuple[int, int, str]]:
    """The words of `text` as `(start, end, term)`: where each word is in the folded text, and its stemmed term."""
    return [(m.start(), m.end(), stem(m.group()[:WORD_LIMIT])) for m in _WORD.finditer(fold(text))]


def terms(text: str) -> list[str]:
    return [stem(m.group()[:WORD_LIMIT]) for m in _WORD.finditer(fold(text))]
