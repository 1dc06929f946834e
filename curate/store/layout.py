"""Where things live in a store folder and how a data shard is encoded (DESIGN.md "Versioned
store").

    <store>/.lock                                   held by the one writer (fcntl.flock)
    <store>/versions/vNNNN/manifest.json            one folder per complete version
    <store>/versions/.tmp-*                         a version being written (never visible)
    <store>/objects/<sha[:2]>/<sha256>.jsonl.zst    content-addressed shards, shared by versions
    <store>/objects/<sha[:2]>/<sha256>.npy          content-addressed dedup index arrays (store/index.py)
    <store>/objects/<sha[:2]>/<sha256>.ledger.jsonl.zst   a version's ledger (store/ledger.py)
    <store>/objects/.tmp-*                          a shard being written

A shard is orjson lines compressed with zstandard level 3, single-threaded, with the content
size in the frame header, so the same records always give the same bytes and the same sha256.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import orjson
import zstandard

from curate.errors import StoreError

VERSION_NAME: Final = re.compile(r"^v(\d{4,})$")
SHARD_SUFFIX: Final = ".jsonl.zst"
ARRAY_SUFFIX: Final = ".npy"
TMP_PREFIX: Final = ".tmp-"
ZSTD_LEVEL: Final = 3
# A shard is closed at whichever comes first; both bound a writer's and a reader's memory.
SHARD_MAX_DOCUMENTS: Final = 10_000
SHARD_MAX_BYTES: Final = 64 * 1024 * 1024


@dataclass(frozen=True)
class Layout:
    """The paths of one store folder."""

    root: Path

    @property
    def versions(self) -> Path:
        return self.root / "versions"

    @property
    def objects(self) -> Path:
        return self.root / "objects"

    @property
    def lock(self) -> Path:
        return self.root / ".lock"

    def manifest(self, version: str) -> Path:
        if not VERSION_NAME.match(version):  # also keeps "../x" from reaching outside the store
            raise StoreError(
                f"{version!r} is not a version name (v0001, v0002, …); `curate versions` lists them"
            )
        return self.versions / version / "manifest.json"

    def object_path(self, sha256: str, suffix: str = SHARD_SUFFIX) -> Path:
        return self.objects / sha256[:2] / f"{sha256}{suffix}"

    def relative(self, path: Path) -> str:
        """A path as stored in a manifest: relative to the store root, with forward slashes."""
        return path.relative_to(self.root).as_posix()

    def version_dirs(self) -> list[str]:
        """Every folder named like a version, complete or not, in version order."""
        if not self.versions.is_dir():
            return []
        names = [entry.name for entry in self.versions.iterdir() if VERSION_NAME.match(entry.name)]
        return sorted(names, key=version_number)

    def complete_versions(self) -> list[str]:
        """The published versions: the version folders that hold a manifest."""
        return [name for name in self.version_dirs() if self.manifest(name).is_file()]


def version_number(name: str) -> int:
    """
    >>> version_number("v0012")
    12
    """
    match = VERSION_NAME.match(name)
    if match is None:
        raise ValueError(f"not a version name: {name!r}")
    return int(match.group(1))


def version_name(number: int) -> str:
    """
    >>> version_name(3)
    'v0003'
    """
    return f"v{number:04d}"


def encode_shard(lines: Iterable[bytes]) -> bytes:
    """Compress JSON lines into shard bytes; deterministic for the same lines."""
    compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_content_size=True, threads=0)
    return compressor.compress(b"".join(lines))


def encode_record(record: dict[str, Any]) -> bytes:
    """One shard line. A lone surrogate (valid in a Python str, impossible in UTF-8) is stored as
    U+FFFD rather than failing the commit of a whole run at its last moment."""
    try:
        return orjson.dumps(record) + b"\n"
    except orjson.JSONEncodeError:
        return orjson.dumps(without_surrogates(record)) + b"\n"


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def without_surrogates(value: Any) -> Any:
    """`value` (JSON-like) with every lone surrogate in its strings and keys replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {without_surrogates(key): without_surrogates(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [without_surrogates(item) for item in value]
    return value


def read_shard(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a shard file, streamed."""
    with path.open("rb") as raw, zstandard.ZstdDecompressor().stream_reader(raw) as reader:
        for line in io.BufferedReader(reader):
            if line.strip():
                yield orjson.loads(line)


def read_verified_shard(path: Path, sha256: str, *, name: str = "") -> Iterator[dict[str, Any]]:
    """The records of a shard whose bytes hash to `sha256`; StoreError (naming the shard, the expected
    and the actual hash) before any record is yielded if they do not, so a damaged shard is never
    half exported or compared. Shards are capped at SHARD_MAX_BYTES, so reading one whole is bounded."""
    where = f"{name}: " if name else ""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StoreError(f"{where}shard {path} is missing; run `curate verify`") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise StoreError(f"{where}shard {path} is damaged (sha256 {actual}, manifest says {sha256}); "
                         "run `curate verify`") from None
    with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)) as reader:
        for line in io.BufferedReader(reader):
            if line.strip():
                yield orjson.loads(line)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new entry in `path` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dir(path: Path) -> None:
    """Create `path` (and parents) durably: fsync each parent that gained an entry."""
    if path.is_dir():
        return
    make_dir(path.parent)
    path.mkdir(exist_ok=True)
    fsync_dir(path.parent)

