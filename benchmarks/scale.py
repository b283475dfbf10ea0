"""Build cost at scale: synthetic catalogs of 500 and 5,000 personas built by the catalog and, interleaved in the
same run, by plain Material for MkDocs (the baseline), with every figure a ratio to the baseline and to N=500.

Run: `nice .venv/bin/python benchmarks/scale.py [N ...] [--rounds R] [--large-rounds R]` (default 500 5000, 2
rounds, and 1 round for sizes above 5,000; about 7 minutes on 2 cores for the default sizes, about an hour with
20000 and 50000). Prints a Markdown table (the README's).

Every build is a clean one: the catalog's build cache (`.cache/`, on by default) of an earlier round is removed
first (`benchmarks/incremental.py` measures cached builds). The baseline is the same persona files as ordinary
Material pages under `docs/personas/`, kept out of the nav (`not_in_nav`), with Material's tags plugin (a tags
index page) and its default search, and the same docs, theme and Markdown settings. Each build runs in its own process (`mkdocs build`); its time is the wall clock,
its peak memory the largest sum of the resident memory of the build process and every process it has started
at the same moment (read from /proc every 50 ms: the prompt workers and the search indexer run beside the
build), and the build process's own peak (Python: MkDocs and the plugin) is shown beside it. "Personas in 3
clicks" counts the persona pages the written HTML's links reach from the home page in at most three clicks,
as a visitor without JavaScript can follow them (the catalog only).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ("development", "operations", "security", "data", "writing", "product", "learning",  # configured
              "research", "design", "legal", "health", "finance")
MODELS = ("claude-code", "cursor", "claude-api", "copilot", "codex", "gemini-cli")
WORDS = ("review api sql data cloud test docs design security ops writing product coach python rust kubernetes "
         "incident pricing research tutor schema budget latency privacy migration onboarding support interview "
         "grammar analytics forecast compliance contract accessibility mobile frontend backend streaming billing "
         "search ranking pipeline warehouse observability release hiring negotiation refactor").split()
TAGS = [f"{word}-{suffix}" for word in WORDS for suffix in ("core", "ops", "lab", "kit", "pro", "team")][:300]


def synthetic(folder: Path, count: int) -> None:
    """`count` deterministic personas `persona-NNNNN.md`: 6 tags of 300 (a few common, most rare), one of 12
    categories, 1-3 of 6 models, a prompt of 2-6 KB in headed sections with lists and emphasis."""
    weights = [1 / (rank + 10) for rank in range(len(TAGS))]  # Zipf-like: a few tags common, most rare
    for i in range(count):
        rng = random.Random(i)
        tags = sorted(set(rng.choices(TAGS, weights, k=6)))
        models = rng.sample(MODELS, rng.randint(1, 3))
        sections = []
        for s in range(rng.randint(3, 8)):
            prose = " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 130)))
            items = "\n".join(f"- **{rng.choice(WORDS)}**: check the {rng.choice(WORDS)} and the "
                              f"`{rng.choice(WORDS)}` step" for _ in range(rng.randint(2, 6)))
            sections.append(f"## {rng.choice(WORDS).title()} {s + 1}\n\n{prose.capitalize()}.\n\n{items}")
        body = f"You are persona {i}, an assistant for {' and '.join(tags[:2])} work.\n\n" + "\n\n".join(sections)
        (folder / f"persona-{i:05d}.md").write_text(
            f"---\nname: Persona {i:05d}\ncategory: {CATEGORIES[i % len(CATEGORIES)]}\nmodels: {models}\n"
            f"context_window: {rng.choice(('small', 'medium', 'large'))}\nversion: 1.{i % 7}.0\nauthor: bench\n"
            f"tags: {tags}\n---\n\n{body}\n", "utf-8")


def project(kind: str, personas: Path, folder: Path) -> Path:
    """A project folder for `kind` ("catalog" or "baseline") over the persona files in `personas`."""
    shutil.copytree(ROOT / "docs", folder / "docs")
    shutil.copytree(ROOT / "overrides", folder / "overrides")
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    if kind == "catalog":
        shutil.copytree(personas, folder / "personas")
        # The synthetic categories the bundled configuration lacks, configured as an author adding them would (an
        # unconfigured category is a warning, which stops the strict build).
        config = config.replace("      categories:\n", "      categories:\n" + "".join(
            f"        {c}: {{}}\n" for c in CATEGORIES if f"\n        {c}:" not in config), 1)
    else:  # the same files as plain pages: Material's tags plugin and search instead of the catalog
        shutil.copytree(personas, folder / "docs" / "personas")
        (folder / "docs" / "tags").mkdir()
        (folder / "docs" / "tags" / "index.md").write_text("# Tags\n\n<!-- material/tags -->\n", "utf-8")
        (folder / "docs" / "categories").mkdir()
        (folder / "docs" / "categories" / "index.md").write_text("# Categories\n", "utf-8")
        plugins = re.search(r"^plugins:\n(?:[ #].*\n|\n)*", config, re.MULTILINE)
        assert plugins is not None
        config = config[:plugins.start()] + "plugins:\n  - search\n  - tags\n\n" + config[plugins.end():]
        config = (config.replace("not_in_nav: |\n", "not_in_nav: |\n  /personas/**\n", 1) if "not_in_nav: |\n" in config
                  else config + "\nnot_in_nav: |\n  /personas/**\n")
    (folder / "mkdocs.yml").write_text(config, "utf-8")
    return folder


# `mkdocs <args>`, then the process's own peak resident set (KB, children not counted) into the file argv[1].
_MKDOCS_OWN_PEAK = """
import atexit, resource, sys
from pathlib import Path
out = Path(sys.argv.pop(1))
atexit.register(lambda: out.write_text(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))
from mkdocs.__main__ import cli
cli(prog_name="mkdocs")
"""


@dataclass
class Build:
    seconds: float
    peak_mb: float
    python_mb: float
    output_bytes: int
    output_files: int
    home: int
    persona: int
    tag: int | None
    category: int | None
    reachable: int | None  # personas reached from the home page in at most three clicks, without JavaScript


_HREF = re.compile(r'<a\s[^>]*?href="([^"#?]*)[^"]*"')


def within_clicks(site: Path, clicks: int = 3) -> int:
    """How many persona pages (`personas/<slug>/`) the links of the written HTML reach from the home page in at
    most `clicks` clicks (breadth first: what a visitor without JavaScript can follow)."""
    seen, frontier = {""}, [""]
    for _ in range(clicks):
        found = []
        for page in frontier:
            try:
                html = (site / page / "index.html").read_text("utf-8")
            except OSError:  # a file, not a page (a zip, a feed)
                continue
            for href in _HREF.findall(html):
                target = urljoin(f"http://site/{page}", href)
                if target.startswith("http://site/") and target.endswith("/"):
                    path = target[len("http://site/"):]
                    if path not in seen:
                        seen.add(path)
                        found.append(path)
        frontier = found
    return sum(1 for path in seen if re.fullmatch(r"personas/[^/]+/", path))


LARGE = 5000  # sizes above this are built `--large-rounds` times
SAMPLE = 0.05  # seconds between two readings of the build's memory


def process_tree(root: int) -> list[int]:
    """`root` and every process below it, from each thread's `children` in /proc (Linux): a few small files per
    process, where listing every process of the machine 20 times a second took a fifth of a core from the
    builds it measured."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            threads = os.listdir(f"/proc/{pid}/task")
        except OSError:  # it has ended
            continue
        for tid in threads:
            try:
                todo += map(int, Path(f"/proc/{pid}/task/{tid}/children").read_text().split())
            except OSError:
                continue
    return found


