"""Real `mkdocs build` runs into `tmp_path`, checked on the HTML and JSON they write."""

from __future__ import annotations

import json
import logging
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import frontmatter
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from conftest import SHARED, BuildSite, demo_project, persona_text
from persona_catalog import find_persona_files, load_catalog

ONAMFC = SHARED / "corpora" / "onamfc__agent-prompt-library"
EXAMPLE = SHARED / "examples" / "backend-api-developer.md"

PERSONAS = {
    "dev/reviewer.md": persona_text("Patch Reviewer", "dev", models=["cursor"], context_window="medium",
                                    version="1.0.0", author="Lee", tags=["review", "quality"],
                                    body="# Patch Reviewer\n\nYou review patches. Look for zebra-striped locks.\n"),
    "ops/oncall/prompt.md": persona_text("On-call Buddy", "ops", tags=["incident", "quality"],
                                         body="You help during incidents.\n"),
}


def links(html: str) -> list[str]:
    class Links(HTMLParser):
        found: ClassVar[list[str]] = []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            self.found.extend(v for k, v in attrs if tag == "a" and k == "href")

    parser = Links()
    parser.found = []
    parser.feed(html)
    return parser.found


def test_one_page_per_persona_at_its_url(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, plugin={"categories": {"dev": {"title": "Development", "description": "Code."}}},
                      strict=False)  # `ops` is not configured: a warning (tests/test_author_hints.py)
    page = site.page("personas/patch-reviewer/")
    assert "<h1" in page and "Patch Reviewer" in page
    assert "<title>Patch Reviewer - Test Catalog</title>" in page
    for chip in ("Development", "cursor", "medium", "1.0.0", "Lee"):
        assert f">{chip}</" in page or f"{chip}</a>" in page, chip
    assert re.search(r"<button[^>]*>Copy prompt</button>", page)
    assert 'href="../../tags/review/"' in page and 'href="../../categories/dev/"' in page
    assert 'href="patch-reviewer.md" download="patch-reviewer.md"' in page
    assert site.page("personas/on-call-buddy/")


def test_raw_file_is_the_source_bytes(build_site: BuildSite) -> None:
    site = build_site(PERSONAS)
    assert (site.site_dir / "personas/patch-reviewer/patch-reviewer.md").read_text() == PERSONAS["dev/reviewer.md"]


def test_category_pages_list_their_personas(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, plugin={"categories": {"dev": {"title": "Development", "description": "Code."}}},
                      strict=False)  # `ops` is not configured: a warning, and still a page
    dev = site.page("categories/dev/")
    assert "Development" in dev and "Code." in dev and "Patch Reviewer" in dev and "On-call Buddy" not in dev
    assert "You review patches." in dev and 'href="../../tags/quality/"' in dev
    ops = site.page("categories/ops/")
    assert ">Ops<" in ops or "Ops</h1>" in ops  # title derived from an unconfigured id
    overview = site.page("categories/")
    assert 'href="../dev/"' not in overview and 'href="dev/"' in overview and 'href="ops/"' in overview


def test_tag_pages_exist_for_every_linked_tag(build_site: BuildSite) -> None:
    site = build_site(PERSONAS)
    page = site.page("personas/patch-reviewer/")
    for href in links(page):
        if "/tags/" in href:
            target = (site.site_dir / "personas/patch-reviewer" / href / "index.html").resolve()
            assert target.exists(), href
    quality = site.page("tags/quality/")
    assert "Patch Reviewer" in quality and "On-call Buddy" in quality
    assert 'href="review/"' in site.page("tags/")


def test_personas_json_equals_the_sources(build_site: BuildSite) -> None:
    site = build_site(PERSONAS)
    index = site.json("api/v1/personas.json")
    by_slug = {p["slug"]: p for p in index["personas"]}
    assert set(by_slug) == {"patch-reviewer", "on-call-buddy"}
    for text in PERSONAS.values():
        meta = frontmatter.loads(text).metadata
        entry = next(p for p in index["personas"] if p["name"] == meta["name"])
        for key in ("category", "models", "context_window", "version", "author", "tags"):
            assert entry[key] == meta.get(key, [] if key in ("models", "tags") else None), key
        assert (site.site_dir / entry["url"] / "index.html").exists()
        assert (site.site_dir / entry["raw_url"]).read_text() == text
    assert by_slug["patch-reviewer"]["description"] == "You review patches."


