"""Loading persona files: decoding, front matter, validation and the problems reported."""

from pathlib import Path

import pytest

from conftest import SHARED, persona_text
from persona_catalog import describe, find_mojibake, find_persona_files, load_catalog, parse_persona

EXAMPLE = SHARED / "examples" / "backend-api-developer.md"
ONAMFC = SHARED / "corpora" / "onamfc__agent-prompt-library"


def parse(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_persona(data, "p.md")


def test_valid_persona_has_every_field() -> None:
    persona, problems = parse(persona_text("Data Wrangler", "data", models=["cursor"], context_window="small",
                                           version="1.2.3", author="Ana", tags=["etl", "sql"],
                                           body="# Data Wrangler\n\nYou clean data. Then more.\n"))
    assert problems == []
    assert persona.slug == "data-wrangler"
    assert persona.description == "You clean data."
    assert persona.models == ("cursor",) and persona.tags == ("etl", "sql")
    assert persona.body == "# Data Wrangler\n\nYou clean data. Then more."


def test_slug_and_description_fields_override_derivation() -> None:
    persona, _ = parse(persona_text("Data Wrangler", "data", slug="wrangler", description="Cleans data."))
    assert (persona.slug, persona.description) == ("wrangler", "Cleans data.")


def test_bom_and_crlf_are_normalised() -> None:
    persona, problems = parse(b"\xef\xbb\xbf" + persona_text("A", "b", body="line 1\nline 2\n").replace("\n", "\r\n").encode())
    assert problems == []
    assert persona.body == "line 1\nline 2"


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("no front matter here\n", "front matter", "no front matter"),
        ("---\nname: X\ncategory: dev\nbody\n", "front matter", "not closed"),
        ("---\nname: [unclosed\n---\nbody\n", "front matter", "a list opened with '[' on line 2 is not closed"),
        ("---\n- a\n- b\n---\nbody\n", "front matter", "not a mapping"),
        ("---\ncategory: dev\n---\nbody\n", "name", "required"),
        ("---\nname: X\n---\nbody\n", "category", "required"),
        ("---\nname: X\ncategory: Dev Ops\n---\nbody\n", "category", "required form"),
        ("---\nname: X\ncategory: dev\ntags: backend, api\n---\nbody\n", "tags", "must be a list"),
        ("---\nname: X\ncategory: dev\ntags: [Back End]\n---\nbody\n", "tags", "not a slug"),
        ("---\nname: X\ncategory: dev\nversion: 1.0\n---\nbody\n", "version", "must be text"),
        ("---\nname: X\ncategory: dev\nversion: v1\n---\nbody\n", "version", "required form"),
        ("---\nname: X\ncategory: dev\ncontext_window: huge\n---\nbody\n", "context_window", "allowed values"),
        ("---\nname: X\ncategory: dev\n---\n\n  \n", "body", "empty"),
        ("---\nname: X\ncategory: dev\nx: &a [1]\ny: *a\n---\nbody\n", "front matter", "YAML alias"),
        ("---\nname: !!python/object/apply:os.system ['true']\ncategory: dev\n---\nbody\n", "name", "YAML tag"),
        ("---\nname: X\nname: Y\ncategory: dev\n---\nbody\n", "name", "written twice"),
        ("---\nname: X\ncategory: dev\nslug: ../x\n---\nbody\n", "slug", "outside"),
        ("---\nname: X\ncategory: dev\ndescription: /\n---\nbody\n", "description", "write it out in words"),
    ],
)
def test_each_problem_names_its_field(text: str, field: str, words: str) -> None:
    persona, problems = parse(text)
    assert persona is None
    errors = [p for p in problems if p.is_error]
    assert [p.field for p in errors] == [field], problems
    assert words in str(errors[0])


def test_problem_text_names_file_line_field_expected_found_and_fix() -> None:
    _, problems = parse("---\nname: X\ncategory: dev\ntags: [Back End]\n---\nbody\n")
    assert str(problems[0]) == (
        "p.md:4: error: tags: an item is not a slug (expected a list of slugs (lowercase letters, digits, hyphens), "
        "found 'Back End'); fix: use 'back-end'"
    )


