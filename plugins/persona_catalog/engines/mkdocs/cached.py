"""The build cache under MkDocs (`build.cache`): the site key of a configuration, and the generated pages a
build takes from the cache instead of rendering them.

A page is taken when the last build made it from the same inputs: the site key (the configuration, every
plugin's options, the theme's own files and hooks), the nav as MkDocs shows it (titles known once every page is
read) and the page's place in it, and what the page shows (`CatalogBuild.page_key`). Such a page is rendered
with an empty template (`CACHED_TEMPLATE`), and the plugin's last `on_post_page` gives MkDocs an empty page
(which it does not write): the file the last build wrote is copied into the site instead, checked against its
digest, by a process that starts when the pages are keyed (`build.placing`). The other plugins' events still run
for it as for any page; pages are taken (and kept) only when no plugin changes a page after ours has kept it.
"""

from __future__ import annotations

import logging
import sys
import types
from collections.abc import Mapping
from datetime import date
from pathlib import Path, PurePath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from persona_catalog.build.cache import digest, folder_key
from persona_catalog.build.core import CatalogBuild
from persona_catalog.site.pages import PageSpec

CACHED_TEMPLATE = "persona-catalog-cached.html"  # empty: the page's HTML comes from the cache
_SKIPPED = ("Page skipped: '", "'. Generated empty output.")  # MkDocs' notice of a page with empty HTML


class _Plain:
    """A configuration as plain values: paths inside the project relative to it, those of installed packages
    relative to the packages' folder (a CI checkout or virtual environment elsewhere is the same site)."""

    def __init__(self, project: Path) -> None:
        self.installed = [str(Path(p).resolve()) for p in sys.path if "-packages" in p]
        self.prefixes = sorted(((str(project.resolve()), "<project>"), *((p, "<python>") for p in self.installed)),
                               key=lambda prefix: -len(prefix[0]))

    def __call__(self, value: object) -> object:
        if isinstance(value, str):
            for prefix, name in self.prefixes:
                if value.startswith(prefix):
                    return name + value[len(prefix):]
            return value
        if value is None or isinstance(value, (bool, int, float)):
            return value
        if isinstance(value, PurePath):
            return self(str(value))
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, BasePlugin):
            return (type(value).__module__, type(value).__qualname__, self(value.config))
        if isinstance(value, types.ModuleType):  # a hook: its code
            return (value.__name__, folder_key([value.__file__]) if value.__file__ else "")
        if isinstance(value, Mapping):
            return tuple((self(k), self(v)) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return tuple(self(v) for v in value)
        if isinstance(value, (set, frozenset)):
            return tuple(sorted(repr(self(v)) for v in value))
        text = repr(value)  # an object of a kind not known here: its class and, when it says, its state
        return (type(value).__module__, type(value).__qualname__, "" if " at 0x" in text else text)


_PATHS_ONLY = ("config_file_path", "site_dir", "docs_dir")  # where, not what: no page shows them


def site_key(config: MkDocsConfig, code: str, own_theme: str) -> str:
    """The configuration's key: its values (but the folders it is read from and written to), the files of the
    theme's folders but the installed theme's and this package's (their versions are in `code`), and hooks."""
    project = Path(config.config_file_path or ".").resolve().parent
    plain = _Plain(project)
    values = tuple((key, plain(value)) for key, value in config.items() if key not in _PATHS_ONLY)
    folders = [d for d in config.theme.dirs if d != own_theme and not any(d.startswith(p) for p in plain.installed)]
    theme = folder_key(folders)
    relative = [plain(str(Path(f).resolve())) for f in folders]
    return digest(code, values, tuple(relative), theme, plain(config.docs_dir))


def nav_key(nav: Navigation) -> str:
    """The nav as every page shows it: each item's kind, title and URL, nested (titles are known once the pages
    are read: `on_env`)."""
    def item(entry: object) -> object:
        children = getattr(entry, "children", None) or ()
        return (type(entry).__name__, getattr(entry, "title", None), getattr(entry, "url", None),
                tuple(item(child) for child in children))
    return digest(tuple(item(entry) for entry in nav.items))


def place(page: Page) -> tuple[object, ...]:
    """The page's place as the theme shows it (breadcrumbs, tabs): its ancestors' titles and URLs."""
    return tuple((type(a).__name__, a.title, getattr(a, "url", None)) for a in page.ancestors)


class CachedPages:
    """The generated pages one build takes from the build cache: `plan` (`on_files`) keys every generated page
    outside the nav and says whose prompts will not be needed; `take` (`on_env`) takes those made from the same
    inputs and gives them the empty template; `write` (`on_post_page`) keeps each page rendered for the next."""

    def __init__(self, build: CatalogBuild) -> None:
        self.build = build
        self.keys: dict[str, str] = {}  # src_uri -> `page_key` of each generated page the cache may hold
        self.whole: dict[str, str] = {}  # and that with its place in the nav, for the pages rendered this build
        self.taken: set[str] = set()

    def plan(self, config: MkDocsConfig, files: Files, pages: Mapping[str, PageSpec], own_theme: str,
             last: bool) -> set[str]:
        """Key the pages and start copying those the cache likely has into the site; the slugs of their personas.
        None unless `last`: no plugin changes a page after it is kept (`on_post_page`)."""
        cache, self.keys, self.whole, self.taken = self.build.cache, {}, {}, set()
        if cache.folder is None or not last:
            return set()
        cache.start_pages(site_key(config, cache.code, own_theme))
        self.keys = {uri: self.build.page_key(spec, cache.now.site) for uri, spec in pages.items() if not spec.in_nav}
        likely = [uri for uri, key in self.keys.items() if cache.likely(uri, key)]
        cache.place((uri, file.abs_dest_path) for uri in likely if (file := files.get_file_from_path(uri)))
        return {persona.slug for uri in likely if (persona := pages[uri].persona) is not None}

    def take(self, nav: Navigation | None, files: Files) -> None:
        nav_digest = nav_key(nav) if self.keys and nav is not None else ""
        for uri, key in self.keys.items():
            file = files.get_file_from_path(uri)
            if file is None or file.page is None:
                continue
            whole = digest(key, nav_digest, place(file.page))
            if self.build.cache.take(uri, key, whole):
                self.taken.add(uri)
                file.page.meta["template"] = CACHED_TEMPLATE
            else:
                self.whole[uri] = whole
        self.build.cache.settle(self.taken)
        if self.taken:
            logging.getLogger("mkdocs.commands.build").addFilter(self)

    def filter(self, record: logging.LogRecord) -> bool:
        """MkDocs' notice of a page it did not write as its HTML was empty: not said of a taken page."""
        message = record.getMessage()
        return not (message.startswith(_SKIPPED[0]) and message.endswith(_SKIPPED[1]) and
                    message[len(_SKIPPED[0]):-len(_SKIPPED[1])] in self.taken)

    def done(self) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(self)

    def write(self, page: Page, html: str) -> str:
        """The page's HTML as MkDocs writes it, after every plugin's changes: kept for the next build and given to
        the search index. A taken page is copied from the cache instead, so its HTML is empty (MkDocs writes
        nothing; its notice is dropped: `filter`)."""
        src_uri, url = page.file.src_uri, "/" + page.url
        if src_uri in self.taken:  # as the last build wrote it, from the same inputs
            self.build.take_page(src_uri, url)
            return ""
        if src_uri in self.whole:
            self.build.cache.keep_page(src_uri, self.keys[src_uri], self.whole[src_uri], html)
        self.build.add_page(url, html, src_uri)
        return html
