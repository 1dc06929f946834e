"""The dedup index kept in the store: content-addressed `.npy` arrays referenced from the manifest.

A version made with dedup on has an `index` field in its manifest:

    "index": {
      "params": {"scheme": "curate-minhash-1", "shingle": "words:5", "permutations": 128, "seed": 1,
                 "bands": 16, "rows": 8, "near": true},
      "parts": [
        {"version": "v0001", "documents": 5,
         "shards": [{"path": "objects/ab/ab….jsonl.zst", "documents": 5}],
         "arrays": {"keys": {"path": "objects/cd/cd….npy", "sha256": "cd…", "bytes": 1234}, …}},
        …
      ]
    }

Each part covers the documents one version added (its rows are the records of `shards`, in order),
so a new version's index is its parent's parts, by reference, plus one part for its own new
documents: nothing is re-hashed. The arrays (`curate.steps.dedup.index.ARRAY_NAMES`) are plain
numpy `.npy` files, written and read with `allow_pickle=False` and memory-mapped when read. A
version without `index` (made before this format, or with --no-dedup) is re-read from its records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from curate.steps.dedup.fingerprint import DedupConfig, DedupIndex
from curate.steps.dedup.index import IndexParams, Part
from curate.steps.dedup.parent_ids import IdBlob, IdList, ParentIds
from curate.store import Store, VersionWriter
from curate.store.arrays import load_array, load_arrays
from curate.store.layout import read_shard


def parent_index(store: Store, parent: str | None, config: DedupConfig) -> DedupIndex:
    """New documents are deduplicated against everything the parent version already holds."""
    if parent is None:
        return DedupIndex(config)
    return version_index(store, parent, config)


def parent_ids(store: Store, version: str | None, index: DedupIndex | None) -> ParentIds | None:
    """The ids `version` holds (None without a parent): from `index`, its dedup index, when the run has
    one; else from the version's stored index arrays (memory-mapped); else read from its shards."""
    if version is None:
        return None
    if index is not None:
        return ParentIds(version, index.parts)
    entries = (store.manifest(version).get("index") or {}).get("parts")
    if entries is not None:
        return ParentIds(version, [IdBlob(load_array(store.root, e["arrays"]["ids"]),
                                          load_array(store.root, e["arrays"]["id_offsets"])) for e in entries])
    return ParentIds(version, [IdList([str(record["id"]) for record in store.iter_records(version)])])


def version_index(store: Store, version: str, config: DedupConfig) -> DedupIndex:
    """An index of `version`: its stored index parts, memory-mapped (nothing re-hashed), or, for a
    version without a usable stored index (made before it, with --no-dedup, or another shingling),
    one part built by re-reading its records."""
    index = DedupIndex(config)
    manifest = store.manifest(version)
    parts = _stored_parts(store, manifest, index.params)
    if parts is None:
        texts = ((str(r["id"]), str(r.get("text", ""))) for r in store.iter_records(version))
        part = index.part_from_texts(texts, version=version, text_of=ShardTexts(store.root, manifest["shards"]))
        part.shards = [{"path": s["path"], "documents": s["documents"]} for s in manifest["shards"]]
        parts = [part]
    index.parts.extend(parts)
    return index


def _stored_parts(store: Store, manifest: dict[str, Any], params: IndexParams) -> list[Part] | None:
    entries = (manifest.get("index") or {}).get("parts")
    if entries is None:
        return None
    stored = [IndexParams.from_json(entry["params"]) for entry in entries]
    if not all(params.can_read(p) for p in stored):
        return None
    return [Part.from_arrays(params, p, load_arrays(store.root, entry), version=str(entry["version"]),
                             entry=entry, text_of=ShardTexts(store.root, entry["shards"]))
            for p, entry in zip(stored, entries, strict=True)]


def write_index(writer: VersionWriter, index: DedupIndex) -> dict[str, Any]:
    """The manifest's `index`: the parent's parts by reference, a re-read parent written as a new
    part, and the part of this run's kept documents (store/index.py)."""
    parts = [part.entry if part.entry is not None else
             _write_part(writer, part.arrays(), index.params, version=part.version, shards=part.shards)
             for part in index.parts]
    parts.append(_write_part(writer, index.new_part_arrays(), index.params, version=None, shards=None))
    return {"parts": parts}


def _write_part(writer: VersionWriter, arrays: dict[str, Any], params: IndexParams, *, version: str | None,
                shards: list[dict[str, Any]] | None) -> dict[str, Any]:
    return {"version": version, "documents": int(len(arrays["exact"])), "shards": shards,
            "params": params.to_json(), "arrays": {name: writer.add_array(a) for name, a in arrays.items()}}


def store_index(path: str | Path, config: DedupConfig) -> DedupIndex | None:
    """An index of the latest version of the store at `path` (None if it has no version yet)."""
    store = Store(Path(path))
    latest = store.latest()
    return version_index(store, latest, config) if latest else None


class ShardTexts:
    """The text of row r of a part: the r-th record of its shards. One decoded shard is cached, so
    looking up rows in order costs one decompression per shard."""

    def __init__(self, root: Path, shards: Sequence[Mapping[str, Any]]) -> None:
        self._root = root
        self._shards = [str(shard["path"]) for shard in shards]
        self._ends = np.cumsum([int(shard["documents"]) for shard in shards])
        self._cached: tuple[int, list[str]] | None = None

    def __call__(self, row: int) -> str | None:
        number = int(np.searchsorted(self._ends, row, side="right"))
        if number >= len(self._shards):
            return None
        if self._cached is None or self._cached[0] != number:
            path = self._root / self._shards[number]
            self._cached = (number, [str(r.get("text", "")) for r in read_shard(path)])
        start = int(self._ends[number - 1]) if number else 0
        return self._cached[1][row - start]
