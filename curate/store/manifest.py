"""A version's manifest: what it holds and how it was made (DESIGN.md "Versioned store" contract).

Fields: version, parent (null for the first version and for --fresh versions), created (UTC ISO
8601), tool_version, message, config_digest, rules_digest, config, inputs (path, sha256, bytes,
documents), shards (path relative to the store, sha256, documents, bytes), documents (total),
counts (the read/kept/dropped/failed contract shape, as the run reported it), index (the dedup
index's parameters and parts, see store/index.py; null when the version has none), ledger (the
run's ledger object and its run fields, what the reports are made of, see store/ledger.py; null
for versions committed before it, or by the library without one).
"""

from __future__ import annotations

import importlib.metadata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import orjson

from curate.errors import StoreError
from curate.store.layout import without_surrogates

FORMAT: Final = 1  # bumped only if the store layout changes in a way old readers cannot follow
REQUIRED: Final = ("version", "parent", "created", "shards", "documents", "counts")


def tool_version() -> str:
    """curate's version: `curate.__version__` if the package sets one, else its metadata."""
    import curate

    version = getattr(curate, "__version__", None)
    if isinstance(version, str):
        return version
    try:
        return importlib.metadata.version("curate")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def build_manifest(
    *,
    version: str,
    parent: str | None,
    message: str,
    config_digest: str,
    rules_digest: str,
    config: dict[str, Any] | None,
    inputs: list[dict[str, Any]],
    shards: list[dict[str, Any]],
    counts: dict[str, Any],
    index: dict[str, Any] | None = None,
    ledger: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of a new version, keys in reading order."""
    return {
        "version": version,
        "parent": parent,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "tool_version": tool_version(),
        "format": FORMAT,
        "message": message,
        "config_digest": config_digest,
        "rules_digest": rules_digest,
        "config": config or {},
        "inputs": inputs,
        "shards": shards,
        "documents": sum(int(shard["documents"]) for shard in shards),
        "counts": counts,
        "index": index,
        "ledger": ledger,
    }


def encode_manifest(manifest: dict[str, Any]) -> bytes:
    try:
        return orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n"
    except orjson.JSONEncodeError:  # an input path or message with a lone surrogate: see encode_record
        return orjson.dumps(without_surrogates(manifest), option=orjson.OPT_INDENT_2) + b"\n"


def read_manifest(path: Path) -> dict[str, Any]:
    """Parse and sanity-check a manifest; StoreError naming the file if it is missing or bad."""
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise StoreError(
            f"{path}: no such manifest; `curate versions` lists the versions"
        ) from None
    except orjson.JSONDecodeError as exc:
        raise StoreError(f"{path}: manifest does not parse ({exc})") from None
    if not isinstance(data, dict):
        raise StoreError(f"{path}: manifest is not a JSON object")
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise StoreError(f"{path}: manifest lacks {', '.join(missing)}")
    return data