def test_site_url_makes_api_urls_absolute(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, config={"site_url": "https://example.org/catalog/"})
    entry = site.json("api/v1/personas.json")["personas"][0]
    assert entry["url"].startswith("https://example.org/catalog/personas/")


def test_persona_pages_are_not_in_the_navigation(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, docs={"index.md": "# Home\n", "about.md": "# About\n"})
    about = site.page("about/")
    assert "patch-reviewer" not in about and "on-call-buddy" not in about
    assert 'href="../categories/"' in about and 'href="../tags/"' in about


def test_bad_file_fails_the_build_naming_every_problem(build_site: BuildSite, caplog: pytest.LogCaptureFixture) -> None:
    bad = {
        **PERSONAS,
        "broken-yaml.md": "---\nname: [oops\ncategory: dev\n---\nbody\n",
        "no-category.md": "---\nname: Lonely\n---\nbody\n",
        "bad-tags.md": persona_text("Tagger", "dev", tags=["Not A Slug"]),
    }
    with pytest.raises(Abort):
        build_site(bad)
    errors = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert "3 problem(s) in 3 persona file(s)" in errors
    assert "broken-yaml.md:2: error: front matter: a list opened with '[' on line 2 is not closed" in errors
    assert "no-category.md" in errors and "category: a required field is missing" in errors
    assert "bad-tags.md:4: error: tags: an item is not a slug" in errors and "use 'not-a-slug'" in errors
    assert "Traceback" not in caplog.text


@pytest.mark.corpus
def test_example_with_mojibake_builds_and_warns_with_file_and_line(
    build_site: BuildSite, caplog: pytest.LogCaptureFixture
) -> None:
    site = build_site({"backend-api-developer.md": EXAMPLE.read_bytes()}, strict=False)
    assert site.page("personas/backend-api-developer/")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("backend-api-developer.md:148: warning: encoding: the text looks garbled" in w for w in warnings)
    with pytest.raises(Abort):
        build_site({"backend-api-developer.md": EXAMPLE.read_bytes()}, strict=True)


@pytest.mark.corpus
def test_onamfc_corpus_builds_strict_and_adds_exactly_31(build_site: BuildSite, tmp_path: Path) -> None:
    personas = {p.relative_to(ONAMFC).as_posix(): p.read_bytes() for p in ONAMFC.rglob("*.md")}
    assert "_template/prompt.md" in personas
    site = build_site(personas)
    assert len(site.json("api/v1/personas.json")["personas"]) == 31
    assert len(list((site.site_dir / "personas").glob("*/index.html"))) == 31
    forecaster = site.page("personas/cost-performance-forecaster/")
    assert "Cost &amp; Performance Forecaster" in forecaster


def yaml_categories(config: str) -> list[str]:
    """The category ids configured in the bundled mkdocs.yml's text (it has !ENV tags: not read as plain YAML)."""
    return re.findall(r"^        ([a-z0-9-]+):$", config, re.MULTILINE)


@pytest.mark.corpus
def test_onamfc_corpus_added_to_the_bundled_project_builds_strict(tmp_path: Path) -> None:
    project = tmp_path / "project"
    demo_project(project)
    before = len(find_persona_files(project / "personas"))
    shutil.copytree(ONAMFC, project / "personas" / "onamfc", ignore=shutil.ignore_patterns("LICENSE"))
    # Its categories configured, as an author adding it would (an unconfigured category stops a strict build)
    config = (project / "mkdocs.yml").read_text("utf-8")
    brought = sorted({p.category for p in load_catalog(ONAMFC).catalog.personas} - set(yaml_categories(config)))
    (project / "mkdocs.yml").write_text(config.replace(
        "      categories:\n", "      categories:\n" + "".join(f"        {c}: {{}}\n" for c in brought), 1), "utf-8")
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"), strict=True))  # as `make build`
    index = json.loads((project / "site/api/v1/personas.json").read_text())
    assert len(index["personas"]) == before + 31


