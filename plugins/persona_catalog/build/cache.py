"""The build cache: what one `mkdocs build` keeps for the next, in a folder of the project (`cache_dir`, default
`.cache/plugin/persona-catalog`, beside Material's own plugin caches), so that a build after an edit redoes only
what the edit shows on. Deleting the folder forces a full build.

Kept: each persona file's parsed record (by a digest of its bytes), each persona's export parts (by the record
and `api_model`), the personas related to each, zip members compressed, each page's search document (by the page's text), and the HTML of each
generated page with a digest of everything it was made from (`page_key`);
a page is reused only when that digest is the same. What a page is made from is the site key (this package, the
engine and theme versions, the configuration, templates and nav: any change there makes every page again) and
what it shows of each persona (`site.pages.page_shows`). A cache that cannot be read, or was
written by another version, is ignored: doubt means a full build, never a stale page. No engine here.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import shutil
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files as package_files
from pathlib import Path

from persona_catalog.build.placing import PagePlacer
from persona_catalog.catalog.loader import ParseCache
from persona_catalog.catalog.model import Catalog, Persona
from persona_catalog.exports import Exports
from persona_catalog.exports.formats import ExportParts
from persona_catalog.exports.zipping import Deflated, Deflations
from persona_catalog.search.index import CachePlace
from persona_catalog.search.reading import searchable

log = logging.getLogger("mkdocs.plugins.persona_catalog")

FORMAT = 5  # of what is stored: a new value drops every cache written before
DEFAULT_DIR = ".cache/plugin/persona-catalog"
STATE = "state.pickle"
PAGES = "pages"
DOCUMENTS = "search"  # the search index's documents (`search.index.DocumentCache`), by the page they were read from


def digest(*values: object) -> str:
    """A digest of `values` that is the same in every process (their `repr`: records, tuples, strings, dates)."""
    return hashlib.sha256(repr(values).encode("utf-8", "surrogatepass")).hexdigest()


def record_digest(value: object) -> bytes:
    """A digest of a record with long texts (a persona: its prompt and file), from its pickle: a third of the time
    `digest` takes to escape them (pickles of the same values are the same in every process of one Python)."""
    return hashlib.sha256(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)).digest()


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


def _tree(root: Path) -> Iterable[tuple[str, bytes]]:
    """Every file under `root` (path, a digest of its bytes), in path order."""
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".pyc"):
        yield path.relative_to(root).as_posix(), hashlib.sha256(path.read_bytes()).digest()


def code_key() -> str:
    """This package's version and files (templates, scripts and code: an editable install changes them without a
    new version), the engine's and theme's versions and Python's."""
    own = Path(str(package_files("persona_catalog")))
    return digest(FORMAT, sys.version_info[:2], zlib.ZLIB_RUNTIME_VERSION, _version("persona-catalog"),
                  _version("mkdocs"), _version("mkdocs-material"), tuple(_tree(own)) if own.is_dir() else ())


def folder_key(paths: Iterable[str | Path]) -> str:
    """The files in the given folders and files (a theme's custom_dir, hooks): changing any changes every page."""
    return digest(*(tuple(_tree(Path(p))) if Path(p).is_dir() else
                    Path(p).is_file() and hashlib.sha256(Path(p).read_bytes()).digest() for p in paths))


_EXPORTED = tuple(f.name for f in fields(Persona) if f.name != "raw")


def _exported(persona: Persona) -> tuple[object, ...]:
    """What a persona's exports are made from: its fields but its file's bytes (kept once, by `ParseCache`)."""
    return tuple(getattr(persona, name) for name in _EXPORTED)


@dataclass
class State:
    """What is kept between builds (pickled, with `code`: a state of other code is never read)."""

    code: str = ""
    max_bytes: int = 0
    parsed: ParseCache = field(default_factory=dict)
    # slug -> (the persona's `_exported` fields, the `api_model`, and its export parts by format)
    exports: dict[str, tuple[tuple[object, ...], str, dict[str, ExportParts]]] = field(default_factory=dict)
    deflated: dict[bytes, Deflated] = field(default_factory=dict)  # zip members, by a digest of their bytes
    site: str = ""  # the site key the pages were made under
    # src_uri -> (its `page_key`, that with its place in the nav, the digest of its HTML, in pages/<digest>.html,
    # its size, and whether it is searchable)
    pages: dict[str, tuple[str, str, str, int, bool]] = field(default_factory=dict)
    # a digest of what relates the personas (`Catalog.relating`), and each one's related personas' slugs
    related: tuple[str, dict[str, tuple[str, ...]]] = ("", {})


