"""export_jsonl writes a version's records as JSON lines."""

from __future__ import annotations

import io
from collections.abc import Callable

import orjson

from curate.document import Document
from curate.store import Store, export_jsonl

Commit = Callable[..., str]
Docs = Callable[..., list[Document]]


def test_export_jsonl_writes_every_record(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    commit(docs("b", "c"))
    out = io.BytesIO()
    assert export_jsonl(store, "v0002", out) == 3
    lines = out.getvalue().splitlines()
    assert [orjson.loads(line)["id"] for line in lines] == ["a", "b", "c"]
