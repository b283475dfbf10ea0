"""Names that look alike: the key two persona names clash on, after Unicode's confusables (UTS #39).

`skeleton(name)` drops invisible characters, folds compatibility forms (NFKC), then maps each character to the
class of characters Unicode's `confusables.txt` says look like it, so "HTTP АPI Designer" (Cyrillic А),
"HTTP API Designer", "HTTP APl Designer" (a small L) and "ＨＴＴＰ API Designer" have one key. Like UTS #39's
skeleton it keeps case (`I` looks like `l`, `i` does not); names that differ only in case clash by
`model.identity`. The data is Unicode's, as shipped by
the `confusable_homoglyphs` package (its `confusables.json` lists each pair both ways); the classes are
its single-character pairs joined together (each source character with the prototype it maps to), and each
class is named by its lowest code point, so two names have one key exactly when UTS #39 gives them one skeleton
(multi-character prototypes such as `rn` for `m` aside).
"""

from __future__ import annotations

import functools
import json
import unicodedata
from importlib.resources import files

from persona_catalog.catalog.characters import hidden_characters


@functools.cache
def _classes() -> dict[str, str]:
    """Each confusable character -> the lowest character of its class."""
    data = json.loads(files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    parent: dict[str, str] = {}

    def root(char: str) -> str:
        while parent.get(char, char) != char:
            parent[char] = parent.get(parent[char], parent[char])
            char = parent[char]
        return char

    for char, pairs in data.items():
        for pair in pairs:
            other = pair["c"]
            if len(char) == 1 and len(other) == 1:
                a, b = root(char), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return {char: root(char) for char in parent}


def skeleton(text: str) -> str:
    """The key under which names that look alike are one: see the module's docstring."""
    hidden = {h.index for h in hidden_characters(text)}
    visible = "".join(char for index, char in enumerate(text) if index not in hidden)
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", visible))
    classes = _classes()
    mapped = unicodedata.normalize("NFD", "".join(classes.get(char, char) for char in folded))
    return " ".join(mapped.split())
