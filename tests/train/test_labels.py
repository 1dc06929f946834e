"""Block labels by alignment with an expected text, and by with/without snippets."""

from __future__ import annotations

from curate.train.dataset import host_of, kept_text
from curate.train.labels import (
    NEGATIVE,
    POSITIVE,
    UNLABELLED,
    Expected,
    expected_labels,
    snippet_labels,
)

EXPECTED = "The river rose by two metres in the night.\n\nThe town was flooded again, said the mayor."


def test_blocks_are_labelled_by_their_shingles_in_the_expected_text() -> None:
    blocks = ["The river rose by two metres in the night.",   # all its 4-grams are there
              "The town was flooded again, said the mayor on Tuesday evening at home after the storm.",  # 5 of 13
              "Subscribe to our newsletter for more news",    # none
              "The Mayor",                                     # short: its two words in order
              "Mayor the",                                     # short: not in that order
              "--"]                                            # no word
    assert expected_labels(blocks, EXPECTED) == [POSITIVE, NEGATIVE, NEGATIVE, POSITIVE, NEGATIVE, UNLABELLED]


def test_the_share_is_of_the_blocks_shingles() -> None:
    reference = Expected(EXPECTED)
    assert reference.share("the town was flooded again said") == 1.0
    assert reference.share("the town was flooded away today") == 1 / 3
    assert reference.share("") is None


def test_snippets_label_the_blocks_that_hold_them() -> None:
    blocks = ["Home\nNews", "The river rose by two metres.", "It rose in the\nnight.", "Share this", "Other"]
    labels = snippet_labels(blocks, with_=["two metres. It rose in the night."], without=["Home News", "Share"])
    assert labels == [NEGATIVE, POSITIVE, POSITIVE, NEGATIVE, UNLABELLED]


def test_a_block_in_both_kinds_of_snippet_is_unlabelled() -> None:
    assert snippet_labels(["Read more about the river"], ["about the river"], ["Read more"]) == [UNLABELLED]


def test_every_occurrence_of_a_without_snippet_is_negative() -> None:
    assert snippet_labels(["Share", "text", "Share"], [], ["Share"]) == [NEGATIVE, UNLABELLED, NEGATIVE]


def test_pages_are_grouped_by_host_and_kept_blocks_joined_as_the_step_joins() -> None:
    assert host_of("https://WWW.Example.com:8080/a") == "example.com"
    assert host_of(None) == "unknown"
    assert kept_text(["a", "b", "c"], [True, False, True]) == "a\n\nc"
