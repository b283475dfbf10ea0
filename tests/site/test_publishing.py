"""A hosted catalog: feeds, page meta, sitemap, llms.txt, robots.txt, history, edit links, 404 and the
contributor guide, on real builds of a project committed to a temporary git repository."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
import yaml
from test_history import commit, day, git

from conftest import ROOT, BuildSite, Site, persona_text
from persona_catalog import FIELDS

SITE_URL = "https://example.org/catalog/"
REPO_URL = "https://github.com/example/catalog"
HOSTED = {"site_url": SITE_URL, "repo_url": REPO_URL, "edit_uri": "edit/main/docs/"}
HOSTILE_NAME = '<script>alert("x")</script> & Co'
HOSTILE_DESCRIPTION = "Says \"hi\" then '><img src=x onerror=alert(1)> [link](javascript:x)"

PERSONAS = {
    "dev/reviewer.md": persona_text("Patch Reviewer", "dev", version="1.2.0", author="octocat", tags=["review"]),
    "dev/tester.md": persona_text("Test Writer", "dev", author="Jane Doe"),
    "ops/oncall.md": persona_text("On-call Buddy", "ops"),
    "ops/hostile.md": persona_text(HOSTILE_NAME, "ops", description=HOSTILE_DESCRIPTION, slug="hostile",
                                   body="You are a persona whose fields carry markup.\n"),
}
SLUGS = {"dev/reviewer.md": "patch-reviewer", "dev/tester.md": "test-writer", "ops/oncall.md": "on-call-buddy",
         "ops/hostile.md": "hostile"}


def build_in_git(build_site: BuildSite, plugin: dict | None = None, config: dict | None = None,
                 edits: bool = True) -> tuple[Site, dict[str, datetime]]:
    """Build once to lay out the project, commit it with known dates (edit one persona, rename another), then
    build again from git history. Returns the site and each persona's expected updated date."""
    settings = {**HOSTED, **(config or {})}
    updated = {slug: day(0) for slug in SLUGS.values()}
    if edits:
        updated["patch-reviewer"], updated["on-call-buddy"] = day(2), day(3)  # a rename is a change too
    site = build_site(PERSONAS, plugin=plugin, config=settings)
    git(site.root, "init", "-q", "-b", "main")
    (site.root / ".gitignore").write_text("site/\n")
    commit(site.root, "Add the catalog", day(0))
    if edits:
        reviewer = site.root / "personas/dev/reviewer.md"
        reviewer.write_text(PERSONAS["dev/reviewer.md"] + "\nReview <b>carefully</b>.\n")
        commit(site.root, 'Reviewer: ask for "care" <b>now</b>', day(2))
        (site.root / "personas/ops/oncall.md").rename(site.root / "personas/ops/on-call.md")
        commit(site.root, "Rename on-call", day(3))
    return build_site(plugin=plugin, config=settings), updated


