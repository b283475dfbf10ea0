"""A corpus of bad persona files, one per check, with the field and level each must be reported under."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from conftest import persona_text

VALID = {
    "valid/alpha.md": persona_text("Alpha Helper", "development", tags=["ok"], description="Helps first.",
                                   use_when="Use when testing first."),
    "valid/beta/prompt.md": persona_text("Beta Helper", "operations", tags=["ok"], models=["cursor"],
                                          description="Helps second.", use_when="Use when testing second."),
}
CATEGORIES = {"development": {"title": "Development"}, "operations": {"title": "Operations"}}
MAX_FILE_SIZE = 20_000

BOMB = "---\nname: Bomb\ncategory: development\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(12)) + "---\nbody\n"


@dataclass(frozen=True)
class Case:
    path: str
    content: bytes | None  # None: a link that points nowhere
    field: str
    level: str = "error"


def _t(text: str) -> bytes:
    return text.encode("utf-8")


CASES = [
    Case("unreadable.md", None, "file"),
    Case("not-utf8.md", b"---\nname: Latin\ncategory: development\n---\ncaf\xe9 cr\xe8me\n", "file"),
    Case("nul-byte.md", b"---\nname: Nul\ncategory: development\n---\na\x00b\n", "file"),
    Case("no-front-matter.md", _t("# Just a prompt\n\nYou are nobody.\n"), "front matter"),
    Case("empty-front-matter.md", _t("---\n---\nYou are nobody.\n"), "front matter"),
    Case("broken-yaml.md", _t("---\nname: [unclosed\ncategory: development\n---\nbody\n"), "front matter"),
    Case("list-front-matter.md", _t("---\n- name\n- category\n---\nbody\n"), "front matter"),
    Case("python-tag.md", _t("---\nname: !!python/object/apply:os.system ['touch /tmp/pwned']\n"
                             "category: development\n---\nbody\n"), "name"),
    Case("alias-bomb.md", _t(BOMB), "front matter"),
    Case("missing-category.md", _t("---\nname: Homeless\n---\nbody\n"), "category"),
    Case("tags-not-list.md", _t(persona_text("Tag String", "development", tags="a, b")), "tags"),
    Case("version-number.md", _t("---\nname: Floaty\ncategory: development\nversion: 1.0\n---\nbody\n"), "version"),
    Case("bad-context.md", _t(persona_text("Huge", "development", context_window="huge")), "context_window"),
    Case("not-semver.md", _t(persona_text("Vee", "development", version="v1")), "version"),
    Case("tag-not-slug.md", _t(persona_text("Spaced", "development", tags=["Back End"])), "tags"),
    Case("escaping-slug.md", _t(persona_text("Escaper", "development", slug="../../../etc/passwd")), "slug"),
    Case("empty-body.md", _t(persona_text("Silent", "development", body="\n   \n")), "body"),
    Case("twice.md", _t("---\nname: Twice\nname: Again\ncategory: development\n---\nbody\n"), "name"),
    Case("too-large.md", _t(persona_text("Big", "development", body="word " * 5_000)), "file"),
    Case("dup-slug-1.md", _t(persona_text("First Copy", "development", slug="same-slug")), "slug"),
    Case("dup-slug-2.md", _t(persona_text("Second Copy", "development", slug="same-slug")), "slug"),
    Case("dup-name-1.md", _t(persona_text("Café Bot", "development")), "name"),
    Case("dup-name-2.md", _t(persona_text("CAFE\u0301  bot", "development", slug="cafe-bot-2")), "name"),
    Case("unknown-field.md", _t(persona_text("Typo", "development", tag=["x"])), "tag", "warning"),
    Case("mojibake.md", _t(persona_text("Garbled", "development", body="Use an em dash â€” here.\n")),
         "encoding", "warning"),
    Case("category-typo.md", _t(persona_text("Typo Cat", "developement")), "category", "warning"),
]
WARNING_ONLY = {c.path for c in CASES if c.level == "warning"}


def write_corpus(folder: Path) -> None:
    """Write the valid files and every case into `folder`."""
    for rel, text in VALID.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, "utf-8")
    for case in CASES:
        path = folder / case.path
        if case.content is None:
            path.symlink_to(folder / "does-not-exist.md")
        else:
            path.write_bytes(case.content)
