"""Required literals, the digit requirement and prefixes: each must never hide a match."""

from __future__ import annotations

import pytest
import regex

from curate.rules.prefilter.literals import DIGIT, needs_digit, prefixes, required_literals
from curate.rules.prefilter.pattern import prefilter
from curate.rules.prefilter.scan import LiteralScan
from tests.rules.prefilter.conftest import example_lines, shipped_patterns


def test_required_literals() -> None:
    assert required_literals(r"(?i)(?:sponsored|paid) content") == frozenset({" content"})
    assert required_literals(r"\p{Lu}\w+") is None
    assert required_literals(r"(?:ad)?s") == frozenset({"s"})  # the optional part is not required
    assert required_literals(r"a|\d") is None  # one branch needs no literal: no requirement
    assert required_literals(r"x{0,3}") is None


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


def test_a_pattern_without_literals_may_still_need_a_digit() -> None:
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
    always reports DIGIT (the general check in test_pattern.py covers it; this one names the digit rules)."""
    digit_rules = [(rule_id, p, whole) for rule_id, p, whole in shipped_patterns()
                   if prefilter(p).literals == frozenset({DIGIT})]
    assert {rule_id for rule_id, _, _ in digit_rules} >= {"metadata.date_line"}
    scan = LiteralScan([p for _, p, _ in digit_rules])
    hits = 0
    for line in example_lines():
        for _, pattern, whole in digit_rules:
            if (pattern.fullmatch(line) if whole else pattern.search(line)) is not None:
                hits += 1
                assert DIGIT in (scan.present(line) or {DIGIT})
    assert hits > 5


def test_prefixes_of_small_patterns() -> None:
    assert prefixes(r"(?:By|BY)\s+\w+") == ("by",)
    assert prefixes(r"(?i)(?:©|\(c\))\s*\d{4}") == ("(c)", "©")
    assert prefixes(r"\(?AP") is None  # an optional first part: no prefix
    assert prefixes(r"(?fi)strasse") is None  # full case folding: one line character may match two
    assert prefixes(r"\bby\b") == ("by",) and prefixes(r"(a|b)+c") == ("a", "b")
