"""The bounds on a fullmatch's shape: a line a pattern fullmatches always fits them."""

from __future__ import annotations

import math
import random

import regex

from curate.rules.prefilter.bounds import (
    _SPACES,
    PROBES,
    absent_probes,
    max_chars,
    max_gaps,
    max_solid,
    solid_length,
    space_runs,
)
from curate.rules.prefilter.pattern import prefilter
from tests.rules.prefilter.conftest import example_lines, shipped_patterns


def test_max_chars() -> None:
    assert max_chars(r"(?i)ads?:?\s{0,3}") == 7
    assert max_chars(r"by \w+") == math.inf
    assert max_chars(r"(?fi)ß") == 3  # full case folding: one character may match three


# The fullmatch tests on a line's shape (Prefilter.fits): non-whitespace count (max_solid), runs of
# whitespace (max_gaps) and probe characters no part of a pattern can match (absent_probes). Each
# rests on a fact about the regex engine checked here, then on the shipped packs and on random
# patterns and lines: a line a pattern fullmatches always fits.


def test_the_whitespace_sets_the_bounds_rely_on() -> None:
    everything = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    assert "".join(ch for ch in everything if ch.isspace()) == _SPACES
    for source in (r"\s", r"(?a)\s", r"(?i)\s", r"(?fi)\s", r"[\s]", r"(?i)[ \t]"):
        matched = regex.findall(source, everything)
        assert matched and all(ch.isspace() for ch in matched), source
    # no character folds or changes case to or from whitespace
    assert not any(regex.fullmatch(r"(?fi)" + regex.escape(ch), other)
                   for ch in _SPACES for other in _SPACES if other != ch)


def test_probe_characters_match_only_themselves() -> None:
    everything = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    for flags in ("", "(?i)", "(?fi)"):
        found = regex.findall(flags + "[" + regex.escape(PROBES) + "]", everything)
        assert sorted(found) == sorted(PROBES), flags
    assert not any(probe in ch.casefold() for ch in everything for probe in PROBES if ch != probe)


def test_shape_bounds_of_small_patterns() -> None:
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
    assert (space_runs("a b"), space_runs(" a\t\tb "), space_runs("\xa0"), space_runs("")) == (1, 3, 1, 0)


def _shape_variants(line: str) -> list[str]:
    """The line with its spaces changed to other whitespace and doubled, the forms a pattern that
    allows any whitespace still matches."""
    return [line, line.replace(" ", "\t"), line.replace(" ", "\xa0"), line.replace(" ", "  "),
            line.replace(" ", "\u3000"), line.replace(" ", " \u2009")]


def test_no_shipped_pattern_fullmatches_a_line_of_a_shape_it_rules_out() -> None:
    patterns = [(rule_id, p) for rule_id, p, whole in shipped_patterns() if whole]
    lines = [variant for line in example_lines() for variant in _shape_variants(line)]
    matched = 0
    for line in lines:
        for rule_id, pattern in patterns:
            if pattern.fullmatch(line, timeout=1.0) is not None:
                matched += 1
                assert prefilter(pattern).fits(line), (rule_id, line)
    assert matched > 300


def test_the_bounds_rule_out_long_and_punctuated_lines() -> None:
    """The point of it: a sentence of prose meets few of the shipped whole-line patterns."""
    patterns = [p for _, p, whole in shipped_patterns() if whole]
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
