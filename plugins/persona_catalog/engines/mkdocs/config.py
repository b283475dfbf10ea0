"""The plugin's options, as MkDocs `Config` classes (documented, each one, in docs/configuration.md)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from persona_catalog.build.cache import DEFAULT_DIR as CACHE_DIR
from persona_catalog.catalog.loader import DEFAULT_MAX_BYTES
from persona_catalog.catalog.readers.registry import FORMAT_IDS
from persona_catalog.exports import DEFAULT_API_MODEL
from persona_catalog.prompt.pool import default_concurrency
from persona_catalog.search.index import DEFAULT_BLOCK_SIZE
from persona_catalog.site.pages import DEFAULT_LISTING_PAGE_SIZE, DEFAULT_PAGE_SIZE


class CategoryConfig(base.Config):
    """How one category is shown: `title`, `description`, `icon` (a theme icon such as `material/code-braces`), `order`."""

    title = c.Optional(c.Type(str))
    description = c.Type(str, default="")
    icon = c.Optional(c.Type(str))
    order = c.Type(int, default=0)


class SourceConfig(base.Config):
    """A collection in another tool's format: `path` (relative to mkdocs.yml), `format`, a fixed `category`."""

    path = c.Type(str)
    format = c.Choice(FORMAT_IDS, default="auto")
    category = c.Optional(c.Type(str))


class PersonaCatalogConfig(base.Config):
    """Options of the `persona-catalog` plugin (documented in docs/configuration.md)."""

    enabled = c.Type(bool, default=True)  # as Material's plugins: `false` leaves the site as if it were absent
    personas_dir = c.Dir(exists=True, default="personas")
    sources = c.ListOfItems(c.SubConfig(SourceConfig), default=[])
    categories = c.DictOfItems(c.SubConfig(CategoryConfig), default={})
    on_invalid = c.Choice(("fail", "skip"), default="fail")
    max_file_size = c.Type(int, default=DEFAULT_MAX_BYTES)
    catalog_page = c.Type(str, default="index.md")
    page_size = c.Type(int, default=DEFAULT_PAGE_SIZE)
    listing_page_size = c.Type(int, default=DEFAULT_LISTING_PAGE_SIZE)
    api_model = c.Type(str, default=DEFAULT_API_MODEL)
    export_files = c.Type(bool, default=False)
    zips = c.Choice(("auto", True, False), default="auto")  # the tools' zips; auto: up to 2,000 personas
    raw_files = c.Choice(("auto", True, False), default="auto")  # the personas' source files; auto: likewise
    persona_json = c.Choice(("auto", True, False), default="auto")  # each persona's JSON document; likewise
    marketplace_name = c.Optional(c.Type(str))
    remote_images = c.Type(bool, default=False)
    git_history = c.Type(bool, default=True)
    repo_facts = c.Type(bool, default=False)  # Material's repository stars and forks, fetched by each visitor
    recent_days = c.Type(int, default=30)
    feed_size = c.Type(int, default=20)
    author_url = c.Type(str, default="")
    license = c.Optional(c.Type(str))
    search = c.Type(bool, default=True)
    search_block_size = c.Type(int, default=DEFAULT_BLOCK_SIZE)
    search_shard_size = c.Deprecated(  # Pagefind's shards, before the index of our own: said, not refused
        message="persona-catalog: '{}' is no longer used (the search index has no shards); remove it", removed=True)
    concurrency = c.Type(int, default=default_concurrency())
    cache = c.Type(bool, default=True)  # as Material's plugins: keep what a build made for the next
    cache_dir = c.Type(str, default=CACHE_DIR)
