"""`curate verify`: re-hash every shard, index array and ledger object and check every manifest
(DESIGN.md "verify re-hashes everything").

`verify` returns problems, each naming the version and the path; an empty list means all is
well. `orphans` lists leftovers of killed or failed runs (unreferenced objects, temp files): not
errors, just safe to delete.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
import zstandard

from curate.errors import StoreError
from curate.store.arrays import array_paths
from curate.store.layout import ARRAY_SUFFIX, TMP_PREFIX, Layout, read_shard
from curate.store.ledger import LEDGER_SUFFIX, decode_ledger
from curate.store.manifest import read_manifest

if TYPE_CHECKING:
    from curate.store import Store


def verify(store: Store, version: str | None = None) -> list[str]:
    """Problems in one version, or in every version folder if `version` is None; [] if none."""
    layout = store.layout
    names = [version] if version is not None else layout.version_dirs()
    problems: list[str] = []
    for name in names:
        problems.extend(_verify_version(layout, name))
    return problems


def orphans(store: Store) -> list[Path]:
    """Objects no version refers to, and temp files or folders left by runs that did not finish."""
    layout = store.layout
    referenced: set[str] = set()
    for name in layout.complete_versions():
        try:
            manifest = read_manifest(layout.manifest(name))
            referenced.update(shard["path"] for shard in manifest["shards"])
            referenced.update(array_paths(manifest))
            if manifest.get("ledger"):
                referenced.add(str(manifest["ledger"]["path"]))
        except (StoreError, KeyError, TypeError, AttributeError):
            # a broken manifest may hide references: deleting "orphans" then would lose data
            return []
    found = [path for path in _object_files(layout) if layout.relative(path) not in referenced]
    if layout.versions.is_dir():
        found.extend(path for path in layout.versions.iterdir() if path.name.startswith(TMP_PREFIX))
    return sorted(found)


def _object_files(layout: Layout) -> list[Path]:
    if not layout.objects.is_dir():
        return []
    return [path for path in layout.objects.rglob("*") if path.is_file()]


def _verify_version(layout: Layout, name: str) -> list[str]:
    try:
        manifest = read_manifest(layout.manifest(name))
    except StoreError as exc:
        return [f"{name}: {exc}"]
    problems = _check_header(layout, name, manifest)
    shards = manifest.get("shards")
    if not isinstance(shards, list):
        return [*problems, f"{name}: {layout.manifest(name)}: 'shards' is not a list"]
    total = 0
    for shard in shards:
        shard_problems, documents = _check_shard(layout, name, shard)
        problems.extend(shard_problems)
        total += documents
    if not problems and total != manifest["documents"]:
        problems.append(
            f"{name}: manifest says {manifest['documents']} documents, shards hold {total}"
        )
    if manifest.get("index") is not None:
        problems.extend(_check_index(layout, name, manifest))
    if manifest.get("ledger") is not None:
        problems.extend(_check_ledger(layout, name, manifest))
    return problems


def _check_ledger(layout: Layout, name: str, manifest: dict[str, Any]) -> list[str]:
    """The ledger object at its content address, intact, decoding, with as many entries as its
    manifest entry says and the counts of the manifest."""
    entry = manifest["ledger"]
    try:
        relative, sha, entries = str(entry["path"]), str(entry["sha256"]), int(entry["entries"])
    except (KeyError, TypeError, ValueError):
        return [f"{name}: malformed ledger entry in {layout.manifest(name)}"]
    path = layout.root / relative
    if path != layout.object_path(sha, LEDGER_SUFFIX):
        return [f"{name}: ledger {relative} is not at its content address"]
    if not path.is_file():
        return [f"{name}: ledger {relative} is missing; `curate report {name}` cannot rebuild the reports"]
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha:
        return [f"{name}: ledger {relative} is corrupt (sha256 {actual}, manifest says {sha})"]
    try:
        stored = decode_ledger(data)
    except (ValueError, KeyError, TypeError, StopIteration, zstandard.ZstdError) as exc:
        return [f"{name}: ledger {relative} does not decode: {exc}"]
    if stored.entries != entries:
        return [f"{name}: ledger {relative} holds {stored.entries} entries, manifest says {entries}"]
    if stored.ledger.total.to_json() != manifest["counts"]:
        return [f"{name}: ledger {relative}'s counts differ from the manifest's"]
    return []


def _check_index(layout: Layout, name: str, manifest: dict[str, Any]) -> list[str]:
    """Each index array at its content address, intact, loadable without pickle, and of the sizes
    its part claims; the parts together cover the version's documents."""
    try:
        parts = list(manifest["index"]["parts"])
        covered = sum(int(part["documents"]) for part in parts)
    except (KeyError, TypeError, ValueError):
        return [f"{name}: malformed index entry in {layout.manifest(name)}"]
    problems = []
    for part in parts:
        problems.extend(_check_part(layout, name, part))
    if not problems and covered != manifest["documents"]:
        problems.append(f"{name}: index covers {covered} documents, the version holds {manifest['documents']}")
    return problems


