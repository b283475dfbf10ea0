"""What a build is asked to do, whatever engine runs it: the catalog's options (`Options`, read from the
`persona-catalog` entry of `mkdocs.yml` as a plain mapping) and the site they are built into (`Site`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from persona_catalog.build.cache import DEFAULT_DIR as CACHE_DIR
from persona_catalog.catalog.loader import DEFAULT_MAX_BYTES
from persona_catalog.catalog.model import Category, Persona, title_from_id
from persona_catalog.catalog.sources import Source
from persona_catalog.exports import DEFAULT_API_MODEL
from persona_catalog.prompt.pool import default_concurrency
from persona_catalog.search.index import DEFAULT_BLOCK_SIZE
from persona_catalog.site.pages import DEFAULT_LISTING_PAGE_SIZE, DEFAULT_PAGE_SIZE

# Downloads plain Material has no counterpart of (`zips`, `raw_files`, `persona_json`) are published with `auto`
# for catalogs of at most this many personas: above it, they weigh as much as the pages (docs/configuration.md).
AUTO_LIMIT = 2000
ZIPS_AUTO_LIMIT = AUTO_LIMIT


@dataclass(frozen=True)
class Options:
    """The plugin's options (docs/configuration.md), validated by the engine's own schema before they get here."""

    personas_dir: Path = Path("personas")
    sources: tuple[Source, ...] = ()
    categories: Mapping[str, Category] = field(default_factory=dict)
    on_invalid: str = "fail"
    max_file_size: int = DEFAULT_MAX_BYTES
    catalog_page: str = "index.md"
    page_size: int = DEFAULT_PAGE_SIZE
    listing_page_size: int = DEFAULT_LISTING_PAGE_SIZE
    api_model: str = DEFAULT_API_MODEL
    export_files: bool = False
    marketplace_name: str | None = None  # the Claude Code marketplace's; default: the site's name as a slug
    remote_images: bool = False
    git_history: bool = True
    recent_days: int = 30
    feed_size: int = 20
    author_url: str = ""
    license: str | None = None
    zips: bool | str = "auto"  # the tools' zips: true, false, or "auto" (`zips_on`)
    raw_files: bool | str = "auto"  # each persona's source file, for download: true, false or "auto" (`on`)
    persona_json: bool | str = "auto"  # each persona's JSON document (`/api/v1/personas/<slug>.json`): likewise
    search: bool = True  # our index answers the theme's search box
    search_block_size: int = DEFAULT_BLOCK_SIZE
    concurrency: int = field(default_factory=default_concurrency)
    cache: bool = True  # keep what a build made for the next (`build.cache`)
    cache_dir: Path = Path(CACHE_DIR)  # where (made absolute, inside `project`)
    project: Path = Path(".")  # the folder of the configuration file

    def source_path(self, persona: Persona) -> Path:
        """The file a persona was read from (for its page's edit link)."""
        return Path(self.personas_dir, persona.source)

    def zips_on(self, personas: int) -> bool:
        """Whether the tools' whole-catalog and category zips are published: as set, or with `auto` for catalogs
        of at most `ZIPS_AUTO_LIMIT` personas (above it they outweigh the site, docs/configuration.md)."""
        return self.on("zips", personas)

    def on(self, download: str, personas: int) -> bool:
        """Whether the download `download` (`zips`, `raw_files`, `persona_json`) is published for a catalog of
        `personas`: as set, or with `auto` up to `AUTO_LIMIT` personas."""
        value = getattr(self, download)
        return value if isinstance(value, bool) else personas <= AUTO_LIMIT

    @classmethod
    def read(cls, values: Mapping[str, Any], project: Path) -> Options:
        """The options from the plugin's validated entry (a mapping: MkDocs' `Config`, or parsed YAML), with
        `sources:` paths taken relative to `project`, the folder of the configuration file."""
        categories = {cid: Category(cid, o.get("title") or title_from_id(cid), o.get("description") or "",
                                    o.get("icon"), o.get("order") or 0)
                      for cid, o in (values.get("categories") or {}).items()}
        sources = tuple(Source(project / s["path"], s.get("format") or "auto", s.get("category"))
                        for s in values.get("sources") or ())
        known = {name for name in cls.__dataclass_fields__ if name not in ("categories", "sources", "project")}
        given = {name: value for name, value in values.items() if name in known}
        if "personas_dir" in given:
            given["personas_dir"] = Path(given["personas_dir"])
        given["cache_dir"] = project / given.get("cache_dir", CACHE_DIR)
        return cls(categories=categories, sources=sources, project=project, **given)


@dataclass(frozen=True)
class Site:
    """The site a build writes: its folder, address (`""`: none), name, summary, repository and licence text,
    the build's time, and whether warnings fail it (`strict`)."""

    site_dir: str
    url: str = ""
    name: str = ""
    description: str = ""
    repo_url: str | None = None
    copyright: str | None = None
    now: datetime | None = None
    strict: bool = False
