"""The site's search index: a static, term-partitioned index of our own, written while the pages are rendered and
read by `search-worker.js`, so that a query fetches what its words need and not what the catalog holds.

Layout, under `search-index/<kind>/` (`persona` and `docs`, two indexes: personas are ranked and listed first):

- `meta.json`: `{"docs": n, "chunks": [prefix, ...], "block": b}`: the prefixes of the chunk files, sorted.
- `c/<i>.json`: the terms whose longest listed prefix is `chunks[i]`, sorted, each `[term, df, blocks, last,
  first block]`: how many documents hold it, its number of postings blocks, its lowest impact, its first block.
- `b/<i>.<j>.<n>.json`: block `n` (from 1) of term `j` of chunk `i`; `b/<i>.<j>.bits`: a bitset of the
  documents holding a term of more than one block (membership of a frequent word without its postings).
- `d/<id>.json.gz`: one document's fragment (url, title, meta, sections of text), fetched for the results shown;
  gzipped, as Pagefind's fragments are (to 46% of their bytes for the bundled catalog, 27% synthetic), once when
  the page is read (`reading.fragment`), so the build cache keeps it compressed.
- `slugs.json` (personas): each document's slug, for the home page's box, which lists every match.

A posting is `document id, impact`; a block holds `block` postings, sorted by impact (highest first), so a query
reads the first block of each word and more only while an unseen document could still enter the top results.
The impact is BM25-like: `idf * (field weight + saturated count in the body)`, the field weights as the pages
mark them (`data-pagefind-weight`: name and tags 10, headings 7 to 2, the rest of the text 1).

The pages are parsed and indexed in a process of their own (`multiprocessing`), fed one page at a time, so the
work runs on the other core while the build renders. Its memory is the postings (6 bytes each) and one page.
With the build cache, each page's `Document` is kept (`DocumentCache`): a page the last build read, the same
text at the same URL, is not parsed again (parsing is most of the indexer's time).
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import os
import pickle
import queue as queues
import shutil
import threading
import time
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from persona_catalog.search.reading import (
    BODY_END,
    FIELD_LIMIT,
    KINDS,
    Document,
    read_document,
    search_document,
    searchable,
)

BUNDLE_DIR = "search-index"
DEFAULT_BLOCK_SIZE = 128  # postings per block; a chunk file holds at most about 64 blocks' worth of bytes
BATCH = 16  # pages sent to the indexer in one message (one per page was 5% of the build thread in a profile)
QUEUED = 4  # batches waiting for the indexer at most
K1, B = 1.2, 0.75

class SearchIndexError(RuntimeError):
    """Indexing failed; the message says what."""


@dataclass(frozen=True)
class IndexReport:
    """What one indexing run wrote: documents indexed, terms, files and bytes, seconds taken."""

    pages: int
    terms: int
    files: int
    bytes: int
    seconds: float

    def __str__(self) -> str:
        return (f"indexed {self.pages} pages, {self.terms} terms, in {self.files} files "
                f"({self.bytes / 1024:.0f} KB) in {self.seconds:.2f} s")


def written_pages(site_dir: Path) -> Iterator[tuple[str, str]]:
    """Every HTML page of a built site as `(url, html)`, in path order."""
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir)
        if relative.parts[0] == BUNDLE_DIR:
            continue
        yield ("/" + relative.as_posix()).removesuffix("index.html"), path.read_text("utf-8", errors="replace")


class _Postings:
    """One kind's postings while pages come in: per term, document ids and quantized weights (6 bytes each)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # per term: the documents holding it, its weight from fields (x10) and its count in the body in each
        self.ids: dict[str, array[int]] = {}
        self.field: dict[str, array[int]] = {}
        self.count: dict[str, array[int]] = {}
        self.lengths: array[int] = array("I")
        self.slugs: list[str] = []

    def add(self, document: Document, kept: Path | None = None) -> None:
        """Add a document; `kept`: a file of the build cache holding its fragment, linked into the site (no
        new file written, where the system links files)."""
        number = len(self.lengths)
        self.lengths.append(document.length)
        self.slugs.append(document.meta.get("slug", ""))
        for term in document.fields.keys() | document.body.keys():
            if term not in self.ids:
                self.ids[term], self.field[term], self.count[term] = array("I"), array("H"), array("H")
            self.ids[term].append(number)
            self.field[term].append(int(min(document.fields.get(term, 0.0), FIELD_LIMIT) * 10))
            self.count[term].append(min(document.body.get(term, 0), 65535))
        if not number:
            (self.folder / "d").mkdir(parents=True)
        path = self.folder / "d" / f"{number}.json.gz"
        if kept is not None:
            try:
                os.link(kept, path)
                return
            except OSError:  # no links here (another file system, or none at all): written
                pass
        path.write_bytes(document.fragment)

    def write(self, block: int) -> tuple[int, int]:
        """Write the chunks, blocks and bitsets, a chunk's terms at a time (each term's arrays given up once
        written: the postings are never held twice); returns (documents, terms)."""
        n = len(self.lengths)
        average = (sum(self.lengths) / n if n else 1.0) or 1.0
        norms = [K1 * (1 - B + B * length / average) for length in self.lengths]
        sizes = {term: 8 * min(len(ids), block) + len(term) + 16 for term, ids in self.ids.items()}
        chunks = chunk_terms(sorted(sizes), sizes, 64 * block * 8)
        for number, (_, members) in enumerate(chunks):
            chunk = []
            for position, term in enumerate(members):
                postings = self._postings(term, n, norms)
                blocks = [postings[i:i + block] for i in range(0, len(postings), block)]
                chunk.append([term, len(postings), len(blocks), postings[-1][1], [x for p in blocks[0] for x in p]])
                for later, part in enumerate(blocks[1:], 1):
                    _write(self.folder / "b" / f"{number}.{position}.{later}.json", [x for p in part for x in p])
                if len(blocks) > 1:
                    bits = bytearray((n + 7) // 8)
                    for doc, _ in postings:
                        bits[doc >> 3] |= 1 << (doc & 7)
                    (self.folder / "b" / f"{number}.{position}.bits").write_bytes(bytes(bits))
            _write(self.folder / "c" / f"{number}.json", chunk)
        _write(self.folder / "meta.json", {"docs": n, "block": block, "chunks": [p for p, _ in chunks]})
        if any(self.slugs):
            _write(self.folder / "slugs.json", self.slugs)
        return n, len(sizes)

    def _postings(self, term: str, n: int, norms: list[float]) -> list[tuple[int, int]]:
        """`term`'s postings `(document, impact)`, best first (`norms`: each document's length norm); its arrays are
        given up."""
        ids, field, count = self.ids.pop(term), self.field.pop(term), self.count.pop(term)
        scale, k = 100 * math.log(1 + (n - len(ids) + 0.5) / (len(ids) + 0.5)), K1 + 1
        postings = [(doc, max(1, round(scale * (f / 10 + (c * k / (c + norms[doc]) if c else 0.0)))))
                    for doc, f, c in zip(ids, field, count, strict=True)]
        postings.sort(key=lambda p: p[0] - p[1] * n)  # the highest impact first, then the lowest document
        return postings


def chunk_terms(sorted_terms: list[str], size: dict[str, int], limit: int, prefix: str = "") -> list[tuple[str, list[str]]]:
    """The terms (sorted, all starting with `prefix`) grouped by prefix: a group over `limit` bytes is split by the
    next letter (the terms equal to its prefix stay in its own chunk). Returns `[(prefix, terms)]` sorted."""
    if sum(size[t] for t in sorted_terms) <= limit or all(t == prefix for t in sorted_terms):
        return [(prefix, sorted_terms)] if sorted_terms else []
    own = [t for t in sorted_terms if len(t) == len(prefix)]
    groups: dict[str, list[str]] = {}
    for term in sorted_terms:
        if len(term) > len(prefix):
            groups.setdefault(term[:len(prefix) + 1], []).append(term)
    out = [(prefix, own)] if own else []
    for child in sorted(groups):
        out += chunk_terms(groups[child], size, limit, child)
    return out


def _write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")


@dataclass(frozen=True)
class CachePlace:
    """Where the build cache keeps the search documents (`documents`) and the pages (`pages/<digest>.html`, named
    by a digest of their bytes), and the key of the code that made them."""

    documents: Path
    pages: Path
    code: str


class DocumentCache:
    """The `Document`s the last build read, in `place.documents`, each named by a digest of what it was read from
    (the code's key, the page's URL, and its text or the digest of the page's file in the build cache): its fragment
    in `<name>.gz` (linked into the site: `_Postings.add`) and the rest in `<name>.pickle`, which starts with a
    digest of its own bytes and holds the fragment's. A document whose files are not those written is read again,
    never trusted; a kept file is replaced, never written over (the site may link it)."""

    def __init__(self, place: CachePlace) -> None:
        self.place, self.folder = place, place.documents
        self.used: set[str] = set()
        self.folder.mkdir(parents=True, exist_ok=True)

    def read(self, url: str, text: str, page: str | None = None) -> tuple[Document, Path | None]:
        """The page's document (`text`, or the build cache's page file `page`): the kept one, or read now; and the
        file holding its fragment when it was kept."""
        source = f"page {page}" if page else text
        name = hashlib.sha256(f"{self.place.code}\0{url}\0{source}".encode("utf-8", "surrogatepass")).hexdigest()
        path, fragment = self.folder / f"{name}.pickle", self.folder / f"{name}.gz"
        self.used.update((path.name, fragment.name))
        try:
            data = path.read_bytes()
            if data[:32] == hashlib.sha256(data[32:]).digest():
                document, digest = pickle.loads(data[32:])
                kept = fragment.read_bytes()
                if isinstance(document, Document) and hashlib.sha256(kept).digest() == digest:
                    return replace(document, fragment=kept), fragment
        except Exception:  # missing, damaged or of another layout: read the page
            pass
        document = read_document(url, self._page(page) if page else text)
        data = pickle.dumps((replace(document, fragment=b""), hashlib.sha256(document.fragment).digest()),
                            protocol=pickle.HIGHEST_PROTOCOL)
        for file, content in ((fragment, document.fragment), (path, hashlib.sha256(data).digest() + data)):
            file.unlink(missing_ok=True)
            file.write_bytes(content)
        return document, None

    def _page(self, name: str) -> str:
        data = (self.place.pages / f"{name}.html").read_bytes()
        if hashlib.sha256(data).hexdigest() != name:
            raise RuntimeError(f"the build cache's page file {name}.html changed during the build; build again")
        return data.decode("utf-8", "surrogatepass")

    def prune(self) -> None:
        """Remove the documents of pages this build did not have, and anything else in the folder (an earlier
        version kept Pagefind's shards here, in folders)."""
        for entry in os.scandir(self.folder):
            if entry.name not in self.used:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)


