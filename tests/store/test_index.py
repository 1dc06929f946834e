"""The dedup index in the store: .npy objects in the manifest, verified, never unpickled."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from curate.errors import StoreError
from curate.store import Store, orphans, verify
from curate.store.arrays import encode_array, load_arrays
from curate.store.index import ShardTexts
from tests.store.conftest import COUNTS, make_docs


def commit_with_index(store: Store, ids: tuple[str, ...], arrays: dict[str, np.ndarray]) -> str:
    with store.writer() as writer:
        for doc in make_docs(*ids):
            writer.add(doc)
        part = {"version": None, "documents": len(ids), "shards": None, "params": {},
                "arrays": {name: writer.add_array(a) for name, a in arrays.items()}}
        return writer.commit(inputs=[], counts={**COUNTS, "read": len(ids), "kept": len(ids)},
                             config_digest="c", rules_digest="r", index={"parts": [part]})


def arrays_for(n: int) -> dict[str, np.ndarray]:
    return {"exact": np.arange(n, dtype=np.uint64), "signatures": np.zeros((n, 4), np.uint32),
            "id_offsets": np.zeros(n + 1, np.uint64), "keys": np.arange(n, dtype=np.uint64),
            "rows": np.arange(n, dtype=np.uint32), "ids": np.zeros(0, np.uint8)}


def test_index_arrays_are_content_addressed_npy_objects(store: Store) -> None:
    version = commit_with_index(store, ("a", "b"), arrays_for(2))
    (part,) = store.manifest(version)["index"]["parts"]
    entry = part["arrays"]["exact"]
    assert entry["path"] == f"objects/{entry['sha256'][:2]}/{entry['sha256']}.npy"
    assert (part["version"], part["shards"][0]["documents"]) == (version, 2)


def test_arrays_load_back_memory_mapped(store: Store) -> None:
    version = commit_with_index(store, ("a", "b"), arrays_for(2))
    loaded = load_arrays(store.root, store.manifest(version)["index"]["parts"][0])
    assert isinstance(loaded["exact"], np.memmap)
    assert loaded["exact"].tolist() == [0, 1]


def test_verify_accepts_a_good_index(store: Store) -> None:
    commit_with_index(store, ("a", "b"), arrays_for(2))
    assert verify(store) == []


def test_verify_reports_a_corrupt_array(store: Store) -> None:
    version = commit_with_index(store, ("a", "b"), arrays_for(2))
    path = store.root / store.manifest(version)["index"]["parts"][0]["arrays"]["signatures"]["path"]
    path.write_bytes(path.read_bytes()[:-4] + b"\xff\xff\xff\xff")
    assert any("index array" in p and "corrupt" in p for p in verify(store))


def test_verify_reports_an_index_that_does_not_cover_the_version(store: Store) -> None:
    commit_with_index(store, ("a", "b", "c"), {**arrays_for(2)})
    problems = verify(store)
    assert any("index covers 2 documents" in p or "expected" in p for p in problems)


def test_index_arrays_are_not_orphans(store: Store) -> None:
    commit_with_index(store, ("a",), arrays_for(1))
    assert orphans(store) == []


def test_object_arrays_are_refused() -> None:
    with pytest.raises(StoreError, match="pickle"):
        encode_array(np.array([{"a": 1}], dtype=object))


def test_shard_texts_finds_the_record_of_a_row(store: Store, commit: Callable[..., str]) -> None:
    version = commit(make_docs("a", "b", "c"))
    texts = ShardTexts(store.root, store.manifest(version)["shards"])
    assert (texts(2), texts(0), texts(3)) == ("text of c", "text of a", None)


def test_a_discarded_writer_removes_its_arrays(store: Store, tmp_store: Path) -> None:
    with store.writer() as writer:
        entry = writer.add_array(np.arange(3, dtype=np.uint64))
    assert not (tmp_store / entry["path"]).exists()
