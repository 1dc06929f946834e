"""The strip step's prefilter must never change an answer: a pattern it rules out cannot match."""

from __future__ import annotations

import math

import pytest
import regex

from curate.rules import load_ruleset
from curate.rules.kinds import BlockMatcher, LineMatcher, ReplaceMatcher
from curate.rules.prefilter import (
    Candidates,
    LiteralScan,
    fold,
    literal_alternation,
    max_chars,
    prefilter,
    required_literals,
)
from curate.steps import strip as strip_step
from curate.steps.strip import StripConfig, _Planner


def _shipped_patterns() -> list[tuple[str, regex.Pattern[str], bool]]:
    """(rule id, pattern, whole-line?) of every shipped line, block-start and replace rule."""
    out = []
    for rule in load_ruleset():
        matcher = rule.matcher
        if isinstance(matcher, LineMatcher):
            out.append((rule.id, matcher.pattern, True))
        elif isinstance(matcher, BlockMatcher):
            out.append((rule.id, matcher.start, True))
        elif isinstance(matcher, ReplaceMatcher):
            out.append((rule.id, matcher.pattern, False))
    return out


def _variants(text: str) -> list[str]:
    """The text in the case forms furniture appears in, plus Turkish and long-s look-alikes that
    the regex engine's case-insensitive matching treats as equal to i and s."""
    return [text, text.upper(), text.lower(), text.title(), text.swapcase(),
            text.replace("i", "İ"), text.replace("I", "ı"), text.replace("s", "ſ"),
            text.replace("k", "\u212a"), f"  {text}  ".strip()]


def _example_lines() -> list[str]:
    lines = []
    for rule in load_ruleset():
        for example in rule.examples.drop + rule.examples.keep:
            for line in example.splitlines():
                lines += _variants(line.strip())
    return lines


def test_no_shipped_pattern_matches_a_line_its_prefilter_rules_out() -> None:
    patterns = _shipped_patterns()
    scan = LiteralScan([p for _, p, _ in patterns])
    lines = _example_lines()
    assert len(lines) > 500
    matched = 0
    for line in lines:
        present = scan.present(line)
        for rule_id, pattern, whole in patterns:
            hit = (pattern.fullmatch(line, timeout=1.0) if whole
                   else pattern.search(line, timeout=1.0)) is not None
            matched += hit
            if hit:
                assert prefilter(pattern).may_match(line, present, whole=whole), (rule_id, line)
    assert matched > 100  # the examples do exercise the patterns


def test_most_prose_lines_skip_most_patterns() -> None:
    """The point of it: an ordinary sentence is handed to only a few of the ~50 line patterns."""
    patterns = [p for _, p, whole in _shipped_patterns() if whole]
    scan, candidates = LiteralScan(patterns), Candidates(patterns)
    line = "The council voted on Tuesday to extend the northern tram line to the hospital."
    assert len(candidates.of(line, scan.present(line))) < len(patterns) // 3


@pytest.mark.parametrize(("source", "text"), [
    (r"(?i)advert(?:isement)?", "ADVERTİSEMENT"),
    (r"(?i)kilo", "\u212aILO"),
    (r"(?i)last", "LAſT"),
    (r"(?i)Istanbul", "ıSTANBUL"),
    (r"(?fi)strasse", "STRAẞE"),
    (r"(?x) by \s+ (?&name) (?(DEFINE)(?P<name>[A-Z]\w+))", "by Alice"),
    (r"(?:Photo|Foto)s?:\s*\w+", "Fotos: Reuters"),
])
def test_case_folding_never_hides_a_match(source: str, text: str) -> None:
    pattern = regex.compile(source)
    assert pattern.fullmatch(text)
    scan = LiteralScan([pattern])
    assert prefilter(pattern).may_match(text, scan.present(text))


def test_required_literals_and_widths() -> None:
    assert required_literals(r"(?i)(?:sponsored|paid) content") == frozenset({" content"})
    assert required_literals(r"\p{Lu}\w+") is None
    assert required_literals(r"(?:ad)?s") == frozenset({"s"})  # the optional part is not required
    assert required_literals(r"a|\d") is None  # one branch needs no literal: no requirement
    assert required_literals(r"x{0,3}") is None
    assert max_chars(r"(?i)ads?:?\s{0,3}") == 7
    assert max_chars(r"by \w+") == math.inf
    assert max_chars(r"(?fi)ß") == 3  # full case folding: one character may match three


