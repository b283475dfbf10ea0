"""The MkDocs adapter: each event hands MkDocs' objects to the engine-free build (`build.core.CatalogBuild`),
which does the work, and places what it makes (generated pages, assets, the head of each page).

With `config` and `live` (which generated pages a `--dirty` rebuild skips), the only modules that import
MkDocs. Event order in one build:

- `on_startup`: remember the command: a missing `site_url` is a warning for `build`, not for `serve`, and
  under `serve` a persona problem never stops the preview. Defining it makes MkDocs keep this instance across
  `mkdocs serve` rebuilds, so its caches live on: the parsed files, and what each generated page last showed.
- `on_pre_build`, `on_shutdown`, `on_build_error`: stop the previous (or failed) build's outputs and search
  index if they are still being written.
- `on_config`: register the catalog's CSS and JavaScript, resolve category icons, add the 404 page.
- `on_files`: add the catalog page (`catalog_page`) when the docs have none; load the catalog once (reporting
  every problem; under `serve` only changed files are parsed), read the files' dates from git in one pass, add
  the generated pages (persona pages edit their source file) and assets, and start the search index (`background.SiteWork`). Under `mkdocs serve --dirty` (`make serve`),
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
  docs pages searchable (not those with Material's `search: {exclude: true}`).
- `on_page_context`: first (before the search plugin reads the page) render a generated page's HTML from its
  template (with its outline as `page.toc`, the empty outline column hidden on a page without sections), just
  before the theme writes it (`on_post_page` drops it again, so the HTML of every page is never held at once);
  last (after search), under `mkdocs serve`, put the problem notice on top of every page.
- `on_post_page`: add feed links, OpenGraph and Twitter card tags to the page's head and point the theme's
  search box at our search worker (`search`; `on_post_template` does it for the 404 page); last (after every
  other plugin), count the page for the progress log, keep it in the build cache and hand it to the search
  index (`search.index`: read in a process of its own while the next pages render; not under `--dirty`,
  which renders only the pages that changed). A page taken from the build cache is copied from there instead.
- `on_post_build`: write the machine-readable outputs (the JSON API, the home page's compact listing, the
  export zips, and with `export_files` each persona's export files, the JSON Schema and the raw persona files,
  and with a `site_url` the Atom feeds, `llms.txt` and `robots.txt`; each written as it is made) while the
  search index is completed, then wait for it (under `--dirty`: index the written pages now);
  under `mkdocs serve` in the background, so the browser reloads as soon as the pages are written. Ends with
  one summary line: personas, categories, tags, skipped files, seconds per stage, output sizes by kind.
- `on_serve`: watch the personas folder so `mkdocs serve` rebuilds on every edit.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from html import escape
from importlib.resources import files as package_files
from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_datetime, get_relative_url

from persona_catalog.build.core import BuildError, CatalogBuild
from persona_catalog.build.options import Options, Site
from persona_catalog.catalog.files import SUFFIXES
from persona_catalog.engines.mkdocs.cached import CachedPages
from persona_catalog.engines.mkdocs.config import CategoryConfig, PersonaCatalogConfig
from persona_catalog.engines.mkdocs.live import DirtyPages, GeneratedPage, dirty_notice_as_info
from persona_catalog.search.theme import WORKER, HeaderSearch, docs_body, searchable, use_worker
from persona_catalog.site.pages import LISTING_MARKER, PageSpec, home_markdown
from persona_catalog.site.render import UrlFor, toc_tokens
from persona_catalog.site.urls import category_uri, persona_json_path, persona_uri, tag_uri

log = logging.getLogger("mkdocs.plugins.persona_catalog")

ASSETS = ("catalog.css", "catalog.js", "chrome.js", "prompt-view.js", "tag-index.js", "tag-facet.js", "listing.js",
          "bundle.js")
ASSET_DIR = "assets/persona-catalog"
THEME_DIR = str(package_files("persona_catalog.engines.mkdocs").joinpath("theme"))  # 404 page, breadcrumbs


class PersonaCatalogPlugin(BasePlugin[PersonaCatalogConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.build = CatalogBuild()  # kept across `mkdocs serve` rebuilds (MkDocs keeps this instance)
        self.pages: dict[str, PageSpec] = {}
        self.files: Files | None = None
        self.urls: dict[str, str] | None = None
        self.command: str | None = None
        self.dirty = False  # `mkdocs serve --dirty`: rebuild only the pages whose inputs changed
        self.dirty_pages = DirtyPages()  # what each generated page showed when last written (`--dirty`)
        self.nav: Navigation | None = None
        self.cached = CachedPages(self.build)  # the generated pages taken from the build cache

    @property
    def active(self) -> bool:
        """The plugin works this build (`enabled`, and the catalog loaded)."""
        return self.config.enabled and self.build.result is not None

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command, self.dirty = command, dirty
        self.build.serving = command == "serve"  # the preview, which a persona problem never stops
        if dirty and command == "serve":  # a strict preview would stop on MkDocs' notice about dirty builds
            logging.getLogger("mkdocs.commands.build").addFilter(dirty_notice_as_info)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        _link_assets(config)
        _warn_unknown_category_options(self.config.categories)
        if THEME_DIR not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, THEME_DIR)
        theme_search = config.plugins.get("material/search")
        ours = self.config.search and (theme_search is None or isinstance(theme_search, HeaderSearch))
        if ours:  # Material draws its search box only for this entry; our index answers it
            config.plugins["material/search"] = HeaderSearch()  # type: ignore[assignment]
        elif self.config.search:
            log.info("persona-catalog: the 'search' plugin is configured, so search stays Material's lunr index; "
                     "remove it from 'plugins' to search with the catalog's own index")
        project = Path(config.config_file_path or ".").parent
        site = Site(config.site_dir, config.site_url or "", config.site_name, config.site_description or "",
                    config.repo_url, config.copyright, get_build_datetime(), bool(config.strict))
        with _plugin_error():
            self.build.configure(Options.read({**self.config, "search": ours}, project), site,
                                 list(config.theme.dirs), self.command)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        _drop_persona_sources(files, Path(self.config.personas_dir), Path(config.docs_dir))
        with _plugin_error():
            self.build.load(prompts=False)
        self.pages, self.files, self.urls = {}, files, None
        for spec in self.build.pages():
            if files.get_file_from_path(spec.src_uri) is not None:
                log.info("persona-catalog: %s exists in docs, not generated", spec.src_uri)
                continue
            files.append(file := _generated(config, spec, self.build.options))
            self.pages[spec.src_uri] = spec
            if not spec.in_nav:  # pages in the nav get theirs from MkDocs, with the nav's title
                _TemplatePage(None, file, config)
        if self.config.catalog_page and files.get_file_from_path(self.config.catalog_page) is None:
            files.append(File.generated(config, self.config.catalog_page,  # a home page of its own
                                        content=home_markdown(config.site_name, config.site_description or "")))
        for asset in ASSETS + ((WORKER,) if self.build.options.search else ()):
            content = package_files("persona_catalog.site").joinpath("assets", asset).read_text("utf-8")
            files.append(File.generated(config, f"{ASSET_DIR}/{asset}", content=content))
        last = config.plugins.events["post_page"][-1] == self._write  # no plugin changes the page after `_write`
        self.build.start_prompts(self.cached.plan(config, files, self.pages, THEME_DIR, last))  # not theirs
        if self.dirty:
            self.dirty_pages.skip_unchanged(files, config, self.pages, self.build.catalog,
                                            self.build.publishing.dates,  # type: ignore[union-attr]
                                            (self.build.notice, repr(self.config), tuple(self.build.icons.items())),
                                            self.config.catalog_page)
        self.build.start(len(files.documentation_pages()),  # the docs' own robots.txt wins over the generated
                         lambda path: files.get_file_from_path(path) is not None, dirty=self.dirty)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        placed = {page.file.src_uri for page in nav.pages}  # a page the site's nav places itself stays there
        for spec in self.pages.values():
            child, parent = files.get_file_from_path(spec.src_uri), files.get_file_from_path(spec.parent or "")
            if child and child.page and parent and parent.page and spec.src_uri not in placed:
                child.page.parent = parent.page  # type: ignore[assignment]  # MkDocs walks any item's `parent`
        return nav

    def on_env(self, env, *, config: MkDocsConfig, files: Files):  # type: ignore[no-untyped-def]
        self.cached.take(self.nav, files)  # every page is read: the nav's titles are known
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.pages.get(page.file.src_uri)
        if spec is not None:
            # The theme prints these without escaping (in <title> and <meta>), so they are escaped here.
            page.meta["title"] = escape(spec.title)
            page.meta["description"] = escape(spec.description)
            if "navigation.tabs" in config.theme.get("features", ()) and _lone_tab(page):
                page.meta["hide"] = ["navigation"]
            if (lastmod := self.build.lastmod(spec, page.edit_url)) is not None:
                page.update_date = lastmod  # the sitemap's lastmod: the newest persona's update
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.active:
            return html
        self.build.reading.step()
        if page.file.src_uri in self.pages:  # generated: rendered in `_render`
            return html
        if page.file.src_uri == self.config.catalog_page:
            listing = self.build.home(page.file.src_uri, self._url_for(page), _link_patterns(config))
            if not list(page.toc):  # a page without headings of its own: Material's skip link leads to the listing
                page.toc = get_toc(toc_tokens(listing))  # type: ignore[arg-type]
            html = _TITLE_PERMALINK.sub("", html, count=1)  # one Tab stop fewer before the first card
            return html.replace(LISTING_MARKER, listing, 1) if LISTING_MARKER in html else html + listing
        return docs_body(html) if self.build.options.search and not page.is_homepage and searchable(page.meta) else html

    def _url_for(self, page: Page) -> UrlFor:
        """Docs path (`personas/x.md`) -> its URL relative to `page`."""
        if self.urls is None:  # every file is known by now; a dict lookup, not a path parse per link
            self.urls = {file.src_uri: file.url for file in self.files or ()}
        urls = self.urls
        return lambda target: get_relative_url(urls.get(target, target), page.url)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return self._use_worker(output_content)  # the 404 page

    def _use_worker(self, html: str) -> str:
        """The theme's search box answered by our search worker."""
        return use_worker(html, f"{ASSET_DIR}/{WORKER}") if self.active and self.build.options.search else html

    @event_priority(100)  # before the search plugin reads the page
    def _render(self, context, *, page: Page, config: MkDocsConfig, nav):  # type: ignore[no-untyped-def]
        """A generated page's HTML, made just before the theme writes the page (and dropped after, in
        `on_post_page`), so a build never holds every page's HTML at once, as it would from `on_page_content`."""
        spec = self.pages.get(page.file.src_uri)
        if spec is not None and page.file.src_uri not in self.cached.taken:
            page.content = self.build.render(spec, self._url_for(page))
            page.toc = get_toc(toc_tokens(page.content))  # type: ignore[arg-type]  # Material's outline, permalinks and skip link need it
            if not any(item.children for item in page.toc):  # no sections: no empty outline column
                page.meta.setdefault("hide", []).append("toc")
        return context

    @event_priority(-100)  # after the search plugin has read the page: the notice is not searchable content
    def _add_notice(self, context, *, page: Page, config: MkDocsConfig, nav):  # type: ignore[no-untyped-def]
        if self.build.notice:
            page.content = self.build.notice + (page.content or "")
        return context

    on_page_context = CombinedEvent(_render, _add_notice)

    def _post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if not self.active or page.file.src_uri in self.cached.taken:  # a taken page: `_write` drops this output
            return output
        output = self._use_worker(output)
        spec = self.pages.get(page.file.src_uri)
        if spec is not None:
            page.content = None  # written: see `_render`
            self.dirty_pages.written(page.file)
        head = self.build.head(
            spec, page.url or ".", spec.title if spec else page.title or config.site_name,
            spec.description if spec else page.meta.get("description") or config.site_description or "",
            page.canonical_url, "material/social" not in config.plugins, get_relative_url)  # social writes og:
        at = output.find("</head>")  # as Material's social plugin does: the head ends at its first "</head>"
        return output if at < 0 else output[:at] + head + output[at:]

    @event_priority(-100)  # last: the page as MkDocs writes it, every plugin's changes made
    def _write(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self.cached.write(page, output) if self.active else output

    on_post_page = CombinedEvent(_post_page, _write)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.build.stop()  # the previous `mkdocs serve` build's, before this one cleans or writes the site

    def on_shutdown(self) -> None:
        self.build.stop()

    def on_build_error(self, *, error: Exception) -> None:
        self.cached.done()
        self.build.stop()

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the outputs and finish the search index; under `mkdocs serve` in the background, so the browser
        reloads as soon as the pages are written (the outputs and the index follow a moment later)."""
        self.cached.done()
        if not self.active or self.build.work is None:
            return
        if self.build.serving:
            self.build.finish_later()
        else:
            with _plugin_error():
                self.build.finish()

    def on_serve(self, server, *, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        if self.config.enabled:
            for path in (self.build.options.personas_dir, *(s.path for s in self.build.options.sources)):
                server.watch(str(path))
        return server


class _plugin_error:
    """The build core's `BuildError` as MkDocs' `PluginError` (a clean message, no traceback)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _: object) -> None:
        if isinstance(error, BuildError):
            raise PluginError(str(error)) from error


