"""The shipped rule packs: they load, their examples hold, and clean prose passes untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from curate.checks.lint import check_examples
from curate.document import Document
from curate.rules import default_pack_files, load_pack, load_ruleset
from curate.rules.model import Rule, RuleSet
from curate.steps.strip import Strip, StripConfig

RULESET = load_ruleset()
TEXT_RULES = [rule for rule in RULESET if rule.kind != "selector"]
PROSE = Path(__file__).parents[1] / "data" / "clean_prose" / "prose.txt"


def strip(ruleset: RuleSet, text: str) -> str:
    return (
        Strip(StripConfig(), ruleset)
        .apply(Document(id="example", source="example", text=text))
        .text
    )


def cases(kind: str) -> list[tuple[Rule, str]]:
    return [(rule, text) for rule in RULESET for text in getattr(rule.examples, kind)]


def case_id(case: object) -> str:
    return case.id if isinstance(case, Rule) else repr(case)[:40]


@pytest.mark.parametrize("pack", default_pack_files(), ids=lambda f: f.name)
def test_every_shipped_pack_loads(pack: object) -> None:
    loaded = load_pack(pack)  # type: ignore[arg-type]
    assert loaded.rules and loaded.description


@pytest.mark.parametrize("rule", list(RULESET), ids=lambda r: r.id)
def test_every_rule_has_drop_and_keep_examples(rule: Rule) -> None:
    assert rule.examples.drop and rule.examples.keep


@pytest.mark.parametrize(
    ("rule", "text"), [c for c in cases("drop") if c[0].kind != "selector"], ids=case_id
)
def test_drop_example_is_removed_by_its_own_rule(rule: Rule, text: str) -> None:
    after = strip(RuleSet((rule,)), text)
    if rule.kind == "replace":
        assert after != text
    else:
        assert after.strip() == ""


@pytest.mark.parametrize(
    ("rule", "text"), [c for c in cases("keep") if c[0].kind != "selector"], ids=case_id
)
def test_keep_example_survives_the_whole_rule_set(rule: Rule, text: str) -> None:
    assert strip(RULESET, text) == text


@pytest.mark.parametrize("rule", [r for r in RULESET if r.kind == "selector"], ids=lambda r: r.id)
def test_selector_examples(rule: Rule) -> None:
    assert check_examples(rule) == []


def test_clean_prose_is_untouched() -> None:
    text = PROSE.read_text(encoding="utf-8")
    assert strip(RULESET, text) == text


def test_clean_prose_is_varied_enough_to_mean_something() -> None:
    paragraphs = [p for p in PROSE.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 6]
    assert len(paragraphs) >= 15


def test_no_rule_names_a_site() -> None:
    for pack in default_pack_files():
        text = pack.read_text(encoding="utf-8").casefold()
        assert "new american" not in text and "denz" not in text, pack.name


MULTILINGUAL_PROSE = PROSE.with_name("prose_multilingual.txt")


def test_multilingual_clean_prose_is_untouched_by_every_rule() -> None:
    """No language filter (lang unknown): every shipped rule of every language runs on it."""
    text = MULTILINGUAL_PROSE.read_text(encoding="utf-8")
    assert strip(RULESET, text) == text


@pytest.mark.parametrize("lang", ["es", "fr", "de", "it", "pt", "ca", "nl"])
def test_multilingual_clean_prose_is_untouched_in_each_language(lang: str) -> None:
    text = MULTILINGUAL_PROSE.read_text(encoding="utf-8")
    doc = Document(id="prose", source="prose", text=text, lang=lang)
    assert Strip(StripConfig(), RULESET).apply(doc).text == text


@pytest.mark.parametrize("lang", ["es", "fr", "de", "it", "pt", "ca", "nl"])
def test_every_language_has_rules_for_the_furniture_classes(lang: str) -> None:
    categories = {rule.category for rule in TEXT_RULES if rule.lang is not None and lang in rule.lang}
    assert {"ad", "subscription", "byline", "caption", "share", "navigation", "metadata", "legal",
            "tags"} <= categories