def _index(pages: multiprocessing.Queue, output: str, block: int, answer: multiprocessing.Queue,
           cache: CachePlace | None) -> None:
    """The indexer's process: read the pages `(url, text, page file)` from `pages`, in lists, until None, write the index,
    answer (documents, terms)."""
    try:
        folder = Path(output)
        shutil.rmtree(folder, ignore_errors=True)
        postings = {kind: _Postings(folder / kind) for kind in KINDS}
        documents = DocumentCache(cache) if cache else None
        while (batch := pages.get()) is not None:
            for page in batch:
                document, kept = documents.read(*page) if documents else (read_document(*page[:2]), None)
                postings[document.kind].add(document, kept)
        if documents:
            documents.prune()
        counts = [p.write(block) for p in postings.values()]
        answer.put((sum(c[0] for c in counts), sum(c[1] for c in counts)))
    except BaseException as error:  # any failure is the build's to report (`finish`)
        answer.put(f"{type(error).__name__}: {error}")


class SearchIndex:
    """The index under `site_dir/search-index/`, made in a process of its own from the pages `add`ed (from any one
    thread); `finish()` waits for it to be written. `stopping` (a newer `mkdocs serve` build) ends it early.
    `cache`: where the build cache keeps documents and pages, if it does (`DocumentCache`)."""

    def __init__(self, site_dir: Path, block_size: int = DEFAULT_BLOCK_SIZE,
                 stopping: threading.Event | None = None, cache: CachePlace | None = None) -> None:
        if block_size < 1:
            raise ValueError(f"search_block_size must be at least 1, not {block_size}")
        self.output, self.cache = site_dir / BUNDLE_DIR, cache
        self.stopping = stopping or threading.Event()
        self.start = time.perf_counter()
        context = multiprocessing.get_context("spawn")
        self.pages: multiprocessing.Queue = context.Queue(QUEUED)
        self.answer: multiprocessing.Queue = context.Queue()
        # A build that ends without `finish` (an error, Ctrl-C) may leave pages queued for an indexer that is gone:
        # they must not hold the process at exit. `finish` waits for the indexer's answer, sent once it has read them all.
        self.pages.cancel_join_thread()
        self.process = context.Process(target=_index, args=(self.pages, str(self.output), block_size, self.answer,
                                             cache),
                                       name="persona-catalog-search", daemon=True)
        self.process.start()
        self.batch: list[tuple[str, str, str | None]] = []  # pages added, not yet sent

    def add(self, url: str, html: str, page: str | None = None) -> None:
        """Index the page at `url` (site-absolute, e.g. `/personas/x/`) if it is `searchable`; `page`: the digest
        naming its file in the build cache, which the indexer reads itself if it has no document for it (a page
        taken from the cache is then not sent at all)."""
        if searchable(html):
            self._send((url, "", page) if page and self.cache else (url, search_document(html), None))

    def add_kept(self, url: str, page: str) -> None:
        """A searchable page taken from the build cache, whose file there is `page` (the indexer reads it)."""
        assert self.cache is not None
        self._send((url, "", page))

    def _send(self, item: tuple[str, str, str | None]) -> None:
        if not self.stopping.is_set():
            self.batch.append(item)
            if len(self.batch) == BATCH:
                self._put(self.batch)
                self.batch = []

    def _put(self, item: list[tuple[str, str, str | None]] | None) -> None:
        while True:
            try:
                self.pages.put(item, timeout=1)
                return
            except queues.Full:
                if not self.process.is_alive():
                    raise SearchIndexError(self._failure()) from None

    def _failure(self) -> str:
        """Why the indexer stopped: what it answered, else its exit code."""
        try:
            answer = self.answer.get(timeout=1)
        except queues.Empty:
            answer = None
        return answer if isinstance(answer, str) else f"the indexer exited with {self.process.exitcode}"

    def finish(self) -> IndexReport | None:
        """Wait for the index to be written (None: stopped before the end); raises `SearchIndexError`."""
        if self.stopping.is_set():
            self.stop()
            return None
        if self.batch:
            self._put(self.batch)
        self._put(None)
        while True:
            try:
                answer = self.answer.get(timeout=1)
                break
            except queues.Empty:
                if self.stopping.is_set():
                    self.stop()
                    return None
                if not self.process.is_alive() and self.answer.empty():
                    raise SearchIndexError(f"the indexer exited with {self.process.exitcode}") from None
        self.process.join()
        if isinstance(answer, str):
            raise SearchIndexError(answer)
        files = [p for p in self.output.rglob("*") if p.is_file()]
        return IndexReport(answer[0], answer[1], len(files), sum(p.stat().st_size for p in files),
                           time.perf_counter() - self.start)

    def stop(self) -> None:
        """End early: the site is out of date (what was written is left for the next run to replace)."""
        self.stopping.set()
        self.process.kill()
        self.process.join()


def index_site(index: SearchIndex | None, site_dir: Path, block_size: int,
               stopping: threading.Event) -> IndexReport | None:
    """Finish `index`, fed while the pages were rendered; or, with None (`--dirty` renders only the pages that
    changed), index the pages written in `site_dir`. None when `stopping` was set before the end."""
    if index is None:
        index = SearchIndex(site_dir, block_size, stopping)
        for url, html in written_pages(site_dir):
            if stopping.is_set():
                break
            index.add(url, html)
    if stopping.is_set():
        index.stop()
        return None
    return index.finish()


__all__ = ["BODY_END", "SearchIndex", "SearchIndexError", "index_site", "read_document", "search_document",
           "searchable"]