def test_page_size_does_not_grow_with_the_catalog(build_site: BuildSite, tmp_path: Path) -> None:
    def persona_page_size(count: int) -> int:
        personas = {f"p{i}.md": persona_text(f"Persona {i}", f"cat-{i % 3}", tags=["shared", f"t{i}"])
                    for i in range(count)}
        personas["probe.md"] = persona_text("Probe", "cat-0", tags=["unique-probe"])
        site = build_site(personas)
        size = len(site.page("personas/probe/"))
        shutil.rmtree(site.root)
        return size

    small, large = persona_page_size(5), persona_page_size(120)
    assert large <= small * 1.05, (small, large)


def test_bundled_catalog_builds_strict(bundled_site) -> None:  # type: ignore[no-untyped-def]
    index = bundled_site.json("api/v1/personas.json")["personas"]
    sources = find_persona_files(bundled_site.root / "personas")
    assert len(index) == len(sources) >= 30
    assert len({p["category"] for p in index}) >= 6
    assert all(p["tags"] and p["models"] for p in index)


def test_persona_pages_show_the_name_once_and_the_description(bundled_site) -> None:  # type: ignore[no-untyped-def]
    for persona in bundled_site.json("api/v1/personas.json")["personas"]:
        html = bundled_site.page(f"personas/{persona['slug']}/")
        header = unescape(html[html.index('<article class="pc-persona"'):html.index('<h2 id="prompt"')])
        assert header.count(f">{persona['name']}<") == 1, persona["slug"]  # the page heading only
        assert persona["description"] in header  # (the prompt below is shown whole, its own heading included)


@pytest.mark.parametrize(
    ("plugin", "words"),
    [
        ({"on_invalid": "maybe"}, "on_invalid"),
        ({"personas_dir": "no-such-folder"}, "personas_dir"),
        ({"categories": {"dev": {"order": "first"}}}, "order"),
        ({"categories": {"dev": {"colour": "red"}}}, "categories.dev: unrecognised option 'colour'"),
    ],
)
def test_bad_options_are_configuration_errors(build_site: BuildSite, caplog: pytest.LogCaptureFixture,
                                              plugin: dict, words: str) -> None:
    with pytest.raises(Abort):
        build_site(PERSONAS, plugin=plugin)
    assert words in caplog.text and "Traceback" not in caplog.text


