"""The trie alternation matches the longest of the words that start at one place."""

from __future__ import annotations

import regex

from curate.rules.prefilter.alternation import literal_alternation


def test_literal_alternation_matches_the_longest_word() -> None:
    assert regex.compile(literal_alternation(["ad", "advert", "as"])).fullmatch("advert")
