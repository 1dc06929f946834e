"""The store's index arrays: plain numpy `.npy` files, content-addressed like shards, written and
read with `allow_pickle=False` and memory-mapped when read (the format of the dedup index that
refers to them: store/index.py)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from curate.errors import StoreError


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
