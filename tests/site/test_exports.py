"""Every export of every persona, read back with the format's own parser; tool limits; whole-catalog zips."""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from conftest import BuildSite, Site, embedded_prompt, persona_text
from export_parsing import check_export
from persona_catalog import (
    DEFAULT_API_MODEL,
    FORMATS,
    FORMATS_BY_ID,
    KNOWN_API_MODELS,
    Persona,
    agent_description,
    load_catalog,
    main,
    parse_persona,
)
from persona_catalog.exports import ENCODERS, formats, toml_text, tool_bundles

LONG_BODY = "You are a thorough reviewer.\n\n" + "\n".join(f"{i}. Check item {i} with care." for i in range(1500))
# Hostile fixtures. The loader refuses control characters in fields (see test_fields), so they are in the body
# here; test_control_characters_in_fields_still_export gives them to the exporters directly.
CONTROLS = "DEL \x7f, NEL \x85, C1 \x80 \x9f, LS \u2028, PS \u2029, NUL-ish \x01, BOM \ufeff"
TRICKY = {
    "controls.md": persona_text("Control Freak", use_when="Use when text has odd characters.",
                                body=f"You are careful.\n\n{CONTROLS} and a tab\there.\n"),
    "quotes.md": persona_text('Dr. "Quote": O\'Brien\'s Helper', slug="quote-helper",
                              description='Key: value; \'single\' and "double" # not a comment',
                              use_when="Use when: a YAML-looking line - like this: {a: b} [c] & *d !e",
                              body='Say "hi": \'x\' \\n \\\\ C:\\path\n'),
    "dashes.md": persona_text("Dash Keeper", tags=["yaml", "toml"],
                              body='Intro.\n\n---\n\n...\n+++\n"""\n\'\'\'\ndeveloper_instructions = "x"\n---\nname: evil\n'),
    "long.md": persona_text("Long Talker", body=LONG_BODY, models=["copilot"]),
    "non-latin.md": persona_text("日本語レビュアー", slug="ja-reviewer", description="مراجع الشيفرة 🚀 — ẞ ǅ",
                                 body="あなたは丁寧なレビュアーです。\n\nמרחבא 👩🏽‍💻 e\u0301\u200d\u202e!\n"),
    "explore.md": persona_text("Explorer", slug="explore", use_when="Use when mapping a new codebase."),
}


def site_text(site: Site, path: str) -> str:
    return (site.site_dir / path).read_text("utf-8")


def page_exports(site: Site, slug: str) -> dict[str, str]:
    """Format id -> the file the persona page builds (as catalog.js does: its parts around its prompt source)."""
    page = site.page(f"personas/{slug}/")
    inline = embedded_prompt(page)
    fetched = re.search(r'<span hidden data-pc-src="../../([^"]+)"></span>', page)
    body = inline if inline is not None else site.json(fetched[1])["prompt"]  # a long prompt: its JSON document
    files = {}
    for fid, parts in re.findall(r'data-pc-format="([^"]+)".*?<script type="application/json" data-pc-export>'
                                 r'(.*?)</script>', page, re.S):
        prefix, encoding, suffix = json.loads(parts)
        files[fid] = prefix + ENCODERS[encoding](body) + suffix
    return files


@pytest.fixture(scope="module")
def bundled(bundled_site: Site) -> tuple[Persona, ...]:
    return load_catalog(bundled_site.root / "personas").catalog.personas


def test_every_export_of_every_bundled_persona_parses_back(bundled_site: Site, bundled) -> None:
    """What each persona page builds for each tool is the exporter's text, and it parses back."""
    for persona in bundled:
        built = page_exports(bundled_site, persona.slug)
        assert list(built) == [f.id for f in sorted(FORMATS, key=lambda f: not set(f.models) & set(persona.models))]
        for fmt in FORMATS:
            assert built[fmt.id] == fmt.text(persona), (persona.slug, fmt.id)
            check_export(fmt.id, built[fmt.id], persona, DEFAULT_API_MODEL)
        assert "exports" not in bundled_site.json(f"api/v1/personas/{persona.slug}.json")
    assert len(bundled) >= 30
    assert not (bundled_site.site_dir / "api/v1/exports").exists()  # written only with export_files: true


