"""The YAML boundary: a file's text in; its front matter as fields (with the line of each) and its body, or
problems, out. No input gets past here as an exception.

The YAML is read with a safe loader that also refuses what could run, blow up or take long: explicit tags
(`!!python/...`, but also `!!int`, `!!timestamp`), aliases (exponential expansion), base-60
numbers (`1:59:59`, quadratic to build). Each field's value is built on its own, so a value that cannot be
built (`2024-02-30`, a 5,000-digit number) is a problem naming that field and its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

try:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]
except ImportError:  # PyYAML built without LibYAML
    CParser = None  # type: ignore[assignment,misc]

from persona_catalog.catalog.problems import Problem, show

_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"


class _AliasError(yaml.MarkedYAMLError):
    """A YAML alias (`*name`) in front matter."""


class _TooDeep(yaml.YAMLError):
    """Front matter nested deeper than `MAX_DEPTH`."""


MAX_DEPTH = 100  # levels of nodes in front matter: the fields are level 1, a list item level 3


class _Checks(Composer, SafeConstructor, Resolver):
    """Composes nodes from a parser's events, refusing aliases and nesting beyond `MAX_DEPTH` and recording every
    explicitly tagged node instead of building it; constructs values as the safe loader does."""

    def __init__(self) -> None:
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.tagged: list[tuple[yaml.Node, str]] = []
        self.depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            raise _AliasError(problem="alias", problem_mark=self.peek_event().start_mark)
        if self.depth >= MAX_DEPTH:
            raise _TooDeep
        tag = getattr(self.peek_event(), "tag", None)
        self.depth += 1
        node = super().compose_node(parent, index)
        self.depth -= 1
        if tag not in (None, "!"):
            self.tagged.append((node, tag))
        return node


# YAML 1.1 numbers without the base-60 forms: `1:59` stays text.
_Checks.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Checks.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"))
_Checks.add_implicit_resolver(
    _FLOAT, re.compile(r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
                       r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))


class _PythonLoader(_Checks, Reader, Scanner, Parser):
    """The checks on PyYAML's own reader, scanner and parser: the reference, whose errors the problems quote."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _Checks.__init__(self)


if CParser is not None:
    class _LibYAMLLoader(_Checks, CParser):
        """The same checks on LibYAML's parser (C, ~6x faster): used for front matter it reads without a problem."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Checks.__init__(self)

        def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
            if getattr(self.peek_event(), "tag", None) == "!":  # `? !`: LibYAML resolves it otherwise than PyYAML
                raise yaml.YAMLError("a non-specific tag")
            return super().compose_node(parent, index)


# Where LibYAML reads differently: a tab after a value (PyYAML refuses `a:<tab>`), a byte-order mark inside
# (LibYAML skips one at the start of any line, PyYAML only at the start of the text).
_PYYAML_ONLY = re.compile("[\t\ufeff]")


@dataclass
class FrontMatter:
    """The fields of one file's front matter, the line of each, and the prompt after it."""

    fields: dict[str, object] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # the file line the body starts on


