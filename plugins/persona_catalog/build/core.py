"""The build, without an engine: `CatalogBuild` loads the catalog, reads its dates, makes the exports, says
which pages to generate and renders them, writes the outputs and the search index, and logs the summary. An
engine adapter (`engines/mkdocs`, `engines/zensical`) places what it makes and decides nothing else.

One build, in order: `configure` (options and site; fatal mistakes raise `BuildError`), `load` (the catalog,
its problems reported: errors raise `BuildError` under `on_invalid: fail`), `pages` (the generated pages),
`render`/`home`/`head`/`lastmod` as the engine writes each page, `start` (the outputs and the index, fed by
`add_page`), `finish` (or `finish_later` under a preview). The instance lives across a preview's rebuilds and
keeps their caches: parsed files, and each persona's exports.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Container, Mapping
from datetime import datetime
from urllib.parse import urljoin

import nh3
from markupsafe import Markup

from persona_catalog.build.cache import BuildCache, digest, record_digest
from persona_catalog.build.options import Options, Site
from persona_catalog.build.placing import CacheChanged
from persona_catalog.build.work import (
    Background,
    OutputOptions,
    SiteInfo,
    SiteWork,
    Written,
    every_output,
    marketplace_for,
)
from persona_catalog.catalog.characters import escape_invisible
from persona_catalog.catalog.loader import LoadResult, ParseCache
from persona_catalog.catalog.model import Catalog, Persona
from persona_catalog.catalog.progress import Progress, Stages
from persona_catalog.catalog.sources import load_sources
from persona_catalog.exports import Exports, api_model_warning, export_parts, export_problems
from persona_catalog.outputs.writing import UnsafeOutput
from persona_catalog.prompt.html import prompt_html
from persona_catalog.prompt.pool import PromptPool
from persona_catalog.search.index import SearchIndexError
from persona_catalog.search.theme import stub_index
from persona_catalog.search.vocabulary import vocabulary
from persona_catalog.site.history import read_history
from persona_catalog.site.pages import LINK_FIELDS, PageSpec, home_page, page_shows, site_pages
from persona_catalog.site.publishing import Publishing, Repository
from persona_catalog.site.render import Renderer, UrlFor
from persona_catalog.site.settings import site_url_problem, theme_icon
from persona_catalog.site.urls import FEED_PATH, page_path

LOG = logging.getLogger("mkdocs.plugins.persona_catalog")  # MkDocs counts its warnings for `--strict`


class BuildError(Exception):
    """A mistake that stops the build (not the preview's): the message says what and how to fix it."""


class CatalogBuild:
    """A catalog's build (and a preview's rebuilds: keep the instance, it keeps their caches)."""

    def __init__(self, serving: bool = False, log: logging.Logger = LOG) -> None:
        self.serving, self.log = serving, log  # a preview: a persona problem never stops it
        self.options, self.site = Options(), Site("site")
        self.icons: dict[str, str] = {}
        self.result: LoadResult | None = None
        self.publishing: Publishing | None = None
        self.renderer: Renderer | None = None
        self.notice = ""  # under a preview: the problems, shown on top of every page
        self.prompts: PromptPool | None = None  # prompt HTML made by worker processes during a build
        self.parse_cache: ParseCache = {}
        self.exports: Exports | None = None
        self.exported: dict[str, Persona] = {}  # under a preview: the persona each slug's exports were made from
        self.exported_model = ""  # and the `api_model` they were made with
        self.stages = Stages()
        self.reading = self.rendering = Progress(log, "rendered", 0)
        self.work: SiteWork | None = None  # this build's search index (fed the pages) and outputs
        self.finishing: Background | None = None  # under a preview: waiting for them, then the summary
        self.written = Written()  # the outputs the last build wrote: a preview removes those it no longer writes
        self.cache = BuildCache(None, 0)  # what the last build kept for this one (`mkdocs build`, `cache: true`)
        self.persona_keys: dict[tuple[str, tuple[str, ...]], str] = {}  # `_persona_key`s, by slug and fields

    @property
    def catalog(self) -> Catalog:
        assert self.result is not None, "load() first"
        return self.result.catalog

    @property
    def zips(self) -> bool:
        """Whether the tools' zips are published (the `zips` option for this catalog's size): pages link them
        exactly when the outputs write them."""
        return self.options.zips_on(len(self.catalog.personas))

    @property
    def downloads(self) -> tuple[bool, bool]:
        """Whether the personas' source files and JSON documents are published (`raw_files`, `persona_json`)."""
        return (self.options.on("raw_files", len(self.catalog.personas)),
                self.options.on("persona_json", len(self.catalog.personas)))

    def configure(self, options: Options, site: Site, icon_dirs: list[str], command: str | None = "build") -> None:
        """Take this build's options and site; resolve category icons from the theme's `icon_dirs`."""
        self.options, self.site = options, site
        if site.url and (reason := site_url_problem(site.url)):
            raise BuildError(f"persona-catalog: site_url: {reason}; set it to the address the site is served "
                             "from, e.g. 'https://catalog.example.org/' (see docs/publishing.md)")
        self.icons = {}
        for cid, category in options.categories.items():
            if category.icon:
                self.icons[category.icon] = self._icon(icon_dirs, category.icon, cid)
        if options.cache and not options.cache_dir.resolve().is_relative_to(options.project.resolve()):
            raise BuildError(f"persona-catalog: cache_dir: {options.cache_dir} is outside the project "
                             f"({options.project}); the build writes only inside it: use a folder of the project, "
                             "e.g. the default '.cache/plugin/persona-catalog'")
        for option in ("page_size", "listing_page_size", "search_block_size"):
            if getattr(options, option) < 1:
                raise BuildError(f"persona-catalog: {option} must be at least 1, not {getattr(options, option)}")
        if command in ("build", "gh-deploy") and not site.url:
            self.log.warning("persona-catalog: 'site_url' is not set in mkdocs.yml, so the sitemap lists no "
                             "pages, pages have no canonical or OpenGraph URL, there are no feeds, llms.txt or "
                             "robots.txt, and API URLs are relative. Set it to the address the site is served "
                             "from, e.g. 'site_url: https://<user>.github.io/<repo>/'.")
        if warning := api_model_warning(options.api_model):
            self.log.warning("persona-catalog: %s", warning)

    def _icon(self, dirs: list[str], icon: str, category: str) -> str:
        svg = theme_icon(dirs, icon)
        if svg is None:
            raise BuildError(f"persona-catalog: categories.{category}.icon: no theme icon named "
                             f"'{escape_invisible(icon)}' (expected a name like 'material/code-braces' from the "
                             "theme's icon sets: lowercase letters, digits, '-', '_' and '/')")
        return svg

    def load(self, prompts: bool = True) -> LoadResult:
        """Load the catalog and report its problems; read its dates, make its exports, set up rendering; with
        `prompts`, start rendering every prompt ahead (else `start_prompts` says which)."""
        options = self.options
        self.stages = Stages()
        self.stages.start("load")
        self.cache = BuildCache(options.cache_dir if options.cache and not self.serving else None,
                                options.max_file_size)
        self.persona_keys = {}
        parsed = self.parse_cache if self.serving else self.cache.parsed if self.cache.folder else None
        self.result = load_sources(options.personas_dir, options.sources, options.categories,
                                   options.max_file_size, Progress(self.log, "loaded", 0, "persona files"),
                                   parsed, checks=export_problems)
        self._report(self.result)
        self.publishing = self._publishing()
        self.cache.relate(self.catalog)
        self.exports = self._export_parts()  # for the pages and the zips
        self.close_prompts()
        if prompts:
            self.start_prompts()
        site = SiteInfo(self.site.site_dir, self.site.url, self.site.name, self.site.description)
        marketplace, why, misconfigured = marketplace_for(site, options.marketplace_name)
        if why:  # a name Claude Code refuses is a warning; an address without https is said, not warned
            self.log.log(self._warning_level() if misconfigured else logging.INFO, "persona-catalog: %s", why)
        self.renderer = Renderer(self.catalog, self.icons, remote_images=options.remote_images,
                                 publishing=self.publishing, exports=self.exports,
                                 export_files=options.export_files, feeds=bool(self.site.url),
                                 prompts=self._prompt,
                                 marketplace=marketplace, site_url=site.absolute if site.url else None,
                                 zips=self.zips, downloads=self.downloads)
        shown = [p for p in self.result.problems if not p.is_suggestion]
        self.notice = self.renderer.problems_notice(shown, self.result.skipped) if self.serving and shown else ""
        return self.result

    def start_prompts(self, skip: Container[str] = ()) -> None:
        """Render the prompts of the personas (but those whose slug is in `skip`) ahead, in worker processes; a
        preview rebuilds few pages, so its prompts are rendered as they are asked for."""
        self.close_prompts()
        if not self.serving:
            self.prompts = PromptPool([p.body for p in self.catalog.personas if p.slug not in skip],
                                      self.options.remote_images, self.options.concurrency)

    def _prompt(self, body: str) -> str:
        return self.prompts.html(body) if self.prompts is not None else prompt_html(body, self.options.remote_images)

    def pages(self) -> list[PageSpec]:
        """Every page the catalog generates."""
        return site_pages(self.catalog, self.options.listing_page_size, self.options.catalog_page or None)

    def page_key(self, page: PageSpec, site: str) -> str:
        """A digest of what the page is made of, for the build cache: `site` (the engine's key of the site's
        configuration, theme and nav), which downloads are published (their `auto` follows the catalog's size),
        the repository's layout, and the page's facts with the records, files, dates and badges of the personas
        it shows (`pages.page_shows`)."""
        assert self.publishing is not None
        own, shown, fields = page_shows(page, self.catalog)
        parts: tuple[object, ...]
        if fields:  # a listing's cards (each persona's on the listings it is on, made once)
            parts = tuple(self._persona_key(p, fields) for p in shown)
        else:  # the page's own persona whole, and links to its related personas
            parts = (self._persona_key(shown[0]), *(tuple(getattr(p, f) for f in LINK_FIELDS) for p in shown[1:])
                     ) if page.persona is not None else tuple(map(self._persona_key, shown))
        return digest(site, self.zips, self.downloads, self.publishing.history.prefix, own, parts)

    def _persona_key(self, persona: Persona, fields: tuple[str, ...] = ()) -> str:
        """A digest of the persona as its page shows it (`fields` empty), or as a listing's card shows `fields`."""
        key = self.persona_keys.get((persona.slug, fields))
        if key is None:
            assert self.publishing is not None
            dates = self.publishing.dates(persona)
            shown = (tuple(getattr(persona, f) for f in fields), dates.updated) if fields else (
                record_digest(persona), dates, self.publishing.badge(persona))
            key = self.persona_keys[persona.slug, fields] = digest(*shown)
        return key

    def take_page(self, src_uri: str, url: str) -> None:
        """A page taken from the build cache (copied into the site while the build goes on: `BuildCache.place`,
        waited for by `finish`), at `url` (site-absolute): given to the search index."""
        self.rendering.step()
        if self.work is not None and (name := self.cache.search_file(src_uri)) is not None:
            self.work.add_kept(url, name)

    def render(self, page: PageSpec, url: UrlFor) -> str:
        """A generated page's HTML (its main content), `url` making docs paths relative to the page."""
        assert self.renderer is not None
        return self.renderer.render(page, url)

    def home(self, src_uri: str, url: UrlFor, link_patterns: Mapping[str, str]) -> str:
        """The filterable listing for the catalog page, its cards linked by `link_patterns` (`{}`: the id)."""
        page = home_page(src_uri, self.catalog, self.options.page_size, self.options.listing_page_size,
                         link_patterns)
        return self.render(page, url)

    def head(self, page: PageSpec | None, page_url: str, title: str, description: str, canonical: str | None,
             social: bool, relative: Callable[[str, str], str]) -> str:
        """What a page's `<head>` gains: the feed link, OpenGraph and Twitter card tags (`social`: the theme
        writes none). Only the catalog's feed, relative: the theme reads every `<link rel="alternate">` as a
        version of the site and fetches the sitemap beside it (a category's feed is linked from its page)."""
        assert self.renderer is not None
        feeds = [{"title": f"{self.site.name}: new and updated personas", "url": relative(FEED_PATH, page_url)}
                 ] if self.site.url else []  # feeds are written only with a site_url
        return self.renderer.fragment("_head.html", feeds=feeds, social=social,
                                      type="article" if page is not None and page.persona else "website",
                                      site_name=self.site.name, title=title, description=description,
                                      url=canonical)

    def lastmod(self, page: PageSpec, edit_url: str | None) -> str | None:
        """The page's date for the sitemap (its newest persona's update), noting a persona page's edit URL."""
        assert self.publishing is not None
        if page.persona is not None and edit_url:
            self.publishing.edit_urls[page.persona.slug] = edit_url
        newest = self.publishing.updated(page.shows(self.catalog))
        return None if newest is None else newest.date().isoformat()

    def start(self, pages: int, in_docs: Callable[[str], bool], dirty: bool = False) -> None:
        """Start this build's outputs and search index (after `load`), for `pages` pages to come."""
        assert self.exports is not None and self.publishing is not None
        self.reading, self.rendering = Progress(self.log, "read", pages), Progress(self.log, "rendered", pages)
        site = SiteInfo(self.site.site_dir, self.site.url, self.site.name, self.site.description)
        options = self.options
        outputs = every_output(self.catalog, self.exports, self.publishing, site,
                               OutputOptions(options.api_model, options.export_files, options.feed_size,
                                             options.marketplace_name, self.zips, *self.downloads),
                               (stub_index(), vocabulary(self.catalog)) if options.search else (), in_docs)
        if self.written.site_dir != self.site.site_dir:  # what a preview wrote, only ever in its own site folder
            self.written = Written(site_dir=self.site.site_dir)
        self.work = SiteWork(outputs, self.site.site_dir, options.search_block_size if options.search else None,
                             feed=not dirty,  # `--dirty` renders only the pages that changed
                             written=self.written if self.serving else None,  # a build removes nothing
                             deflations=self.cache.deflations, documents=self.cache.documents)
        self.stages.start("pages")

    def add_page(self, url: str, html: str, src_uri: str) -> None:
        """A page as written at `url` (site-absolute), for the search index (its file in the build cache, if any)."""
        self.rendering.step()
        if self.work is not None:  # only pages marked `data-pagefind-body` are indexed
            self.work.add_page(url, html, self.cache.page_file(src_uri))

    def finish(self, stopping: threading.Event | None = None) -> None:
        """Write the outputs, wait for the search index, log the summary; `BuildError` if they failed."""
        assert self.result is not None and self.work is not None
        self.close_prompts()  # every page is rendered
        try:
            if not self.work.finish(self.stages, stopping or threading.Event(), self.cache.start_save):
                return
            self.cache.placed()
        except CacheChanged as error:  # a page's file in the cache changed during the build
            self.cache.clear()
            raise BuildError(f"persona-catalog: {error}") from error
        except UnsafeOutput as error:
            raise BuildError(f"persona-catalog: {error}") from error
        except SearchIndexError as error:
            raise BuildError(f"persona-catalog: building the search index failed: {error}") from error
        if self.cache.folder is not None:
            self.cache.save()
            self.log.info("persona-catalog: %d page(s) taken from the build cache %s", self.cache.reused,
                          self.cache.folder)
        if self.work.report is not None:
            self.log.info("persona-catalog: search: %s", self.work.report)
        catalog, skipped = self.catalog, self.result.skipped
        self.log.info("persona-catalog: built %d personas in %d categories with %d tags, %d skipped file(s); "
                      "seconds: %s; outputs: %s", len(catalog.personas), len(catalog.categories),
                      len(catalog.by_tag), len(skipped), self.stages, self.work.sizes_line())
        if skipped:  # last, so the log ends with what was left out
            self.log.log(self.error_level(), "persona-catalog: skipped %d invalid file(s): %s", len(skipped),
                         ", ".join(map(escape_invisible, skipped)))

    def finish_later(self) -> None:
        """`finish` in a thread (a preview: the browser reloads as soon as the pages are written); a newer
        build's `stop` ends it. Its failures are logged: the preview goes on."""
        if self.work is not None:
            self.close_prompts()
            self.finishing = Background("persona-catalog-finishing", self._finish_logged)

    def _finish_logged(self, stopping: threading.Event) -> None:
        try:
            self.finish(stopping)
        except BuildError as error:
            self.log.error("%s", error)
        except Exception as error:  # e.g. an OSError writing a file (a docs file where an output folder goes)
            what = "building the search index" if self.stages.current == "search" else "writing the outputs"
            self.log.error("persona-catalog: %s failed: %s: %s", what, type(error).__name__, error,
                           exc_info=self.log.isEnabledFor(logging.DEBUG))

    def stop(self) -> None:
        """Stop what a previous build still writes (a new one writes it all again), and the prompt workers."""
        self.close_prompts()
        self.cache.abandon()
        if self.finishing is not None:
            self.finishing.stopping.set()  # first: its outputs stop between two files, and it logs nothing
        for task in (self.work, self.finishing):
            if task is not None:
                task.stop()
        self.work, self.finishing = None, None

    def close_prompts(self) -> None:
        if self.prompts is not None:
            self.prompts.close()
            self.log.debug("persona-catalog: %d of %d chunks of prompts rendered by %d worker process(es)",
                           self.prompts.by_workers, len(self.prompts.chunks), len(self.prompts.threads))
            self.prompts = None

    def _export_parts(self) -> Exports:
        """Every persona's export parts; under a preview made again only for the personas that changed."""
        catalog, api_model = self.catalog, self.options.api_model
        if not self.serving:
            return self.cache.exports(catalog.personas, api_model,
                                      lambda personas, model: export_parts(Catalog(tuple(personas)), model))
        previous = self.exports if self.exports is not None and self.exported_model == api_model else {}
        kept = {p.slug for p in catalog.personas if self.exported.get(p.slug) == p} if previous else set()
        exports = {key: parts for key, parts in previous.items() if key[1] in kept}
        exports.update(export_parts(Catalog(tuple(p for p in catalog.personas if p.slug not in kept)), api_model))
        self.exported, self.exported_model = {p.slug: p for p in catalog.personas}, api_model
        return exports

    def _publishing(self) -> Publishing:
        """Dates from one git pass over the personas folder, and the site's repository, licence and URLs."""
        options, site, personas = self.options, self.site, self.catalog.personas
        history = read_history(options.personas_dir, [p.source for p in personas], options.git_history)
        if history.shallow:
            self.log.info("persona-catalog: a shallow git clone: persona dates reach back only to its oldest "
                          "commit (fetch the whole history, e.g. actions/checkout with 'fetch-depth: 0')")
        for problem in history.problems:  # dates outside the range a site can carry
            self.log.log(self._warning_level(), "persona-catalog: %s", problem)
        licence = options.license if options.license is not None else site.copyright
        return Publishing(
            history, now=site.now or datetime.now().astimezone(), recent_days=options.recent_days,
            repo=Repository(site.repo_url) if site.repo_url else None,
            license=Markup(nh3.clean(licence)) if licence else None,  # HTML, as Material shows `copyright`
            author_url=options.author_url,
            page_urls={p.slug: urljoin(site.url, page_path(p.slug)) for p in personas if site.url},
        )

    def _report(self, result: LoadResult) -> None:
        """Log every problem: warnings as warnings (so `--strict` stops on them), errors by `_error_level`.

        Errors stop a build with `on_invalid: fail` (`BuildError`); nothing stops a preview.
        """
        errors = result.errors
        for problem in result.problems:
            if problem.level == "note":  # how a collection's file was read: shown, never stops a build
                self.log.info("persona-catalog: %s", problem)
            elif problem.is_suggestion:
                self.log.debug("persona-catalog: %s", problem)
            elif not problem.is_error:
                self.log.log(self._warning_level(), "persona-catalog: %s", problem)
        if errors and self.options.on_invalid == "fail" and not self.serving:
            lines = "\n".join(f"  {problem}" for problem in errors)
            raise BuildError(
                f"persona-catalog: {len(errors)} problem(s) in {len({p.path for p in errors})} persona file(s) "
                f"under {self.options.personas_dir}{' and sources' if self.options.sources else ''}:\n{lines}\n"
                "Fix them, or set 'on_invalid: skip' to build the valid personas only."
            )
        for problem in errors:
            self.log.log(self.error_level(), "persona-catalog: %s", problem)

    def _warning_level(self) -> int:
        """WARNING, except in a strict preview, which must keep serving (the notice on the page shows them)."""
        return logging.INFO if self.serving and self.site.strict else logging.WARNING

    def error_level(self) -> int:
        """A file left out by choice (`on_invalid: skip`) is not a warning, so `--strict` builds the rest."""
        return logging.INFO if self.options.on_invalid == "skip" and not self.serving else self._warning_level()