def test_tricky_personas_export_exactly_and_export_files_publishes_them(build_site: BuildSite) -> None:
    site = build_site(TRICKY, plugin={"api_model": "claude-opus-4-8", "export_files": True}, strict=False)
    personas = load_catalog(site.root / "personas").catalog.personas
    assert {p.slug for p in personas} == {"control-freak", "quote-helper", "dash-keeper", "long-talker",
                                          "ja-reviewer", "explore"}
    assert CONTROLS in next(p for p in personas if p.slug == "control-freak").body
    index = {e["slug"]: e for e in site.json("api/v1/personas.json")["personas"]}
    for persona in personas:
        built = page_exports(site, persona.slug)
        entry = site.json(f"api/v1/personas/{persona.slug}.json")
        assert entry["exports"] == index[persona.slug]["exports"] == {f.id: f.site_path(persona.slug) for f in FORMATS}
        page = site.page(f"personas/{persona.slug}/")
        for fmt in FORMATS:
            published = site_text(site, fmt.site_path(persona.slug))
            assert published == built[fmt.id] == fmt.text(persona, "claude-opus-4-8")
            check_export(fmt.id, published, persona, "claude-opus-4-8")
            assert f'href="../../{fmt.site_path(persona.slug)}" download="{fmt.download_name(persona.slug)}"' in page


def test_control_characters_in_fields_still_export() -> None:
    """The bug behind the issue: DEL or C1 in a description made PyYAML reject the exported front matter."""
    persona = Persona("control-freak", f"Name {CONTROLS}", f"Finds bugs: {CONTROLS}", "testing",
                      f"Body {CONTROLS}", "p.md", use_when=f"Use when {CONTROLS}")
    for fmt in FORMATS:
        check_export(fmt.id, fmt.text(persona), persona, DEFAULT_API_MODEL)


def test_front_matter_values_stay_on_one_line(bundled_site: Site) -> None:
    text = FORMATS_BY_ID["claude-code"].text(load_catalog(bundled_site.root / "personas").catalog.personas[0])
    front = text.split("\n---\n", 1)[0]
    assert front.count("\n") == 2  # '---', name, description: a line each


def test_agent_descriptions_say_when_not_who(bundled) -> None:
    for persona in bundled:
        description = agent_description(persona)
        assert not description.lower().startswith(("you are", "you're")), persona.slug
        assert description == (persona.use_when or description)
    derived = Persona("x", "Pull Request Reviewer", "You are a kind reviewer.", "development", "You are...", "x.md",
                      tags=("code-review", "quality"))
    assert agent_description(derived) == "Pull Request Reviewer. Use for code review, quality."
    described = Persona("y", "Linter", "Checks style.", "development", "body", "y.md")
    assert agent_description(described) == "Linter: Checks style."


def test_limits_are_lint_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    folder = tmp_path / "personas"
    folder.mkdir()
    for name in ("long.md", "explore.md"):
        (folder / name).write_text(TRICKY[name], "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "--format", "json", "personas"]) == 1
    report = json.loads(capsys.readouterr().out)
    found = {(Path(p["path"]).name, p["field"], p["level"], p["message"].split(":")[0])
             for p in report["problems"]}
    assert ("long.md", "body", "warning", "GitHub Copilot") in found
    assert {("explore.md", "slug", "warning", tool) for tool in ("Claude Code", "OpenCode")} <= found
    assert ("long.md", "use_when", "suggestion", "no 'use_when' line") in found
    assert not any(name == "explore.md" and field == "use_when" for name, field, _, _ in found)


def test_a_missing_use_when_is_only_a_suggestion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture, build_site: BuildSite) -> None:
    (tmp_path / "plain.md").write_text(persona_text("Plain Helper"), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "plain.md"]) == 0
    out = capsys.readouterr()
    assert "plain.md: suggestion: use_when: no 'use_when' line" in out.out and "suggestion(s)" in out.err
    build_site({"plain.md": persona_text("Plain Helper")})  # strict: a suggestion fails nothing


def test_limits_are_notes_on_the_page(build_site: BuildSite) -> None:
    site = build_site({"long.md": TRICKY["long.md"]}, strict=False)
    page = site.page("personas/long-talker/")
    size = len(load_catalog(site.root / "personas").catalog.personas[0].body)
    assert size > 30_000
    assert f"For GitHub Copilot, the prompt has {size:,} characters; GitHub Copilot accepts at most 30,000" in page


