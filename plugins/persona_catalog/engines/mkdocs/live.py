"""`mkdocs serve --dirty` (what `make serve` runs): a rebuild rewrites only the generated pages whose shown
records changed. With `plugin.py` and `config.py`, a module that imports MkDocs: its `File.is_modified` is what
a dirty build asks."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from persona_catalog.catalog.model import Catalog
from persona_catalog.site.pages import PageSpec, page_inputs


class GeneratedPage(File):
    """A generated page; a dirty build rewrites it only when its inputs changed."""

    inputs: int | None = None  # what the page shows now (`pages.page_inputs`); None: unknown, always rebuilt
    built: int | None = None  # what it showed when it was last written

    def is_modified(self) -> bool:
        return self.inputs is None or self.inputs != self.built or not os.path.isfile(self.abs_dest_path)


def dirty_notice_as_info(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build that navigation may be stale; in `mkdocs serve --dirty`, which the
    preview uses, that is known and not a problem of the site, so it is shown as INFO (never fails `strict`)."""
    if record.levelno == logging.WARNING and record.getMessage().startswith("A 'dirty' build is being performed"):
        record.levelno, record.levelname = logging.INFO, "INFO"
    return True


@dataclass
class DirtyPages:
    """What each generated page showed when it was last written, kept across `mkdocs serve` rebuilds."""

    built: dict[str, tuple[int | None, str]] = field(default_factory=dict)  # src_uri -> (inputs, written file)
    site_key: int | None = None  # the site-wide inputs of the last build
    catalog_key: int | None = None  # and its personas with their dates
    built_into: str = ""  # the site folder of `built`

    def skip_unchanged(self, files: Files, config: MkDocsConfig, pages: Mapping[str, PageSpec], catalog: Catalog,
                       dates: Callable, site_inputs: Hashable, catalog_page: str | None) -> None:
        """Give each generated page its inputs, so MkDocs skips those that did not change; remove the pages of
        personas, tags and categories that are gone; and when the site-wide inputs (options, problems notice,
        mkdocs.yml) changed, expire every docs page, or when any persona did, `catalog_page`."""
        if self.built and config.site_dir != self.built_into:  # what was built elsewhere says nothing here
            self.built, self.site_key, self.catalog_key = {}, None, None
        self.built_into = config.site_dir
        site_key = hash((site_inputs, os.stat(config.config_file_path).st_mtime_ns if config.config_file_path else 0))
        catalog_key = hash((site_key, catalog.personas, tuple(dates(p) for p in catalog.personas)))
        expired = [] if site_key == self.site_key else [f for f in files.documentation_pages()
                                                           if not isinstance(f, GeneratedPage)]
        home = files.get_file_from_path(catalog_page or "")
        if catalog_key != self.catalog_key and home is not None:
            expired.append(home)
        for file in expired:
            Path(file.abs_dest_path).unlink(missing_ok=True)
        for src_uri in set(self.built) - set(pages):
            Path(self.built.pop(src_uri)[1]).unlink(missing_ok=True)
        self.site_key, self.catalog_key = site_key, catalog_key
        for file in files.documentation_pages():
            if isinstance(file, GeneratedPage):
                file.inputs = hash((site_key, page_inputs(pages[file.src_uri], catalog, dates)))
                file.built = self.built.get(file.src_uri, (None,))[0]

    def written(self, file: File) -> None:
        """A generated page was written: remember what it showed."""
        if isinstance(file, GeneratedPage):
            self.built[file.src_uri] = (file.inputs, file.abs_dest_path)
