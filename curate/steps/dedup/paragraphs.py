"""Paragraphs shared by many documents of a run: quoted boilerplate, syndicated blurbs, site notes.

A paragraph is a line of the text. Its normalised form (`minhash.normalise`) is hashed, each
document counts once per distinct paragraph, and a paragraph found in at least
`DedupConfig.common_paragraphs` documents of the run is removed from every one of them, with a
`drop_paragraph` event (rule `dedup.common_paragraph`, detail: how many documents hold it). The
count needs the whole run, so documents are set aside on disk (`steps/spill`) while the hashes are
counted (8 bytes per distinct paragraph of each document), then read back in order. A document
left with no text is dropped as `empty`.

A paragraph repeated inside one document is the strip step's business (`strip.repeated_paragraph`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar, Final

import numpy as np
import numpy.typing as npt
import xxhash

from curate.document import Document, Dropped, Edit, edited_or_dropped
from curate.steps.dedup.fingerprint import DedupConfig
from curate.steps.dedup.minhash import normalise
from curate.steps.spill import Spill

COMMON_RULE: Final = "dedup.common_paragraph"

Hashes = npt.NDArray[np.uint64]


class ParagraphDedup:
    """Removes paragraphs that appear in `common_paragraphs` or more documents of the run."""

    name: ClassVar[str] = "dedup"

    def __init__(self, config: DedupConfig) -> None:
        self.config = config

    def run(self, docs: Iterable[Document]) -> Iterator[Document | Dropped]:
        if self.config.common_paragraphs <= 0:
            yield from docs
            return
        with Spill() as spill:
            seen: list[Hashes] = []
            for doc in docs:
                spill.write(doc)
                seen.append(np.unique(self._hashes(doc.text)[1]))
            common = _common(seen, self.config.common_paragraphs)
            del seen
            for doc in spill.read():
                yield self._apply(doc, common)

    def _hashes(self, text: str) -> tuple[list[tuple[int, int]], Hashes]:
        """Spans of the paragraphs long enough to count, and their hashes."""
        spans, hashes = [], []
        start = 0
        for line in text.splitlines(keepends=True):
            normalised = normalise(line)
            if len(normalised.split()) >= self.config.paragraph_min_words:
                spans.append((start, start + len(line)))
                hashes.append(xxhash.xxh3_64_intdigest(normalised.encode("utf-8")))
            start += len(line)
        return spans, np.array(hashes, dtype=np.uint64)

    def _apply(self, doc: Document, common: tuple[Hashes, npt.NDArray[np.int64]]) -> Document | Dropped:
        keys, counts = common
        spans, hashes = self._hashes(doc.text)
        if not len(keys) or not len(hashes):
            return doc
        where = np.minimum(np.searchsorted(keys, hashes), len(keys) - 1)
        hit = keys[where] == hashes
        edits = [Edit(start, end, "", "drop_paragraph", COMMON_RULE, {"documents": int(counts[w])})
                 for (start, end), w, h in zip(spans, where.tolist(), hit.tolist(), strict=True) if h]
        if not edits:
            return doc
        return edited_or_dropped(doc, edits, self.name, COMMON_RULE, "paragraphs")


def _common(seen: list[Hashes], minimum: int) -> tuple[Hashes, npt.NDArray[np.int64]]:
    """The sorted paragraph hashes held by at least `minimum` documents, and their counts."""
    if not seen:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    keys, counts = np.unique(np.concatenate(seen), return_counts=True)
    keep = counts >= minimum
    return keys[keep], counts[keep]