def test_unknown_api_model_warns(build_site: BuildSite, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        build_site({"a.md": persona_text("A")}, plugin={"api_model": "claude-2.1"}, strict=False)
    assert any("api_model 'claude-2.1' is not a current Claude model id" in r.getMessage() for r in caplog.records)
    assert DEFAULT_API_MODEL in KNOWN_API_MODELS


def test_tool_zips_unpack_to_the_documented_layout(bundled_site: Site, bundled) -> None:
    catalog = load_catalog(bundled_site.root / "personas").catalog
    rebuilt = tool_bundles(catalog)
    index = bundled_site.json("api/v1/personas.json")
    for entry in index["export_formats"]:
        fmt = FORMATS_BY_ID[entry["id"]]
        if not fmt.bundled:
            assert "zip_url" not in entry
            continue
        everything = (bundled_site.site_dir / entry["zip_url"]).read_bytes()
        assert everything == rebuilt[entry["zip_url"]]  # deterministic: a second build gives the same bytes
        with zipfile.ZipFile(io.BytesIO(everything)) as archive:
            assert archive.namelist() == sorted(path for p in bundled for path in fmt.project_files(p))
            assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            for persona in bundled:
                for path, text in fmt.project_files(persona).items():
                    assert archive.read(path).decode() == text
        in_categories = []
        for category, url in entry["category_zip_urls"].items():
            with zipfile.ZipFile(bundled_site.site_dir / url) as archive:
                assert archive.namelist() == sorted(path for p in catalog.by_category[category]
                                                    for path in fmt.project_files(p))
                in_categories += archive.namelist()
        assert sorted(in_categories) == sorted(path for p in bundled for path in fmt.project_files(p))
    layouts = {e["id"]: e["path"] for e in index["export_formats"]}
    assert layouts["claude-code"] == ".claude/agents/{slug}.md" and layouts["codex"] == ".codex/agents/{slug}.toml"


def test_the_claude_code_marketplace_has_one_plugin_per_category(bundled_site: Site, bundled) -> None:
    catalog = load_catalog(bundled_site.root / "personas").catalog
    url = bundled_site.json("api/v1/personas.json")["claude_code_marketplace_url"]
    with zipfile.ZipFile(bundled_site.site_dir / url) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    market = json.loads(files["persona-catalog/.claude-plugin/marketplace.json"])
    assert market["name"] == "persona-catalog" and market["owner"]["name"] == "Persona Catalog"
    assert sorted(p["name"] for p in market["plugins"]) == sorted(c.id for c in catalog.categories)
    for plugin in market["plugins"]:
        root = "persona-catalog/" + plugin["source"].removeprefix("./")
        assert json.loads(files[f"{root}/.claude-plugin/plugin.json"])["name"] == plugin["name"]
        agents = {name for name in files if name.startswith(f"{root}/agents/")}
        assert agents == {f"{root}/agents/{p.slug}.md" for p in catalog.by_category[plugin["name"]]}
        for name in agents:
            slug = name.rsplit("/", 1)[1].removesuffix(".md")
            assert files[name].decode() == FORMATS_BY_ID["claude-code"].text(catalog.by_slug[slug])


def test_the_api_lists_every_format_without_dropping_old_fields(bundled_site: Site) -> None:
    """`exports` (per-persona file URLs) is there only with `export_files: true` (see the tricky test above)."""
    index = bundled_site.json("api/v1/personas.json")
    assert [f["id"] for f in index["export_formats"]] == [f.id for f in FORMATS]
    old = {"slug", "name", "description", "category", "models", "context_window", "version", "author", "tags",
           "url", "raw_url"}
    for entry in index["personas"]:
        assert old <= set(entry) and "exports" not in entry


def test_each_tool_panel_links_its_section_of_the_tools_page_which_says_how_the_tool_loads_it(
        build_site: BuildSite) -> None:
    site = build_site({"a.md": persona_text("Alpha Helper", "dev", models=["codex"])})
    page, tools = site.page("personas/alpha-helper/"), site.page("tools/")
    panels = re.findall(r'data-pc-format="([^"]+)".*?<a href="../../tools/#([^"]+)">More on ([^<]+)</a>', page, re.S)
    assert [(fid, label) for fid, linked, label in panels if fid == linked] == [
        (f.id, str(escape(f.label))) for f in sorted(FORMATS, key=lambda f: "codex" not in f.models)]  # its tool first
    for fmt in FORMATS:
        section = tools.split(f'<h2 id="{fmt.id}"')[1].split("<h2")[0]
        note = str(escape(fmt.note))  # as the templates' autoescaping writes it
        assert note in section and f'href="{fmt.docs}"' in section
        assert note not in page  # said once, on the tools page
        if fmt.project_path:
            assert f"Save as <code>{escape(fmt.project_path.replace('{slug}', '<name>'))}</code>" in section
            assert f"Save as <code>{fmt.project_path.replace('{slug}', 'alpha-helper')}</code>" in page


def test_the_page_offers_one_tool_at_a_time_and_embeds_no_export(bundled_site: Site, bundled) -> None:
    persona = next(p for p in bundled if p.slug == "pull-request-reviewer")
    page = bundled_site.page("personas/pull-request-reviewer/")
    labels = [FORMATS_BY_ID[fid].label for fid in
              [f.id for f in FORMATS if set(f.models) & set(persona.models)] +
              [f.id for f in FORMATS if not set(f.models) & set(persona.models)]]
    positions = [page.index(f'">{label}</label>') for label in labels]
    assert positions == sorted(positions) and page.count('name="pc-tool"') == len(FORMATS)
    assert page.count(" checked>") == 1
    for fmt in FORMATS:
        assert f'data-pc-filename="{fmt.download_name(persona.slug)}"' in page
        assert fmt.site_path(persona.slug) not in page  # no published file to link (export_files is off)
        if fmt.bundled:  # what works without JavaScript: the category's zip for the tool
            assert f'href="../../api/v1/bundles/{fmt.id}/categories/development.zip" download>Development personas (zip)' in page
    assert page.count("Do not rewrite the change in your own style") == 1  # shown; the one prompt source is packed
    assert page.count("data-pc-source") == 1 and embedded_prompt(page) == persona.body
    assert "Save as <code>.codex/agents/pull-request-reviewer.toml</code>" in page


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TEXT, description=TEXT, use_when=st.one_of(st.none(), TEXT), body=st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300), tags=st.lists(
    st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6})?", fullmatch=True), max_size=3))
