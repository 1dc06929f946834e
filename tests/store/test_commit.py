"""Committing versions: manifests, shared shards, fresh versions, atomicity, no forked history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from curate.document import Document
from curate.errors import StoreError
from curate.store import Store
from curate.store.commit import VersionWriter
from curate.store.verify import verify

Commit = Callable[..., str]
Docs = Callable[..., list[Document]]


def test_a_new_store_creates_nothing_until_commit(tmp_store: Path) -> None:
    store = Store(tmp_store)
    assert (store.versions(), store.latest()) == ([], None)
    assert not tmp_store.exists()


def test_commit_makes_the_first_version(store: Store, commit: Commit, docs: Docs) -> None:
    assert commit(docs("a", "b")) == "v0001"
    assert (store.versions(), store.latest()) == (["v0001"], "v0001")


def test_manifest_records_how_the_version_was_made(
    store: Store, commit: Commit, docs: Docs
) -> None:
    commit(docs("a", "b"), message="first crawl")
    manifest = store.manifest("v0001")
    assert manifest["version"] == "v0001"
    assert manifest["parent"] is None
    assert manifest["message"] == "first crawl"
    assert (manifest["config_digest"], manifest["rules_digest"]) == ("cfg", "rules")
    assert manifest["config"] == {"dedup": {"threshold": 0.8}}
    assert manifest["documents"] == 2
    assert manifest["counts"] == {"read": 2, "kept": 2, "dropped": {}, "failed": {}}
    assert manifest["inputs"][0]["path"] == "crawl/a.jsonl"
    assert manifest["created"].endswith("+00:00")
    assert manifest["tool_version"]


def test_shard_entries_name_a_content_addressed_object(
    store: Store, commit: Commit, docs: Docs
) -> None:
    commit(docs("a"))
    (shard,) = store.manifest("v0001")["shards"]
    assert shard["path"] == f"objects/{shard['sha256'][:2]}/{shard['sha256']}.jsonl.zst"
    assert (shard["documents"], shard["bytes"]) == (1, (store.root / shard["path"]).stat().st_size)


def test_records_round_trip_without_provenance(store: Store, commit: Commit, docs: Docs) -> None:
    originals = docs("a", "b")
    commit(originals)
    assert list(store.iter_records("v0001")) == [doc.to_json(provenance=False) for doc in originals]


def test_second_version_references_the_parent_shards_and_adds_new(
    store: Store, commit: Commit, docs: Docs
) -> None:
    commit(docs("a"))
    commit(docs("b"))
    first, second = store.manifest("v0001"), store.manifest("v0002")
    assert second["parent"] == "v0001"
    assert second["shards"][:1] == first["shards"]
    assert len(second["shards"]) == 2
    assert [r["id"] for r in store.iter_records("v0002")] == ["a", "b"]


def test_shared_shards_are_not_copied(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    commit(docs("b"))
    assert len(list((store.root / "objects").rglob("*.jsonl.zst"))) == 2


def test_fresh_version_has_no_parent_and_only_new_documents(
    store: Store, commit: Commit, docs: Docs
) -> None:
    commit(docs("a"))
    assert commit(docs("b"), fresh=True) == "v0002"
    assert store.manifest("v0002")["parent"] is None
    assert [r["id"] for r in store.iter_records("v0002")] == ["b"]


def test_writer_exposes_the_parent_it_builds_on(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    with store.writer() as writer:
        assert writer.parent == "v0001"
    with store.writer(fresh=True) as writer:
        assert writer.parent is None


def test_identical_records_give_identical_shards(
    tmp_path: Path, commit: Commit, docs: Docs, store: Store
) -> None:
    other = Store(tmp_path / "other")
    commit(docs("a", "b"))
    with other.writer() as writer:
        for doc in docs("a", "b"):
            writer.add(doc)
        writer.commit(inputs=[], counts={}, config_digest="x", rules_digest="y")
    (mine,), (theirs,) = store.manifest("v0001")["shards"], other.manifest("v0001")["shards"]
    assert mine["sha256"] == theirs["sha256"]
    assert (store.root / mine["path"]).read_bytes() == (other.root / theirs["path"]).read_bytes()


def test_exception_inside_the_writer_leaves_no_version(
    store: Store, commit: Commit, docs: Docs
) -> None:
    commit(docs("a"))
    with pytest.raises(RuntimeError), store.writer() as writer:
        writer.add(docs("b")[0])
        raise RuntimeError("killed")
    assert store.versions() == ["v0001"]
    assert [r["id"] for r in store.iter_records("v0001")] == ["a"]


def test_failed_writer_removes_the_shards_it_wrote(store: Store, docs: Docs) -> None:
    with pytest.raises(RuntimeError), store.writer() as writer:
        for doc in docs(
            *(str(i) for i in range(10_001))
        ):  # one more than a shard holds: one is written
            writer.add(doc)
        raise RuntimeError("killed")
    assert list((store.root / "objects").rglob("*.zst")) == []


def test_a_committed_writer_refuses_more_documents(store: Store, docs: Docs) -> None:
    with store.writer() as writer:
        writer.commit(inputs=[], counts={}, config_digest="x", rules_digest="y")
        with pytest.raises(StoreError, match="already committed"):
            writer.add(docs("a")[0])


def test_an_existing_empty_version_folder_is_never_replaced(
    store: Store, commit: Commit, docs: Docs
) -> None:
    commit(docs("a"))
    (store.root / "versions" / "v0002").mkdir()  # stray folder: the next version must skip past it
    assert commit(docs("b")) == "v0003"
    assert store.versions() == ["v0001", "v0003"]


def test_missing_version_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no such manifest"):
        store.manifest("v0007")


def test_a_path_is_not_a_version_name(store: Store) -> None:
    with pytest.raises(StoreError, match="not a version name"):
        store.manifest("../../etc")


def test_a_half_written_version_is_not_visible(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    staging = store.root / "versions" / ".tmp-killed"  # what a run killed before its rename leaves
    staging.mkdir()
    (staging / "manifest.json").write_text("{}")
    assert store.versions() == ["v0001"]
    assert commit(docs("b")) == "v0002"


# Faults a real crawl brings (issue 25): the lock message invited a forked history.
def _commit_open(writer: VersionWriter, count: int) -> str:
    counts = {"read": count, "kept": count, "dropped": {}, "failed": {}}
    return writer.commit(inputs=[], counts=counts, config_digest="cfg", rules_digest="rules")


def test_fault_removing_the_lock_during_a_run_cannot_fork_the_history(
        store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))  # v0001
    first = store.writer()  # a run holding the store, its parent v0001
    for doc in docs("b", "c"):
        first.add(doc)
    store.layout.lock.unlink()  # someone "removes a stale lock" while it runs
    with store.writer() as second:  # the lock file is new, so a second run gets in
        for doc in docs("d"):
            second.add(doc)
        assert _commit_open(second, 1) == "v0002"
    with first, pytest.raises(StoreError, match="the store moved on: v0002 was committed by another run"):
        _commit_open(first, 2)
    assert store.versions() == ["v0001", "v0002"]  # one chain: each parent is the version before it
    assert [store.manifest(v)["parent"] for v in store.versions()] == [None, "v0001"]
    assert verify(store) == []
    assert sorted(str(r["id"]) for r in store.iter_records("v0002")) == ["a", "d"]
