"""Persona Catalog: turn a folder of AI persona files into a browsable, searchable Material for MkDocs site.

The public face: what tests, benchmarks and other programs use, re-exported from the rooms that hold it (see
README "Layout"); anything else is internal and may move. Importing it loads no engine (MkDocs loads with the
plugin or the command line, `main`, which is imported on first use).

- the format: `FIELDS` (the one table of front matter fields) and its `FieldSpec`, the `Persona`, `Category` and
  `Catalog` records, ids (`slugify`, `derive_slug`, `identity`), the JSON Schema (`persona_schema`);
- reading: `load_catalog`, `load_paths`, `load_files` (a `LoadResult`), `parse_persona` for one file's bytes,
  `load_sources` (other tools' collections), `read_front_matter` (the safe YAML boundary), `fix_persona`, and the
  `Problem` every check reports;
- the export registry: `FORMATS` (`FORMATS_BY_ID`) of `ExportFormat`s, `export_text`, `export_parts`, `export_file`;
- what a build writes: `site_outputs` (the API, schema, zips, raw files), `write_outputs` (`remove_outputs`), `prompt_html`,
  `prompt_length`, `PromptPool`, `PagePlacer` (the pages a build takes from its cache, copied into the site; `CacheChanged`), `Renderer` and `site_pages` (the generated pages), `index_site` (the site's
  search index, fed each page's `search_document`), `read_history` (dates from git), and the build's `Options` (with `AUTO_LIMIT`, where the
  tools' zips, source files and persona JSON documents stop by default; `ZIPS_AUTO_LIMIT`, the same);
- the command line: `main`, and `persona_file` (the file `persona-catalog import` writes for a persona).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from persona_catalog.build.options import AUTO_LIMIT, ZIPS_AUTO_LIMIT, Options
from persona_catalog.build.placing import CacheChanged, PagePlacer
from persona_catalog.catalog.characters import hidden_characters
from persona_catalog.catalog.describe import describe
from persona_catalog.catalog.files import ATTACHMENT_MAX_BYTES, read_bounded, scan, write_atomic
from persona_catalog.catalog.fixer import fix_persona
from persona_catalog.catalog.loader import (
    DEFAULT_MAX_BYTES,
    LoadResult,
    find_mojibake,
    find_persona_files,
    load_catalog,
    load_files,
    load_paths,
    parse_persona,
)
from persona_catalog.catalog.lookalikes import skeleton
from persona_catalog.catalog.model import (
    CONTEXT_WINDOW_MEANINGS,
    CONTEXT_WINDOWS,
    DEVICE_NAMES,
    FIELDS,
    FIELDS_BY_NAME,
    RESERVED,
    SEMVER_PATTERN,
    SLUG_PATTERN,
    Attachment,
    Catalog,
    Category,
    FieldSpec,
    Origin,
    Persona,
    derive_slug,
    identity,
    slugify,
    title_from_id,
)
from persona_catalog.catalog.placeholders import TODO
from persona_catalog.catalog.problems import Level, Problem
from persona_catalog.catalog.progress import Progress
from persona_catalog.catalog.schema import persona_schema
from persona_catalog.catalog.sources import Source, load_sources
from persona_catalog.catalog.yaml_boundary import FrontMatter, read_front_matter
from persona_catalog.exports import (
    DEFAULT_API_MODEL,
    FORMATS,
    FORMATS_BY_ID,
    KNOWN_API_MODELS,
    ExportFormat,
    ExportParts,
    Exports,
    agent_description,
    export_file,
    export_parts,
    export_text,
    formats_for,
)
from persona_catalog.outputs.api import index_entry, site_outputs
from persona_catalog.outputs.writing import UnsafeOutput, remove_outputs, write_outputs
from persona_catalog.prompt.html import prompt_html
from persona_catalog.prompt.length import CHARACTERS_PER_TOKEN, prompt_length
from persona_catalog.prompt.pool import PromptPool
from persona_catalog.search.index import SearchIndex, SearchIndexError, chunk_terms, index_site
from persona_catalog.search.reading import read_document, search_document, searchable
from persona_catalog.search.terms import terms as search_terms
from persona_catalog.site.history import read_history
from persona_catalog.site.pages import site_pages
from persona_catalog.site.render import Renderer
from persona_catalog.site.settings import site_url_problem
from persona_catalog.site.urls import API_ROOT

if TYPE_CHECKING:
    from persona_catalog.cli.import_ import persona_file
    from persona_catalog.cli.main import main

__version__ = "0.1.0"

__all__ = [
    "API_ROOT",
    "ATTACHMENT_MAX_BYTES",
    "AUTO_LIMIT",
    "CHARACTERS_PER_TOKEN",
    "CONTEXT_WINDOWS",
    "CONTEXT_WINDOW_MEANINGS",
    "DEFAULT_API_MODEL",
    "DEFAULT_MAX_BYTES",
    "DEVICE_NAMES",
    "FIELDS",
    "FIELDS_BY_NAME",
    "FORMATS",
    "FORMATS_BY_ID",
    "KNOWN_API_MODELS",
    "RESERVED",
    "SEMVER_PATTERN",
    "SLUG_PATTERN",
    "TODO",
    "ZIPS_AUTO_LIMIT",
    "Attachment",
    "CacheChanged",
    "Catalog",
    "Category",
    "ExportFormat",
    "ExportParts",
    "Exports",
    "FieldSpec",
    "FrontMatter",
    "Level",
    "LoadResult",
    "Options",
    "Origin",
    "PagePlacer",
    "Persona",
    "Problem",
    "Progress",
    "PromptPool",
    "Renderer",
    "SearchIndex",
    "SearchIndexError",
    "Source",
    "UnsafeOutput",
    "__version__",
    "agent_description",
    "chunk_terms",
    "derive_slug",
    "describe",
    "export_file",
    "export_parts",
    "export_text",
    "find_mojibake",
    "find_persona_files",
    "fix_persona",
    "formats_for",
    "hidden_characters",
    "identity",
    "index_entry",
    "index_site",
    "load_catalog",
    "load_files",
    "load_paths",
    "load_sources",
    "main",
    "parse_persona",
    "persona_file",
    "persona_schema",
    "prompt_html",
    "prompt_length",
    "read_bounded",
    "read_document",
    "read_front_matter",
    "read_history",
    "remove_outputs",
    "scan",
    "search_document",
    "search_terms",
    "searchable",
    "site_outputs",
    "site_pages",
    "site_url_problem",
    "skeleton",
    "slugify",
    "title_from_id",
    "write_atomic",
    "write_outputs",
]


def __getattr__(name: str) -> Any:
    """The command line's `main` and `persona_file` (what `import` writes) are imported when first used: the
    command line reads mkdocs.yml through MkDocs."""
    if name == "main":
        from persona_catalog.cli.main import main

        return main
    if name == "persona_file":
        from persona_catalog.cli.import_ import persona_file

        return persona_file
    raise AttributeError(f"module 'persona_catalog' has no attribute {name!r}")