def test_undecodable_and_nul_bytes_are_errors_with_lines() -> None:
    _, problems = parse(b"---\nname: X\ncategory: dev\n---\ncaf\xe9\n")
    assert problems[0].line == 5 and "UTF-8" in problems[0].message
    _, problems = parse(b"---\nname: X\ncategory: dev\n---\na\x00b\n")
    assert problems[0].line == 5 and "NUL" in problems[0].message


def test_unknown_field_is_a_warning_with_a_suggestion() -> None:
    persona, problems = parse("---\nname: X\ncategory: dev\ntag: [a]\n---\nbody\n")
    assert persona is not None
    assert [(p.level, p.field, p.hint) for p in problems] == [("warning", "tag", "did you mean 'tags'?")]


@pytest.mark.corpus
def test_example_mojibake_is_a_warning_on_line_148() -> None:
    persona, problems = parse_persona(EXAMPLE.read_bytes(), "backend-api-developer.md")
    assert persona is not None and persona.name == "Backend API Developer"
    assert [(p.level, p.field, p.line) for p in problems] == [("warning", "encoding", 148)]


def test_files_under_underscore_or_dot_segments_are_ignored(tmp_path: Path) -> None:
    for rel in ("a.md", "sub/b/prompt.md", "_template/prompt.md", ".drafts/c.md", "sub/_d.md", "notes.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in find_persona_files(tmp_path)] == ["a.md", "sub/b/prompt.md"]


def test_duplicate_slugs_and_names_reject_every_copy(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(persona_text("Café Helper", "dev"))
    (tmp_path / "b.md").write_text(persona_text("CAFÉ  helper", "dev", slug="other"))
    (tmp_path / "c.md").write_text(persona_text("Third", "dev", slug="other"))
    result = load_catalog(tmp_path)
    assert result.catalog.personas == ()
    assert sorted((Path(p.path).name, p.field) for p in result.errors) == [
        ("a.md", "name"), ("b.md", "name"), ("b.md", "slug"), ("c.md", "slug")]


@pytest.mark.corpus
def test_onamfc_corpus_loads_all_31_without_problems() -> None:
    result = load_catalog(ONAMFC)
    assert result.problems == []
    assert len(result.catalog.personas) == 31
    assert result.catalog.by_slug["backend-api-developer"].source == "backend-api/prompt.md"


def test_describe_skips_headings_and_markup() -> None:
    assert describe("# T\n\nYou are **bold** and [linked](x). More.") == "You are bold and linked."
    assert describe("# Only a heading") == ""


@pytest.mark.parametrize("body, description", [
    ("# Backend API Developer\nYou are acting as a Senior Backend API Developer. Your role is to design, build, and "
     "maintain server-side applications and APIs. You are security-conscious.", "Design, build, and maintain "
     "server-side applications and APIs."),
    ("You are acting as a **Cost Forecasting Agent**. Your role is to **estimate costs before they are built**.",
     "Estimate costs before they are built."),
    ("You are a technical editor.\n\nYou make technical writing clearer and shorter.",
     "You make technical writing clearer and shorter."),
    ("You are a meticulous, kind senior engineer reviewing a colleague's change. Be kind.",
     "A meticulous, kind senior engineer reviewing a colleague's change."),
    ("You are a database engineer who makes slow queries fast.", "A database engineer who makes slow queries fast."),
    ("You are the Release Manager.", "The Release Manager."),
    ("## Role\n\n- You are a list item.\n\nThe main job here is to keep calm. More.", "Keep calm."),
])
def test_descriptions_read_like_descriptions(body: str, description: str) -> None:
    assert describe(body) == description


@pytest.mark.corpus
def test_no_onamfc_description_is_an_identity_statement() -> None:
    for persona in load_catalog(ONAMFC).catalog.personas:
        assert not persona.description.lower().startswith(("you are", "a ", "an ")), persona.description


def test_mojibake_check_may_skip_ascii_lines() -> None:
    """`find_mojibake` searches only lines with a character outside ASCII: ftfy's badness patterns all need one."""
    import itertools

    from ftfy.badness import BADNESS_RE

    ascii_chars = [chr(c) for c in range(128)]
    assert not any(BADNESS_RE.search(a + b) for a, b in itertools.product(ascii_chars, repeat=2))
    assert not BADNESS_RE.search("".join(ascii_chars) * 3)
    assert [p.line for p in find_mojibake("plain\nan em dash â€” here\n", "x.md")] == [2]
