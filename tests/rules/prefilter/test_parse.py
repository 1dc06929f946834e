"""The folded form lines are compared in keeps substrings."""

from __future__ import annotations

from curate.rules.prefilter.parse import fold


def test_fold_keeps_substrings() -> None:
    assert fold("İSTANBUL Straße") == "istanbul strasse"
    assert fold("ABC") == "abc"