def test_literal_scan_finds_overlapping_and_nested_literals() -> None:
    scan = LiteralScan([regex.compile("advert"), regex.compile("ad"), regex.compile("dpa")])
    assert scan.present("Foto: ADPA / advertorial") == frozenset({"ad", "dpa", "advert"})
    assert scan.present("nothing here") == frozenset()
    assert regex.compile(literal_alternation(["ad", "advert", "as"])).fullmatch("advert")


def test_an_unknown_construct_means_no_filter_rather_than_a_wrong_one() -> None:
    pattern = regex.compile(r"(?:\L<words>)", words=["alpha", "beta"])  # a named list: not read
    assert prefilter(pattern).literals is None
    assert prefilter(pattern).may_match("anything", frozenset())


def test_strip_plans_the_same_edits_with_and_without_the_prefilter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rules = [r for r in load_ruleset() if r.kind != "selector"]
    text = "\n".join(example for rule in rules for example in rule.examples.drop + rule.examples.keep)
    text += "\n" + "\n".join(_example_lines())
    planned = _Planner(text, rules, StripConfig()).plan()

    class Everything:  # every pattern is a candidate on every line
        def __init__(self, patterns: tuple[regex.Pattern[str], ...]) -> None:
            self.count = len(patterns)

        def of(self, line: str, present: frozenset[str], *, whole: bool = True) -> list[int]:
            return list(range(self.count))

    monkeypatch.setattr(strip_step, "candidates_for", Everything)
    monkeypatch.setattr(_Planner, "present", lambda self, index: None)  # matchers: no prefilter
    assert planned == _Planner(text, rules, StripConfig()).plan()
    assert len(planned) > 50


def test_fold_keeps_substrings() -> None:
    assert fold("İSTANBUL Straße") == "istanbul strasse"
    assert fold("ABC") == "abc"


def test_a_line_too_long_to_scan_still_meets_every_rule() -> None:
    from curate.rules.prefilter import SCAN_MAX_CHARS

    rules = [r for r in load_ruleset() if r.kind != "selector"]
    line = "word " * (SCAN_MAX_CHARS // 5) + "see [the report](#) here"
    assert len(line) > SCAN_MAX_CHARS
    assert LiteralScan([regex.compile("report")]).present(line) is None
    edits = _Planner(line, rules, StripConfig()).plan()
    assert [(e.rule, e.replacement) for e in edits] == [("markup.markdown_link", "the report")]


def test_a_pattern_without_literals_may_still_need_a_digit() -> None:
    from curate.rules.prefilter import DIGIT, needs_digit

    assert needs_digit(r"(?x) (?&date) (?(DEFINE)(?P<date>\d{1,2}/\d{4}|(?i:jan)\s+\d+))")
    assert needs_digit(r"(?i)[0-9]+|x[0-5]")
    assert not needs_digit(r"\d+|none")  # one branch needs none
    assert not needs_digit(r"\d*x")  # an optional digit
    assert not needs_digit(r"[\d.]+")  # a set that also holds a non-digit
    assert not needs_digit(r"\D+")
    assert not needs_digit(r"(?=\d)\w+")  # lookarounds are not read
    date = regex.compile(r"\d{1,2}[./-]\d{4}")
    assert required_literals(date.pattern) is None
    assert prefilter(date).literals == frozenset({DIGIT})
    scan = LiteralScan([date, regex.compile("advert")])
    assert scan.present("no date here, just an advert") == frozenset({"advert"})
    assert scan.present("29/2026") == frozenset({DIGIT})
    assert scan.present("٢٩/٢٠٢٦") == frozenset({DIGIT})  # \d is Unicode: Arabic-Indic digits count
    assert date.fullmatch("٢٩/٢٠٢٦")
    assert not prefilter(date).may_match("January, the month", scan.present("January, the month"))


def test_every_line_a_digit_pattern_matches_holds_a_digit() -> None:
    """The shipped date and time patterns, on their examples in every case form: a line they match
    always reports DIGIT (the general check above covers it; this one names the digit rules)."""
    from curate.rules.prefilter import DIGIT

    digit_rules = [(rule_id, p, whole) for rule_id, p, whole in _shipped_patterns()
                   if prefilter(p).literals == frozenset({DIGIT})]
    assert {rule_id for rule_id, _, _ in digit_rules} >= {"metadata.date_line"}
    scan = LiteralScan([p for _, p, _ in digit_rules])
    hits = 0
    for line in _example_lines():
        for _, pattern, whole in digit_rules:
            if (pattern.fullmatch(line) if whole else pattern.search(line)) is not None:
                hits += 1
                assert DIGIT in (scan.present(line) or {DIGIT})
    assert hits > 5
