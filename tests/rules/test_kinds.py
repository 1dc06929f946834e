"""The kind registry and what each kind matches."""

from __future__ import annotations

from typing import Any

import pytest

from curate.errors import RuleError
from curate.rules.kinds import (
    BlockMatcher,
    LineMatcher,
    Matcher,
    ReplaceMatcher,
    Site,
    get_kind,
    register,
)

T = 1.0  # regex timeout for these tests: generous, nothing here comes near it


def build(kind: str, **fields: Any) -> Matcher:
    site = Site("test.yaml", fields, "t.rule")
    return get_kind(kind, site).build(site)


def test_second_registration_under_one_name_is_refused() -> None:
    with pytest.raises(ValueError, match="rule kind 'line' is already registered by LineMatcher"):

        @register("line")
        class Again(LineMatcher):
            pass


def test_unknown_kind_lists_known_kinds() -> None:
    with pytest.raises(
        RuleError, match="unknown kind 'regex'; known kinds: block, line, replace, selector"
    ):
        get_kind("regex", Site("test.yaml", {}))


def test_line_matches_the_whole_line_only() -> None:
    matcher = build("line", pattern="(?i)advertisement")
    assert isinstance(matcher, LineMatcher)
    assert matcher.matches("ADVERTISEMENT", T)
    assert not matcher.matches("The advertisement ran for a week.", T)


def test_block_with_end_pattern() -> None:
    matcher = build("block", start="START", end="END")
    assert isinstance(matcher, BlockMatcher)
    assert matcher.extent(["START", "a", "", "END", "b"], 0, T) == 3


def test_block_without_its_end_does_not_fire() -> None:
    matcher = build("block", start="START", end="END")
    assert isinstance(matcher, BlockMatcher)
    assert matcher.extent(["START", "a", "b"], 0, T) is None


def test_block_until_blank() -> None:
    matcher = build("block", start="START", until="blank")
    assert isinstance(matcher, BlockMatcher)
    assert matcher.extent(["START", "a", "", "b"], 0, T) == 1


def test_block_until_end() -> None:
    matcher = build("block", start="START", until="end")
    assert isinstance(matcher, BlockMatcher)
    assert matcher.extent(["x", "START", "a", "", "b"], 1, T) == 4


def test_block_until_list_takes_the_bullets_after_blank_lines() -> None:
    matcher = build("block", start="Included", until="list")
    assert isinstance(matcher, BlockMatcher)
    assert matcher.extent(["Included", "", "- one", "- two", "", "Prose again."], 0, T) == 3


def test_block_until_list_needs_a_list() -> None:
    matcher = build("block", start="Included", until="list")
    assert isinstance(matcher, BlockMatcher)
    assert matcher.extent(["Included", "", "Prose."], 0, T) is None


def test_block_longer_than_max_lines_is_left_alone() -> None:
    matcher = build("block", start="START", until="end", max_lines=2)
    assert isinstance(matcher, BlockMatcher)
    assert matcher.extent(["START", "", "a", "", ""], 0, T) == 4
    assert matcher.extent(["START", "a", "b"], 0, T) is None


def test_block_needs_exactly_one_of_end_and_until() -> None:
    with pytest.raises(RuleError, match="exactly one of 'end'"):
        build("block", start="S", end="E", until="end")


def test_block_until_must_be_known() -> None:
    with pytest.raises(RuleError, match="'until' must be one of blank, end, list"):
        build("block", start="S", until="forever")


def test_max_lines_must_be_a_positive_number() -> None:
    with pytest.raises(RuleError, match="field 'max_lines' must be a positive whole number"):
        build("block", start="S", until="end", max_lines=0)


def test_replace_expands_groups() -> None:
    matcher = build("replace", pattern=r"\[([^\]]+)\]\([^)]*\)", replacement=r"\1")
    assert isinstance(matcher, ReplaceMatcher)
    assert matcher.spans("a [b](#) c", T) == [(2, 8, "b")]


def test_replace_with_a_bad_group_reference_fails_at_load() -> None:
    with pytest.raises(RuleError, match="refers to group '2', which the pattern lacks"):
        build("replace", pattern="(a)", replacement=r"\2")


def test_selector_must_be_valid_css() -> None:
    with pytest.raises(RuleError, match="not a valid CSS selector"):
        build("selector", selector="div[")


def test_match_calls_honour_the_timeout() -> None:
    matcher = build("line", pattern="(a|aa)+$")
    assert isinstance(matcher, LineMatcher)
    with pytest.raises(TimeoutError):
        matcher.matches("a" * 40 + "!", 0.05)
