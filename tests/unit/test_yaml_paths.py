"""The YAML boundary reads front matter with LibYAML's parser where PyYAML has it and with PyYAML's own parser
otherwise: both paths give the same personas and the same problems, on generated and on hostile front matter."""

from __future__ import annotations

import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEMO, ROOT
from hostile import HOSTILE, front
from persona_catalog import parse_persona
from persona_catalog.catalog import yaml_boundary

if yaml_boundary.CParser is None:  # PyYAML's wheels carry LibYAML: CI must test both paths
    if os.environ.get("CI"):
        raise RuntimeError("PyYAML is built without LibYAML here, so the LibYAML path is untested")
    pytestmark = pytest.mark.skip(reason="PyYAML is built without LibYAML here")

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of front matter where YAML parsers are known to differ or to be picky: indentation, tabs, flow and
# block collections, quoting and escapes, tags, anchors and aliases, directives, comments, every kind of line
# break, byte-order marks, control characters, lone surrogates, values a resolver turns into other types.
SCALARS = st.sampled_from([
    "x", "dev", "Code Reviewer", "1.0.0", "1.0", "1:59:59", "0o17", "017", "0x1F", "0b101", "1_000", "+12", "-0",
    "1e3", "1.5e+3", ".inf", "-.Inf", ".NaN", "2024-02-30", "2024-01-31", "2024-01-31 10:00:00", "2024-01-31T10:00Z",
    "yes", "No", "on", "OFF", "true", "False", "~", "null", "Null", "''", '""', "'it''s'", '"tab\\there"',
    '"\\ud800"', '"\\u2028"', '"\\x85"', '"\\N\\_\\L\\P"', '"\\e\\a"', '"\\U0001F600"', '"\\z"', "a: b", "a #b", "a# b",
    "- x", "? x", "[a, b]", "{a: b}", "[a, [b, [c]]]", "[a,", "{a", "&a x", "*a", "!!str x", "!!int 3", "! x",
    "!local x", "!<tag:yaml.org,2002:str> x", "|\n  block\n  text", ">\n  folded\n\n  text", "|-\n  x", ">+\n  x\n",
    "x\ty", "\tx", "x ", "'multi\n  line'", '"multi\n  line"', "plain\n  continued", "%", "@x", "`x", "=", "<<",
    "a\u0085b", "a\u2028b", "a\u2029b", "\ufeffx", "a\ufeffb", "\u200bx", "caf\u00e9", "\U0001F600", "\x07",
    "\x1b[2J", "\ud800", "\x7f", "\x85", "9" * 30, "-" * 3, "...", "'\\'", '"\\"',
]) | st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=6)
KEYS = st.sampled_from(["name", "category", "tags", "models", "version", "author", "slug", "description",
                        "use_when", "context_window", "unknown", "? complex", "[a]", "1", "null", "'quoted'",
                        '"dq"', "name ", "&a name", "*a", "!!str name", "<<"])
INDENT = st.sampled_from(["", "", "", "", " ", "\t"])


def _entry(parts: tuple[str, str, str, list[str], str]) -> str:
    indent, key, value, items, comment = parts
    if items:
        listed = "".join(f"\n{indent}  - {item}" for item in items)
        return f"{indent}{key}:{listed}{comment}"
    return f"{indent}{key}: {value}{comment}"


ENTRIES = st.tuples(INDENT, KEYS, SCALARS, st.lists(SCALARS, max_size=3) | st.just([]),
                    st.sampled_from(["", "", " # note", "#x", "\u2028", "\x85"])).map(_entry)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12) | SCALARS
VALUES = st.recursive(TEXT | st.integers() | st.floats() | st.booleans() | st.none() | st.dates(),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                      max_leaves=6)


@st.composite
def dumped(draw: st.DrawFn) -> str:
    """Fields written by PyYAML's emitter in one of its styles: valid YAML full of quoting and escapes."""
    fields = draw(st.dictionaries(KEYS | TEXT, VALUES, min_size=1, max_size=5))
    style = draw(st.sampled_from([None, None, None, "'", '"', "|", ">"]))  # quoted: tags the numbers
    return yaml.dump(fields, Dumper=yaml.SafeDumper, default_style=style, allow_unicode=draw(st.booleans()),
                     default_flow_style=draw(st.sampled_from([False, True, None])), width=draw(st.sampled_from(
                         [8, 80])), indent=draw(st.sampled_from([2, 4])))


FRONT_MATTERS = st.one_of(
    dumped(),
    dumped(),
    st.lists(ENTRIES, min_size=1, max_size=8).map("\n".join),
    st.lists(st.sampled_from(["name: A", "category: dev", "tags: [a, b]", "%YAML 1.1", "%TAG ! tag:x:", "--- ",
                              "...", "- x", "[", "]", "{", "}", ":", "? ", "&a", "*a", "!", "'", '"', "\\", "#",
                              "\t", " ", "\n", "\x85", "\u2028", "\ufeff", "\x00", "\ud800", "é"]),
             max_size=20).map("".join),
    st.text(st.characters(codec="utf-8"), max_size=60),
)