def split(text: str, rel: str) -> tuple[str, str, int] | Problem:
    """The front matter's text (file line 2 on), the body and its first line, or why there is no front matter."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return Problem(rel, "the file has no front matter", field="front matter", line=1,
                       expected="a YAML block between '---' lines at the top", found=show(text[:40]),
                       hint="start the file with '---', the fields, then '---'")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            return "\n".join(lines[1:number]) + "\n", "\n".join(lines[number + 1:]), number + 2
    return Problem(rel, "the front matter is not closed", field="front matter", line=1,
                   expected="a second '---' line after the fields", found="only the opening '---'",
                   hint="add a line '---' after the last field")


def read_front_matter(text: str, rel: str) -> FrontMatter | list[Problem]:
    """Split `text` and read its front matter; every failure is a problem with the file line it concerns.

    Read by LibYAML's parser where PyYAML has it; front matter it finds any problem in, or that it reads
    otherwise than PyYAML (see `_PYYAML_ONLY`) or cannot take (a lone surrogate, which is not UTF-8), is read by
    PyYAML's own parser, so problems quote PyYAML's messages and both give the same result."""
    parts = split(text, rel)
    if isinstance(parts, Problem):
        return [parts]
    fm_text, body, body_line = parts
    if CParser is not None and not _PYYAML_ONLY.search(fm_text):
        try:
            front = _read(_LibYAMLLoader, fm_text, rel, body, body_line)
        except UnicodeEncodeError:
            front = []
        if not isinstance(front, list):
            return front
    return _read(_PythonLoader, fm_text, rel, body, body_line)


def _read(parser: Callable[[str], Any], fm_text: str, rel: str, body: str, body_line: int) -> FrontMatter | list[Problem]:
    try:
        loader = parser(fm_text)  # PyYAML's reader already refuses some characters
    except yaml.reader.ReaderError as exc:  # a control character YAML does not allow
        return [Problem(rel, "the front matter contains a control character", field="front matter",
                        line=fm_text[: exc.position].count("\n") + 2, expected="printable text",
                        found=f"U+{exc.character:04X}" if isinstance(exc.character, int) else show(exc.character),
                        hint="remove it, or write it as an escape inside double quotes")]
    try:
        node = loader.get_single_node()
    except (_TooDeep, RecursionError):
        return [Problem(rel, "the front matter is nested too deeply", field="front matter",
                        expected="flat fields and lists", hint="remove the nested brackets")]
    except _AliasError as exc:
        return [Problem(rel, "the front matter uses a YAML alias (*name), which is not allowed",
                        field="front matter", line=_line(exc), expected="values written out in full",
                        hint="replace the alias with the value it refers to")]
    except yaml.YAMLError as exc:
        return [_syntax_problem(exc, rel)]
    finally:
        loader.dispose()
    if not isinstance(node, yaml.MappingNode) or not node.value:
        found = "nothing" if node is None or isinstance(node, yaml.MappingNode) else _node_kind(node)
        return [Problem(rel, "the front matter is not a mapping of fields", field="front matter", line=2,
                        expected="'field: value' lines", found=found)]
    if loader.tagged:
        tagged, tag = loader.tagged[0]
        return [Problem(rel, "the front matter uses a YAML tag, which is not allowed (it is never run)",
                        field=_field_of(node, tagged), line=tagged.start_mark.line + 2,
                        expected="plain values: text, numbers, lists", found=show(tag),
                        hint="remove the '!' tag, or quote the value")]
    return _construct(loader, node, rel, FrontMatter(body=body, body_line=body_line))


def _construct(loader: _Checks, node: yaml.MappingNode, rel: str,
               front: FrontMatter) -> FrontMatter | list[Problem]:
    problems = []
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 2  # the front matter starts on the file's second line
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            problems.append(Problem(rel, "a field name is not text", field="front matter", line=line,
                                    expected="a plain name such as 'tags'",
                                    found=show(key_node.value) if isinstance(key_node, yaml.ScalarNode) else _node_kind(key_node),
                                    hint="write the field's name, then ': ' and its value"))
            continue
        name = str(key_node.value)
        if name in front.lines:
            problems.append(Problem(rel, "a field is written twice", field=name, line=line, expected="each field once",
                                    found=f"also on line {front.lines[name]}", hint="keep one of the two lines"))
            continue
        front.lines[name] = line
        try:
            front.fields[name] = loader.construct_object(value_node, deep=True)
        except Exception as exc:  # e.g. 2024-02-30, a number too long to convert
            reason = "the number has too many digits" if "digits" in str(exc) else str(exc).split(";")[0][:80]
            problems.append(Problem(rel, f"the value cannot be read: {reason}", field=name,
                                    line=value_node.start_mark.line + 2, found=show(str(value_node.value)[:60]),
                                    hint=f"quote it: {name}: \"...\""))
    return problems or front


# What an unclosed construct is, by the context PyYAML names, and how it is closed.
_OPENED = {"flow sequence": ("a list", "'['", "end it with ']' on that line (e.g. tags: [a, b])"),
           "flow mapping": ("a mapping", "'{'", "end it with '}' on that line"),
           "quoted scalar": ("a quoted text", "a quote", "end it with the same quote")}


def _syntax_problem(exc: yaml.YAMLError, rel: str) -> Problem:
    """The front matter's syntax error in words, at the line where it starts: an unclosed '[', '{' or quote is
    reported where it opened (PyYAML notices it lines later), a tab where it is."""
    reason = str(getattr(exc, "problem", None) or exc)
    context, opened = str(getattr(exc, "context", None) or ""), getattr(exc, "context_mark", None)
    for kind, (what, mark, hint) in _OPENED.items():
        if kind in context and opened is not None:
            line = opened.line + 2
            return Problem(rel, f"{what} opened with {mark} on line {line} is not closed", field="front matter",
                           line=line, expected=f"{what} closed on the line it opens", hint=hint)
    if "'\\t'" in reason:
        return Problem(rel, "a tab in the front matter: YAML indents and separates with spaces, never tabs",
                       field="front matter", line=_line(exc), found="a tab", hint="replace the tab with spaces")
    return Problem(rel, f"the front matter is not valid YAML: {reason}", field="front matter", line=_line(exc),
                   hint="quote values that contain ': ' or start with a special character")


def _line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None)
    return mark.line + 2 if mark else None


def _node_kind(node: yaml.Node) -> str:
    return {yaml.ScalarNode: "a single value", yaml.SequenceNode: "a list"}.get(type(node), "a mapping")


def _field_of(root: yaml.MappingNode, inner: yaml.Node) -> str:
    """The top-level field whose value contains `inner` ('front matter' when it is a field name)."""
    for key_node, value_node in root.value:
        if value_node.start_mark.index <= inner.start_mark.index <= value_node.end_mark.index:
            return str(key_node.value)
    return "front matter"