_PLACEHOLDER = "<!-- generated by persona-catalog -->\n"


class _TemplatePage(Page):
    """A generated page outside the nav: its HTML comes from a template (`_render`), so MkDocs' Markdown
    conversion of its placeholder source, with a new Markdown instance per page, is skipped."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content, self.toc = "", get_toc([])
        self.present_anchor_ids, self.links_to_anchors = set(), {}


def _link_assets(config: MkDocsConfig) -> None:
    """The catalog's CSS and JavaScript, on every page."""
    for asset in ASSETS:
        target = config.extra_css if asset.endswith(".css") else config.extra_javascript
        if f"{ASSET_DIR}/{asset}" not in target:
            target.append(f"{ASSET_DIR}/{asset}")


def _warn_unknown_category_options(categories: Mapping[str, Mapping[str, object]]) -> None:
    known = [name for name, _ in CategoryConfig._schema]
    for cid, options in categories.items():
        for unknown in sorted(set(options.keys()) - set(known)):  # MkDocs drops these warnings in DictOfItems
            log.warning("persona-catalog: categories.%s: unrecognised option '%s' (known: %s)",
                        cid, unknown, ", ".join(known))


def _generated(config: MkDocsConfig, spec: PageSpec, options: Options) -> File:
    """The file of a generated page; a persona page's edit button opens the persona's own file (MkDocs joins
    `edit_uri`)."""
    inclusion = InclusionLevel.UNDEFINED if spec.in_nav else InclusionLevel.NOT_IN_NAV
    file = GeneratedPage.generated(config, spec.src_uri, content=_PLACEHOLDER, inclusion=inclusion)
    if spec.persona is not None:
        file.edit_uri = Path(os.path.relpath(options.source_path(spec.persona), config.docs_dir)).as_posix()
    return file


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