def parse_both(data: bytes) -> tuple[object, object]:
    """`parse_persona` with LibYAML, then as on a PyYAML without it."""
    with_libyaml = parse_persona(data, "p.md")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml_boundary, "CParser", None)
        without = parse_persona(data, "p.md")
    return with_libyaml, without


@SETTINGS
@given(FRONT_MATTERS, st.sampled_from(["You help.\n", "", "<!-- x -->\n\u200b"]))
def test_both_parsers_give_the_same_persona_and_problems(front_matter: str, body: str) -> None:
    data = ("---\nname: Generated\ncategory: dev\n" + front_matter + "\n---\n\n" + body).encode("utf-8",
                                                                                                "surrogatepass")
    with_libyaml, without = parse_both(data)
    assert with_libyaml == without


@SETTINGS
@given(FRONT_MATTERS)
def test_both_parsers_agree_on_the_front_matter_alone(front_matter: str) -> None:
    data = ("---\n" + front_matter + "\n---\nYou help.\n").encode("utf-8", "surrogatepass")
    with_libyaml, without = parse_both(data)
    assert with_libyaml == without


@pytest.mark.parametrize("name", HOSTILE)
def test_both_parsers_agree_on_each_hostile_file(name: str) -> None:
    with_libyaml, without = parse_both(HOSTILE[name][0].encode("utf-8", "surrogatepass"))
    assert with_libyaml == without and with_libyaml[0] is None


def test_both_parsers_agree_on_the_bundled_personas_and_fixtures() -> None:
    files = sorted((DEMO / "personas").rglob("*.md"))
    assert len(files) >= 30
    for path in [*files, *sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*.md") if DEMO not in p.parents)]:
        with_libyaml, without = parse_both(path.read_bytes())
        assert with_libyaml == without, path
        assert with_libyaml[0] is not None or path not in files, path


HOSTILE_YAML = {
    "alias": front("name: &n Alias", "category: dev", "author: *n"),
    "billion-laughs": front("a: &a [x, x, x, x, x, x, x, x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
                            "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]", "name: Laughs", "category: dev"),
    "recursive-alias": front("name: &n [*n]", "category: dev"),
    "merge-key": front("base: &b {category: dev}", "<<: *b", "name: Merge"),
    "tag-directive": front("%TAG ! tag:yaml.org,2002:python/object/apply:", "---", "name: !os.system x"),
    "explicit-str": front("name: !!str Plain", "category: dev"),
    "duplicate-key": front("name: A", "name: B", "category: dev"),
    "bom-inside": front("name: Bom", "\ufeffcategory: dev"),
    "nested-mappings": front("name:", *(" " * (i + 1) + f"k{i}:" for i in range(200))),
    "nested-block-lists": front("name:", *(" " * i + "-" for i in range(200))),
}


@pytest.mark.parametrize("name", HOSTILE_YAML)
def test_both_parsers_agree_on_hostile_yaml(name: str) -> None:
    with_libyaml, without = parse_both(HOSTILE_YAML[name].encode("utf-8", "surrogatepass"))
    assert with_libyaml == without and with_libyaml[0] is None


@pytest.mark.parametrize("depth", [50, 99, 100, 250, 300, 330, 1000, 100_000])
def test_deep_nesting_is_one_problem_on_both_paths(depth: int) -> None:
    """LibYAML stops at 1,000 levels and PyYAML's composer at Python's recursion limit, where a value 250 to 330
    levels deep used to escape as a RecursionError; the boundary stops both at `MAX_DEPTH` levels."""
    data = ("---\nname: " + "[" * depth + "]" * depth + "\ncategory: dev\n---\nYou help.\n").encode()
    with_libyaml, without = parse_both(data)
    persona, problems = with_libyaml
    assert with_libyaml == without and persona is None
    nested = [p for p in problems if p.message == "the front matter is nested too deeply"]
    assert bool(nested) == (depth + 1 > yaml_boundary.MAX_DEPTH)
    assert len(str(problems[0])) < 300


def test_libyaml_is_the_path_taken_for_valid_front_matter() -> None:
    """A clean file is read by LibYAML's parser, not read twice."""
    text = front("name: Fast", "category: dev", "tags: [a, b]")
    reads: list[str] = []
    original = yaml_boundary._read

    def counting(parser, *args):  # type: ignore[no-untyped-def]
        reads.append(parser.__name__)
        return original(parser, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml_boundary, "_read", counting)
        assert not isinstance(yaml_boundary.read_front_matter(text, "p.md"), list)
        assert isinstance(yaml_boundary.read_front_matter(front("name: [", "category: dev"), "p.md"), list)
    assert reads == ["_LibYAMLLoader", "_LibYAMLLoader", "_PythonLoader"]
    assert yaml.__with_libyaml__


def test_the_depth_limit_is_documented_as_built() -> None:
    text = " ".join((ROOT / "docs" / "format.md").read_text("utf-8").split())
    assert f"nesting deeper than {yaml_boundary.MAX_DEPTH} levels" in text
