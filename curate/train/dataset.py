"""Labelled pages: the blocks of each development page, their features and their labels.

A record with `expected` (AEB, WCXB) is labelled by alignment, one with `with`/`without` snippets
(trafilatura-eval) by the snippets (see curate.train.labels). The blocks are the extract step's own
(`Extract.page_blocks`: the same parse and furniture removal), so a model trained here judges the
blocks it will meet at run time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from curate.steps.extract import Extract
from curate.steps.extract.features import block_features
from curate.train.labels import UNLABELLED, expected_labels, snippet_labels


@dataclass(frozen=True)
class Page:
    """One labelled page. labels: 1, 0 or -1 (unlabelled) per block; rows: its block features."""

    set_name: str
    id: str
    host: str
    page_type: str | None
    blocks: list[str]
    rows: npt.NDArray[np.float64]
    labels: npt.NDArray[np.int64]


def host_of(url: str | None) -> str:
    """The site a page belongs to, for grouping folds: its host, lowercased, without "www."."""
    host = (urlsplit(url or "").hostname or "").lower()
    return host.removeprefix("www.") or "unknown"


def labels_of(record: Mapping[str, Any], blocks: Sequence[str]) -> list[int]:
    """Block labels by the record's annotation: expected text if it has one, else its snippets."""
    if record.get("expected") is not None:
        return expected_labels(blocks, record["expected"])
    return snippet_labels(blocks, record.get("with") or [], record.get("without") or [])


def labelled_page(step: Extract, set_name: str, record: Mapping[str, Any]) -> Page:
    """A record ({"id", "url", "html"} and its annotation) as a labelled page."""
    blocks = step.page_blocks(record["html"])
    texts = [block.text for block in blocks]
    return Page(set_name, str(record["id"]), host_of(record.get("url")), record.get("page_type"), texts,
                block_features(blocks, record["html"], record.get("url")),
                np.array(labels_of(record, texts), dtype=np.int64))


def labelled_pages(step: Extract, set_name: str, records: Iterable[Mapping[str, Any]]) -> Iterator[Page]:
    for record in records:
        yield labelled_page(step, set_name, record)


def training_rows(pages: Sequence[Page], *, per_page: bool = False
                  ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The labelled blocks of these pages as one matrix, its labels and weights (unlabelled blocks
    left out). Each block weighs 1, or with `per_page` each page weighs the same in all (a page of
    400 menu links then counts no more than a page of 20 paragraphs)."""
    rows, labels, weights = [], [], []
    for page in pages:
        chosen = page.labels != UNLABELLED
        rows.append(page.rows[chosen])
        labels.append(page.labels[chosen])
        count = int(chosen.sum())
        weights.append(np.full(count, 1.0 / count if per_page and count else 1.0))
    if not rows:
        return np.zeros((0, 0)), np.zeros(0, dtype=np.int64), np.zeros(0)
    weight = np.concatenate(weights)
    return np.vstack(rows), np.concatenate(labels), weight / weight.mean() if len(weight) else weight


def kept_text(blocks: Sequence[str], keep: Sequence[bool]) -> str:
    """The text of the kept blocks, joined as the extract step joins them."""
    return "\n\n".join(text for text, kept in zip(blocks, keep) if kept)
