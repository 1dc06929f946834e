"""The strip step's prefilter must never change an answer: a pattern it rules out cannot match."""

from __future__ import annotations

import math
import random

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
from curate.steps.strip import step as strip_step
from curate.steps.strip.step import StripConfig, _Planner


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

        def of(self, line: str, present: frozenset[str], *, whole: bool = True,
               facts: object = None) -> list[int]:
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


# The fullmatch tests on a line's shape (Prefilter.fits): non-whitespace count (max_solid), runs of
# whitespace (max_gaps) and probe characters no part of a pattern can match (absent_probes). Each
# rests on a fact about the regex engine checked here, then on the shipped packs and on random
# patterns and lines: a line a pattern fullmatches always fits.


def test_the_whitespace_sets_the_bounds_rely_on() -> None:
    from curate.rules.prefilter import _SPACES

    everything = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    assert "".join(ch for ch in everything if ch.isspace()) == _SPACES
    for source in (r"\s", r"(?a)\s", r"(?i)\s", r"(?fi)\s", r"[\s]", r"(?i)[ \t]"):
        matched = regex.findall(source, everything)
        assert matched and all(ch.isspace() for ch in matched), source
    # no character folds or changes case to or from whitespace
    assert not any(regex.fullmatch(r"(?fi)" + regex.escape(ch), other)
                   for ch in _SPACES for other in _SPACES if other != ch)


def test_probe_characters_match_only_themselves() -> None:
    from curate.rules.prefilter import PROBES

    everything = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    for flags in ("", "(?i)", "(?fi)"):
        found = regex.findall(flags + "[" + regex.escape(PROBES) + "]", everything)
        assert sorted(found) == sorted(PROBES), flags
    assert not any(probe in ch.casefold() for ch in everything for probe in PROBES if ch != probe)


def test_shape_bounds_of_small_patterns() -> None:
    from curate.rules.prefilter import (
        absent_probes,
        max_gaps,
        max_solid,
        prefixes,
        solid_length,
        space_runs,
    )

    assert max_solid(r"(?i)ads?\s*:\s*\d{1,2}") == 6
    assert max_solid(r"by\s+\w+") == math.inf
    assert max_solid(r"(?x) \d{4} \  - \  \d{2}") == 7  # an escaped space in verbose mode is space
    assert max_solid(r"[\s,]{0,3}") == 3  # a set that also holds a comma counts
    assert max_gaps(r"\p{Lu}\w*(?:\s+\p{Lu}\w*){1,7}") == 7
    assert max_gaps(r"a[ \t]*b\s*c") == 2
    assert max_gaps(r"(?:a\ b){3}") == 3
    assert max_gaps(r"[^\n]{1,5}") == 5  # each character may be a run of its own
    assert max_gaps(r"\w+") == 0
    assert max_gaps(r"(a)\1") == math.inf  # a back-reference: unknown
    assert absent_probes(r"\p{L}+") == frozenset(".,;:!?()\"0123456789")
    assert absent_probes(r"[^a]+") == frozenset()
    assert absent_probes(r".+") == frozenset()
    assert absent_probes(r"(\w)\1") == frozenset()  # a back-reference: unknown
    assert absent_probes(r"(?i)[a-z]+\.?") == frozenset(",;:!?()\"0123456789")
    assert solid_length(" 1 2\u3000x\t") == 3
    assert prefixes(r"(?:By|BY)\s+\w+") == ("by",)
    assert prefixes(r"(?i)(?:©|\(c\))\s*\d{4}") == ("(c)", "©")
    assert prefixes(r"\(?AP") is None  # an optional first part: no prefix
    assert prefixes(r"(?fi)strasse") is None  # full case folding: one line character may match two
    assert prefixes(r"\bby\b") == ("by",) and prefixes(r"(a|b)+c") == ("a", "b")
    assert (space_runs("a b"), space_runs(" a\t\tb "), space_runs("\xa0"), space_runs("")) == (1, 3, 1, 0)