def test_any_text_in_fields_and_body_survives_every_export(name: str, description: str, use_when: str | None,
                                                           body: str, tags: list[str]) -> None:
    persona = Persona("any-slug", name, description, "testing", body, "p.md", tags=tuple(tags), use_when=use_when)
    for fmt in FORMATS:
        check_export(fmt.id, fmt.text(persona, "claude-opus-4-8"), persona, "claude-opus-4-8")


HOSTILE_PIECES = st.sampled_from(["\r", "\r\n", "\n", "\u2028", "\u2029", '"', "'", "\\", "'''", '"""', "\\n", "\t",
                                  "\x00", "\x01", "\x08", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\ufeff", "---\n",
                                  "+++", "</script>", "developer_instructions = ", '"system": ', "\U0001f469\u200d\U0001f4bb"])
HOSTILE_BODY = st.lists(st.one_of(HOSTILE_PIECES, st.text(alphabet=st.characters(blacklist_categories=("Cs",)),
                                                           max_size=8)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=HOSTILE_BODY, description=TEXT, lines=st.booleans())
def test_the_pages_parts_rebuild_every_export_for_hostile_bodies(body: str, description: str, lines: bool) -> None:
    """Each file is cut where the library wrote the prompt, by an encoder the page has (never `none`), and the
    parts hold the fields, not the prompt: the filler around the hostile text stays out of them."""
    filler = "Write it out. " * 110
    prompt = f"{filler}\n{body}\n{filler}" if lines else filler + body + filler
    persona = Persona("any-slug", "Any Name", description, "testing", prompt, "p.md", use_when=description or None)
    for fmt in FORMATS:
        parts = fmt.parts(persona, "claude-opus-4-8")
        assert parts.encoding in fmt.encodings, (fmt.id, parts.encoding)
        assert parts.text(prompt) == fmt.text(persona, "claude-opus-4-8")
        assert len(parts.prefix) + len(parts.suffix) < 1_000, fmt.id
    # tomli-w's rule: a CR in any value gives escaped one-line strings, else a multi-line prompt is a """ string
    cr = "\r" in prompt or ("\r" in agent_description(persona) and "\n" in prompt)
    assert FORMATS_BY_ID["codex"].parts(persona).encoding == ("toml" if cr else "toml-multiline")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=HOSTILE_BODY, description=TEXT, lines=st.booleans())