class BuildCache:
    """The cache folder of one build: read when the build starts, written when it has finished."""

    def __init__(self, folder: Path | None, max_bytes: int) -> None:
        self.folder = folder
        self.code = code_key() if folder is not None else ""
        self.before = self._state(max_bytes)
        self.now = State(self.code, max_bytes)
        self.reused = 0  # pages taken from the cache this build
        self.catalog: tuple[str, Catalog] | None = None  # whose related personas are kept (`relate`)
        self.placer: PagePlacer | None = None  # copying the taken pages into the site
        self.written: set[str] = set()  # the pages made this build (the engine writes them)
        self.saving: _Saving | None = None  # this build's state being written

    def _state(self, max_bytes: int) -> State:
        if self.folder is None:
            return State()
        try:
            with open(self.folder / STATE, "rb") as stream:
                state = pickle.load(stream)
        except FileNotFoundError:
            return State()
        except Exception as error:  # a cache of an older layout, or cut short: a full build
            log.info("persona-catalog: the build cache %s could not be read (%s): a full build", self.folder, error)
            return State()
        if not isinstance(state, State) or state.code != self.code:
            return State()
        if state.max_bytes != max_bytes:
            state.parsed = {}
        return state

    @property
    def parsed(self) -> ParseCache:
        """The parsed files of the last build; `load_files` replaces the content with this build's."""
        self.now.parsed = self.before.parsed
        return self.now.parsed

    def exports(self, personas: Iterable[Persona], api_model: str,
                make: Callable[[list[Persona], str], Exports]) -> Exports:
        """Every persona's export parts: the last build's where the record and `api_model` are the same."""
        made: dict[tuple[str, str], ExportParts] = {}
        fresh = []
        for persona in personas:
            kept, exported = self.before.exports.get(persona.slug), _exported(persona)
            if kept is not None and kept[1] == api_model and kept[0] == exported:
                self.now.exports[persona.slug] = kept
                made.update(((fmt, persona.slug), parts) for fmt, parts in kept[2].items())
            else:
                fresh.append(persona)
        new = make(fresh, api_model)
        made.update(new)
        by_slug: dict[str, dict[str, ExportParts]] = {}  # the fresh ones', kept for the next build
        for (fmt, slug), parts in new.items():
            by_slug.setdefault(slug, {})[fmt] = parts
        for persona in fresh:
            self.now.exports[persona.slug] = (_exported(persona), api_model, by_slug.get(persona.slug, {}))
        return made

    def relate(self, catalog: Catalog) -> None:
        """Give `catalog` the last build's related personas when what relates them is the same (an edit past the
        start of a prompt, a new version, dates); this build's are kept for the next."""
        if self.folder is None:
            return
        whole = hashlib.sha256()  # persona by persona (one string of all of them is 40 MB at 50,000)
        for persona in catalog.relating():
            whole.update(digest(persona).encode())
        key = whole.hexdigest()
        if self.before.related[0] == key:
            catalog.know_related(self.before.related[1])
        self.catalog = (key, catalog)

    @property
    def deflations(self) -> Deflations | None:
        """The zip members the last build compressed, and this one's (kept for the next)."""
        if self.folder is None:
            return None
        deflations = Deflations(self.before.deflated)
        self.now.deflated = deflations.now
        return deflations

    @property
    def documents(self) -> CachePlace | None:
        """Where the search index keeps the documents it read and finds the pages, and the code's key."""
        return None if self.folder is None else CachePlace(self.folder / DOCUMENTS, self.folder / PAGES, self.code)

    def page_file(self, src_uri: str) -> str | None:
        """The digest naming the page's file, for a page taken or kept this build."""
        kept = self.now.pages.get(src_uri)
        return None if kept is None else kept[2]

    def start_pages(self, site: str) -> None:
        """The site key of this build's pages: the last build's pages count only under the same."""
        self.now.site = site
        if self.before.site != site:
            self.before.pages = {}

    def likely(self, src_uri: str, key: str) -> bool:
        """Whether the last build made the page from the same `page_key` (its place in the nav may differ)."""
        kept = self.before.pages.get(src_uri)
        return kept is not None and kept[0] == key

    def take(self, src_uri: str, key: str, whole: str) -> bool:
        """Whether this build takes the page from the cache: the last build made it from the same inputs
        (`whole`: its key with its place in the nav), and its file is there with the size it was written with
        (its bytes are checked as it is copied: `place`)."""
        kept = self.before.pages.get(src_uri)
        if kept is None or kept[:2] != (key, whole) or self._size(kept[2]) != kept[3]:
            return False
        self.now.pages[src_uri] = kept
        self.reused += 1
        return True

    def search_file(self, src_uri: str) -> str | None:
        """The file in the cache of a page taken this build, if the page is a search result."""
        kept = self.now.pages[src_uri]
        return kept[2] if kept[4] else None

    def place(self, pages: Iterable[tuple[str, str]]) -> None:
        """Start copying each page `(src_uri, destination)` the last build made from the same `page_key` (`likely`)
        to its file in the site, while the build goes on (`placing.PagePlacer`)."""
        assert self.folder is not None
        jobs = [(src_uri, self.before.pages[src_uri][2], destination) for src_uri, destination in pages]
        if jobs:
            self.placer = PagePlacer(self.folder / PAGES)
            self.placer.place(jobs)

    def settle(self, taken: Iterable[str]) -> None:
        """The pages taken: a page `place`d and not taken is the engine's to write, and no longer copied."""
        if self.placer is not None:
            self.placer.settle(frozenset(taken))

    def placed(self) -> None:
        """Wait until the pages taken are in the site (`CacheChanged`: a file is not the one written)."""
        placer, self.placer = self.placer, None
        if placer is not None:
            placer.finish(self.written)

    def _size(self, name: str) -> int:
        assert self.folder is not None
        try:
            return (self.folder / PAGES / f"{name}.html").stat().st_size
        except OSError:
            return -1

    def keep_page(self, src_uri: str, key: str, whole: str, html: str) -> None:
        """A page made this build, as the engine writes it (UTF-8), for the next: its file is named by the digest
        of its bytes, so no file the last build's state names is ever written over (a build stopped part way
        leaves that state true). A page with a lone surrogate (written as a character reference) is not kept."""
        if self.folder is None:
            return
        self.written.add(src_uri)
        try:
            data = html.encode("utf-8")
        except UnicodeEncodeError:
            return
        name = hashlib.sha256(data).hexdigest()
        if self._size(name) != len(data):  # not kept already (each file is named by its bytes' digest)
            (self.folder / PAGES).mkdir(parents=True, exist_ok=True)
            (self.folder / PAGES / f"{name}.html").write_bytes(data)
        self.now.pages[src_uri] = (key, whole, name, len(data), searchable(html))

    def start_save(self) -> None:
        """Start writing this build's state to a temporary file, in a thread (while the build waits for its search
        index); `save` makes it the cache's once the build has succeeded, `abandon` drops it."""
        if self.folder is None or self.saving is not None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.catalog is not None:
            self.now.related = (self.catalog[0], self.catalog[1].related_slugs())
        self.saving = _Saving(self.folder, self.now)

    def save(self) -> None:
        """Make this build's state the cache's (atomically) and remove the pages it did not make or reuse."""
        if self.folder is None:
            return
        self.start_save()
        saving, self.saving = self.saving, None
        assert saving is not None
        temporary = saving.join()
        pages = self.folder / PAGES
        if pages.is_dir():
            kept = {f"{page[2]}.html" for page in self.now.pages.values()}
            for stale in os.scandir(pages):
                if stale.name not in kept:
                    os.unlink(stale.path)
        os.replace(temporary, self.folder / STATE)

    def abandon(self) -> None:
        """A build stopped: stop copying pages, and drop the state it started writing."""
        placer, self.placer = self.placer, None
        if placer is not None:
            placer.stop()
        saving, self.saving = self.saving, None
        if saving is not None:
            with contextlib.suppress(BaseException):
                Path(saving.join()).unlink(missing_ok=True)

    def clear(self) -> None:
        """Forget everything (a build that failed part way leaves no state to trust)."""
        self.abandon()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


class _Saving:
    """A build's state pickled to a temporary file of the cache folder by a thread; `join` gives its path."""

    def __init__(self, folder: Path, state: State) -> None:
        self.folder, self.state, self.path = folder, state, ""
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="persona-catalog-cache-state", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        handle, self.path = tempfile.mkstemp(dir=self.folder, prefix=".state-")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(self.state, stream, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as error:  # the build's to raise (`join`)
            Path(self.path).unlink(missing_ok=True)
            self.error = error

    def join(self) -> str:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.path
