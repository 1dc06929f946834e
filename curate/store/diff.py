"""`curate diff A B`: which documents version B added, removed or changed against version A.

A document is known by its id; it changed when its stored record (text, language, metadata)
differs. Shards both versions reference hold the same records, so only the shards of one side
are read: a child version against its parent costs the reading of its new shards only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import xxhash

from curate.store.layout import encode_record, read_verified_shard

if TYPE_CHECKING:
    from curate.store import Store

KINDS: Final = ("added", "removed", "changed")


@dataclass(frozen=True)
class VersionDiff:
    """The documents of `new` that are not in `old` (added), those of `old` gone from `new`
    (removed), and those in both whose records differ (changed); ids sorted, with their source
    (the new record's source for added and changed documents)."""

    old: str
    new: str
    added: dict[str, str] = field(default_factory=dict)
    removed: dict[str, str] = field(default_factory=dict)
    changed: dict[str, str] = field(default_factory=dict)

    def per_source(self) -> dict[str, dict[str, int]]:
        """{source: {"added": n, "removed": n, "changed": n}}, sources sorted."""
        counts: dict[str, Counter[str]] = {}
        for kind in KINDS:
            for source in getattr(self, kind).values():
                counts.setdefault(source, Counter())[kind] += 1
        return {source: {kind: counts[source][kind] for kind in KINDS} for source in sorted(counts)}

    def totals(self) -> dict[str, int]:
        return {kind: len(getattr(self, kind)) for kind in KINDS}

    def to_json(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "totals": self.totals(),
                "per_source": self.per_source(),
                **{kind: sorted(getattr(self, kind)) for kind in KINDS}}


def diff_versions(store: Store, old: str, new: str) -> VersionDiff:
    """Compare two versions of `store` (StoreError if either is not a version)."""
    old_shards = _shard_paths(store.manifest(old))
    new_shards = _shard_paths(store.manifest(new))
    shared = set(old_shards) & set(new_shards)
    before = _fingerprints(store, ((p, h) for p, h in old_shards.items() if p not in shared))
    after = _fingerprints(store, ((p, h) for p, h in new_shards.items() if p not in shared))
    added = {i: after[i][0] for i in sorted(after.keys() - before.keys())}
    removed = {i: before[i][0] for i in sorted(before.keys() - after.keys())}
    changed = {i: after[i][0] for i in sorted(before.keys() & after.keys()) if before[i][1] != after[i][1]}
    return VersionDiff(old, new, added, removed, changed)


def _shard_paths(manifest: Mapping[str, Any]) -> dict[str, str]:
    """path -> sha256 of each shard, in manifest order."""
    return {str(shard["path"]): str(shard["sha256"]) for shard in manifest["shards"]}


def _fingerprints(store: Store, shards: Iterable[tuple[str, str]]) -> dict[str, tuple[str, int]]:
    """id -> (source, 64-bit hash of the record). An id repeated within one side keeps the hash
    of all its records together, so a repeated id compares as one document."""
    found: dict[str, tuple[str, int]] = {}
    for relative, sha256 in shards:
        for record in read_verified_shard(store.root / relative, sha256):
            doc_id = str(record.get("id"))
            digest = xxhash.xxh3_64_intdigest(encode_record(record))
            if doc_id in found:
                source, earlier = found[doc_id]
                digest = xxhash.xxh3_64_intdigest(f"{earlier}:{digest}".encode())
                found[doc_id] = (source, digest)
            else:
                found[doc_id] = (str(record.get("source", "")), digest)
    return found
