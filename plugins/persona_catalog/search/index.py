"""The Pagefind index, built in shards of a fixed number of pages and fed one page at a time, so the indexer's
memory does not grow with the catalog and its work runs beside the build (on another core) instead of after it.

Each shard is a Pagefind bundle of its own (`pagefind/0/`, `pagefind/1/`, ...), listed in `pagefind/shards.json`;
the search worker merges them in the browser with Pagefind's multisite API (`mergeIndex`,
https://pagefind.app/docs/multisite/). A shard is indexed by its own `pagefind --service` process (the binary of
the `pagefind[bin]` wheel), which ends once the shard is written, so its memory is given back.

The service is the one Pagefind's Python and Node APIs drive: each request and each response is base64-encoded
JSON ended by a comma (`pagefind.service`). It is driven here directly, one request at a time from one thread:
the `pagefind.index` wrapper (1.5.2) reads each response after a 0.1 s sleep, so it indexes at most ten pages a
second (measured: 300 pages in 30 s), where Pagefind itself takes about a millisecond a page.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from queue import Queue

from pagefind.service import get_executable

from persona_catalog.search.shard_cache import ShardCache

BUNDLE_DIR = "pagefind"
MANIFEST = "shards.json"  # {"pages": n, "shards": ["0/", "1/", ...]}, read by search-worker.js
DEFAULT_SHARD_SIZE = 750
QUEUED = 64  # pages waiting for the indexer at most; a faster producer waits (their HTML is held meanwhile)
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")  # the theme's box is used

STDERR_TAIL = 2000  # bytes of Pagefind's stderr a failure quotes at most (its last words)

_MARK = "data-pagefind-body"
# Written after the element marked `_MARK` (persona.html, theme.docs_body): where what search reads ends. The
# last one on the page counts (page content cannot make it: persona fields are escaped, Markdown's comments
# come before the end of the docs wrapper).
BODY_END = "<!--/pagefind-body-->"
# A real tag carrying the attribute (persona data is escaped, so it never makes a `<` or a closed attribute).
_SEARCHABLE = re.compile(r'<[a-z]+(?:\s+[a-z-]+(?:="[^"<>]*")?)*?\s+data-pagefind-body[\s>]')


class SearchIndexError(RuntimeError):
    """Pagefind failed; the message carries its own."""


@dataclass(frozen=True)
class IndexReport:
    """What one indexing run wrote: pages indexed, shards, files and bytes of the bundles, seconds taken."""

    pages: int
    shards: int
    files: int
    bytes: int
    seconds: float

    def __str__(self) -> str:
        return (f"indexed {self.pages} pages in {self.shards} shard(s) of {self.files} files "
                f"({self.bytes / 1024:.0f} KB) in {self.seconds:.2f} s")


def _body_at(html: str) -> int:
    """Where the first tag carrying `data-pagefind-body` starts in `html`, or -1."""
    at = html.find(_MARK)
    while at >= 0:  # each mention, checked from the tag it may be in (a listing has none: one quick scan)
        tag = html.rfind("<", 0, at)
        if tag >= 0 and _SEARCHABLE.match(html, tag):
            return tag
        at = html.find(_MARK, at + 1)
    return -1


def searchable(html: str) -> bool:
    """Whether the page marks content for search (`data-pagefind-body`): persona and docs pages, not listings."""
    return _body_at(html) >= 0


def search_document(html: str) -> str:
    """What Pagefind is given of a searchable page: the element marked `data-pagefind-body`, up to the `BODY_END`
    the templates write after it, alone in a document (the theme's header, navigation and footer are never
    indexed, so Pagefind need not parse them: half a persona page's bytes). The whole page without the mark."""
    start, end = _body_at(html), html.rfind(BODY_END)
    if start < 0 or end < start:
        return html
    return f"<!DOCTYPE html><html><body>{html[start:end]}</body></html>"


def written_pages(site_dir: Path) -> Iterator[tuple[str, str]]:
    """Every HTML page of a built site (but Pagefind's own) as `(url, html)`, in path order."""
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir)
        if relative.parts[0] == BUNDLE_DIR:
            continue
        yield ("/" + relative.as_posix()).removesuffix("index.html"), path.read_text("utf-8", errors="replace")


