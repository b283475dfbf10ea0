"""The MkDocs adapter: options, generated pages and assets, machine-readable outputs and live reload.

With `site_config`, `config` and `live` (which generated pages a `--dirty` rebuild skips), the only
modules that import MkDocs. Event order in one build:

- `on_startup`: remember the command: a missing `site_url` is a warning for `build`, not for `serve`, and
  under `serve` a persona problem never stops the preview. Defining it makes MkDocs keep this instance across
  `mkdocs serve` rebuilds, so its caches live on: the parsed files, and what each generated page last showed.
- `on_pre_build`, `on_shutdown`, `on_build_error`: stop the previous (or failed) build's outputs and search
  index if they are still being written.
- `on_config`: register the catalog's CSS and JavaScript, resolve category icons, add the 404 page.
- `on_files`: load the catalog once (reporting every problem; under `serve` only changed files are parsed),
  read the files' dates from git in one pass, add the generated pages (persona pages edit their source file)
  and assets, and start the search index (`background.SiteWork`). Under `mkdocs serve --dirty` (`make serve`),
  a generated page is rebuilt only when what it shows changed (`pages.page_inputs`), and pages that are gone
  are removed.
- `on_nav`: place each generated page under the page it belongs to (a persona under its category, a category
  or tag listing under the categories or tags index, a listing's later pages under its first): Material's
  breadcrumbs (`navigation.path`) and active tab follow `page.parent`, and generated pages are not in the nav.
- `on_page_markdown`: give each generated page its escaped title and description, and its `lastmod`; under
  `navigation.tabs`, hide the navigation sidebar where the page's tab is a single page (it would list only
  that page).
- `on_page_content`: add the filterable listing to `catalog_page` (at its `<!-- persona-catalog:listing -->`
  marker, else at its end; its title loses its permalink, one Tab stop fewer before the first card) and mark
  docs pages searchable.
- `on_page_context`: first (before the search plugin reads the page) render a generated page's HTML from its
  template (with its outline as `page.toc`, the empty outline column hidden on a page without sections), just
  before the theme writes it (`on_post_page` drops it again, so the HTML of every page is never held at once);
  last (after search), under `mkdocs serve`, put the problem notice on top of every page.
- `on_post_page`: count the page for the progress log, add feed links, OpenGraph and Twitter card tags to the
  page's head, point the theme's search box at the Pagefind worker (`search`; `on_post_template` does it for
  the 404 page) and hand the page to the search index (`indexing`: Pagefind, in its own process, indexes it
  while the next pages render; not under `--dirty`, which renders only the pages that changed).
- `on_post_build`: write the machine-readable outputs (the JSON API, the home page's compact listing, the
  export zips, and with `export_files` each persona's export files, the JSON Schema and the raw persona files,
  and with a `site_url` the Atom feeds, `llms.txt` and `robots.txt`; each written as it is made) while the
  search index's last shard is completed, then wait for it (under `--dirty`: index the written pages now);
  under `mkdocs serve` in the background, so the browser reloads as soon as the pages are written. Ends with
  one summary line: personas, categories, tags, skipped files, seconds per stage.
- `on_serve`: watch the personas folder so `mkdocs serve` rebuilds on every edit.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from html import escape
from importlib.resources import files as package_files
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin

import nh3
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_datetime, get_relative_url

from persona_catalog.build.work import Background, OutputOptions, SiteInfo, SiteWork, Written, every_output
from persona_catalog.catalog.characters import escape_invisible
from persona_catalog.catalog.files import SUFFIXES
from persona_catalog.catalog.loader import LoadResult, ParseCache
from persona_catalog.catalog.model import Catalog, Category, Persona, title_from_id
from persona_catalog.catalog.progress import Progress, Stages
from persona_catalog.catalog.sources import Source, load_sources
from persona_catalog.engines.mkdocs.config import CategoryConfig, PersonaCatalogConfig
from persona_catalog.engines.mkdocs.live import DirtyPages, GeneratedPage, dirty_notice_as_info
from persona_catalog.exports import Exports, api_model_warning, export_parts
from persona_catalog.outputs.writing import UnsafeOutput
from persona_catalog.prompt.pool import PromptPool
from persona_catalog.search.index import SearchIndexError
from persona_catalog.search.theme import WORKER, HeaderSearch, docs_body, stub_index, use_worker
from persona_catalog.search.vocabulary import vocabulary
from persona_catalog.site.history import read_history
from persona_catalog.site.pages import LISTING_MARKER, PageSpec, home_page, site_pages
from persona_catalog.site.publishing import Publishing, Repository
from persona_catalog.site.render import Renderer, UrlFor, toc_tokens
from persona_catalog.site.settings import site_url_problem, theme_icon
from persona_catalog.site.urls import (
    FEED_PATH,
    category_uri,
    page_path,
    persona_json_path,
    persona_uri,
    tag_uri,
)

log = logging.getLogger("mkdocs.plugins.persona_catalog")

ASSETS = ("catalog.css", "catalog.js", "chrome.js", "prompt-view.js", "tag-index.js", "tag-facet.js", "listing.js")
ASSET_DIR = "assets/persona-catalog"
THEME_DIR = str(package_files("persona_catalog.engines.mkdocs").joinpath("theme"))  # 404 page, breadcrumbs; below custom_dir


class PersonaCatalogPlugin(BasePlugin[PersonaCatalogConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.notice = ""
        self.result: LoadResult | None = None
        self.renderer: Renderer | None = None
        self.prompts: PromptPool | None = None  # prompt HTML made by worker processes during `mkdocs build`
        self.pages: dict[str, PageSpec] = {}
        self.icons: dict[str, str] = {}
        self.command: str | None = None
        self.publishing: Publishing | None = None
        self.files: Files | None = None
        self.exports: Exports | None = None
        self.exported: dict[str, Persona] = {}  # under `serve`: the persona each slug's exports were made from
        self.exported_model = ""  # and the `api_model` they were made with
        self.pagefind = False
        self.parse_cache: ParseCache = {}  # kept across `mkdocs serve` rebuilds (MkDocs keeps this instance)
        self.stages = Stages()
        self.reading = self.rendering = Progress(log, "rendered", 0)
        self.urls: dict[str, str] | None = None
        self.dirty = False  # `mkdocs serve --dirty`: rebuild only the pages whose inputs changed
        self.work: SiteWork | None = None  # this build's search index (fed the pages) and outputs
        self.finishing: Background | None = None  # under `serve`: waiting for them, then the summary
        self.dirty_pages = DirtyPages()  # what each generated page showed when last written (`--dirty`)
        self.written = Written()  # the outputs the last build wrote: a preview removes those it no longer writes

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command
        self.dirty = dirty
        if dirty and command == "serve":  # a strict preview would stop on MkDocs' notice about dirty builds
            logging.getLogger("mkdocs.commands.build").addFilter(dirty_notice_as_info)

    @property
    def serving(self) -> bool:
        """`mkdocs serve`: the preview, which a persona problem never stops."""
        return self.command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        for asset in ASSETS:
            target = config.extra_css if asset.endswith(".css") else config.extra_javascript
            if f"{ASSET_DIR}/{asset}" not in target:
                target.append(f"{ASSET_DIR}/{asset}")
        self.icons = {}
        known = [name for name, _ in CategoryConfig._schema]
        for cid, options in self.config.categories.items():
            for unknown in sorted(set(options.keys()) - set(known)):  # MkDocs drops these warnings in DictOfItems
                log.warning("persona-catalog: categories.%s: unrecognised option '%s' (known: %s)",
                            cid, unknown, ", ".join(known))
            if options.icon:
                self.icons[options.icon] = _theme_icon(config, options.icon, cid)
        if config.site_url and (reason := site_url_problem(config.site_url)):
            raise PluginError(f"persona-catalog: site_url: {reason}; set it to the address the site is served "
                              "from, e.g. 'https://catalog.example.org/' (see docs/publishing.md)")
        if THEME_DIR not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, THEME_DIR)
        for option in ("page_size", "listing_page_size", "search_shard_size"):
            if self.config[option] < 1:
                raise PluginError(f"persona-catalog: {option} must be at least 1, not {self.config[option]}")
        if self.command in ("build", "gh-deploy") and not config.site_url:
            log.warning("persona-catalog: 'site_url' is not set in mkdocs.yml, so the sitemap lists no pages, "
                        "pages have no canonical or OpenGraph URL, there are no feeds, llms.txt or robots.txt, "
                        "and API URLs are relative. Set it to the address the site is served from, e.g. "
                        "'site_url: https://<user>.github.io/<repo>/'.")
        if warning := api_model_warning(self.config.api_model):
            log.warning("persona-catalog: %s", warning)
        theme_search = config.plugins.get("material/search")
        self.pagefind = self.config.search and (theme_search is None or isinstance(theme_search, HeaderSearch))
        if self.pagefind:  # Material draws its search box only for this entry; Pagefind answers it
            config.plugins["material/search"] = HeaderSearch()  # type: ignore[assignment]
        elif self.config.search:
            log.info("persona-catalog: the 'search' plugin is configured, so search stays Material's lunr index; "
                     "remove it from 'plugins' to search with Pagefind")
        return config

    def categories(self) -> dict[str, Category]:
        """The configured categories as the catalog's records."""
        return {cid: Category(cid, o.title or title_from_id(cid), o.description, o.icon, o.order)
                for cid, o in self.config.categories.items()}

    def sources(self, config: MkDocsConfig) -> list[Source]:
        """`sources:`, their paths relative to mkdocs.yml."""
        project = Path(config.config_file_path or ".").parent
        return [Source(project / s.path, s.format, s.category) for s in self.config.sources]

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        _drop_persona_sources(files, Path(self.config.personas_dir), Path(config.docs_dir))
        self.stages = Stages()
        self.stages.start("load")
        self.result = load_sources(Path(self.config.personas_dir), self.sources(config), self.categories(),
                                   self.config.max_file_size, Progress(log, "loaded", 0, "persona files"),
                                   self.parse_cache if self.serving else None)
        self._report(self.result, config)
        self.publishing = self._publishing(config)
        self.exports = self._export_parts()  # for the pages and the zips
        self._close_prompts()
        if not self.serving:  # a preview rebuilds few pages: its prompts are rendered as they are asked for
            self.prompts = PromptPool([p.body for p in self.result.catalog.personas], self.config.remote_images,
                                      self.config.concurrency)
        self.renderer = Renderer(self.result.catalog, self.icons, remote_images=self.config.remote_images,
                                 publishing=self.publishing, exports=self.exports,
                                 export_files=self.config.export_files, feeds=bool(config.site_url),
                                 prompts=self.prompts.html if self.prompts is not None else None)
        shown = [p for p in self.result.problems if not p.is_suggestion]
        self.notice = self.renderer.problems_notice(shown, self.result.skipped) if self.serving and shown else ""
        self.pages = {}
        self.files = files
        self.urls = None
        for spec in site_pages(self.result.catalog, self.config.listing_page_size, self.config.catalog_page or None):
            if files.get_file_from_path(spec.src_uri) is not None:
                log.info("persona-catalog: %s exists in docs, not generated", spec.src_uri)
                continue
            inclusion = InclusionLevel.UNDEFINED if spec.in_nav else InclusionLevel.NOT_IN_NAV
            file = GeneratedPage.generated(config, spec.src_uri, content=_PLACEHOLDER, inclusion=inclusion)
            if "persona" in spec.context:  # the edit button opens the persona's own file (MkDocs joins edit_uri)
                source = Path(self.config.personas_dir, spec.context["persona"].source)
                file.edit_uri = Path(os.path.relpath(source, config.docs_dir)).as_posix()
            files.append(file)
            self.pages[spec.src_uri] = spec
            if not spec.in_nav:  # pages in the nav get theirs from MkDocs, with the nav's title
                _TemplatePage(None, file, config)
        if self.config.catalog_page and files.get_file_from_path(self.config.catalog_page) is None:
            log.warning("persona-catalog: catalog_page '%s' is not a page of the docs; the catalog listing is "
                        "shown nowhere", self.config.catalog_page)
        for asset in ASSETS + ((WORKER,) if self.pagefind else ()):
            content = package_files("persona_catalog.site").joinpath("assets", asset).read_text("utf-8")
            files.append(File.generated(config, f"{ASSET_DIR}/{asset}", content=content))
        if self.dirty:
            self.dirty_pages.skip_unchanged(files, config, self.pages, self.result.catalog, self.publishing.dates,
                                            (self.notice, repr(self.config), tuple(self.icons.items())),
                                            self.config.catalog_page)
        pages = len(files.documentation_pages())
        self.reading, self.rendering = Progress(log, "read", pages), Progress(log, "rendered", pages)
        site = SiteInfo(config.site_dir, config.site_url or "", config.site_name, config.site_description or "")
        options = OutputOptions(self.config.api_model, self.config.export_files, self.config.feed_size)
        outputs = every_output(self.result.catalog, self.exports, self.publishing, site, options,
                               (stub_index(), vocabulary(self.result.catalog)) if self.pagefind else (),
                               lambda path: files.get_file_from_path(path) is not None)  # the docs' robots.txt wins
        self.work = SiteWork(outputs, config.site_dir, self.config.search_shard_size if self.pagefind else None,
                             feed=not self.dirty, written=self.written)  # `--dirty` renders only the pages that changed
        self.stages.start("pages")
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        placed = {page.file.src_uri for page in nav.pages}  # a page the site's nav places itself stays there
        for spec in self.pages.values():
            child, parent = files.get_file_from_path(spec.src_uri), files.get_file_from_path(spec.parent or "")
            if child and child.page and parent and parent.page and spec.src_uri not in placed:
                child.page.parent = parent.page  # type: ignore[assignment]  # MkDocs walks any item's `parent`
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.pages.get(page.file.src_uri)
        if spec is not None:
            # The theme prints these without escaping (in <title> and <meta>), so they are escaped here.
            page.meta["title"] = escape(spec.title)
            page.meta["description"] = escape(spec.description)
            if "navigation.tabs" in config.theme.get("features", ()) and _lone_tab(page):
                page.meta["hide"] = ["navigation"]
            self._set_publishing_meta(spec, page)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.reading.step()
        if self.renderer is None or page.file.src_uri in self.pages:  # generated: rendered in `_render`
            return html
        if page.file.src_uri == self.config.catalog_page:
            home = home_page(page.file.src_uri, self.renderer.catalog, self.config.page_size,
                             self.config.listing_page_size, _link_patterns(config))
            listing = self.renderer.render(home, self._url_for(page))
            if not list(page.toc):  # a page without headings of its own: Material's skip link leads to the listing
                page.toc = get_toc(toc_tokens(listing))  # type: ignore[arg-type]
            html = _TITLE_PERMALINK.sub("", html, count=1)  # one Tab stop fewer before the first card
            return html.replace(LISTING_MARKER, listing, 1) if LISTING_MARKER in html else html + listing
        return docs_body(html) if self.pagefind and not page.is_homepage else html

    def _url_for(self, page: Page) -> UrlFor:
        """Docs path (`personas/x.md`) -> its URL relative to `page`."""
        if self.urls is None:  # every file is known by now; a dict lookup, not a path parse per link
            assert self.files is not None
            self.urls = {file.src_uri: file.url for file in self.files}
        urls = self.urls
        return lambda target: get_relative_url(urls.get(target, target), page.url)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return use_worker(output_content, f"{ASSET_DIR}/{WORKER}") if self.pagefind else output_content  # 404 page

    @event_priority(100)  # before the search plugin reads the page
    def _render(self, context, *, page: Page, config: MkDocsConfig, nav):  # type: ignore[no-untyped-def]
        """A generated page's HTML, made just before the theme writes the page (and dropped after, in
        `on_post_page`), so a build never holds every page's HTML at once, as it would from `on_page_content`."""
        spec = self.pages.get(page.file.src_uri)
        if spec is not None and self.renderer is not None:
            page.content = self.renderer.render(spec, self._url_for(page))
            page.toc = get_toc(toc_tokens(page.content))  # type: ignore[arg-type]  # Material's outline, permalinks and skip link need it
            if not any(item.children for item in page.toc):  # no sections: no empty outline column
                page.meta.setdefault("hide", []).append("toc")
        return context

    @event_priority(-100)  # after the search plugin has read the page: the notice is not searchable content
    def _add_notice(self, context, *, page: Page, config: MkDocsConfig, nav):  # type: ignore[no-untyped-def]
        if self.notice:
            page.content = self.notice + (page.content or "")
        return context

    on_page_context = CombinedEvent(_render, _add_notice)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self.rendering.step()
        if self.pagefind:
            output = use_worker(output, f"{ASSET_DIR}/{WORKER}")
        if self.work is not None:
            self.work.add_page("/" + page.url, output)  # only pages marked `data-pagefind-body` are indexed
        if self.renderer is None or self.result is None:
            return output
        spec = self.pages.get(page.file.src_uri)
        if spec is not None:
            page.content = None  # written: see `_render`
            self.dirty_pages.written(page.file)
        context = spec.context if spec else {}
        persona = context.get("persona")
        feeds = []
        if config.site_url:  # feeds are written only with a site_url
            # Relative, so the link works wherever the site is served, and only the catalog's feed: Material
            # reads every `<link rel="alternate">` as another version of the site and fetches the sitemap.xml
            # beside it, which exists only at the root (a category's feed is linked from its page instead).
            feeds.append({"title": f"{config.site_name}: new and updated personas",
                          "url": get_relative_url(FEED_PATH, page.url or ".")})
        head = self.renderer.fragment(
            "_head.html", feeds=feeds, social="material/social" not in config.plugins,  # else it writes og: tags
            type="article" if persona else "website", site_name=config.site_name,
            title=spec.title if spec else page.title or config.site_name,
            description=spec.description if spec else page.meta.get("description") or config.site_description,
            url=page.canonical_url)
        at = output.find("</head>")  # as Material's social plugin does: the head ends at its first "</head>"
        return output if at < 0 else output[:at] + head + output[at:]

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._stop_background()  # the previous `mkdocs serve` build's, before this one cleans or writes the site

    def on_shutdown(self) -> None:
        self._close_prompts()
        self._stop_background()

    def on_build_error(self, *, error: Exception) -> None:
        self._close_prompts()
        self._stop_background()

    def _close_prompts(self) -> None:
        if self.prompts is not None:
            self.prompts.close()
            log.debug("persona-catalog: %d of %d chunks of prompts rendered by %d worker process(es)",
                      self.prompts.by_workers, len(self.prompts.chunks), len(self.prompts.threads))
            self.prompts = None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the outputs and finish the search index; under `mkdocs serve` in the background, so the browser
        reloads as soon as the pages are written (the outputs and the index follow a moment later)."""
        if self.result is None or self.work is None:
            return
        self._close_prompts()  # every page is rendered
        if self.serving:
            self.finishing = Background("persona-catalog-finishing", lambda stopping: self._finish_logged(config,
                                                                                                       stopping))
        else:
            self._finish(config, threading.Event())

    def _stop_background(self) -> None:
        """Stop what a previous build still writes (a new one writes it all again)."""
        if self.finishing is not None:
            self.finishing.stopping.set()  # first: its outputs stop between two files, and it logs nothing
        for task in (self.work, self.finishing):
            if task is not None:
                task.stop()
        self.work, self.finishing = None, None

    def _finish_logged(self, config: MkDocsConfig, stopping: threading.Event) -> None:
        try:
            self._finish(config, stopping)
        except PluginError as error:  # in the background: the preview goes on, the terminal says what failed
            log.error("%s", error)
        except Exception as error:  # e.g. an OSError writing a file (a docs file where an output folder goes)
            what = "building the search index" if self.stages.current == "search" else "writing the outputs"
            log.error("persona-catalog: %s failed: %s: %s", what, type(error).__name__, error,
                      exc_info=log.isEnabledFor(logging.DEBUG))

    def _finish(self, config: MkDocsConfig, stopping: threading.Event) -> None:
        """Write the outputs, wait for the search index, log the summary; raises what they raised."""
        assert self.result is not None and self.work is not None
        try:
            if not self.work.finish(self.stages, stopping):
                return
        except UnsafeOutput as error:
            raise PluginError(f"persona-catalog: {error}") from error
        except SearchIndexError as error:
            raise PluginError(f"persona-catalog: building the search index failed: {error}") from error
        if self.work.report is not None:
            log.info("persona-catalog: search: %s", self.work.report)
        catalog = self.result.catalog
        log.info("persona-catalog: built %d personas in %d categories with %d tags, %d skipped file(s); seconds: %s",
                 len(catalog.personas), len(catalog.categories), len(catalog.by_tag), len(self.result.skipped),
                 self.stages)
        if self.result.skipped:  # last, so the log ends with what was left out
            log.log(self._error_level(config), "persona-catalog: skipped %d invalid file(s): %s",
                    len(self.result.skipped), ", ".join(map(escape_invisible, self.result.skipped)))

    def on_serve(self, server, *, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        server.watch(self.config.personas_dir)
        for source in self.sources(config):
            server.watch(str(source.path))
        return server

    def _export_parts(self) -> Exports:
        """Every persona's export parts; under `mkdocs serve` made again only for the personas that changed."""
        assert self.result is not None
        catalog, api_model = self.result.catalog, self.config.api_model
        if not self.serving:
            return export_parts(catalog, api_model)
        previous = self.exports if self.exports is not None and self.exported_model == api_model else {}
        kept = {p.slug for p in catalog.personas if self.exported.get(p.slug) == p} if previous else set()
        exports = {key: parts for key, parts in previous.items() if key[1] in kept}
        exports.update(export_parts(Catalog(tuple(p for p in catalog.personas if p.slug not in kept)), api_model))
        self.exported, self.exported_model = {p.slug: p for p in catalog.personas}, api_model
        return exports

    def _publishing(self, config: MkDocsConfig) -> Publishing:
        """Dates from one git pass over the personas folder, and the site's repository, licence and URLs."""
        assert self.result is not None
        personas = self.result.catalog.personas
        history = read_history(Path(self.config.personas_dir), [p.source for p in personas], self.config.git_history)
        if history.shallow:
            log.info("persona-catalog: a shallow git clone: persona dates reach back only to its oldest commit "
                     "(fetch the whole history, e.g. actions/checkout with 'fetch-depth: 0')")
        for problem in history.problems:  # dates outside the range a site can carry
            log.log(self._warning_level(config), "persona-catalog: %s", problem)
        licence = self.config.license if self.config.license is not None else config.copyright
        return Publishing(
            history, now=get_build_datetime(), recent_days=self.config.recent_days,
            repo=Repository(config.repo_url) if config.repo_url else None,
            license=Markup(nh3.clean(licence)) if licence else None,  # HTML, as Material shows `copyright`
            author_url=self.config.author_url,
            page_urls={p.slug: urljoin(config.site_url, page_path(p.slug)) for p in personas if config.site_url},
        )

    def _set_publishing_meta(self, spec: PageSpec, page: Page) -> None:
        """The persona's edit URL for its page, and `lastmod` in the sitemap from the newest file date."""
        if self.publishing is None or self.result is None:
            return
        catalog, context = self.result.catalog, spec.context
        if "persona" in context:
            personas: tuple = (context["persona"],)
            if page.edit_url:
                self.publishing.edit_urls[context["persona"].slug] = page.edit_url
        elif "category" in context:
            personas = catalog.by_category.get(context["category"].id, ())
        elif "tag" in context:
            personas = catalog.by_tag.get(context["tag"], ())
        else:
            personas = catalog.personas
        newest = self.publishing.updated(personas)
        if newest is not None:
            page.update_date = newest.date().isoformat()

    def _report(self, result: LoadResult, config: MkDocsConfig) -> None:
        """Log every problem: warnings as warnings (so `--strict` stops on them), errors by `_error_level`.

        Errors stop a build with `on_invalid: fail`; under `mkdocs serve` nothing stops the preview.
        """
        errors = result.errors
        for problem in result.problems:
            if problem.level == "note":  # how a collection's file was read: shown, never stops a build
                log.info("persona-catalog: %s", problem)
            elif problem.is_suggestion:
                log.debug("persona-catalog: %s", problem)
            elif not problem.is_error:
                log.log(self._warning_level(config), "persona-catalog: %s", problem)
        if errors and self.config.on_invalid == "fail" and not self.serving:
            lines = "\n".join(f"  {problem}" for problem in errors)
            raise PluginError(
                f"persona-catalog: {len(errors)} problem(s) in {len({p.path for p in errors})} persona file(s) "
                f"under {self.config.personas_dir}{' and sources' if self.config.sources else ''}:\n{lines}\n"
                "Fix them, or set 'on_invalid: skip' to build the valid personas only."
            )
        for problem in errors:
            log.log(self._error_level(config), "persona-catalog: %s", problem)

    def _warning_level(self, config: MkDocsConfig) -> int:
        """WARNING, except in a strict preview, which must keep serving (the notice on the page shows them)."""
        return logging.INFO if self.serving and config.strict else logging.WARNING

    def _error_level(self, config: MkDocsConfig) -> int:
        """A file left out by choice (`on_invalid: skip`) is not a warning, so `--strict` builds the rest."""
        return logging.INFO if self.config.on_invalid == "skip" and not self.serving else self._warning_level(config)