def resident_kb(pid: int) -> int:
    """The process's resident memory now (KB), 0 once it has ended."""
    try:
        status = Path("/proc", str(pid), "status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)


def build(folder: Path) -> Build:
    """One `mkdocs build` of `folder` in its own process, and what it wrote."""
    site = folder / "site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(folder / ".cache", ignore_errors=True)  # a clean build: no build cache of an earlier round
    own = folder / "python-peak"
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", _MKDOCS_OWN_PEAK, str(own), "build", "-q",
                                "-f", str(folder / "mkdocs.yml"), "-d", str(site)],
                               env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": ""})
    peak_kb = 0
    while process.poll() is None:  # the build, its prompt workers and the search indexer run at once: their sum counts
        peak_kb = max(peak_kb, sum(map(resident_kb, process_tree(process.pid))))
        time.sleep(SAMPLE)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {folder}")
    files = [p for p in site.rglob("*") if p.is_file()]

    def largest(pattern: str) -> int | None:
        sizes = [p.stat().st_size for p in site.glob(pattern)]
        return max(sizes) if sizes else None

    return Build(seconds, peak_kb / 1024, int(own.read_text()) / 1024, sum(p.stat().st_size for p in files), len(files),
                 (site / "index.html").stat().st_size, (site / "personas/persona-00000/index.html").stat().st_size,
                 largest("tags/*/**/index.html") or largest("tags/index.html"), largest("categories/*/**/index.html"),
                 within_clicks(site) if (site / "all").is_dir() else None)