class Head(HTMLParser):
    """The `<meta>` and `<link>` tags of a page, with their attribute values unescaped."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.feed(html[: html.index("</head>")])

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta[values.get("property") or values["name"]] = values.get("content", "")
        elif tag == "link":
            self.links.append(values)


def test_feed_parses_and_lists_personas_newest_first(build_site: BuildSite) -> None:
    site, updated = build_in_git(build_site, plugin={"feed_size": 3})
    feed = feedparser.parse(site.html("feed.xml"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.link == SITE_URL
    names = {"patch-reviewer": "Patch Reviewer", "test-writer": "Test Writer", "on-call-buddy": "On-call Buddy",
             "hostile": HOSTILE_NAME}
    expected = sorted(updated, key=lambda slug: (-updated[slug].timestamp(), names[slug].casefold()))[:3]
    assert [e.link for e in feed.entries] == [f"{SITE_URL}personas/{slug}/" for slug in expected]
    newest = feed.entries[1]
    assert newest.title == "Patch Reviewer" and newest.updated == day(2).isoformat()
    assert newest.published == day(0).isoformat() and 'ask for "care" <b>now</b>' in newest.summary
    hostile = feedparser.parse(site.html("categories/ops/feed.xml"))
    assert not hostile.bozo and {e.title for e in hostile.entries} == {HOSTILE_NAME, "On-call Buddy"}
    assert any(e.summary.startswith(HOSTILE_DESCRIPTION) for e in hostile.entries)
    ET.fromstring((site.site_dir / "feed.xml").read_bytes())  # well-formed for a strict XML parser too

    head = Head(site.page("personas/patch-reviewer/"))
    feeds = {link["href"] for link in head.links if link.get("type") == "application/atom+xml"}
    assert feeds == {"../../feed.xml"}  # relative: right wherever the site is served (test_browser_finding)
    assert 'href="feed.xml" rel="alternate" type="application/atom+xml"' in site.page("categories/dev/")


def test_page_meta_is_present_and_escaped(build_site: BuildSite) -> None:
    site, _ = build_in_git(build_site, edits=False)
    html = site.page("personas/hostile/")
    head_html = html[: html.index("</head>")]
    assert "<script>alert" not in head_html and "<img" not in head_html
    head = Head(html)
    url = SITE_URL + "personas/hostile/"
    assert {"rel": "canonical", "href": url} in head.links
    assert head.meta["og:title"] == head.meta["twitter:title"] == HOSTILE_NAME
    assert head.meta["og:description"] == head.meta["twitter:description"] == head.meta["description"] \
        == HOSTILE_DESCRIPTION
    assert head.meta["og:url"] == url and head.meta["og:type"] == "article"
    assert head.meta["og:site_name"] == "Test Catalog" and head.meta["twitter:card"] == "summary"


def test_sitemap_lists_every_persona_with_its_last_change(build_site: BuildSite) -> None:
    site, updated = build_in_git(build_site)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {u.findtext("s:loc", namespaces=namespace): u.findtext("s:lastmod", namespaces=namespace)
               for u in ET.fromstring(site.html("sitemap.xml")).findall("s:url", namespace)}
    for slug, when in updated.items():
        assert entries[f"{SITE_URL}personas/{slug}/"] == when.date().isoformat(), slug
    assert entries[f"{SITE_URL}categories/dev/"] == day(2).date().isoformat()
    assert site.html("robots.txt").endswith(f"Sitemap: {SITE_URL}sitemap.xml\n")


def test_llms_txt_lists_every_persona_with_its_raw_file(build_site: BuildSite) -> None:
    site, _ = build_in_git(build_site, edits=False)
    text = site.html("llms.txt")
    assert text.startswith("# Test Catalog\n\n> ")
    links = re.findall(r"^- \[(.+)\]\((\S+)\): (.*)$", text, flags=re.MULTILINE)
    assert sorted(url for _, url, _ in links) == sorted(f"{SITE_URL}personas/{s}/{s}.md" for s in SLUGS.values())
    assert ("Patch Reviewer", f"{SITE_URL}personas/patch-reviewer/patch-reviewer.md",
            "You are Patch Reviewer, a persona written for a test.") in links
    for _, url, _ in links:
        assert (site.site_dir / url.removeprefix(SITE_URL)).is_file()
    assert re.findall(r"^## (.+)$", text, flags=re.MULTILINE) == ["Dev", "Ops"]


def test_persona_page_shows_dates_history_and_contribution_links(build_site: BuildSite) -> None:
    site, _ = build_in_git(build_site, config={"copyright": "Prompts under CC BY 4.0"})
    page = site.page("personas/patch-reviewer/")
    assert '<time class="pc-date" datetime="2024-01-10T09:00:00+00:00">10 January 2024</time>' in page
    assert '<time class="pc-date" datetime="2024-01-12T09:00:00+00:00">12 January 2024</time>' in page
    history = page[page.index('id="history"'):page.index('id="contribute"')]
    commits = re.findall(r'href="https://github.com/example/catalog/commit/([0-9a-f]{40})#diff-([0-9a-f]{64})"', history)
    assert len(commits) == 2 and "ask for &#34;care&#34; &lt;b&gt;now&lt;/b&gt;" in history
    assert "version 1.2.0" in history
    assert 'href="https://github.com/example/catalog/edit/main/personas/dev/reviewer.md"' in page
    assert page.count('rel="edit"') >= 1
    assert re.search(r'href="https://github.com/example/catalog/issues/new\?title=Suggestion[^"]+Patch\+Reviewer', page)
    assert '<span class="pc-chip">octocat</span>' in page  # a handle is no profile unless author_url says so
    assert '<span class="pc-chip">Jane Doe</span>' in site.page("personas/test-writer/")
    assert "Licence: Prompts under CC BY 4.0" in page
    renamed = site.page("personas/on-call-buddy/")
    assert 'href="https://github.com/example/catalog/edit/main/personas/ops/on-call.md"' in renamed
    assert renamed.count("<li><time") == 2, "the rename is part of the file's history"


def test_badges_follow_the_recent_window(build_site: BuildSite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int((day(0) + timedelta(days=40)).timestamp())))
    site, _ = build_in_git(build_site, plugin={"recent_days": 38, "license": "", "author_url": ""})
    assert 'pc-badge">Updated<' in site.page("personas/patch-reviewer/")
    assert "pc-badge" not in site.page("personas/test-writer/")
    assert "Licence:" not in site.page("personas/test-writer/")
    assert 'href="https://github.com/octocat"' not in site.page("personas/patch-reviewer/")
    site = build_site(plugin={"recent_days": 45}, config=HOSTED)  # the same repository, a wider window
    assert "pc-badge" not in site.page("personas/test-writer/"), "added with the catalog: an import is not new"
    (site.root / "personas/dev/later.md").write_text(persona_text("Later Persona", "dev"))
    commit(site.root, "Add a persona later", day(5))
    site = build_site(plugin={"recent_days": 45}, config=HOSTED)
    assert 'pc-badge">New<' in site.page("personas/later-persona/")
    assert "pc-badge" not in site.page("personas/test-writer/")
    assert 'pc-badge">Updated<' in site.page("personas/on-call-buddy/")  # renamed on day 3: a change since


def test_authors_are_linked_only_as_profiles(build_site: BuildSite) -> None:
    personas = {"a.md": persona_text("Handle Author", "dev", author="octocat"),
                "b.md": persona_text("Url Author", "dev", author="https://gitlab.com/someone"),
                "c.md": persona_text("Named Author", "dev", author="Jane Doe")}
    site = build_site(personas)
    assert '<span class="pc-chip">octocat</span>' in site.page("personas/handle-author/")
    assert 'href="https://gitlab.com/someone" rel="author"' in site.page("personas/url-author/")
    site = build_site(personas, plugin={"author_url": "https://github.com/{handle}"})
    assert 'href="https://github.com/octocat" rel="author"' in site.page("personas/handle-author/")
    assert '<span class="pc-chip">Jane Doe</span>' in site.page("personas/named-author/")


def test_without_git_or_site_url_dates_are_file_times_and_no_feeds(build_site: BuildSite) -> None:
    site = build_site(PERSONAS)
    page = site.page("personas/patch-reviewer/")
    assert "No history: this site was built without the file" in page
    assert not (site.site_dir / "feed.xml").exists() and not (site.site_dir / "llms.txt").exists()
    assert "og:title" in page and "og:url" not in page and "application/atom+xml" not in page


def test_contributor_guide_is_generated_from_the_schema(build_site: BuildSite) -> None:
    site = build_site(PERSONAS)
    guide = site.page("contributing/")
    for spec in FIELDS:
        assert f"<td><code>{spec.name}</code></td><td>{'yes' if spec.required else 'no'}</td>" in guide, spec.name
    assert "persona-catalog lint" in guide and "persona-catalog-lint" in guide and "<code>dev</code>" in guide


def test_not_found_page_offers_search(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, config={"site_url": SITE_URL})
    page = site.html("404.html")
    assert re.search(r'<form class="pc-not-found" action="/catalog/404\.html" method="get"', page)
    assert '<input id="pc-not-found-query" type="search" name="q"' in page


def run_mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=120)


def test_missing_site_url_is_a_warning_for_build(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, strict=False)
    done = run_mkdocs(site.root, "build")
    assert done.returncode == 0 and "WARNING -  persona-catalog: 'site_url' is not set" in done.stderr
    strict = run_mkdocs(site.root, "build", "--strict")
    assert strict.returncode == 1 and "'site_url' is not set" in strict.stderr
    config = yaml.safe_load((site.root / "mkdocs.yml").read_text())
    (site.root / "mkdocs.yml").write_text(yaml.safe_dump({**config, "site_url": SITE_URL}))
    hosted = run_mkdocs(site.root, "build", "--strict")
    assert hosted.returncode == 0 and "'site_url' is not set" not in hosted.stderr


def test_lint_github_format_annotates_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad, file.md"
    bad.write_text("---\nname: A\ncategory: Not A Slug\n---\n\nYou are A.\n")
    done = subprocess.run([sys.executable, "-m", "persona_catalog.cli", "lint", "--format", "github", str(bad)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1
    line = done.stdout.strip().splitlines()[0]
    assert re.fullmatch(r"::error file=bad%2C file\.md,line=3,title=persona-catalog%3A category::category: .+", line)
    vague = tmp_path / "vague.md"
    vague.write_text("---\nname: Vague\ncategory: dev\n---\n\nHello there. Some text.\n")
    done = subprocess.run([sys.executable, "-m", "persona_catalog.cli", "lint", "--format", "github", str(vague)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("::notice file=vague.md,"), done.stdout  # a suggestion


def test_workflow_runs_the_readme_commands_then_deploys() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) >= {"push", "pull_request"} and triggers["push"]["branches"] == ["main"]
    steps = workflow["jobs"]["build"]["steps"]
    runs = [s["run"] for s in steps if "run" in s and not s["run"].startswith("echo")]
    readme = (ROOT / "README.md").read_text()
    for command in runs:
        assert command in readme, f"the README does not show `{command}`"
    assert [r.split()[1] for r in runs] == ["lint", "build"]  # the catalog's checks; the generator's are CI's
    by_name = {s.get("name"): s for s in steps}
    assert "if" not in by_name["Lint"] and "Tests" not in by_name
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert uses["actions/checkout"]["with"]["fetch-depth"] == 0, "dates need the whole git history"
    assert "actions/upload-pages-artifact" in uses
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_the_docs_own_robots_txt_wins(build_site: BuildSite) -> None:
    own = "User-agent: *\nDisallow: /drafts/\n"
    site = build_site(PERSONAS, docs={"index.md": "# Home\n", "robots.txt": own}, config={"site_url": SITE_URL})
    assert site.html("robots.txt") == own and (site.site_dir / "llms.txt").is_file()


def test_serve_does_not_warn_about_site_url(build_site: BuildSite, tmp_path: Path) -> None:
    from test_serve import fetch, free_port, wait_until

    site = build_site(PERSONAS)
    port, log = free_port(), tmp_path / "serve.log"
    with log.open("w") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a",
                                    f"127.0.0.1:{port}"], cwd=site.root, stdout=subprocess.DEVNULL, stderr=stderr,
                                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        try:
            assert wait_until(lambda: fetch(f"http://127.0.0.1:{port}/personas/patch-reviewer/")[0] == 200)
            assert wait_until(lambda: "Serving on" in log.read_text())
            assert wait_until(lambda: "persona-catalog: built 4 personas" in log.read_text())  # outputs: after
        finally:
            process.terminate()
            process.wait(timeout=10)
    output = log.read_text()
    assert "persona-catalog: built 4 personas" in output and "'site_url' is not set" not in output
