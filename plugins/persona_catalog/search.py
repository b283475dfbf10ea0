"""Site search: a Pagefind index built from the finished site, answered through Material's own search box.

Pagefind (https://pagefind.app) reads the built HTML and writes a chunked index into `pagefind/`; the browser
then loads only the chunks for the words typed, so the cost of a first result does not grow with the catalog.
What is indexed is decided in the templates: persona pages and docs pages carry `data-pagefind-body` (with a
`kind` filter), listing pages carry none and so are never results; chrome is `data-pagefind-ignore`d.

Material for MkDocs draws its header search box and runs its keyboard handling only for its own search plugin,
and asks a web worker for results. `HeaderSearch` stands in for that plugin, `STUB_INDEX` replaces the lunr
index it would fetch, `use_worker` points the theme at `search-worker.js`, which answers the theme's worker
messages from Pagefind.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .render import json_for_script

BUNDLE_DIR = "pagefind"
WORKER = "search-worker.js"
MATERIAL_INDEX = "search/search_index.json"
# What Material's page script fetches before it starts the search worker: no documents, as Pagefind answers.
STUB_INDEX = {"config": {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": []}, "docs": []}


_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
_THEME_WORKER = "assets/javascripts/workers/"


def docs_body(html: str) -> str:
    """A docs page's content, marked as searchable (ranked below personas by its `kind`)."""
    return f'<div data-pagefind-body data-pagefind-filter="kind:docs">\n{html}\n</div>'


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


@dataclass(frozen=True)
class IndexReport:
    """What one indexing run wrote: pages indexed, files and bytes of the bundle, seconds taken."""

    pages: int
    files: int
    bytes: int
    seconds: float

    def __str__(self) -> str:
        return (f"indexed {self.pages} pages into {self.files} files ({self.bytes / 1024:.0f} KB) "
                f"in {self.seconds:.2f} s")


class SearchIndexError(RuntimeError):
    """Pagefind failed; the message carries its output."""


class Indexing:
    """A Pagefind run over the built site at `site_dir`, writing `site_dir/pagefind/`; `wait()` for its report.

    It starts at once, in its own process, so it runs beside whatever the build still writes (no HTML may be
    written after it starts). The binary is the one shipped in the `pagefind[bin]` wheel, run through its
    documented `python -m pagefind` entry: offline, and safe inside any event loop or thread.
    """

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.output = site_dir / BUNDLE_DIR
        self.start = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(self.output),
             "--force-language", "en", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def stop(self) -> None:
        """End the run early (its site is out of date); what it wrote is left for the next run to replace."""
        self.process.kill()
        self.process.communicate()

    def wait(self) -> IndexReport:
        messages, _ = self.process.communicate()
        if self.process.returncode != 0:
            raise SearchIndexError(f"pagefind exited with {self.process.returncode}: {messages.strip()}")
        for unused in (*self.output.glob("pagefind-*ui.*"), self.output / "pagefind-highlight.js"):
            unused.unlink(missing_ok=True)  # Pagefind's own UIs: the theme's search box is used instead
        entry = json.loads((self.output / "pagefind-entry.json").read_text("utf-8"))
        pages = sum(language["page_count"] for language in entry["languages"].values())
        stub = self.site_dir / MATERIAL_INDEX
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text(json.dumps(STUB_INDEX), "utf-8")
        files = [p for p in self.output.rglob("*") if p.is_file()]
        return IndexReport(pages, len(files), sum(p.stat().st_size for p in files), time.perf_counter() - self.start)