_PLACEHOLDER = "<!-- generated by persona-catalog -->\n"


class _TemplatePage(Page):
    """A generated page outside the nav: its HTML comes from a template (`_render`), so MkDocs' Markdown
    conversion of its placeholder source, with a new Markdown instance per page, is skipped."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content, self.toc = "", get_toc([])
        self.present_anchor_ids, self.links_to_anchors = set(), {}


def _link_patterns(config: MkDocsConfig) -> dict[str, str]:
    """Where the home listing's script links the cards it adds, `{}` standing for the id: MkDocs' own URL of a
    persona, category and tag page (`personas/{}/`, or `personas/{}.html` without `use_directory_urls`)."""
    def pattern(uri: Callable[[str], str]) -> str:
        return File(uri(_ID), config.docs_dir, config.site_dir, config.use_directory_urls).url.replace(_ID, "{}")

    return {"persona": pattern(persona_uri), "category": pattern(category_uri), "tag": pattern(tag_uri),
            "json": persona_json_path("{}")}


# The permalink Markdown's `toc` extension adds to the catalog page's title.
_TITLE_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>(?=</h1>)')
_ID = "pc-id"  # a stand-in id for `_link_patterns` (MkDocs would quote `{}` in a URL)


def _drop_persona_sources(files: Files, personas_dir: Path, docs_dir: Path) -> None:
    """A `personas_dir` inside `docs_dir`: its Markdown files are personas, not also plain pages."""
    personas, docs = personas_dir.resolve(), docs_dir.resolve()
    if personas == docs:
        raise PluginError(f"persona-catalog: personas_dir '{personas_dir}' is the docs_dir itself; "
                          "use a subfolder of it (e.g. docs/personas) or a folder beside it")
    if not personas.is_relative_to(docs):
        return
    prefix = personas.relative_to(docs).as_posix() + "/"
    for file in [f for f in files if f.src_uri.startswith(prefix) and f.src_uri.lower().endswith(SUFFIXES)]:
        files.remove(file)


def _lone_tab(page: Page) -> bool:
    """Whether the page's top-level item is a page (not a section): its tab holds that page alone."""
    top: Page | StructureItem = page
    while top.parent is not None:
        top = top.parent
    return isinstance(top, Page)


def _theme_icon(config: MkDocsConfig, icon: str, category: str) -> str:
    """The SVG of a theme icon (`material/...`, `fontawesome/...`, `octicons/...`), only from the icon sets."""
    svg = theme_icon(config.theme.dirs, icon)
    if svg is None:
        raise PluginError(f"persona-catalog: categories.{category}.icon: no theme icon named "
                          f"'{escape_invisible(icon)}' (expected a name like 'material/code-braces' from the "
                          "theme's icon sets: lowercase letters, digits, '-', '_' and '/')")
    return svg
