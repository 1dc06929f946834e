"""The versioned store (DESIGN.md "Versioned store" contract): `Store` reads it, `Store.writer`
commits.

store = Store(Path("corpus"))
with store.writer(message="May crawl") as writer:
    for doc in docs:
        writer.add(doc)
    version = writer.commit(inputs=[...], counts={...}, config_digest="…", rules_digest="…")
records = list(store.iter_records(version))
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import zstandard

from curate.errors import StoreError
from curate.store.commit import VersionWriter
from curate.store.diff import VersionDiff, diff_versions
from curate.store.export import export_jsonl, export_parquet
from curate.store.gc import Garbage, collect_garbage
from curate.store.layout import Layout, read_verified_shard
from curate.store.ledger import StoredLedger, decode_ledger
from curate.store.manifest import read_manifest
from curate.store.verify import orphans, verify


class Store:
    """A store folder. Reading never creates anything; the folder appears with the first commit."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.layout = Layout(self.root)

    def versions(self) -> list[str]:
        """The complete versions, oldest first: ["v0001", "v0002", …]."""
        return self.layout.complete_versions()

    def latest(self) -> str | None:
        versions = self.versions()
        return versions[-1] if versions else None

    def manifest(self, version: str) -> dict[str, Any]:
        """The manifest of `version`; StoreError if there is no such version or it is bad."""
        return read_manifest(self.layout.manifest(version))

    def iter_records(self, version: str) -> Iterator[dict[str, Any]]:
        """The stored records of `version` (no provenance), shard by shard in manifest order. Each
        shard is checked against its sha256 first: StoreError, before any of its records, if it is
        missing or damaged."""
        for shard in self.manifest(version)["shards"]:
            yield from read_verified_shard(self.root / shard["path"], str(shard["sha256"]), name=version)

    def ledger(self, version: str) -> StoredLedger | None:
        """The ledger `version` stores (store/ledger.py), with its run fields; None for a version
        committed without one. StoreError if the object is missing, damaged or does not decode."""
        entry = self.manifest(version).get("ledger")
        if entry is None:
            return None
        path = self.root / str(entry["path"])
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise StoreError(f"{version}: ledger {path} is missing; run `curate verify`") from None
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise StoreError(f"{version}: ledger {path} is damaged (its sha256 is not the manifest's); "
                             "run `curate verify`")
        try:
            stored = decode_ledger(data)
        except (ValueError, KeyError, TypeError, StopIteration, zstandard.ZstdError) as exc:
            raise StoreError(f"{version}: ledger {path} does not decode ({exc}); run `curate verify`") from None
        return dataclasses.replace(stored, run=dict(entry.get("run") or {}))

    def writer(self, *, fresh: bool = False, message: str = "") -> VersionWriter:
        """Take the store's lock and start the next version (the latest one plus new documents, or
        only the new ones if `fresh`). StoreError if another run holds the lock."""
        return VersionWriter(self.layout, fresh=fresh, message=message)


__all__ = [
    "Garbage", "Store", "StoreError", "StoredLedger", "VersionDiff", "VersionWriter", "collect_garbage", "diff_versions",
    "export_jsonl", "export_parquet", "orphans", "verify",
]
