"""Helpers shared by the prefilter tests: the shipped patterns and the lines of their examples."""

from __future__ import annotations

import regex

from curate.rules import load_ruleset
from curate.rules.kinds import BlockMatcher, LineMatcher, ReplaceMatcher


def shipped_patterns() -> list[tuple[str, regex.Pattern[str], bool]]:
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


def variants(text: str) -> list[str]:
    """The text in the case forms furniture appears in, plus Turkish and long-s look-alikes that
    the regex engine's case-insensitive matching treats as equal to i and s."""
    return [text, text.upper(), text.lower(), text.title(), text.swapcase(),
            text.replace("i", "İ"), text.replace("I", "ı"), text.replace("s", "ſ"),
            text.replace("k", "\u212a"), f"  {text}  ".strip()]


def example_lines() -> list[str]:
    """Every line of the shipped rules' examples, in the case forms of `variants`."""
    lines = []
    for rule in load_ruleset():
        for example in rule.examples.drop + rule.examples.keep:
            for line in example.splitlines():
                lines += variants(line.strip())
    return lines
