"""The per-line scan and Candidates agree with the prefilter of each pattern, and strip plans the
same edits with them as without."""

from __future__ import annotations

import pytest
import regex

from curate.rules import load_ruleset
from curate.rules.prefilter.pattern import prefilter
from curate.rules.prefilter.scan import SCAN_MAX_CHARS, Candidates, LiteralScan
from curate.steps.strip import step as strip_step
from curate.steps.strip.step import StripConfig, _Planner
from tests.rules.prefilter.conftest import example_lines, shipped_patterns


def test_most_prose_lines_skip_most_patterns() -> None:
    """The point of it: an ordinary sentence is handed to only a few of the ~50 line patterns."""
    patterns = [p for _, p, whole in shipped_patterns() if whole]
    scan, candidates = LiteralScan(patterns), Candidates(patterns)
    line = "The council voted on Tuesday to extend the northern tram line to the hospital."
    assert len(candidates.of(line, scan.present(line))) < len(patterns) // 3


def test_literal_scan_finds_overlapping_and_nested_literals() -> None:
    scan = LiteralScan([regex.compile("advert"), regex.compile("ad"), regex.compile("dpa")])
    assert scan.present("Foto: ADPA / advertorial") == frozenset({"ad", "dpa", "advert"})
    assert scan.present("nothing here") == frozenset()


def test_strip_plans_the_same_edits_with_and_without_the_prefilter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rules = [r for r in load_ruleset() if r.kind != "selector"]
    text = "\n".join(example for rule in rules for example in rule.examples.drop + rule.examples.keep)
    text += "\n" + "\n".join(example_lines())
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


def test_a_line_too_long_to_scan_still_meets_every_rule() -> None:
    rules = [r for r in load_ruleset() if r.kind != "selector"]
    line = "word " * (SCAN_MAX_CHARS // 5) + "see [the report](#) here"
    assert len(line) > SCAN_MAX_CHARS
    assert LiteralScan([regex.compile("report")]).present(line) is None
    edits = _Planner(line, rules, StripConfig()).plan()
    assert [(e.rule, e.replacement) for e in edits] == [("markup.markdown_link", "the report")]


def test_candidates_agree_with_the_prefilter_on_every_line() -> None:
    patterns = [p for _, p, whole in shipped_patterns() if whole]
    scan, candidates = LiteralScan(patterns), Candidates(patterns)
    for line in example_lines()[:400]:
        present = scan.present(line)
        expected = [i for i, p in enumerate(patterns) if prefilter(p).may_match(line, present or frozenset())
                    or present is None and prefilter(p).fits(line)]
        assert candidates.of(line, present) == expected


def test_literals_around_a_stripped_line_are_found_as_a_scan_finds_them() -> None:
    patterns = [p for _, p, _ in shipped_patterns()] + [regex.compile(r" ago\b"), regex.compile(r"x y")]
    scan = LiteralScan(patterns)
    for line in example_lines()[:300] + ["ago", "x", "y"]:
        for around in (f"  {line}", f"{line}\t", f" {line} ", f"\u3000{line}\xa0"):
            assert scan.present_around(scan.present(around.strip()), around) == scan.present(around)
