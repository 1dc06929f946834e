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

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from curate.errors import StoreError
from curate.store.layout import read_shard


def encode_array(array: np.ndarray) -> bytes:
    """The .npy bytes of a plain (non-object) array; the same array always gives the same bytes."""
    if array.dtype.hasobject:
        raise StoreError("index arrays must be plain numbers; object arrays would need pickle")
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def load_array(root: Path, entry: Mapping[str, Any]) -> np.ndarray:
    """An index array of the store at `root`, memory-mapped read-only, never unpickled."""
    path = root / str(entry["path"])
    try:
        array: np.ndarray = np.load(path, mmap_mode="r", allow_pickle=False)
        return array
    except FileNotFoundError:
        raise StoreError(f"index array {entry['path']} is missing; run `curate verify`") from None
    except ValueError as exc:
        raise StoreError(f"index array {entry['path']} does not load ({exc}); run `curate verify`") from None


def load_arrays(root: Path, part: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Every array of one part of a manifest's index, by name."""
    return {name: load_array(root, entry) for name, entry in part["arrays"].items()}


def array_paths(manifest: Mapping[str, Any]) -> list[str]:
    """Paths of the index arrays a manifest refers to (for `orphans`)."""
    index = manifest.get("index") or {}
    return [str(entry["path"]) for part in index.get("parts") or () for entry in part["arrays"].values()]


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
