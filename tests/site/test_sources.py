"""`sources:`: collections in other tools' formats built as they are, with `mkdocs build --strict`."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import Path

import pytest

from collections_fixtures import SKILL_FILES, mixed_collection
from conftest import SHARED, BuildSite
from persona_catalog import Source, load_sources

CORPORA = SHARED / "corpora"


def test_a_mixed_collection_builds_strict(build_site: BuildSite, tmp_path: Path,
                                          caplog: pytest.LogCaptureFixture) -> None:
    mixed_collection(tmp_path / "project" / "vendor" / "agents-repo")
    caplog.set_level(logging.INFO)
    site = build_site(plugin={"sources": [{"path": "vendor/agents-repo"}]},
                      config={"site_url": "https://catalog.example.org/"})  # with the served marketplace
    page = site.page("personas/backend-developer/")
    tools = re.search(r'<dl class="pc-tool-fields">(.*?)</dl>', page, re.DOTALL)
    assert tools is not None
    assert re.findall(r"<code>(\w+)</code></dt> <dd>([^<]*)</dd>", tools.group(1)) == [
        ("tools", "Read, Write, Bash"), ("model", "sonnet"), ("color", "blue")]
    assert "Claude Code sub-agent: backend-developer" in page
    # Categories the source brings are known ones: a page each, titled from the id, no warning under --strict.
    assert "Core Development" in site.page("categories/core-development/")
    skill = site.page("personas/pdf-tools/")
    listed = re.findall(r"<li><code>([^<]*)</code> <span class=\"pc-file-size\">", skill)
    assert sorted(listed) == sorted(SKILL_FILES)
    assert 'href="pdf-tools.zip" download="pdf-tools.zip"' in skill
    archive = zipfile.ZipFile(io.BytesIO((site.site_dir / "personas/pdf-tools/pdf-tools.zip").read_bytes()))
    assert {n: archive.read(n) for n in archive.namelist() if n != "pdf-tools/SKILL.md"} == {
        f"pdf-tools/{rel}": data for rel, data in SKILL_FILES.items()}
    assert archive.read("pdf-tools/SKILL.md") == (tmp_path / "project/vendor/agents-repo/skills/pdf-tools/SKILL.md"
                                                  ).read_bytes()
    notes = [r.getMessage() for r in caplog.records if "README.md: note" in r.getMessage()]
    assert len(notes) == 1 and "not read" in notes[0]
    # The skill's files go with it wherever it is installed from: the Agent Skills zips and the marketplace plugins.
    skills_zip = zipfile.ZipFile(site.site_dir / "api/v1/bundles/agent-skills/all.zip")
    plugin = zipfile.ZipFile(site.site_dir / "api/v1/claude-code/plugins/all-personas.zip")
    for rel, data in SKILL_FILES.items():
        assert skills_zip.read(f".agents/skills/pdf-tools/{rel}") == data
        assert plugin.read(f"skills/pdf-tools/{rel}") == data


def test_hostile_skill_file_names_are_shown_escaped(build_site: BuildSite, tmp_path: Path) -> None:
    root = tmp_path / "project" / "skills" / "odd"
    root.mkdir(parents=True)
    (root / "SKILL.md").write_text("---\nname: odd\ndescription: Odd files.\n---\n\nUse them.\n", "utf-8")
    (root / "<script>alert(1)<").write_bytes(b"x")
    (root / "bell\x07.txt").write_bytes(b"y")
    site = build_site(plugin={"sources": [{"path": "skills", "format": "skills"}]})
    page = site.page("personas/odd/")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;" in page
    files = page[page.index('class="pc-files"'):]
    assert "\x07" not in page and re.search(r'bell<span class="pc-invisible" title="[^"]+">[^<]+</span>\.txt', files)


def prompt_of(path: Path) -> str:
    """A Markdown file's prompt as the format defines it, read here independently of the readers: the text after
    the front matter's closing '---' line, leading blank lines and trailing whitespace removed."""
    text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    lines = text.split("\n")
    if lines[0].rstrip() == "---":
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.rstrip() == "---")
        lines = lines[end + 1:]
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines).rstrip()


