"""The MkDocs adapter: options, generated pages and assets, machine-readable outputs and live reload.

The only module that imports MkDocs. Event order in one build:

- `on_config`: register the catalog's CSS and JavaScript, resolve category icons.
- `on_files`: load the catalog once (reporting every problem), add the generated pages and assets.
- `on_page_markdown`: give each generated page its escaped title and description.
- `on_page_content`: replace a generated page's HTML with the template's, and append the filterable
  catalog to `catalog_page`; runs before the search plugin reads the page in `on_page_context`, so
  generated pages are searchable.
- `on_post_build`: write the JSON API, the export files, the JSON Schema and the raw persona files.
- `on_serve`: watch the personas folder so `mkdocs serve` rebuilds on every edit.
"""

from __future__ import annotations

import logging
import os
from html import escape
from importlib.resources import files as package_files
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from .characters import escape_invisible
from .exports import DEFAULT_API_MODEL
from .loader import DEFAULT_MAX_BYTES, LoadResult, load_catalog
from .model import Category, title_from_id
from .outputs import site_outputs
from .render import PageSpec, Renderer, home_page, site_pages, toc_tokens

log = logging.getLogger("mkdocs.plugins.persona_catalog")

ASSETS = ("catalog.css", "catalog.js")
ASSET_DIR = "assets/persona-catalog"


class CategoryConfig(base.Config):
    """How one category is shown: `title`, `description`, `icon` (a theme icon such as `material/code-braces`), `order`."""

    title = c.Optional(c.Type(str))
    description = c.Type(str, default="")
    icon = c.Optional(c.Type(str))
    order = c.Type(int, default=0)


class PersonaCatalogConfig(base.Config):
    """Options of the `persona-catalog` plugin (documented in docs/configuration.md)."""

    personas_dir = c.Dir(exists=True, default="personas")
    categories = c.DictOfItems(c.SubConfig(CategoryConfig), default={})
    on_invalid = c.Choice(("fail", "skip"), default="fail")
    max_file_size = c.Type(int, default=DEFAULT_MAX_BYTES)
    catalog_page = c.Type(str, default="index.md")
    api_model = c.Type(str, default=DEFAULT_API_MODEL)
    remote_images = c.Type(bool, default=False)


class PersonaCatalogPlugin(BasePlugin[PersonaCatalogConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.result: LoadResult | None = None
        self.renderer: Renderer | None = None
        self.pages: dict[str, PageSpec] = {}
        self.icons: dict[str, str] = {}

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
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        categories = {
            cid: Category(cid, o.title or title_from_id(cid), o.description, o.icon, o.order)
            for cid, o in self.config.categories.items()
        }
        self.result = load_catalog(Path(self.config.personas_dir), categories, self.config.max_file_size)
        self._report(self.result)
        self.renderer = Renderer(self.result.catalog, self.icons, api_model=self.config.api_model,
                                 remote_images=self.config.remote_images)
        self.pages = {}
        for spec in site_pages(self.result.catalog):
            if files.get_file_from_path(spec.src_uri) is not None:
                log.info("persona-catalog: %s exists in docs, not generated", spec.src_uri)
                continue
            inclusion = InclusionLevel.UNDEFINED if spec.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, spec.src_uri, content=_PLACEHOLDER, inclusion=inclusion))
            self.pages[spec.src_uri] = spec
        if self.config.catalog_page and files.get_file_from_path(self.config.catalog_page) is None:
            log.warning("persona-catalog: catalog_page '%s' is not a page of the docs; the catalog listing is "
                        "shown nowhere", self.config.catalog_page)
        for asset in ASSETS:
            content = package_files("persona_catalog").joinpath("assets", asset).read_text("utf-8")
            files.append(File.generated(config, f"{ASSET_DIR}/{asset}", content=content))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.pages.get(page.file.src_uri)
        if spec is not None:
            # The theme prints these without escaping (in <title> and <meta>), so they are escaped here.
            page.meta["title"] = escape(spec.title)
            page.meta["description"] = escape(spec.description)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.renderer is None:
            return html

        def url(target: str) -> str:
            file = files.get_file_from_path(target)
            return get_relative_url(file.url if file else target, page.url)

        spec = self.pages.get(page.file.src_uri)
        if spec is not None:
            html = self.renderer.render(spec, url)
            page.toc = get_toc(toc_tokens(html))  # Material's outline, permalinks and skip link need it
            return html
        if page.file.src_uri == self.config.catalog_page:
            return html + self.renderer.render(home_page(page.file.src_uri), url)
        return html

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.result is None:
            return

        def site_url(path: str) -> str:
            return urljoin(config.site_url, path) if config.site_url else path

        site_dir = os.path.realpath(config.site_dir)
        for path, content in site_outputs(self.result.catalog, site_url, self.config.api_model).items():
            target = Path(site_dir, path)
            if os.path.commonpath([os.path.realpath(target), site_dir]) != site_dir:  # slugs are validated; never
                raise PluginError(f"persona-catalog: refused to write outside the site folder: {path!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        catalog = self.result.catalog
        log.info("persona-catalog: built %d personas in %d categories with %d tags",
                 len(catalog.personas), len(catalog.categories), len(catalog.by_tag))
        if self.result.skipped:  # last, so the log ends with what was left out
            log.warning("persona-catalog: skipped %d invalid file(s): %s",
                        len(self.result.skipped), ", ".join(map(escape_invisible, self.result.skipped)))

    def on_serve(self, server, *, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        server.watch(self.config.personas_dir)
        return server

    def _report(self, result: LoadResult) -> None:
        """Warnings are logged (so `--strict` fails on them); errors fail the build or, with `skip`, warn."""
        errors = result.errors
        for problem in result.problems:
            if problem.is_suggestion:
                log.debug("persona-catalog: %s", problem)
            elif not problem.is_error:
                log.warning("persona-catalog: %s", problem)
        if errors and self.config.on_invalid == "fail":
            lines = "\n".join(f"  {problem}" for problem in errors)
            raise PluginError(
                f"persona-catalog: {len(errors)} problem(s) in {len({p.path for p in errors})} persona file(s) "
                f"under {self.config.personas_dir}:\n{lines}\n"
                "Fix them, or set 'on_invalid: skip' to build the valid personas only."
            )
        for problem in errors:
            log.warning("persona-catalog: %s", problem)


_PLACEHOLDER = "<!-- generated by persona-catalog -->\n"


def _theme_icon(config: MkDocsConfig, icon: str, category: str) -> str:
    """The SVG of a theme icon (`material/...`, `fontawesome/...`, `octicons/...`)."""
    for directory in config.theme.dirs:
        path = os.path.join(directory, ".icons", f"{icon}.svg")
        if os.path.isfile(path):
            svg = Path(path).read_text("utf-8")
            return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    raise PluginError(f"persona-catalog: categories.{category}.icon: no theme icon named '{icon}' "
                      "(expected a path like 'material/code-braces' from the theme's .icons folder)")
