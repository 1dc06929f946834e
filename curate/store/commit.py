"""Committing a version: write aside, fsync, atomic rename, one writer at a time (DESIGN.md
contract).

Protocol. The writer takes `<store>/.lock` (fcntl.flock, non-blocking) for its whole life and
reads the parent under it. Each shard is written to `objects/.tmp-*`, fsynced and renamed to its
content address (an object that already exists is kept and the temp file deleted). The manifest
is written into a fresh `versions/.tmp-*` folder, fsynced with its folder, and published by
renaming that folder to `versions/vNNNN`, which never exists beforehand: Linux renames a folder
onto an existing *empty* folder without complaint, so the target is never pre-created and is
checked under the lock. A killed run leaves no visible version, only unreferenced objects and
temp folders, which `verify.orphans` lists. The lock itself is in store/lock.py.

The dedup index (store/index.py) follows the same protocol: `add_array` writes each array as a
content-addressed object like a shard, and `commit(index=…)` records the parts in the manifest,
filling in this version's name and new shards for the part of its own documents. So does the
run's ledger (store/ledger.py): `add_ledger` writes the object, `commit(ledger=…)` names it. A caller
that writes reports asks `next_version` and `added_shards` first, writes them aside, then commits.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from curate.document import Document
from curate.errors import StoreError
from curate.store.arrays import encode_array
from curate.store.layout import (
    ARRAY_SUFFIX,
    SHARD_MAX_BYTES,
    SHARD_MAX_DOCUMENTS,
    SHARD_SUFFIX,
    TMP_PREFIX,
    Layout,
    encode_record,
    encode_shard,
    fsync_dir,
    make_dir,
    version_name,
    version_number,
)
from curate.store.ledger import LEDGER_SUFFIX
from curate.store.lock import acquire_lock, release_lock
from curate.store.manifest import build_manifest, encode_manifest, read_manifest

log = logging.getLogger(__name__)


class VersionWriter:
    """Collects documents into new shards and commits them as the next version.

    Use as a context manager: leaving it without `commit` (or with an exception) discards the new
    shards and publishes nothing; leaving it always releases the lock.
    """

    def __init__(self, layout: Layout, *, fresh: bool = False, message: str = "") -> None:
        self.layout = layout
        self.fresh = fresh
        self.message = message
        fd = acquire_lock(layout)
        self._lock_fd: int | None = fd
        try:
            versions = layout.complete_versions()
            latest = versions[-1] if versions else None
            self._latest = latest  # the commit checks the store has not moved on since
            # fresh: the new version does not contain the previous one, so it records no parent
            self.parent: str | None = None if fresh else latest
            self._parent_shards = self._read_parent_shards()
        except BaseException:
            release_lock(fd)
            raise
        self._lines: list[bytes] = []
        self._pending_bytes = 0
        self._shards: list[dict[str, Any]] = []
        self._created: list[Path] = []
        self._name: str | None = None
        self.version: str | None = None

    def __enter__(self) -> VersionWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def add(self, doc: Document) -> None:
        """Queue a document for the new version; its record is stored without provenance."""
        self._check_open()
        line = encode_record(doc.to_json(provenance=False))
        self._lines.append(line)
        self._pending_bytes += len(line)
        if len(self._lines) >= SHARD_MAX_DOCUMENTS or self._pending_bytes >= SHARD_MAX_BYTES:
            self._flush()

    def add_array(self, array: np.ndarray) -> dict[str, Any]:
        """Store an index array as a content-addressed .npy object; its manifest entry."""
        self._check_open()
        return self._add_object(encode_array(array), ARRAY_SUFFIX)

    def add_ledger(self, data: bytes) -> dict[str, Any]:
        """Store the run's ledger (store/ledger.py) as a content-addressed object; its manifest entry."""
        self._check_open()
        return self._add_object(data, LEDGER_SUFFIX)

    def _add_object(self, data: bytes, suffix: str) -> dict[str, Any]:
        sha = hashlib.sha256(data).hexdigest()
        path = self.layout.object_path(sha, suffix)
        if not _intact(path, sha):
            existed = path.exists()  # a damaged object an older version names: repaired, never discarded
            _write_object(self.layout, path, data, suffix)
            if not existed:
                self._created.append(path)
        return {"path": self.layout.relative(path), "sha256": sha, "bytes": len(data)}

    def next_version(self) -> str:
        """The name `commit` will give the version (fixed from the first call: the lock is held)."""
        self._check_open()
        if self._name is None:
            self._name = version_name(_next_number(self.layout))
        return self._name

    def added_shards(self) -> list[dict[str, Any]]:
        """Close the pending shard; the shards of the new version that its parent does not have."""
        self._check_open()
        self._flush()
        inherited = {str(shard["path"]) for shard in self._parent_shards}
        return [dict(shard) for shard in self._shards if shard["path"] not in inherited]

    def commit(
        self,
        *,
        inputs: list[dict[str, Any]],
        counts: dict[str, Any],
        config_digest: str,
        rules_digest: str,
        config: dict[str, Any] | None = None,
        index: dict[str, Any] | None = None,
        ledger: dict[str, Any] | None = None,
    ) -> str:
        """Publish the parent's shards (unless fresh) and the new ones as the next version.

        `index` is the dedup index (store/index.py); a part whose "version" is None describes this
        version's new documents and gets its name and new shards here. `ledger`: the entry of the
        run's ledger object (`add_ledger`, store/ledger.py)."""
        self._check_open()
        self._flush()
        name = self.next_version()
        if index is not None:
            index = self._completed_index(index, name)
        manifest = build_manifest(
            version=name,
            parent=self.parent,
            message=self.message,
            config_digest=config_digest,
            rules_digest=rules_digest,
            config=config,
            inputs=inputs,
            shards=self._parent_shards + self._shards,
            counts=counts,
            index=index,
            ledger=ledger,
        )
        self._check_not_moved_on(name)
        _publish(self.layout, name, encode_manifest(manifest))
        self.version = name
        log.info("committed %s to %s (%d documents)", name, self.layout.root, manifest["documents"])
        return name

    def _check_not_moved_on(self, name: str) -> None:
        """Refuse to commit when another version appeared since this writer started (possible only if
        someone removed the lock file while we held it): committing would fork the history, a version
        whose parent skips the other run's. Our new objects are left for `curate gc`, not deleted: the
        other run may have committed a version that names the same content-addressed objects."""
        versions = self.layout.complete_versions()
        latest = versions[-1] if versions else None
        if latest == self._latest and not os.path.lexists(self.layout.versions / name):
            return
        self._created.clear()
        raise StoreError(
            f"store {self.layout.root}: the store moved on: {latest} was committed by another run while this "
            f"one ran (was the lock file removed?); nothing was committed, so the versions stay one chain. "
            "Run again (`curate gc` removes this run's unused objects)")

    def _completed_index(self, index: dict[str, Any], name: str) -> dict[str, Any]:
        shards = [{"path": s["path"], "documents": s["documents"]} for s in self._shards]
        parts = [{**part, "version": name, "shards": shards} if part.get("version") is None else part
                 for part in index["parts"]]
        return {**index, "parts": parts}

    def close(self) -> None:
        """Discard uncommitted shards and release the lock; safe to call twice."""
        if self._lock_fd is None:
            return
        if self.version is None:
            self._discard()
        release_lock(self._lock_fd)
        self._lock_fd = None

    def _check_open(self) -> None:
        if self._lock_fd is None or self.version is not None:
            raise StoreError(
                f"store {self.layout.root}: this writer is closed or already committed"
            )

    def _read_parent_shards(self) -> list[dict[str, Any]]:
        """The parent's shards, which the new version will reference. Each must be present at the
        size its manifest records: a new version never inherits a shard already known to be torn
        (`verify` re-hashes; this check is a stat per shard, so it runs on every commit)."""
        if self.parent is None:
            return []
        shards = list(read_manifest(self.layout.manifest(self.parent))["shards"])
        for shard in shards:
            path = self.layout.root / str(shard["path"])
            try:
                size = path.stat().st_size
            except FileNotFoundError:
                size = None
            if size != shard.get("bytes", size):
                state = "missing" if size is None else f"{size} bytes, the manifest says {shard['bytes']}"
                raise StoreError(
                    f"store {self.layout.root}: {self.parent}'s shard {shard['path']} is damaged ({state}); "
                    f"a new version would inherit it. Run `curate verify {self.parent}`, restore the shard, "
                    "or start over with --fresh"
                )
        return shards

    def _flush(self) -> None:
        if not self._lines:
            return
        data = encode_shard(self._lines)
        sha = hashlib.sha256(data).hexdigest()
        path = self.layout.object_path(sha)
        if not _intact(path, sha):
            existed = path.exists()  # a damaged object an older version names: repaired, never discarded
            _write_object(self.layout, path, data)
            if not existed:
                self._created.append(path)
        shard = {
            "path": self.layout.relative(path),
            "sha256": sha,
            "documents": len(self._lines),
            "bytes": len(data),
        }
        self._shards.append(shard)
        self._lines, self._pending_bytes = [], 0

    def _discard(self) -> None:
        """Delete the objects this writer created: no version refers to them (we hold the lock)."""
        for path in self._created:
            path.unlink(missing_ok=True)
        self._created.clear()
        self._lines.clear()


