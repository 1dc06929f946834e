"""Training labels for blocks: which blocks of a development page are its main content.

Two kinds of annotation, two rules (issue 19):

* **Expected text** (AEB article bodies, WCXB main content): a block is aligned with the expected
  text by its words (runs of `\\w+`, lowercased). A block of four words or more is positive when at
  least `MIN_SHARE` of its word 4-gram shingles occur in the expected text, negative otherwise; a
  shorter block (a heading, a label, a list item of three words) is positive when its whole word
  sequence occurs in the expected text. A block without a word is unlabelled.
* **Snippets** (trafilatura-eval `with` / `without`): the page's blocks are laid end to end as
  whitespace-collapsed text; a block that overlaps an occurrence of a `with` snippet is positive, one
  that overlaps a `without` snippet negative, one that overlaps both or neither unlabelled (no weight
  in training).

Both rules are noisy: a menu word that the article also uses is "found", a paragraph that the
annotators cut is not. How noisy is measured by the oracle (keep exactly the positive blocks) in
bench/content_model.py: its score is the ceiling a block classifier can reach with these labels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

POSITIVE: Final = 1
NEGATIVE: Final = 0
UNLABELLED: Final = -1
MIN_SHARE: Final = 0.5
SHINGLE: Final = 4
_WORD: Final = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words the alignment compares: runs of `\\w+`, lowercased."""
    return _WORD.findall(text.lower())


def _grams(tokens: Sequence[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


class Expected:
    """The word n-grams of an expected text (1 to `SHINGLE` words), for aligning blocks with it."""

    def __init__(self, text: str) -> None:
        tokens = words(text)
        self.grams = [_grams(tokens, size) for size in range(1, SHINGLE + 1)]

    def share(self, block: str) -> float | None:
        """The share of the block's shingles found in the expected text; None for a block without a
        word. A block shorter than a shingle counts as one shingle: its whole word sequence."""
        tokens = words(block)
        if not tokens:
            return None
        size = min(len(tokens), SHINGLE)
        shingles = [tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)]
        found = self.grams[size - 1]
        return sum(s in found for s in shingles) / len(shingles)


def expected_labels(blocks: Sequence[str], expected: str) -> list[int]:
    """POSITIVE, NEGATIVE or UNLABELLED for each block text, by its shingle share (module doc)."""
    reference = Expected(expected)
    out = []
    for block in blocks:
        share = reference.share(block)
        out.append(UNLABELLED if share is None else POSITIVE if share >= MIN_SHARE else NEGATIVE)
    return out


def _flat(text: str) -> str:
    return " ".join(text.split())


def _spans(blocks: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The blocks end to end, whitespace collapsed and one space apart, and each block's span."""
    parts, spans, at = [], [], 0
    for block in blocks:
        flat = _flat(block)
        parts.append(flat)
        spans.append((at, at + len(flat)))
        at += len(flat) + 1
    return " ".join(parts), spans


def _hits(page: str, spans: list[tuple[int, int]], snippet: str) -> set[int]:
    """The blocks that overlap any occurrence of the snippet in the page text."""
    needle = _flat(snippet)
    found: set[int] = set()
    start = page.find(needle) if needle else -1
    while start >= 0:
        end = start + len(needle)
        found.update(i for i, (a, b) in enumerate(spans) if a < end and start < b)
        start = page.find(needle, start + 1)
    return found


def snippet_labels(blocks: Sequence[str], with_: Sequence[str], without: Sequence[str]) -> list[int]:
    """POSITIVE for blocks holding a `with` snippet, NEGATIVE for a `without` one, else UNLABELLED."""
    page, spans = _spans(blocks)
    good = set().union(*(_hits(page, spans, s) for s in with_))
    bad = set().union(*(_hits(page, spans, s) for s in without))
    return [POSITIVE if i in good and i not in bad else NEGATIVE if i in bad and i not in good
            else UNLABELLED for i in range(len(blocks))]
