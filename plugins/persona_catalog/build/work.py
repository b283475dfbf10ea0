"""What a build writes besides its pages (`SiteWork`): the search index (`indexing`), fed the pages as they are
written or, under `--dirty`, made from the written site, and the machine-readable outputs; under `mkdocs serve`
finished in a thread of its own (`Background`), which a newer build stops. `plugin.py` starts and waits for
them. No MkDocs here.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from persona_catalog.catalog.model import Catalog
from persona_catalog.catalog.progress import Progress, Stages
from persona_catalog.exports import Exports, Marketplace, marketplace_name_problem
from persona_catalog.exports.zipping import Deflations, reusing
from persona_catalog.outputs.api import SiteUrl, marketplace_name, site_outputs
from persona_catalog.outputs.discovery import discovery_outputs
from persona_catalog.outputs.writing import remove_outputs, write_outputs
from persona_catalog.search.index import CachePlace, IndexReport, SearchIndex, index_site
from persona_catalog.site.publishing import Publishing
from persona_catalog.site.urls import output_kind

log = logging.getLogger("mkdocs.plugins.persona_catalog")

_PLAIN_PATH = re.compile(r"[\w-][\w.-]*(?:/[\w-][\w.-]*)*/?\Z", re.ASCII)  # no scheme, query, dot segment


class Background:
    """`work(stopping)` running in a thread from now on (it reports its own errors); `stop()` sets `stopping` (the
    work checks it between files) and waits for it to end."""

    def __init__(self, name: str, work: Callable[[threading.Event], None]) -> None:
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=work, args=(self.stopping,), name=name, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()


@dataclass(frozen=True)
class SiteInfo:
    """What the outputs need to know of the site: its folder, address (`""`: none), name and summary."""

    site_dir: str
    url: str
    name: str
    description: str

    def absolute(self, path: str) -> str:
        """A site path as a URL: absolute with a `url`, else the path itself."""
        if self.url.endswith("/") and _PLAIN_PATH.match(path):  # what urljoin gives, without its parsing
            return self.url + path
        return urljoin(self.url, path) if self.url else path


@dataclass(frozen=True)
class OutputOptions:
    """The plugin options the outputs follow."""

    api_model: str
    export_files: bool
    feed_size: int
    marketplace_name: str | None = None  # the Claude Code marketplace's name; default: the site's name as a slug
    zips: bool = True  # the tools' whole-catalog and category zips (`Options.zips_on`)
    raw_files: bool = True  # each persona's source file (`Options.on`)
    persona_json: bool = True  # each persona's JSON document


def marketplace_for(site: SiteInfo, name: str | None) -> tuple[Marketplace, str | None, bool]:
    """The Claude Code marketplace of the site, why it is not served from the site (None when it is), and whether
    that reason is a problem of the configuration (a name Claude Code refuses) rather than of the address."""
    name = name or marketplace_name(site.name)
    problem = marketplace_name_problem(name)
    if problem:
        return Marketplace(name, site.name), (f"{problem}, so the site offers no Claude Code marketplace to add by "
                                              "URL; set the plugin option 'marketplace_name' to a name of your own "
                                              "(kebab-case, e.g. 'acme-personas')"), True
    address = urlsplit(site.url)
    if address.scheme != "https" or (address.hostname or "") in ("localhost", "127.0.0.1", "::1"):
        return Marketplace(name, site.name), ("the Claude Code marketplace is offered as a zip only: Claude Code "
                                              "downloads plugin archives over https from a public host, and "
                                              f"site_url is '{site.url or 'not set'}'"), False
    return Marketplace(name, site.name, site.absolute), None, False


def every_output(catalog: Catalog, exports: Exports, publishing: Publishing, site: SiteInfo, options: OutputOptions,
                 extra: tuple[tuple[str, bytes], ...] = (),
                 in_docs: Callable[[str], bool] = lambda path: False) -> Iterator[tuple[str, bytes]]:
    """Every machine-readable file of the site, one at a time: the API, zips, schema and raw files, `extra`, and
    with a site address the feeds, `llms.txt` and `robots.txt` (unless the docs have that file: theirs wins)."""
    absolute: SiteUrl = site.absolute
    updated = lambda persona: publishing.dates(persona).updated  # noqa: E731
    marketplace, _, _ = marketplace_for(site, options.marketplace_name)
    yield from chain(site_outputs(catalog, absolute, options.api_model, site.name, updated, exports,
                                  options.export_files, marketplace, options.zips, options.raw_files,
                                  options.persona_json), extra)
    if site.url:
        found = discovery_outputs(catalog, publishing, absolute, site.name,
                                  site.description or "AI personas (system prompts) to read and copy.",
                                  options.feed_size, options.raw_files)
        yield from ((path, content) for path, content in found.items() if not in_docs(path))


def weight(size: int) -> str:
    """Bytes as the summary line shows them: `12.4 MB`, `41 KB`."""
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} KB"


@dataclass
class Written:
    """The output paths the last finished build of a preview wrote, kept across its builds: what a new build
    no longer writes (a deleted or renamed persona's JSON document, raw file, exports) is removed."""

    paths: set[str] = field(default_factory=set)
    site_dir: str = ""  # the folder they were written in


class SiteWork:
    """One build's work beside its pages: its search index (`block_size`: postings per block), fed the pages as
    they are written (`feed`) or else made from the written site at the end, and then its outputs. The build
    cache's zip members (`deflations`) and search documents (`documents`: folder and code key) are reused.

    The outputs are written once the pages are (`finish`), while the index is completed: started
    with the pages (they depend on the catalog only), their Python work shared the build process with the page
    loop and made the build slower on two cores (measured in docs/search.md)."""

    def __init__(self, outputs: Iterator[tuple[str, bytes]], site_dir: str, block_size: int | None,
                 feed: bool, written: Written | None = None,
                 deflations: Deflations | None = None, documents: CachePlace | None = None) -> None:
        self.outputs, self.site_dir, self.block_size = outputs, Path(site_dir), block_size
        self.written = written if written is not None else Written()
        self.index = SearchIndex(self.site_dir, block_size, cache=documents) if block_size and feed else None
        self.deflations = deflations or Deflations()  # zip members compressed by the last build (build cache)
        self.report: IndexReport | None = None
        self.sizes: dict[str, int] = {}  # bytes of the outputs written, by kind

    def add_page(self, url: str, html: str, page: str | None = None) -> None:
        """A page as written at `url` (site-absolute), and its file in the build cache; indexed if searchable."""
        if self.index is not None:
            self.index.add(url, html, page)

    def add_kept(self, url: str, page: str) -> None:
        """A searchable page at `url` taken from the build cache, whose file there is `page`."""
        if self.index is not None:
            self.index.add_kept(url, page)

    def finish(self, stages: Stages, stopping: threading.Event,
               after_outputs: Callable[[], None] = lambda: None) -> bool:
        """Write the outputs (stage `outputs`), call `after_outputs`, then wait for the index (`search`; its `report`);
        False when `stopping` was set. Raises what they raised (`writing.UnsafeOutput`,
        `indexing.SearchIndexError`, an `OSError`...), the index stopped (`stages.current` says which failed)."""
        try:
            stages.start("outputs")
            now: set[str] = set()
            with reusing(self.deflations):
                finished = write_outputs(self._counted(), self.site_dir, Progress(log, "wrote", 0, "files"),
                                         stopping, now)
            if not finished:
                self.written.paths |= now  # a newer `mkdocs serve` build writes them all again
                return False
            remove_outputs(self.written.paths - now, self.site_dir)
            self.written.paths = now
            after_outputs()
            if self.block_size:
                stages.start("search")  # what is left of indexing once the outputs are written
                self.report = index_site(self.index, self.site_dir, self.block_size, stopping)
                if self.report is None:
                    return False
        except BaseException:
            self.stop()  # under `serve` no build error follows to stop it: its indexer would wait for pages
            raise
        stages.stop()
        return True

    def _counted(self) -> Iterator[tuple[str, bytes]]:
        """The outputs, their bytes added up by kind (`urls.output_kind`) into `sizes` as they are written."""
        for path, content in self.outputs:
            kind = output_kind(path)
            self.sizes[kind] = self.sizes.get(kind, 0) + len(content)
            yield path, content

    def sizes_line(self) -> str:
        """What the outputs weigh, by kind, largest first: `zips 12.4 MB, api 3.1 MB, other 41 KB`."""
        return ", ".join(f"{kind} {weight(size)}" for kind, size in sorted(self.sizes.items(), key=lambda i: -i[1]))

    def stop(self) -> None:
        """Stop the index fed so far (the outputs stop with the `stopping` given to `finish`)."""
        if self.index is not None:
            self.index.stop()
