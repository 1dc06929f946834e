"""collect_garbage and `curate gc`: unreferenced objects and leftovers, deleted only on request,
never beside a writer, never anything a manifest mentions."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from curate.cli import main
from curate.document import Document
from curate.errors import StoreError
from curate.store import Store, collect_garbage, verify

Commit = Callable[..., str]
Docs = Callable[..., list[Document]]


def _stray(store: Store, name: str = "ab" * 32) -> Path:
    path = store.layout.object_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left by a killed run")
    return path


def test_gc_lists_an_unreferenced_object_without_deleting(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    stray = _stray(store)
    found = collect_garbage(store)
    assert found.paths == (stray,) and not found.deleted
    assert stray.exists()


def test_gc_deletes_only_with_delete_and_keeps_versions_intact(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    commit(docs("b"))
    stray = _stray(store)
    temp = store.layout.versions / ".tmp-killed"
    temp.mkdir()
    found = collect_garbage(store, delete=True)
    assert set(found.paths) == {stray, temp} and found.deleted
    assert not stray.exists() and not temp.exists()
    assert verify(store) == []


def test_an_object_named_anywhere_in_a_manifest_is_live(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    extra = _stray(store, "cd" * 32)
    manifest_path = store.layout.manifest("v0001")
    manifest = orjson.loads(manifest_path.read_bytes())
    manifest["index"] = {"parts": [{"arrays": {"keys": {"path": store.layout.relative(extra)}}}]}
    manifest_path.write_bytes(orjson.dumps(manifest))
    assert collect_garbage(store, delete=True).paths == ()
    assert extra.exists()


def test_gc_refuses_while_a_writer_holds_the_lock(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    _stray(store)
    with store.writer(), pytest.raises(StoreError, match="locked"):
        collect_garbage(store, delete=True)


def test_gc_refuses_when_a_manifest_does_not_parse(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    store.layout.manifest("v0001").write_bytes(b"{broken")
    stray = _stray(store)
    with pytest.raises(StoreError, match="gc deletes nothing"):
        collect_garbage(store, delete=True)
    assert stray.exists()


def test_gc_command_lists_then_deletes_with_yes(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    stray = _stray(store)
    listed = CliRunner().invoke(main, ["gc", "--store", str(store.root)])
    assert listed.exit_code == 0 and str(stray) in listed.output and stray.exists()
    deleted = CliRunner().invoke(main, ["gc", "--store", str(store.root), "--yes"])
    assert deleted.exit_code == 0 and not stray.exists()


def test_gc_command_explains_a_held_lock(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    fd = os.open(store.layout.lock, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        result = CliRunner().invoke(main, ["gc", "--store", str(store.root), "--yes"])
    finally:
        os.close(fd)
    assert result.exit_code == 1
    assert "is locked by a running curate command" in result.output
