"""The schema, slugs and the catalog's lookups."""

import re

import pytest

from persona_catalog import (
    FIELDS,
    SEMVER_PATTERN,
    Catalog,
    Category,
    Persona,
    derive_slug,
    identity,
    slugify,
    title_from_id,
)


def persona(slug: str, category: str = "dev", tags: tuple[str, ...] = ()) -> Persona:
    return Persona(slug=slug, name=slug.title(), description="", category=category, body="x", source=f"{slug}.md",
                   tags=tags)


def test_slugify_folds_accents_and_punctuation() -> None:
    assert slugify("Cost & Performance Forecaster") == "cost-performance-forecaster"
    assert slugify("  Crème Brûlée  Expert!! ") == "creme-brulee-expert"
    assert slugify("Straße") == "strasse"


def test_title_from_id() -> None:
    assert title_from_id("data-science") == "Data Science"


def test_semver_pattern() -> None:
    for good in ("1.0.0", "0.2.10", "1.0.0-rc.1", "2.1.3+build.5"):
        assert re.match(SEMVER_PATTERN, good), good
    for bad in ("1.0", "v1.0.0", "01.0.0", "1.0.0.0"):
        assert not re.match(SEMVER_PATTERN, bad), bad


def test_required_fields_are_name_and_category() -> None:
    assert [f.name for f in FIELDS if f.required] == ["name", "category"]


def test_catalog_indexes_by_category_and_tag() -> None:
    catalog = Catalog((persona("b", tags=("x", "y")), persona("a", tags=("y",)), persona("c", "ops")),
                      {"ops": Category("ops", "Operations", order=1)})
    assert [p.slug for p in catalog.personas] == ["a", "b", "c"]
    assert [c.id for c in catalog.categories] == ["ops", "dev"]  # configured first
    assert catalog.category("dev").title == "Dev"
    assert catalog.category("ops").title == "Operations"
    assert {t: [p.slug for p in ps] for t, ps in catalog.by_tag.items()} == {"x": ["b"], "y": ["a", "b"]}


def test_related_personas_weigh_rare_tags_then_category() -> None:
    base = persona("base", "dev", ("a", "b", "c"))
    two_other_cat = persona("two", "ops", ("a", "b"))
    common_same_cat = persona("one-same", "dev", ("a",))
    common_other_cat = persona("one-else", "ops", ("a",))
    rare_other_cat = persona("one-other", "ops", ("c",))
    unrelated = persona("none", "dev", ("z",))
    catalog = Catalog((base, two_other_cat, common_same_cat, common_other_cat, rare_other_cat, unrelated))
    # `c` is on two personas, `a` on four: sharing the rare tag says more; the category breaks the tie.
    assert [p.slug for p in catalog.related_personas(base)] == ["two", "one-other", "one-same", "one-else"]


def test_related_personas_prefer_the_obviously_related_over_common_tags() -> None:
    def full(slug: str, name: str, description: str, tags: tuple[str, ...], category: str = "dev") -> Persona:
        return Persona(slug=slug, name=name, description=description, category=category, body=description,
                       source=f"{slug}.md", tags=tags)

    reviewer = full("pr", "Pull Request Reviewer", "Reviews code changes for correctness and readability.",
                    ("code-review", "feedback", "quality"))
    refactoring = full("refactor", "Refactoring Partner", "Restructures code without changing behaviour, in reviewable "
                       "steps that keep correctness.", ("refactoring", "code-quality"))
    fillers = [full(f"w{i}", f"Writing Helper {i}", f"Gives feedback on essays number {i}.", ("feedback", "quality"),
                    "writing") for i in range(6)]
    coach = full("coach", "Cover Letter Coach", "Helps people write cover letters.", ("feedback", "quality"), "writing")
    essay = full("essay", "Essay Editor", "Edits essays for students.", ("feedback", "quality"), "writing")
    catalog = Catalog((reviewer, refactoring, coach, essay, *fillers))
    related = [p.slug for p in catalog.related_personas(reviewer)]
    assert related[0] == "refactor", related  # above the two that share two common tags with it


def test_a_same_category_persona_with_many_shared_words_beats_one_tag_elsewhere() -> None:
    """Issue 23's case: Pull Request Reviewer's related personas listed Cover Letter Coach (one shared tag,
    "feedback", another category) and not Refactoring Partner (same category, many shared words, no tag): the
    reviewer's rarest terms (its tags and words of its own) crowd out the words it shares with Refactoring
    Partner, which other personas use too."""
    def full(slug: str, category: str, body: str, tags: tuple[str, ...]) -> Persona:
        return Persona(slug=slug, name=slug.replace("-", " ").title(), description="A persona.", body=body,
                       category=category, source=f"{slug}.md", tags=tags)

    shared = ["check", "tests", "correctness", "naming", "errors", "handling", "explain", "finding"]
    own = " ".join(f"rv{a}{b}xx" for a in "abcd" for b in "abcd")  # 16 words no other persona has
    reviewer = full("pull-request-reviewer", "development", f"{own} {' '.join(shared)}", ("code-review", "feedback"))
    refactoring = full("refactoring-partner", "development", f"Restructure code. {' '.join(shared)}", ("refactoring",))
    coach = full("cover-letter-coach", "writing", "Help people write cover letters.", ("feedback", "careers"))
    others = [full(f"writer-{i}", "writing", " ".join(shared[j] for j in range(8) if (i - j) % 8 < 3), (f"kind-{i}",))
              for i in range(8)]  # each shared word in three of them
    catalog = Catalog((reviewer, refactoring, coach, *others))
    related = [p.slug for p in catalog.related_personas(reviewer)]
    assert "refactoring-partner" in related and "cover-letter-coach" in related, related
    assert related.index("refactoring-partner") < related.index("cover-letter-coach"), related


@pytest.mark.parametrize("name, slug", [
    ("数据分析师", "shu-ju-fen-xi-shi"), ("データアナリスト", "detaanarisuto"), ("Аналитик данных", "analitik-dannykh"),
    ("Αναλυτής δεδομένων", "analytis-dedomenon"), ("محلل البيانات", "mhll-lbynt"), ("Straße", "strasse"),
    ("Cost & Performance Forecaster", "cost-performance-forecaster"), ("Café Bot", "cafe-bot"),
])
def test_every_script_gets_a_slug(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert derive_slug(name) == slug


def test_names_clash_by_normalised_text_never_by_dropped_letters() -> None:
    assert identity("Café Bot") == identity("CAFÉ  bot") == identity("Cafe\u0301 Bot")
    assert identity("Cafe Bot") != identity("Café Bot")
    assert len({identity(n) for n in ("Αναλυτής", "محلل", "数据分析师", "データアナリスト", "Аналитик")}) == 5


def test_derived_slugs_are_never_empty_or_reserved() -> None:
    assert derive_slug("!!!").startswith("persona-") and derive_slug("Index").startswith("index-")
    assert derive_slug("!!!") == derive_slug("!!!") != derive_slug("???")