def test_codex_writes_the_prompt_byte_for_byte_as_tomli_w(body: str, description: str, lines: bool) -> None:
    """The Codex file has the prompt written by `toml_string` where tomli-w wrote a stand-in: the same file as
    tomli-w writing the prompt itself (what it does when a field holds the stand-in, made so here)."""
    prompt = f"Lead.\n{body}\nEnd." if lines else body
    persona = Persona("any-slug", "Any Name", description, "testing", prompt, "p.md", use_when=description or None)
    codex = FORMATS_BY_ID["codex"]
    fast = codex.text(persona)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(toml_text, "_STAND_IN", persona.slug)  # in `name` too: the stand-in is not used
        assert codex.text(persona) == fast


YAML_FORMATS = [fmt for fmt in FORMATS if fmt.text(Persona("s", "N", "", "c", "B", "p.md")).startswith("---\n")
                or fmt.id == "antigravity"]  # config.yaml: the prompt itself written by the YAML dumper


def with_pyyaml_emitter(persona: Persona) -> dict[str, str]:
    """Every front matter export of `persona`, written by PyYAML's own emitter instead of LibYAML's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(formats, "_Dumper", formats.front_matter_dumper(yaml.SafeDumper))
        return {fmt.id: fmt.text(persona) for fmt in YAML_FORMATS}


@pytest.mark.skipif(not hasattr(yaml, "CSafeDumper"), reason="PyYAML is built without LibYAML here")
def test_libyaml_writes_the_front_matter_byte_for_byte_as_pyyaml(bundled) -> None:  # type: ignore[no-untyped-def]
    assert len(YAML_FORMATS) == 9 and formats._Dumper.__mro__[1] is yaml.CSafeDumper
    tricky = [parse_persona(text.encode(), name)[0] for name, text in TRICKY.items()]
    assert all(tricky)
    for persona in (*bundled, *tricky):
        assert {fmt.id: fmt.text(persona) for fmt in YAML_FORMATS} == with_pyyaml_emitter(persona), persona.slug


@pytest.mark.skipif(not hasattr(yaml, "CSafeDumper"), reason="PyYAML is built without LibYAML here")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=HOSTILE_BODY, description=HOSTILE_BODY, use_when=st.one_of(st.none(), HOSTILE_BODY))
def test_libyaml_writes_any_field_as_pyyaml(name: str, description: str, use_when: str | None) -> None:
    persona = Persona("any-slug", name, description, "testing", "You help.", "p.md", use_when=use_when)
    assert {fmt.id: fmt.text(persona) for fmt in YAML_FORMATS} == with_pyyaml_emitter(persona)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.text(alphabet=st.characters(codec="utf-8"), max_size=200) | HOSTILE_BODY)
def test_the_yaml_encoder_writes_a_prompt_as_both_yaml_emitters_do(body: str) -> None:
    """The page rebuilds Antigravity's config.yaml with `_yaml_string` (and catalog.js's copy of it): it must give
    exactly what LibYAML's and PyYAML's emitters write for the same text, and read back as the text."""
    for dumper in {formats._Dumper, formats.front_matter_dumper(yaml.SafeDumper)}:
        written = yaml.dump({"c": formats._Text(body)}, Dumper=dumper, allow_unicode=True, width=formats._NO_WRAP)
        assert written == f"c: {formats._yaml_string(body)}\n"
    assert yaml.safe_load(formats._yaml_string(body)) == body
    persona = Persona("any-slug", "N", "", "testing", body or "x", "p.md")
    assert FORMATS_BY_ID["antigravity"].parts(persona).encoding == "yaml"


def test_category_pages_link_their_zips(bundled_site: Site) -> None:
    index = bundled_site.json("api/v1/personas.json")
    bundled_formats = [f for f in index["export_formats"] if "zip_url" in f]
    overview = bundled_site.page("categories/")
    for entry in bundled_formats:
        assert f'href="../{entry["zip_url"]}" download>{entry["label"]}</a>' in overview
        for category, url in entry["category_zip_urls"].items():
            assert f'href="../../{url}" download>' in bundled_site.page(f"categories/{category}/")
            assert (bundled_site.site_dir / url).is_file()
    assert f'href="../{index["claude_code_marketplace_url"]}" download>' in overview