class _Shard:
    """One `pagefind --service` process holding one index: the pages of one shard. Its stderr goes to a temporary
    file, read when it fails (a pipe would have to be drained all along, or Pagefind could block writing to it)."""

    def __init__(self) -> None:
        executable = get_executable()
        if executable is None:
            raise SearchIndexError("no pagefind binary (install the 'pagefind[bin]' package)")
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (kept open with the process, closed by close())
        try:
            self.process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=self.stderr)
        except OSError as error:
            self.stderr.close()
            raise SearchIndexError(f"pagefind could not be started ({executable}): {error}") from error
        self.message = 0
        self.buffer = bytearray()  # what Pagefind wrote and was not read as a response yet
        self.pages = 0
        self.index: object = None  # Pagefind's id of the index, asked for with the first page: no request is
        # made here, so the process is never left behind by a failed one and `ShardedIndex.stop` can kill it

    def add(self, url: str, html: str) -> None:
        if self.index is None:
            self.index = self._ask({"type": "NewIndex", "config": {"force_language": "en"}}, "index_id")
        self._send({"type": "AddFile", "index_id": self.index, "url": url, "file_contents": html, "file_path": None})
        self.pages += 1

    def write(self, output: Path) -> None:
        """Write the shard's bundle into `output`. Its files are asked for (`GetFiles`) and written here: after
        `WriteFiles` Pagefind may still be writing when it answers, and it exits at once when its input closes
        (a build's shards came out with empty files)."""
        shutil.rmtree(output, ignore_errors=True)
        files = self._ask({"type": "GetFiles", "index_id": self.index}, "files")
        with self._reading("pagefind's list of files"):
            for file in files:  # type: ignore[attr-defined]
                relative = PurePosixPath(file["path"])
                if relative.is_absolute() or ".." in relative.parts:
                    raise self._failed(f"pagefind returned a file outside its bundle: {file['path']!r}")
                if relative.name not in UNUSED:
                    target = output.joinpath(*relative.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(base64.b64decode(file["content"], validate=True))

    def close(self) -> None:
        """End the process (it holds the index in memory) and release its pipes and its stderr file."""
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.stderr):
            with contextlib.suppress(OSError):  # stdin: a request Pagefind did not take
                stream.close()  # type: ignore[union-attr]

    def _ask(self, payload: dict[str, object], key: str) -> object:
        with self._reading(f"pagefind's answer to {payload['type']}"):
            return self._send(payload)[key]

    def _send(self, payload: dict[str, object]) -> dict[str, object]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.message += 1
        request = json.dumps({"message_id": self.message, "payload": payload}).encode()
        try:
            self.process.stdin.write(base64.b64encode(request) + b",")
            self.process.stdin.flush()
        except OSError:  # a broken pipe: it has ended
            raise self._failed(f"pagefind exited with {self.process.wait()}") from None
        searched = 0
        while True:
            end = self.buffer.find(b",", searched)
            if end < 0:
                chunk = self.process.stdout.read1(1 << 16)  # type: ignore[attr-defined]
                if not chunk:
                    raise self._failed(f"pagefind exited with {self.process.wait()}")
                searched = len(self.buffer)
                self.buffer += chunk
                continue
            with self._reading("pagefind's answer"):
                response = json.loads(base64.b64decode(self.buffer[:end], validate=True))
                answer: dict[str, object] = response["payload"]
                kind, number = answer.get("type"), response.get("message_id")
            del self.buffer[:end + 1]
            searched = 0
            if kind == "Error":
                raise self._failed(f"pagefind answered {payload['type']} with an error: {answer.get('message')}")
            if number == self.message:
                return answer

    @contextlib.contextmanager
    def _reading(self, what: str) -> Iterator[None]:
        """Raise a garbled answer read in the block (bad base64 or JSON, a missing key) as a `SearchIndexError`."""
        try:
            yield
        except (ValueError, KeyError, TypeError, AttributeError) as error:  # binascii.Error is a ValueError
            raise self._failed(f"{what} could not be read ({_named(error)})") from error

    def _failed(self, what: str) -> SearchIndexError:
        """`what` failed, with the end of what Pagefind wrote to stderr (all of it: the process is ended first)."""
        self.process.kill()
        self.process.wait()
        self.stderr.seek(0, os.SEEK_END)
        self.stderr.seek(max(0, self.stderr.tell() - STDERR_TAIL))
        said = self.stderr.read().decode("utf-8", errors="replace").strip()
        return SearchIndexError(f"{what}; pagefind said: {said}" if said else what)


