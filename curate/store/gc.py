"""`curate gc`: find, and on request delete, what no version of the store needs.

Garbage is an object file (shard or index array) whose store-relative path no manifest mentions
anywhere in its JSON, plus temp files and folders left by runs that were killed. The whole scan
and any deletion happen under the store's writer lock: an object a running `curate clean` has
just written is unreferenced until it commits, so gc never runs beside a writer. A manifest that
does not parse may hide references, so gc then refuses rather than guess.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from curate.errors import StoreError
from curate.store.layout import TMP_PREFIX, Layout
from curate.store.lock import store_lock

if TYPE_CHECKING:
    from curate.store import Store


@dataclass(frozen=True)
class Garbage:
    """What gc found: paths (absolute, sorted), their total size, and whether they were deleted."""

    paths: tuple[Path, ...]
    bytes: int
    deleted: bool


def collect_garbage(store: Store, *, delete: bool = False) -> Garbage:
    """List (and if `delete`, remove) everything no version references. StoreError if a writer
    holds the lock or a manifest cannot be read."""
    layout = store.layout
    if not layout.root.is_dir():
        return Garbage((), 0, False)
    # The writer lock, not waited for: a run in progress means gc should be tried again later.
    with store_lock(layout, "is locked by a running curate command{holder}; run gc again when it has finished"):
        referenced = referenced_paths(layout)
        found = sorted(_unreferenced(layout, referenced))
        size = sum(_size(path) for path in found)
        if delete:
            for path in found:
                _remove(path)
    return Garbage(tuple(found), size, delete)


def referenced_paths(layout: Layout) -> set[str]:
    """Every string in any manifest that names something under objects/ (shards, index arrays,
    and whatever a later format adds), as store-relative paths."""
    referenced: set[str] = set()
    for name in layout.complete_versions():
        path = layout.manifest(name)
        try:
            manifest = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise StoreError(
                f"{path}: cannot read this manifest ({exc}); it may reference objects, so gc deletes "
                "nothing. Run `curate verify`."
            ) from None
        referenced.update(s for s in _strings(manifest) if s.startswith("objects/"))
    return referenced


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _unreferenced(layout: Layout, referenced: set[str]) -> Iterator[Path]:
    if layout.objects.is_dir():
        for path in layout.objects.rglob("*"):
            if path.is_file() and layout.relative(path) not in referenced:
                yield path
    if layout.versions.is_dir():
        yield from (p for p in layout.versions.iterdir() if p.name.startswith(TMP_PREFIX))


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
