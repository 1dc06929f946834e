"""Helpers for the store tests: a quick way to commit documents."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from curate.document import Document, Event
from curate.store import Store

COUNTS = {"read": 0, "kept": 0, "dropped": {}, "failed": {}}


def make_docs(*ids: str) -> list[Document]:
    event = Event(
        step="strip", action="drop_line", rule="ads.placeholder", span=(0, 3), text="AD\n"
    )
    return [
        Document(id=i, source="crawl/a.jsonl", text=f"text of {i}", lang="en", provenance=(event,))
        for i in ids
    ]


@pytest.fixture
def docs() -> Callable[..., list[Document]]:
    """docs("a", "b"): small documents with those ids, each with one provenance event."""
    return make_docs


@pytest.fixture
def store(tmp_store: Path) -> Store:
    return Store(tmp_store)


@pytest.fixture
def commit(store: Store) -> Callable[..., str]:
    def run(documents: Iterable[Document], *, fresh: bool = False, message: str = "") -> str:
        documents = list(documents)
        with store.writer(fresh=fresh, message=message) as writer:
            for doc in documents:
                writer.add(doc)
            counts = {**COUNTS, "read": len(documents), "kept": len(documents)}
            inputs = [
                {
                    "path": "crawl/a.jsonl",
                    "sha256": "0" * 64,
                    "bytes": 10,
                    "documents": len(documents),
                }
            ]
            return writer.commit(
                inputs=inputs,
                counts=counts,
                config_digest="cfg",
                rules_digest="rules",
                config={"dedup": {"threshold": 0.8}},
            )

    return run