def _check_part(layout: Layout, name: str, part: dict[str, Any]) -> list[str]:
    arrays: dict[str, np.ndarray] = {}
    problems = []
    for key, entry in dict(part.get("arrays") or {}).items():
        array, problem = _load_checked(layout, name, entry)
        if problem:
            problems.append(problem)
        elif array is not None:
            arrays[key] = array
    if problems:
        return problems
    return _check_shapes(name, part, arrays)


def _load_checked(layout: Layout, name: str, entry: Any) -> tuple[np.ndarray | None, str | None]:
    try:
        relative, sha = str(entry["path"]), str(entry["sha256"])
    except (KeyError, TypeError):
        return None, f"{name}: malformed index array entry {entry!r}"
    path = layout.root / relative
    if path != layout.object_path(sha, ARRAY_SUFFIX):
        return None, f"{name}: index array {relative} is not at its content address"
    if not path.is_file():
        return None, f"{name}: index array {relative} is missing"
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha:
        return None, f"{name}: index array {relative} is corrupt (sha256 {actual}, manifest says {sha})"
    try:
        return np.load(path, allow_pickle=False, mmap_mode="r"), None
    except ValueError as exc:
        return None, f"{name}: index array {relative} does not load without pickle: {exc}"


def _check_shapes(name: str, part: dict[str, Any], arrays: dict[str, np.ndarray]) -> list[str]:
    documents = int(part["documents"])
    expected = {"exact": documents, "signatures": documents, "id_offsets": documents + 1}
    problems = [
        f"{name}: index part of {part.get('version')}: {key} has {len(arrays[key])} rows, expected {rows}"
        for key, rows in expected.items() if key in arrays and len(arrays[key]) != rows
    ]
    if "keys" in arrays and "rows" in arrays and arrays["keys"].shape != arrays["rows"].shape:
        problems.append(f"{name}: index part of {part.get('version')}: keys and rows differ in length")
    return problems


def _check_header(layout: Layout, name: str, manifest: dict[str, Any]) -> list[str]:
    problems = []
    if manifest["version"] != name:
        problems.append(f"{name}: {layout.manifest(name)} names itself {manifest['version']!r}")
    parent = manifest["parent"]
    if parent is not None and parent not in layout.complete_versions():
        problems.append(f"{name}: parent {parent!r} is not a version of this store")
    return problems


def _check_shard(layout: Layout, name: str, shard: Any) -> tuple[list[str], int]:
    """Problems with one shard entry, and the number of records it really holds."""
    try:
        relative, sha, documents = str(shard["path"]), str(shard["sha256"]), int(shard["documents"])
    except (KeyError, TypeError, ValueError):
        return [f"{name}: malformed shard entry {shard!r}"], 0
    path = layout.root / relative
    expected = layout.object_path(sha)
    if path != expected:
        return [
            f"{name}: shard {relative} is not at its content address {layout.relative(expected)}"
        ], 0
    if not path.is_file():
        return [f"{name}: shard {relative} is missing"], 0
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != sha:
        return [f"{name}: shard {relative} is corrupt (sha256 {actual}, manifest says {sha})"], 0
    try:
        held = sum(1 for _ in read_shard(path))
    except (zstandard.ZstdError, orjson.JSONDecodeError) as exc:
        return [f"{name}: shard {relative} does not decode: {exc}"], 0
    if held != documents:
        return [f"{name}: shard {relative} holds {held} documents, manifest says {documents}"], held
    return [], held
