"""The strip step's prefilter must never change an answer: a pattern it rules out cannot match."""

from __future__ import annotations

import regex

from curate.rules.prefilter.pattern import prefilter
from curate.rules.prefilter.scan import LiteralScan
from tests.rules.prefilter.conftest import example_lines, shipped_patterns


def test_no_shipped_pattern_matches_a_line_its_prefilter_rules_out() -> None:
    patterns = shipped_patterns()
    scan = LiteralScan([p for _, p, _ in patterns])
    lines = example_lines()
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


def test_an_unknown_construct_means_no_filter_rather_than_a_wrong_one() -> None:
    pattern = regex.compile(r"(?:\L<words>)", words=["alpha", "beta"])  # a named list: not read
    assert prefilter(pattern).literals is None
    assert prefilter(pattern).may_match("anything", frozenset())