def _next_number(layout: Layout) -> int:
    """One past every version-named folder, complete or not, so a stray folder is never reused."""
    names = layout.version_dirs()
    return version_number(names[-1]) + 1 if names else 1


def _intact(path: Path, sha256: str) -> bool:
    """Whether the object at its content address exists and holds the bytes of its name. An object
    left torn or damaged by something outside curate is not trusted: the caller writes it again."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False
    if hashlib.sha256(data).hexdigest() == sha256:
        return True
    log.warning("object %s is damaged (its bytes do not hash to its name); writing it again", path)
    return False


@contextlib.contextmanager
def _io_errors(layout: Layout, doing: str) -> Iterator[None]:
    """An OSError while writing (disk full, file too large, I/O error) aborts the commit with a
    StoreError that says what was being written; the store keeps only what was there before."""
    try:
        yield
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        advice = {errno.ENOSPC: "; free some space or use --store on another disk",
                  errno.EDQUOT: "; free some space or use --store on another disk",
                  errno.EFBIG: "; the file size limit (ulimit -f) is too small for this shard"}.get(exc.errno or 0, "")
        raise StoreError(f"store {layout.root}: {reason} while {doing}; nothing was committed{advice}") from exc


def _write_object(layout: Layout, path: Path, data: bytes, suffix: str = SHARD_SUFFIX) -> None:
    with _io_errors(layout, f"writing {layout.relative(path)} ({len(data)} bytes)"):
        _write_object_file(layout, path, data, suffix)


def _write_object_file(layout: Layout, path: Path, data: bytes, suffix: str) -> None:
    make_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=suffix, dir=layout.objects)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a corpus is meant to be read by others
        os.rename(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def _publish(layout: Layout, name: str, manifest: bytes) -> None:
    with _io_errors(layout, f"writing the manifest of {name}"):
        _publish_manifest(layout, name, manifest)


def _publish_manifest(layout: Layout, name: str, manifest: bytes) -> None:
    make_dir(layout.versions)
    staging = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=layout.versions))
    try:
        with (staging / "manifest.json").open("wb") as fh:
            fh.write(manifest)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(staging, 0o755)
        fsync_dir(staging)
        target = layout.versions / name
        if os.path.lexists(
            target
        ):  # never rename onto it: an empty folder would be silently replaced
            raise StoreError(f"store {layout.root}: {target} already exists; run `curate verify`")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsync_dir(layout.versions)
