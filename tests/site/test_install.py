"""Installing from the site: per-tool verdicts (reserved names, size caps), Agent Skills' rules, and the Claude Code
marketplace the site serves (archive sources pinned by sha256, versions derived from content)."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BuildSite, embedded_prompt, persona_text, write_and_build
from export_parsing import check_antigravity_manifest, check_export, check_skill
from persona_catalog import ATTACHMENT_MAX_BYTES, SLUG_PATTERN, Persona
from persona_catalog.exports import (
    FORMATS,
    FORMATS_BY_ID,
    RESERVED_MARKETPLACE_NAMES,
    marketplace_name_problem,
    skill_name,
)

HTTPS = {"site_url": "https://catalog.example.org/team/"}
MARKET = "https://catalog.example.org/team/api/v1/claude-code/marketplace.json"


def persona(slug: str = "reviewer", body: str = "You review.", **fields: object) -> Persona:
    return Persona(slug, "Reviewer", "", "testing", body, "p.md", **fields)  # type: ignore[arg-type]


# ---- Verdicts: one test per reserved name and per cap -----------------------------------------------------------

RESERVED = sorted((fmt.id, name) for fmt in FORMATS for name in fmt.reserved)


@pytest.mark.parametrize(("format_id", "name"), RESERVED, ids=[f"{f}-{n}" for f, n in RESERVED])
def test_a_built_in_name_is_a_verdict_for_its_tool_only(format_id: str, name: str) -> None:
    fmt = FORMATS_BY_ID[format_id]
    notes = fmt.limit_notes(persona(name))
    assert [n.field for n in notes if "built-in agent" in n.message] == ["slug"], notes
    assert all(n.hint for n in notes)
    for other in FORMATS:
        if name not in other.reserved:
            assert not [n for n in other.limit_notes(persona(name)) if "built-in agent" in n.message], other.id


def test_the_documented_built_in_names_are_checked() -> None:
    assert {"claude", "statusline-setup", "claude-code-guide", "explore", "plan",
            "general-purpose"} <= FORMATS_BY_ID["claude-code"].reserved
    assert {"explore", "task", "code-review", "general-purpose", "research"} <= FORMATS_BY_ID["copilot"].reserved
    assert {"compaction", "title", "summary"} <= FORMATS_BY_ID["opencode"].reserved


NAMED = [(fmt.id, fmt.name_pattern) for fmt in FORMATS if fmt.name_pattern]


@pytest.mark.parametrize(("format_id", "pattern"), NAMED, ids=[f for f, _ in NAMED])
def test_a_name_its_tool_does_not_accept_is_a_verdict(format_id: str, pattern: str) -> None:
    """Catalog slugs always match every tool's name rule; a persona made otherwise (an API user's) gets the verdict."""
    fmt = FORMATS_BY_ID[format_id]
    assert not [n for n in fmt.limit_notes(persona("code-reviewer")) if "accepts" in n.message]
    notes = [n for n in fmt.limit_notes(persona("Code Reviewer")) if "accepts" in n.message]
    assert [(n.field, n.message) for n in notes] == [("slug", f"the name 'Code Reviewer' is not one {fmt.label} "
                                                              "accepts")]
    assert pattern in notes[0].hint


def test_the_documented_reserved_marketplace_names_are_refused() -> None:
    """code.claude.com/docs/en/plugins/marketplace-reference, Reserved names (2026-12): official, community and
    plugin directory names, and names that impersonate an official marketplace."""
    for name in ("claude-tag-plugins", "anthropic-plugin-directory", "claude-plugin-directory", "healthcare",
                 "official-claude-plugins"):
        assert marketplace_name_problem(name), name
    assert marketplace_name_problem("acme-personas") is None


def test_copilot_takes_30000_characters_of_prompt_and_no_more() -> None:
    copilot = FORMATS_BY_ID["copilot"]
    assert copilot.limit_notes(persona(body="x" * 30_000)) == []
    (note,) = copilot.limit_notes(persona(body="x" * 30_001))
    assert note.field == "body" and "30,001" in note.message and "30,000" in note.hint


def test_a_skill_description_past_1024_characters_is_cut_with_a_verdict() -> None:
    skills = FORMATS_BY_ID["agent-skills"]
    assert skills.limit_notes(persona(use_when="u" * 1024)) == []
    long = persona(use_when="u" * 1025)
    (note,) = skills.limit_notes(long)
    assert note.field == "use_when" and "1,025" in note.message
    fields = check_skill(skills.text(long), folder="reviewer")
    assert len(fields["description"]) == 1024 and fields["description"].endswith("…")


def test_a_skill_name_past_64_characters_is_shortened_with_a_verdict() -> None:
    skills = FORMATS_BY_ID["agent-skills"]
    slug = "a" * 40 + "-" + "b" * 39
    assert skills.limit_notes(persona("a" * 64)) == []
    (note,) = skills.limit_notes(persona(slug))
    assert note.field == "slug" and skill_name(slug) in note.message
    assert skills.destination(slug) == f".agents/skills/{skill_name(slug)}/SKILL.md"
    check_skill(skills.text(persona(slug)), folder=skill_name(slug))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(slug=st.from_regex(SLUG_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 80),
       name=st.text(min_size=1, max_size=200), use_when=st.one_of(st.none(), st.text(min_size=1, max_size=1500)),
       body=st.text(min_size=1, max_size=300))
def test_every_skill_obeys_the_spec_whatever_its_names(slug: str, name: str, use_when: str | None,
                                                       body: str) -> None:
    """Hostile slugs (up to the catalog's 80 characters, hyphens anywhere the slug rule allows), names and lines:
    the SKILL.md is one the Agent Skills specification accepts, in a folder of its name, with the prompt exact."""
    skills = FORMATS_BY_ID["agent-skills"]
    p = Persona(slug, name, "", "testing", body, "p.md", use_when=use_when)
    folder = skills.destination(slug).split("/")[2]  # type: ignore[union-attr]
    check_skill(skills.text(p), folder=folder)
    check_export("agent-skills", skills.text(p), p, "")
    assert len({skill_name(slug), skill_name(slug + "-x" if len(slug) < 79 else slug[:-1])}) == 2


def test_a_skill_file_over_the_size_cap_is_a_warning_and_left_out_of_every_zip(
        build_site: BuildSite, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A skill's other file past ATTACHMENT_MAX_BYTES (10 MiB) is named in a warning and left out of the skill's
    zip, the Agent Skills zip and the marketplace plugin; its files under the cap go with it."""
    root = tmp_path / "project" / "skills" / "big"
    (root / "references").mkdir(parents=True)
    (root / "SKILL.md").write_text("---\nname: big\ndescription: Big files.\n---\n\nUse them.\n", "utf-8")
    (root / "references" / "small.md").write_bytes(b"small")
    with open(root / "references" / "huge.bin", "wb") as huge:  # sparse: 10 MiB + 1 byte, no disk written
        huge.truncate(ATTACHMENT_MAX_BYTES + 1)
    with open(root / "references" / "edge.bin", "wb") as edge:
        edge.truncate(ATTACHMENT_MAX_BYTES)  # exactly the cap: kept
    with caplog.at_level(logging.WARNING):
        site = build_site(plugin={"sources": [{"path": "skills", "format": "skills"}]}, config=HTTPS, strict=False)
    (warning,) = [r.getMessage() for r in caplog.records if "huge.bin" in r.getMessage()]
    assert "too large to go with its skill" in warning and f"{ATTACHMENT_MAX_BYTES + 1} bytes" in warning
    with zipfile.ZipFile(site.site_dir / "personas/big/big.zip") as own, \
            zipfile.ZipFile(site.site_dir / "api/v1/bundles/agent-skills/all.zip") as skills, \
            zipfile.ZipFile(site.site_dir / "api/v1/claude-code/plugins/all-personas.zip") as plugin:
        assert sorted(own.namelist()) == ["big/SKILL.md", "big/references/edge.bin", "big/references/small.md"]
        assert sorted(skills.namelist()) == [f".agents/skills/big/{n}" for n in
                                             ("SKILL.md", "references/edge.bin", "references/small.md")]
        assert "skills/big/references/huge.bin" not in plugin.namelist()
        assert plugin.read("skills/big/references/small.md") == b"small"


def test_verdicts_reach_the_page_the_api_and_lint(build_site: BuildSite, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        site = build_site({"t.md": persona_text("Task Runner", slug="task", body="You run tasks.\n")}, strict=False)
    assert any("GitHub Copilot: the name 'task' is a built-in agent" in r.getMessage() for r in caplog.records)
    entry = site.json("api/v1/personas/task.json")
    assert list(entry["tool_warnings"]) == ["copilot"]
    assert entry["tool_warnings"]["copilot"][0]["fix"] == "choose another 'slug:'"
    page = site.page("personas/task/")
    assert 'data-pc-label="GitHub Copilot" class="pc-tool--warn"' in page and "Fix: choose another" in page


# ---- New formats in the bundles -----------------------------------------------------------------------------------

def test_skills_kiro_and_antigravity_zips_hold_their_documented_layouts(build_site: BuildSite) -> None:
    site = build_site({"a.md": persona_text("Alpha", slug="alpha", category="data", use_when="Use when: data."),
                       "b.md": persona_text("Beta", slug="beta", category="writing", body="Say \"hi\" 🚀\n\tok\n")})
    personas = {"alpha": "data", "beta": "writing"}
    with zipfile.ZipFile(site.site_dir / "api/v1/bundles/agent-skills/all.zip") as skills:
        assert skills.namelist() == [".agents/skills/alpha/SKILL.md", ".agents/skills/beta/SKILL.md"]
        for name in skills.namelist():
            check_skill(skills.read(name).decode(), folder=name.split("/")[2])
    with zipfile.ZipFile(site.site_dir / "api/v1/bundles/kiro/categories/data.zip") as kiro:
        assert kiro.namelist() == [".kiro/agents/alpha.md"]
    with zipfile.ZipFile(site.site_dir / "api/v1/bundles/antigravity/all.zip") as agy:
        assert agy.namelist() == [f".agents/agents/{s}/{f}" for s in personas for f in ("agent.json", "config.yaml")]
        for slug in personas:
            entry = site.json(f"api/v1/personas/{slug}.json")
            p = Persona(slug, entry["name"], entry.get("description", ""), entry["category"], entry["prompt"], "p.md",
                        use_when=entry.get("use_when"))
            check_export("antigravity", agy.read(f".agents/agents/{slug}/config.yaml").decode(), p, "")
            check_antigravity_manifest(agy.read(f".agents/agents/{slug}/agent.json").decode(), p)


# ---- The marketplace the site serves ------------------------------------------------------------------------------

def plugins_of(site_dir: Path) -> dict[str, dict]:
    market = json.loads((site_dir / "api/v1/claude-code/marketplace.json").read_text())
    return {entry["name"]: entry for entry in market["plugins"]}


def archive_of(site_dir: Path, entry: dict) -> bytes:
    url = entry["source"]["url"]
    assert url.startswith("https://catalog.example.org/team/")
    return (site_dir / url.removeprefix("https://catalog.example.org/team/")).read_bytes()


CATALOG = {"a.md": persona_text("Alpha", slug="alpha", category="data"),
           "b.md": persona_text("Beta", slug="beta", category="writing"),
           "c.md": persona_text("Gamma", slug="gamma", category="writing")}


def test_the_served_marketplace_pins_each_archive_and_unpacks_to_a_plugin(build_site: BuildSite) -> None:
    site = build_site(CATALOG, config=HTTPS)
    market = json.loads((site.site_dir / "api/v1/claude-code/marketplace.json").read_text())
    # The documented fields (code.claude.com/docs/en/plugin-marketplaces): name, owner.name, plugins with a name and
    # an archive source: an https url and 64 hex characters of sha256.
    assert market["name"] == "test-catalog" and market["owner"] == {"name": "Test Catalog"}
    assert marketplace_name_problem(market["name"]) is None
    assert [p["name"] for p in market["plugins"]] == ["data", "writing", "all-personas"]
    for entry in market["plugins"]:
        source = entry["source"]
        assert set(source) == {"source", "url", "sha256"} and source["source"] == "archive"
        data = archive_of(site.site_dir, entry)
        assert source["sha256"] == hashlib.sha256(data).hexdigest() and len(data) < 256 * 1024 * 1024
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            manifest = json.loads(archive.read(".claude-plugin/plugin.json"))
            assert manifest["name"] == entry["name"] and manifest["version"] == entry["version"]
            expected = {"data": ["alpha"], "writing": ["beta", "gamma"], "all-personas": ["alpha", "beta", "gamma"]}
            slugs = expected[entry["name"]]
            assert sorted(archive.namelist()) == sorted([".claude-plugin/plugin.json", *(f"agents/{s}.md" for s in slugs),
                                                         *(f"skills/{s}/SKILL.md" for s in slugs)])
            with zipfile.ZipFile(site.site_dir / "api/v1/bundles/claude-code/all.zip") as claude_code, \
                    zipfile.ZipFile(site.site_dir / "api/v1/bundles/agent-skills/all.zip") as skills:
                for slug in slugs:  # each agent is the persona's Claude Code file, each skill its SKILL.md
                    assert archive.read(f"agents/{slug}.md") == claude_code.read(f".claude/agents/{slug}.md")
                    skill = archive.read(f"skills/{slug}/SKILL.md")
                    assert skill == skills.read(f".agents/skills/{slug}/SKILL.md")
                    check_skill(skill.decode("utf-8"), slug)
    index = site.json("api/v1/personas.json")
    assert index["claude_code_marketplace"] == {"name": "test-catalog", "url": MARKET,
                                                "add": f"/plugin marketplace add {MARKET}"}
    page = site.page("personas/beta/")
    assert f"/plugin marketplace add {MARKET}\n/plugin install writing@test-catalog" in page
    assert "/plugin install writing@test-catalog" in site.page("categories/writing/")


def test_versions_change_exactly_when_a_category_s_content_changes(tmp_path: Path) -> None:
    first = plugins_of(write_and_build(tmp_path / "one", CATALOG, config=HTTPS).site_dir)
    again = plugins_of(write_and_build(tmp_path / "two", CATALOG, config=HTTPS).site_dir)
    assert first == again  # the same catalog: the same zips, digests and versions
    changed = {**CATALOG, "c.md": persona_text("Gamma", slug="gamma", category="writing", body="You changed.\n")}
    after = plugins_of(write_and_build(tmp_path / "three", changed, config=HTTPS).site_dir)
    assert after["data"] == first["data"]
    for name in ("writing", "all-personas"):
        assert after[name]["version"] != first[name]["version"]
        assert after[name]["source"]["sha256"] != first[name]["source"]["sha256"]
        # nothing else of the entry changes: its name, description, author and archive URL stay
        unpinned = {**after[name], "version": None, "source": {**after[name]["source"], "sha256": None}}
        assert unpinned == {**first[name], "version": None, "source": {**first[name]["source"], "sha256": None}}
    with zipfile.ZipFile(io.BytesIO(archive_of(tmp_path / "three" / "site", after["writing"]))) as archive:
        assert json.loads(archive.read(".claude-plugin/plugin.json"))["version"] == after["writing"]["version"]


def test_a_plugin_past_the_archive_limit_is_left_out_and_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Claude Code refuses an archive over 256 MiB (bundles.ARCHIVE_LIMIT): a plugin past it is not served, with a
    warning and its fix for a category, a note for the whole catalog (whose categories remain). The limit is
    lowered here to just under the 'writing' plugin's real size, so the fixture trips it without 256 MiB."""
    from persona_catalog.exports import bundles
    sizes = {name: len(archive_of(tmp_path / "one" / "site", entry)) for name, entry in
             plugins_of(write_and_build(tmp_path / "one", CATALOG, config=HTTPS).site_dir).items()}
    assert sizes["data"] < sizes["writing"] < sizes["all-personas"]
    monkeypatch.setattr(bundles, "ARCHIVE_LIMIT", sizes["writing"] - 1)
    with caplog.at_level(logging.INFO):
        site = write_and_build(tmp_path / "two", CATALOG, config=HTTPS, strict=False)
    assert list(plugins_of(site.site_dir)) == ["data"]
    assert not (site.site_dir / "api/v1/claude-code/plugins/writing.zip").exists()
    said = {r.getMessage().split("'")[1]: r for r in caplog.records if "more than the" in r.getMessage()}
    assert said["writing"].levelno == logging.WARNING and "fix: split the category" in said["writing"].getMessage()
    assert f"{sizes['writing']:,}-byte" in said["writing"].getMessage()
    assert said["all-personas"].levelno == logging.INFO and set(said) == {"writing", "all-personas"}


def test_without_https_the_build_says_why_there_is_no_served_marketplace(
        build_site: BuildSite, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        site = build_site(CATALOG, config={"site_url": "http://catalog.example.org/"})
    assert not (site.site_dir / "api/v1/claude-code/marketplace.json").exists()
    assert any("offered as a zip only" in r.getMessage() and "https" in r.getMessage() for r in caplog.records)
    assert site.json("api/v1/personas.json")["claude_code_marketplace"] is None
    assert "/plugin marketplace add" not in site.page("personas/beta/")
    assert (site.site_dir / "api/v1/bundles/claude-code-marketplace.zip").exists()  # the zip stays


@pytest.mark.parametrize("name", [*sorted(RESERVED_MARKETPLACE_NAMES), "anthropic-plugins-v2", "Not Kebab"])
def test_a_reserved_or_invalid_marketplace_name_is_a_build_problem_with_a_fix(
        build_site: BuildSite, caplog: pytest.LogCaptureFixture, name: str) -> None:
    assert marketplace_name_problem(name)
    if name not in ("agent-skills", "Not Kebab"):
        return  # every name is checked above; two builds show what the build makes of it
    with caplog.at_level(logging.WARNING):
        site = build_site(CATALOG, plugin={"marketplace_name": name}, config=HTTPS, strict=False)
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(name in m and "set the plugin option 'marketplace_name'" in m for m in messages), messages
    assert not (site.site_dir / "api/v1/claude-code/marketplace.json").exists()


# ---- The `zips` switch (issue 25: downloads that pay for themselves) --------------------------------------------

def test_without_zips_no_zip_is_written_or_linked_and_the_served_marketplace_stays(build_site: BuildSite) -> None:
    site = build_site(CATALOG, plugin={"zips": False}, config=HTTPS)
    assert not (site.site_dir / "api/v1/bundles").exists()
    index = site.json("api/v1/personas.json")
    assert index["claude_code_marketplace_url"] is None
    assert not any("zip_url" in fmt or "category_zip_urls" in fmt for fmt in index["export_formats"])
    for page in ("personas/beta/", "categories/writing/", "categories/"):
        assert "api/v1/bundles/" not in site.page(page), page
    assert "a zip below" not in site.page("personas/beta/")
    assert f"/plugin marketplace add {MARKET}" in site.page("categories/writing/")  # installs go through it
    market = json.loads((site.site_dir / "api/v1/claude-code/marketplace.json").read_text())
    assert [p["name"] for p in market["plugins"]] == ["data", "writing", "all-personas"]
    assert plugins_of(site.site_dir) == plugins_of(build_site(CATALOG, config=HTTPS).site_dir)  # the same plugins


def test_zips_are_on_by_default_for_small_catalogs_and_off_for_large_ones() -> None:
    from persona_catalog import ZIPS_AUTO_LIMIT, Options
    assert Options().zips_on(ZIPS_AUTO_LIMIT) and not Options().zips_on(ZIPS_AUTO_LIMIT + 1)
    assert Options(zips=True).zips_on(50_000) and not Options(zips=False).zips_on(1)


# ---- The `raw_files` and `persona_json` switches (issue 25) ------------------------------------------------------

LONG = "You are long.\n\n" + "Check every step of the plan, one at a time, and say what you found.\n" * 300  # >16,000


def test_without_raw_files_and_persona_json_none_is_written_or_linked_and_every_prompt_stays_on_its_page(
        build_site: BuildSite, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    catalog = {**CATALOG, "d.md": persona_text("Delta", slug="delta", category="data", body=LONG)}
    site = build_site(catalog, plugin={"raw_files": False, "persona_json": False}, config=HTTPS)
    assert not (site.site_dir / "api/v1/personas").exists()
    assert not list((site.site_dir / "personas").rglob("*.md"))
    index = site.json("api/v1/personas.json")
    assert [p["raw_url"] for p in index["personas"]] == [None] * 4
    beta, delta = site.page("personas/beta/"), site.page("personas/delta/")
    assert "Download source file" not in beta and 'href="beta.md"' not in beta
    assert "Copy and Download need JavaScript: take a zip below." in beta
    assert "data-pc-src" not in delta and embedded_prompt(delta) == LONG.rstrip("\n")  # embedded
    assert "data-pc-prompts" not in site.page("categories/writing/") and "data-pc-prompts" not in site.page("")
    llms = (site.site_dir / "llms.txt").read_text()
    assert "(https://catalog.example.org/team/personas/beta/)" in llms and ".md)" not in llms
    summary = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("persona-catalog: built "))
    assert "raw files" not in summary and "persona json" not in summary

    default = build_site(catalog, config=HTTPS)  # a small catalog: both published, and linked
    assert (default.site_dir / "api/v1/personas/beta.json").exists()
    assert (default.site_dir / "personas/beta/beta.md").exists()
    assert 'href="beta.md" download="beta.md">Download source file' in default.page("personas/beta/")
    assert "data-pc-src" in default.page("personas/delta/")
    assert "data-pc-prompts" in default.page("categories/writing/")


def test_raw_files_and_persona_json_are_on_by_default_for_small_catalogs_and_off_for_large_ones() -> None:
    from persona_catalog import AUTO_LIMIT, Options
    for download in ("raw_files", "persona_json", "zips"):
        assert Options().on(download, AUTO_LIMIT) and not Options().on(download, AUTO_LIMIT + 1)
        assert Options(**{download: True}).on(download, 50_000) and not Options(**{download: False}).on(download, 1)