def row(label: str, b: Build, n: int) -> list[str]:
    def kb(value: int | None) -> str:
        return "–" if value is None else f"{value / 1024:,.0f} KB"
    return [label, f"{b.seconds:.1f} s", f"{b.seconds / n * 1000:.1f} ms", f"{b.peak_mb:.0f} MB",
            f"{b.python_mb:.0f} MB",
            f"{b.output_bytes / 2**20:.0f} MB", f"{b.output_files:,}", kb(b.home), kb(b.persona), kb(b.tag),
            kb(b.category), "–" if b.reachable is None else f"{b.reachable:,}"]


def ratio(label: str, a: Build, b: Build, n_a: int, n_b: int) -> list[str]:
    def x(p: float | None, q: float | None) -> str:
        return "–" if p is None or q is None else f"**{p / q:.2f}×**"
    return [label, x(a.seconds, b.seconds), x(a.seconds / n_a, b.seconds / n_b), x(a.peak_mb, b.peak_mb),
            x(a.python_mb, b.python_mb),
            x(a.output_bytes, b.output_bytes), x(a.output_files, b.output_files), x(a.home, b.home),
            x(a.persona, b.persona), x(a.tag, b.tag), x(a.category, b.category), ""]


def summary(runs: list[Build]) -> Build:
    """Median time of the rounds, the largest peak memory, the sizes of the last."""
    last = runs[-1]
    return Build(median(r.seconds for r in runs), max(r.peak_mb for r in runs), max(r.python_mb for r in runs),
                 last.output_bytes,
                 last.output_files, last.home, last.persona, last.tag, last.category, last.reachable)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 5000])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--large-rounds", type=int, default=1, help="rounds for sizes above 5,000")
    args = parser.parse_args()
    began = time.perf_counter()
    results: dict[tuple[int, str], list[Build]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folders = {}
        for n in args.sizes:
            personas = Path(tmp, f"personas-{n}")
            personas.mkdir()
            synthetic(personas, n)
            for kind in ("catalog", "baseline"):
                folders[n, kind] = project(kind, personas, Path(tmp, f"{kind}-{n}"))

        def rounds(n: int) -> int:
            return args.rounds if n <= LARGE else args.large_rounds

        for round_ in range(max(map(rounds, args.sizes))):
            for n in (n for n in args.sizes if round_ < rounds(n)):
                for kind in ("baseline", "catalog") if round_ % 2 else ("catalog", "baseline"):
                    results.setdefault((n, kind), []).append(build(folders[n, kind]))
                    print(f"round {round_ + 1}, {n} personas, {kind}: {results[n, kind][-1].seconds:.1f} s",
                          file=sys.stderr)
        report(args, results, began)  # before the folders (gigabytes at 50,000) are removed


def report(args: argparse.Namespace, results: dict[tuple[int, str], list[Build]], began: float) -> None:
    """The table: each size's builds, their ratios to plain Material and to the first size."""
    best = {key: summary(runs) for key, runs in results.items()}
    first = args.sizes[0]
    lines = [["personas", "build", "per persona", "peak memory", "of it the build process", "output", "files", "home page", "persona page",
              "largest tag page", "largest category page", "personas in 3 clicks"]]
    for n in args.sizes:
        catalog, baseline = best[n, "catalog"], best[n, "baseline"]
        lines += [row(f"{n:,} catalog", catalog, n), row(f"{n:,} plain Material", baseline, n),
                  ratio(f"{n:,} catalog / plain Material", catalog, baseline, n, n)]
        if n != first:
            for kind, label in (("catalog", "catalog"), ("baseline", "plain Material")):
                lines.append(ratio(f"{n:,} / {first:,}, {label}", best[n, kind], best[first, kind], n, first))
    print(f"| {' | '.join(lines[0])} |\n|---|{'---:|' * (len(lines[0]) - 1)}")
    for line in lines[1:]:
        print(f"| {' | '.join(line)} |")
    print(f"\n{args.rounds} interleaved rounds up to {LARGE:,} personas, {args.large_rounds} above (median time, "
          f"largest peak memory); {os.cpu_count()} CPUs; "
          f"{time.perf_counter() - began:.0f} s in all.")


if __name__ == "__main__":
    main()
