"""The catalog's vocabulary for "did you mean": the words of its persona names, tags and categories, written
beside Material's search index for the search worker, which corrects a query that finds nothing to the nearest
words of it (search-worker.js `correct`). Built at build time and small: distinct words only (a few thousand
words, tens of KB, at 5,000 personas)."""

from __future__ import annotations

import json
import re
import unicodedata

from persona_catalog.catalog.model import Catalog

VOCABULARY_PATH = "search/vocabulary.json"
_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    folded = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()
    return _WORD.findall(folded)


def vocabulary(catalog: Catalog) -> tuple[str, bytes]:
    """The vocabulary file: `{"words": [...]}`, sorted, each word of two letters or more once."""
    texts = [text for p in catalog.personas for text in (p.name, *p.tags)]
    texts += [text for c in catalog.categories for text in (c.id, c.title)]
    words = sorted({word for text in texts for word in _words(text) if len(word) > 1})
    return VOCABULARY_PATH, json.dumps({"words": words}, ensure_ascii=False, separators=(",", ":")).encode()
