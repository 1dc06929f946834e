"""The store's writer lock: one writer at a time, released on exit, naming its holder, never stale."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from curate.document import Document
from curate.errors import StoreError
from curate.store import Store
from curate.store.lock import _names_same_file

Commit = Callable[..., str]
Docs = Callable[..., list[Document]]


def test_lock_refuses_a_second_writer(store: Store) -> None:
    with store.writer(), pytest.raises(StoreError, match="is locked by another curate run"):
        store.writer()


def test_lock_is_released_when_the_writer_exits(store: Store, commit: Commit, docs: Docs) -> None:
    with store.writer():
        pass
    assert commit(docs("a")) == "v0001"


# Faults a real crawl brings (issue 25): the lock message invited a forked history.
def test_fault_busy_lock_names_its_holder_and_never_says_remove(store: Store) -> None:
    with store.writer(), pytest.raises(StoreError) as busy:
        store.writer()
    message = str(busy.value)
    assert f"(process {os.getpid()} on {socket.gethostname()}, since 20" in message
    assert "wait for it" in message and "do not remove the lock file" in message
    assert "remove a stale lock" not in message


def test_fault_a_lock_file_replaced_after_open_is_not_trusted(store: Store, tmp_path: Path) -> None:
    """The lock taken must be on the file at the lock's path, not on one someone unlinked meanwhile."""
    with store.writer():
        fd = os.open(store.layout.lock, os.O_RDWR)
        try:
            assert _names_same_file(fd, store.layout.lock)
            store.layout.lock.rename(tmp_path / "old.lock")
            store.layout.lock.write_text("")
            assert not _names_same_file(fd, store.layout.lock)
        finally:
            os.close(fd)
