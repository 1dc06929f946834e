"""verify re-hashes shards and checks manifests; orphans lists leftovers of killed runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson

from curate.document import Document
from curate.store import Store, orphans, verify

Commit = Callable[..., str]
Docs = Callable[..., list[Document]]


def shard_path(store: Store, version: str = "v0001") -> Path:
    return store.root / store.manifest(version)["shards"][0]["path"]


def test_verify_passes_on_a_good_store(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    commit(docs("b"))
    assert verify(store) == []
    assert verify(store, "v0002") == []


def test_verify_detects_a_flipped_byte(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    path = shard_path(store)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    (problem,) = verify(store)
    assert problem.startswith("v0001: shard objects/")
    assert "is corrupt" in problem


def test_verify_detects_a_missing_shard(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    commit(docs("b"))
    shard_path(store, "v0001").unlink()
    problems = verify(store)
    assert len(problems) == 2  # both versions hold the shard
    assert all("is missing" in problem for problem in problems)


def test_verify_detects_a_manifest_that_does_not_parse(
    store: Store, commit: Commit, docs: Docs
) -> None:
    commit(docs("a"))
    (store.root / "versions" / "v0001" / "manifest.json").write_text("{not json")
    (problem,) = verify(store)
    assert problem.startswith("v0001: ")
    assert "does not parse" in problem


def test_verify_detects_a_wrong_document_count(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a", "b"))
    path = store.root / "versions" / "v0001" / "manifest.json"
    manifest = orjson.loads(path.read_bytes())
    manifest["shards"][0]["documents"] = 3
    path.write_bytes(orjson.dumps(manifest))
    (problem,) = verify(store)
    assert "holds 2 documents, manifest says 3" in problem


def test_verify_reports_a_version_folder_without_manifest(
    store: Store, commit: Commit, docs: Docs
) -> None:
    commit(docs("a"))
    (store.root / "versions" / "v0002").mkdir()
    (problem,) = verify(store)
    assert problem.startswith("v0002: ")


def test_orphans_lists_unreferenced_objects_not_as_problems(
    store: Store, commit: Commit, docs: Docs
) -> None:
    commit(docs("a"))
    stray = store.root / "objects" / "ab" / ("ab" + "0" * 62 + ".jsonl.zst")
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"left by a killed run")
    assert verify(store) == []
    assert orphans(store) == [stray]


def test_orphans_lists_a_staging_folder(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    staging = store.root / "versions" / ".tmp-killed"
    staging.mkdir()
    assert orphans(store) == [staging]
