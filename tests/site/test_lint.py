"""`persona-catalog lint` and `on_invalid` over a corpus with one bad file per check."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort

from conftest import BuildSite, persona_text
from corpus import CASES, CATEGORIES, MAX_FILE_SIZE, VALID, WARNING_ONLY, write_corpus
from persona_catalog import fix_persona, main

LINE = re.compile(r"^(?P<path>[^:]+)(?::(?P<line>\d+))?: (?P<level>error|warning|suggestion): (?P<field>[^:]+): .+$")
PLUGIN = {"categories": CATEGORIES, "max_file_size": MAX_FILE_SIZE}


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with mkdocs.yml and the corpus in personas/, as the working folder."""
    (tmp_path / "personas").mkdir()
    write_corpus(tmp_path / "personas")
    (tmp_path / "docs").mkdir()
    config = {"site_name": "x", "plugins": ["search", {"persona-catalog": PLUGIN}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_lint_reports_every_case_with_its_field_and_level(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["lint", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["files"] == len(CASES) + len(VALID)
    by_file: dict[str, set[tuple[str, str]]] = {}
    for problem in report["problems"]:
        by_file.setdefault(Path(problem["path"]).name, set()).add((problem["field"] or "file", problem["level"]))
    for case in CASES:
        assert (case.field, case.level) in by_file.get(case.path, set()), (case.path, by_file.get(case.path))
    assert not {Path(p).name for p in VALID} & set(by_file)


def test_lint_text_lines_name_path_line_level_and_field(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["lint"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(LINE.match(line) for line in lines), [line for line in lines if not LINE.match(line)]
    assert any(line.startswith("personas/tag-not-slug.md:") and "fix: use 'back-end'" in line for line in lines)
    assert any("category-typo.md" in line and "fix: use 'category: development'" in line for line in lines)
    assert any("unknown-field.md" in line and "did you mean 'tags'?" in line for line in lines)


def test_lint_exit_codes(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["lint", "personas/valid"]) == 0
    assert main(["lint", "personas/mojibake.md"]) == 1  # warnings count as problems
    assert main(["lint", "no-such-folder"]) == 2
    assert main(["lint", "--no-such-option"]) == 2


def test_one_build_reports_every_error(corpus: Path, build_site: BuildSite, caplog: pytest.LogCaptureFixture) -> None:
    personas = {p.relative_to(corpus / "personas").as_posix(): p.read_bytes()
                for p in (corpus / "personas").rglob("*.md") if p.is_file()}
    with pytest.raises(Abort):
        build_site(personas, plugin=PLUGIN)
    log = caplog.text
    for case in CASES:
        if case.path not in WARNING_ONLY and case.content is not None:
            assert f"{case.path}" in log, case.path
    assert "Traceback" not in log


def test_skip_builds_every_valid_persona_under_strict_and_names_the_skipped_in_one_line(
    corpus: Path, build_site: BuildSite, caplog: pytest.LogCaptureFixture
) -> None:
    """Files left out by `on_invalid: skip` are not warnings, so `--strict` builds the valid ones."""
    caplog.set_level(logging.INFO)
    personas = {p.relative_to(corpus / "personas").as_posix(): p.read_bytes()
                for p in (corpus / "personas").rglob("*.md") if p.is_file() and p.name not in WARNING_ONLY}
    site = build_site(personas, plugin={**PLUGIN, "on_invalid": "skip"}, strict=True)
    built = {p["slug"] for p in site.json("api/v1/personas.json")["personas"]}
    assert built == {"alpha-helper", "beta-helper"}
    ours = [r for r in caplog.records if r.getMessage().startswith("persona-catalog:")]
    summary = ours[-1].getMessage()  # the log ends with the one line naming the skipped files
    invalid = [c.path for c in CASES if c.path not in WARNING_ONLY and c.content is not None]
    assert summary.startswith(f"persona-catalog: skipped {len(invalid)} invalid file(s): ") and "\n" not in summary
    for path in invalid:
        assert path in summary, path
    assert all(r.levelno == logging.INFO for r in ours)


def test_skip_still_counts_warnings_of_built_personas_under_strict(
    corpus: Path, build_site: BuildSite, caplog: pytest.LogCaptureFixture
) -> None:
    personas = {p.relative_to(corpus / "personas").as_posix(): p.read_bytes()
                for p in (corpus / "personas").rglob("*.md") if p.is_file()}
    with pytest.raises(Abort):
        build_site(personas, plugin={**PLUGIN, "on_invalid": "skip"}, strict=True)
    warned = {Path(r.getMessage().split(":")[1]).name for r in caplog.records if r.levelno == logging.WARNING}
    assert warned == WARNING_ONLY  # garbled text, unknown field, category typo: built, and warned about
    site = build_site(personas, plugin={**PLUGIN, "on_invalid": "skip"}, strict=False)
    built = {p["slug"] for p in site.json("api/v1/personas.json")["personas"]}
    assert built == {"alpha-helper", "beta-helper", "typo", "garbled", "typo-cat"}  # valid, if warned about


def test_fix_repairs_encoding_and_whitespace_only() -> None:
    body = "Keep “quotes”, tabs\tand trailing spaces   \nin the prompt — as they are.\n"
    original = "---\nname: Fixable   \ncategory: dev\t\n---\n\n" + body
    damaged = b"\xef\xbb\xbf" + original.replace("as they are", "as theyâ€™re").replace("\n", "\r\n").encode()
    repair = fix_persona(damaged)
    fixed, changes = repair.data, repair.changes
    assert fixed.decode() == original.replace("   \ncategory", "\ncategory").replace("dev\t", "dev") \
        .replace("as they are", "as they’re")
    assert changes == ["removed the byte-order mark", "converted line endings to \\n",
                       "line 7: repaired garbled text: 'in the prompt — as theyâ€™re.' -> 'in the prompt — as they’re.'",
                       "removed trailing whitespace in the front matter"]
    assert fix_persona(fixed).changes == [] and fix_persona(fixed).data == fixed


def test_fix_leaves_undecodable_files_alone() -> None:
    data = b"---\nname: Latin\ncategory: dev\n---\ncaf\xe9\r\n"
    assert fix_persona(data).data == data and not fix_persona(data).changes


def test_lint_fix_rewrites_files_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "personas").mkdir()
    path = tmp_path / "personas" / "garbled.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\nname: G\r\ncategory: dev\r\n---\r\n\r\nAn em dash \xc3\xa2\xe2\x82\xac\xe2\x80\x9d here.\r\n")
    assert main(["lint", "--fix"]) == 0
    out = capsys.readouterr().out
    assert "personas/garbled.md: fixed: removed the byte-order mark" in out
    assert path.read_text("utf-8") == "---\nname: G\ncategory: dev\n---\n\nAn em dash — here.\n"


def test_suggestions_are_shown_but_never_fail(tmp_path: Path, capsys: pytest.CaptureFixture,
                                               monkeypatch: pytest.MonkeyPatch,
                                               build_site) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "p.md").write_text(persona_text("Derived", "dev", body="Your role is to help. More.",
                                                use_when="Use when helping."))
    monkeypatch.chdir(tmp_path)  # no mkdocs.yml here: lint uses the defaults
    assert main(["lint", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "p.md: suggestion: description: no description" in captured.out and "1 suggestion(s)" in captured.err
    site = build_site({"p.md": persona_text("Derived", "dev", body="Your role is to help. More.")})  # strict
    assert site.json("api/v1/personas.json")["personas"][0]["description"] == "Help."


def test_require_makes_an_optional_field_an_error_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture) -> None:
    """`--require` is how a catalog asks every persona for a field (a rule of the catalog, not a test)."""
    folder = tmp_path / "personas"
    folder.mkdir()
    (folder / "bare.md").write_text(persona_text("Bare", "dev", body="Reviews code.\n"), "utf-8")
    (folder / "full.md").write_text(persona_text("Full", "dev", description="Reviews code.", author="me",
                                                 use_when="Use when a change needs review."), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["lint"]) == 0  # suggestions only
    assert "suggestion: use_when" in capsys.readouterr().out
    assert main(["lint", "--require", "description,use_when"]) == 1
    lines = capsys.readouterr().out.splitlines()
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 2 and all(line.startswith("personas/bare.md: error: ") for line in errors), lines
    assert {line.split(": ")[2] for line in errors} == {"description", "use_when"}
    assert not [line for line in lines if "suggestion: use_when" in line]  # said once, as the error
    assert main(["lint", "--require", "author"]) == 1
    assert "bare.md: error: author: the catalog requires 'author'" in capsys.readouterr().out
    assert main(["lint", "personas/full.md", "--require", "description,use_when,author"]) == 0
    assert main(["lint", "--require", "name"]) == 2  # required anyway
    assert main(["lint", "--require", "colour"]) == 2
    assert "colour cannot be required" in capsys.readouterr().err