class ShardedIndex:
    """Pagefind bundles of at most `shard_size` pages each under `site_dir/pagefind/`, made in a thread of their
    own from the pages `add`ed (from any one thread); `finish()` waits for the last shard and writes the manifest.

    `stopping` (a newer `mkdocs serve` build has begun) ends the work early, leaving what was written.
    """

    def __init__(self, site_dir: Path, shard_size: int = DEFAULT_SHARD_SIZE,
                 stopping: threading.Event | None = None, cache: Path | None = None) -> None:
        if shard_size < 1:
            raise ValueError(f"search_shard_size must be at least 1, not {shard_size}")
        self.output, self.shard_size = site_dir / BUNDLE_DIR, shard_size
        self.cache = ShardCache(cache) if cache is not None else None
        self.stopping = stopping or threading.Event()
        # With a cache, a shard's pages are held until it is complete and then indexed at once: the pages of the
        # next shard may wait meanwhile (their search documents, a few KB each), so the page loop goes on.
        self.queue: Queue[tuple[str, str] | None] = Queue(QUEUED if cache is None else max(QUEUED, shard_size))
        self.error: SearchIndexError | None = None
        self.shard: _Shard | None = None  # the one being made, in the indexer's thread
        self.shards: list[int] = []  # pages in each shard written
        self.start = time.perf_counter()
        self.thread = threading.Thread(target=self._run, name="persona-catalog-pagefind", daemon=True)
        self.thread.start()

    def add(self, url: str, html: str) -> None:
        """Index the page at `url` (site-absolute, e.g. `/personas/x/`) if it is `searchable`."""
        if searchable(html):
            self.queue.put((url, search_document(html)))

    def finish(self) -> IndexReport | None:
        """Wait for every page to be indexed and the last shard written (None: stopped before the end); raises
        `SearchIndexError`."""
        self.queue.put(None)
        self.thread.join()
        if self.stopping.is_set():  # first: `stop` kills Pagefind, which is no failure
            return None
        if self.error is not None:
            raise self.error
        files = [p for p in self.output.rglob("*") if p.is_file()]
        return IndexReport(sum(self.shards), len(self.shards), len(files), sum(p.stat().st_size for p in files),
                           time.perf_counter() - self.start)

    def stop(self) -> None:
        """End early: the site is out of date (what was written is left for the next run to replace). The current
        shard's process is killed first, so a Pagefind that stopped answering cannot hold this up."""
        self.stopping.set()
        shard = self.shard
        if shard is not None:
            shard.process.kill()  # its answer is read in the indexer's thread: that read ends at once
        self.queue.put(None)
        self.thread.join()

    def _run(self) -> None:
        ended = False  # the end of the pages (None) was taken from the queue
        try:
            while (page := self.queue.get()) is not None:
                if self.stopping.is_set():
                    continue
                if self.cache is not None:  # held until the shard is complete: it may be in the cache
                    self.cache.add(*page)
                    if len(self.cache.pages) == self.shard_size:
                        self._cached_shard()
                    continue
                self.shard = self.shard or _Shard()
                if not self.stopping.is_set():  # again, now that `stop` sees the shard and can kill it
                    self.shard.add(*page)
                    if self.shard.pages == self.shard_size:
                        self._write()
            ended = True
            if not self.stopping.is_set():
                if self.cache is not None and self.cache.pages:
                    self._cached_shard()
                if self.shard is not None:
                    self._write()
                self._write_manifest()
                if self.cache is not None:
                    self.cache.save(len(self.shards))
        except Exception as error:  # raised by `finish`
            self.error = error if isinstance(error, SearchIndexError) else SearchIndexError(_named(error))
        finally:
            if self.shard is not None:
                self.shard.close()
        if not ended:
            while self.queue.get() is not None:  # drained, so `add` never waits on a queue nobody empties
                pass

    def _cached_shard(self) -> None:
        """The shard of the pages held: copied from the cache when the last build indexed the same pages, else
        indexed (and kept in the cache)."""
        assert self.cache is not None
        number, pages = len(self.shards), self.cache.pages
        output = self.output / str(number)
        if self.cache.copy(number, output):
            self.shards.append(len(pages))
        else:
            self.shard = _Shard()
            for page in pages:
                if self.stopping.is_set():
                    return
                self.shard.add(*page)
            self._write()
            self.cache.keep(number, output)
        self.cache.next()

    def _write(self) -> None:
        assert self.shard is not None
        output = self.output / str(len(self.shards))
        try:
            self.shard.write(output)
        except OSError as error:
            raise SearchIndexError(f"writing {output} failed: {error}") from error
        self.shard.close()
        self.shards.append(self.shard.pages)
        self.shard = None

    def _write_manifest(self) -> None:
        names = [f"{number}/" for number in range(len(self.shards))]
        self.output.mkdir(parents=True, exist_ok=True)
        for stale in self.output.iterdir():  # an earlier build's shards or single bundle (`--dirty`, `serve`)
            if stale.name not in {name.rstrip("/") for name in names}:
                shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
        (self.output / MANIFEST).write_text(json.dumps({"pages": sum(self.shards), "shards": names}), "utf-8")


def _named(error: BaseException) -> str:
    """`error` as `kind: message`, the kind with its module unless built in (`binascii.Error`, `KeyError`)."""
    kind = type(error)
    return f"{kind.__name__ if kind.__module__ == 'builtins' else f'{kind.__module__}.{kind.__name__}'}: {error}"


def index_site(index: ShardedIndex | None, site_dir: Path, shard_size: int,
               stopping: threading.Event) -> IndexReport | None:
    """Finish `index`, fed while the pages were rendered; or, with None (`--dirty` renders only the pages that
    changed), index the pages written in `site_dir`. None when `stopping` was set before the end."""
    if index is None:
        index = ShardedIndex(site_dir, shard_size, stopping)
        for url, html in written_pages(site_dir):
            if stopping.is_set():
                break
            index.add(url, html)
    if stopping.is_set():
        index.stop()
        return None
    return index.finish()
