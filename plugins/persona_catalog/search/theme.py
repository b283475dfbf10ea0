"""Site search: the site's own index (`index`), answered through Material's own search box.

The pages' searchable element is read as they are written into a term-partitioned index under `search-index/`;
the browser then loads only the chunk files and postings blocks its words need, so the cost of a first result
does not grow with the catalog.

What is indexed is decided in the templates: persona pages and docs pages carry `data-pagefind-body` (with a
`kind` filter), listing pages and docs pages with `search: {exclude: true}` (`searchable`) carry none and so are
never results; chrome is `data-pagefind-ignore`d. (The attributes keep Pagefind's names, the engine of an earlier
version: the index reads them as Pagefind documents them.)

Material for MkDocs draws its header search box and runs its keyboard handling only for its own search plugin,
and asks a web worker for results. `HeaderSearch` stands in for that plugin, `STUB_INDEX` replaces the lunr
index it would fetch (`stub_index`), `use_worker` points the theme at `search-worker.js`, which answers the
theme's worker messages from the index.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from persona_catalog.search.reading import BODY_END
from persona_catalog.site.render import json_for_script

WORKER = "search-worker.js"
MATERIAL_INDEX = "search/search_index.json"
# What Material's page script fetches before it starts the search worker: no documents, as our index answers.
STUB_INDEX = {"config": {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": []}, "docs": []}


_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
_THEME_WORKER = "assets/javascripts/workers/"


def docs_body(html: str) -> str:
    """A docs page's content, marked as searchable (ranked below personas by its `kind`)."""
    return f'<div data-pagefind-body data-pagefind-filter="kind:docs">\n{html}\n</div>{BODY_END}'


def searchable(meta: Mapping[str, object]) -> bool:
    """Whether a docs page is a search result: not when its front matter says `search: {exclude: true}`, Material's
    own switch (https://squidfunk.github.io/mkdocs-material/setup/setting-up-site-search/#search-exclusion)."""
    search = meta.get("search")
    return not (isinstance(search, dict) and search.get("exclude") is True)


def use_worker(page: str, worker: str) -> str:
    """The page with Material's search worker (`__config.search`) replaced by `worker`, a site path.

    The theme's own value keeps its prefix (relative on pages, absolute on the 404 page), so the same prefix
    leads to `worker`. A page without the theme's configuration is returned unchanged.
    """
    def replace(match: re.Match[str]) -> str:
        settings = json.loads(match.group(2))
        current = settings.get("search") or ""
        if _THEME_WORKER not in current:
            return match.group(0)
        settings["search"] = current[:current.index(_THEME_WORKER)] + worker
        return match.group(1) + str(json_for_script(settings)) + match.group(3)

    return _CONFIG.sub(replace, page, count=1)


@dataclass(frozen=True)
class SearchSettings:
    """What the theme's header template reads from its search plugin's configuration."""

    enabled: bool = True


@dataclass(frozen=True)
class HeaderSearch:
    """Stands in for Material's `material/search` plugin entry, so the theme draws its search box (no events)."""

    config: SearchSettings = field(default_factory=SearchSettings)


def stub_index() -> tuple[str, bytes]:
    """Material's search index, as its page script fetches it before starting the worker: empty."""
    return MATERIAL_INDEX, json.dumps(STUB_INDEX).encode()