def _shape_variants(line: str) -> list[str]:
    """The line with its spaces changed to other whitespace and doubled, the forms a pattern that
    allows any whitespace still matches."""
    return [line, line.replace(" ", "\t"), line.replace(" ", "\xa0"), line.replace(" ", "  "),
            line.replace(" ", "\u3000"), line.replace(" ", " \u2009")]


def test_no_shipped_pattern_fullmatches_a_line_of_a_shape_it_rules_out() -> None:
    patterns = [(rule_id, p) for rule_id, p, whole in _shipped_patterns() if whole]
    lines = [variant for line in _example_lines() for variant in _shape_variants(line)]
    matched = 0
    for line in lines:
        for rule_id, pattern in patterns:
            if pattern.fullmatch(line, timeout=1.0) is not None:
                matched += 1
                assert prefilter(pattern).fits(line), (rule_id, line)
    assert matched > 300


def test_the_bounds_rule_out_long_and_punctuated_lines() -> None:
    """The point of it: a sentence of prose meets few of the shipped whole-line patterns."""
    patterns = [p for _, p, whole in _shipped_patterns() if whole]
    line = ("In 2019, the council voted 12 to 3 to extend the northern tram line to the hospital, "
            "which opened on 3 May after two years of work.")
    assert sum(prefilter(p).fits(line) for p in patterns) < len(patterns) // 2


_PIECES = [r"\s*", r"\s+", r"\ ", r"[ \t]", r"\d{1,2}", r"\d+", r"[A-Z]\w*", r"\p{L}+", r"[.,]",
           r"(?i:ab)", "x", r"[^\n]{1,3}", r"\.?", r"(?:a|b c)", r"[:;]?", r"\(", r"\)", r"[\s,]*",
           r"(?i:is)", r"(?i:ss)", r"(?fi:ss)", r"(?i:k)", r"(?:by|BY)", r"\b"]


def _random_pattern(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(1, 5)):
        piece = rng.choice(_PIECES)
        shape = rng.random()
        if shape < 0.2:
            piece = f"(?:{piece}){{0,{rng.randint(1, 3)}}}"
        elif shape < 0.3:
            piece = f"(?:{piece}|{rng.choice(_PIECES)})"
        pieces.append(piece)
    return "".join(pieces)


def test_random_patterns_never_fullmatch_a_line_they_rule_out() -> None:
    """Adversarial: random patterns from pieces that mix whitespace, digits, letters and probes,
    on random lines from the same alphabet; every fullmatch must pass the shape tests."""
    rng = random.Random(20261126)
    alphabet = ["a", "b", "x", "Z", "é", "1", "7", " ", "  ", "\t", "\xa0", "\u3000", ".", ",", ":",
                "(", ")", ";", "\n", "ab", "b c", "İ", "ı", "I", "S", "ß", "ẞ", "\u212a", "ſ", "by"]
    matched = 0
    for _ in range(400):
        pattern = regex.compile(_random_pattern(rng))
        check = prefilter(pattern)
        for _ in range(150):
            line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
            if pattern.fullmatch(line) is not None:
                matched += 1
                assert check.fits(line), (pattern.pattern, line)
    assert matched > 500


def test_candidates_agree_with_the_prefilter_on_every_line() -> None:
    patterns = [p for _, p, whole in _shipped_patterns() if whole]
    scan, candidates = LiteralScan(patterns), Candidates(patterns)
    for line in _example_lines()[:400]:
        present = scan.present(line)
        expected = [i for i, p in enumerate(patterns) if prefilter(p).may_match(line, present or frozenset())
                    or present is None and prefilter(p).fits(line)]
        assert candidates.of(line, present) == expected


def test_literals_around_a_stripped_line_are_found_as_a_scan_finds_them() -> None:
    patterns = [p for _, p, _ in _shipped_patterns()] + [regex.compile(r" ago\b"), regex.compile(r"x y")]
    scan = LiteralScan(patterns)
    for line in _example_lines()[:300] + ["ago", "x", "y"]:
        for around in (f"  {line}", f"{line}\t", f" {line} ", f"\u3000{line}\xa0"):
            assert scan.present_around(scan.present(around.strip()), around) == scan.present(around)