def test_unknown_category_icon_is_a_clear_error(build_site: BuildSite, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(Abort):
        build_site(PERSONAS, plugin={"categories": {"dev": {"icon": "material/no-such-icon"}}})
    assert "categories.dev.icon: no theme icon named 'material/no-such-icon'" in caplog.text


def test_persona_page_has_one_h1_and_an_outline_of_prompt_and_page(build_site: BuildSite) -> None:
    body = "# Reviewer\n\nYou review.\n\n## What you check\n\nText.\n\n### Deep detail\n\n## What you hand back\n\nMore.\n"
    site = build_site({"r.md": persona_text("Outline Reviewer", "dev", tags=["a"], body=body),
                       "s.md": persona_text("Sibling", "dev", tags=["a"])})
    page = site.page("personas/outline-reviewer/")
    assert page.count("<h1") == 1
    toc = page.split('aria-label="Table of contents"', 1)[1].split("</nav>\n", 1)[0]
    anchors = re.findall(r'href="#([^"]+)"', page.split('data-md-component="toc"', 1)[1].split("</ul>\n</nav>", 1)[0])
    assert anchors[:5] == ["prompt", "prompt-reviewer", "prompt-what-you-check", "prompt-deep-detail",
                           "prompt-what-you-hand-back"] and "related" in anchors, anchors
    assert '<h4 id="prompt-what-you-check">' in page and 'class="md-skip"' in page and toc


def test_personas_dir_inside_docs_dir_builds_each_persona_once(build_site: BuildSite) -> None:
    docs = {"index.md": "# Home\n",
            "personas/patch-reviewer.md": PERSONAS["dev/reviewer.md"],  # same path as its generated page
            "personas/ops/oncall/prompt.md": PERSONAS["ops/oncall/prompt.md"],
            "personas/_template/prompt.md": persona_text("Template", "dev")}
    site = build_site(docs=docs, plugin={"personas_dir": "docs/personas"}, strict=True)
    assert {p["slug"] for p in site.json("api/v1/personas.json")["personas"]} == {"patch-reviewer", "on-call-buddy"}
    assert 'class="pc-persona"' in site.page("personas/patch-reviewer/")  # the generated page, not the source
    for plain in ("personas/ops/oncall/prompt/", "personas/ops/oncall/", "personas/_template/prompt/"):
        assert not (site.site_dir / plain / "index.html").exists(), plain
    pages = {p.relative_to(site.site_dir).as_posix() for p in site.site_dir.rglob("*.html")
             if "zebra-striped locks" in p.read_text("utf-8")}
    assert pages == {"personas/patch-reviewer/index.html"}  # the prompt is on its persona page only


def test_personas_dir_equal_to_docs_dir_is_a_clear_error(build_site: BuildSite,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(Abort):
        build_site(plugin={"personas_dir": "docs"})
    assert "/project/docs' is the docs_dir itself; use a subfolder of it" in caplog.text


def test_personas_dir_inside_docs_dir_takes_every_persona_suffix(build_site: BuildSite) -> None:
    site = build_site(docs={"index.md": "# Home\n", "personas/long.markdown": persona_text("Long Form", "dev")},
                      plugin={"personas_dir": "docs/personas"})
    assert [p["slug"] for p in site.json("api/v1/personas.json")["personas"]] == ["long-form"]
    assert not (site.site_dir / "personas" / "long" / "index.html").exists()  # not also a plain page


def test_progress_lines_and_one_summary_line(
    build_site: BuildSite, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long build logs progress (files loaded, pages read and rendered, files written) at most every
    `progress.INTERVAL` seconds, here every step; and one summary line at the end with seconds per stage."""
    from persona_catalog.catalog import progress

    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    caplog.set_level(logging.INFO, logger="mkdocs")
    personas = {f"p{i}.md": persona_text(f"Persona {i}", "development" if i % 2 else "data", tags=[f"t{i % 3}"])
                for i in range(5)}
    site = build_site({**personas, "broken.md": "no front matter\n"}, plugin={"on_invalid": "skip"})
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("mkdocs.plugins.persona_catalog")]
    pages = len(list(site.site_dir.rglob("index.html")))  # one per page (the 404 page is a template)
    assert "persona-catalog: loaded 6/6 persona files" in messages
    assert f"persona-catalog: read {pages}/{pages} pages" in messages
    assert f"persona-catalog: rendered {pages}/{pages} pages" in messages
    assert any(re.fullmatch(r"persona-catalog: wrote \d+ files", m) for m in messages)
    summary = [m for m in messages if m.startswith("persona-catalog: built ")]
    assert len(summary) == 1
    found = re.fullmatch(r"persona-catalog: built 5 personas in 2 categories with 3 tags, 1 skipped file\(s\); "
                         r"seconds: load \d+\.\d s, pages \d+\.\d s, outputs \d+\.\d s, search \d+\.\d s; "
                         r"outputs: (.*)", summary[0])
    assert found is not None, summary[0]
    # What the written outputs weigh by kind, as the files on disk say (pages, search index and theme not counted).
    def kilobytes(folder: str, pattern: str = "*") -> int:
        return round(sum(p.stat().st_size for p in (site.site_dir / folder).rglob(pattern) if p.is_file()) / 1e3)
    shown = dict(part.rsplit(" ", 2)[0:2] for part in found.group(1).split(", "))
    assert set(shown) == {"zips", "api", "persona json", "raw files", "other"}  # no https site_url: no marketplace
    assert shown["zips"] == str(kilobytes("api/v1/bundles"))
    assert shown["persona json"] == str(kilobytes("api/v1/personas"))
    assert shown["raw files"] == str(kilobytes("personas", "p*.md"))


def test_no_progress_lines_for_a_quick_build(build_site: BuildSite, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    build_site({"p.md": persona_text("Persona", "data")})
    assert not [r for r in caplog.records if re.match(r"persona-catalog: (loaded|read|rendered|wrote) ", r.getMessage())]
    assert sum(r.getMessage().startswith("persona-catalog: built 1 personas") for r in caplog.records) == 1