def accounted(corpus: Path) -> tuple[dict[str, int], list[str]]:
    """Read `corpus` as a source; every file is an entry whose prompt is its body byte for byte, a file of a
    skill entry, or named with its reason in a problem. Returns the counts and the files not accounted for."""
    result = load_sources(None, [Source(corpus)])
    entries = {str(Path(result.shown[p.slug]).resolve()): p for p in result.catalog.personas}
    attached = {str(Path(a.path).resolve()) for p in result.catalog.personas for a in p.files}
    named = " ".join(f"{p.path} {p.message}" for p in result.problems)
    missing = []
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        real = str(path.resolve())
        if real in entries:
            if entries[real].body != prompt_of(path):
                missing.append(f"{path}: prompt differs")
        elif real not in attached and str(path) not in named and path.name not in named:
            missing.append(str(path))
    counts = {"files": sum(1 for p in corpus.rglob("*") if p.is_file()), "entries": len(result.catalog.personas),
              "repaired": len({p.path for p in result.problems if p.message.startswith("read with a repair")}),
              "skipped": len(result.skipped), "errors": len(result.errors),
              "attached": len(attached), "duplicates": sum(len(p.origin.also) for p in result.catalog.personas
                                                           if p.origin)}
    return counts, missing


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "entries", "repaired"), [
    ("VoltAgent__awesome-claude-code-subagents", 158, 8), ("anthropics__skills", 12, 0)])
def test_real_collections_every_file_accounted_for(name: str, entries: int, repaired: int) -> None:
    counts, missing = accounted(CORPORA / name)
    assert missing == []
    assert (counts["entries"], counts["repaired"], counts["skipped"], counts["errors"]) == (entries, repaired, 0, 0)


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["VoltAgent__awesome-claude-code-subagents", "anthropics__skills"])
def test_real_collections_build_strict_as_sources(name: str, build_site: BuildSite) -> None:
    site = build_site(plugin={"sources": [{"path": str(CORPORA / name)}]}, config={"site_url": "https://x.test/"})
    listing = site.json("api/v1/personas.json")
    personas = listing["personas"] if isinstance(listing, dict) else listing
    categories = {p["category"] for p in personas}
    if name.startswith("VoltAgent"):
        folders = {re.sub(r"^\d+-", "", p.name) for p in (CORPORA / name / "categories").iterdir() if p.is_dir()}
        assert categories == folders  # categories follow the folders
        assert len(personas) == 158
    else:
        assert len(personas) == 12
        archive = zipfile.ZipFile(site.site_dir / "personas/mcp-builder/mcp-builder.zip")
        on_disk = {str(p.relative_to(CORPORA / name / "skills")) for p in
                   (CORPORA / name / "skills/mcp-builder").rglob("*") if p.is_file()}
        assert set(archive.namelist()) == on_disk


def test_a_broken_source_file_follows_on_invalid(build_site: BuildSite, tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    from collections_fixtures import BROKEN, CLAUDE_AGENT, write_tree
    write_tree(tmp_path / "project" / "vendor", {"agents/ok.md": CLAUDE_AGENT, "agents/broken.md": BROKEN})
    caplog.set_level(logging.INFO)
    with pytest.raises(Abort):
        build_site(plugin={"sources": [{"path": "vendor"}]})
    assert any("broken.md:2: error: front matter" in r.getMessage() for r in caplog.records)
    caplog.clear()
    site = build_site(plugin={"sources": [{"path": "vendor"}], "on_invalid": "skip"})  # strict: left out, named
    assert (site.site_dir / "personas/backend-developer/index.html").is_file()
    assert any("skipped 1 invalid file(s)" in r.getMessage() and "broken.md" in r.getMessage()
               for r in caplog.records)
