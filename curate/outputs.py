"""Writing document records as JSON Lines (UTF-8, one object per line), to a file or stdout."""

from __future__ import annotations

import contextlib
import io
import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from curate.document import Document
from curate.errors import OutputError


def dumps_record(doc: Document, *, provenance: bool = True) -> bytes:
    """One JSONL line of the record (with `html` when the document still has it)."""
    record = doc.to_json(provenance=provenance, html=True)
    try:
        return orjson.dumps(record) + b"\n"
    except orjson.JSONEncodeError:
        # Lone surrogates (valid in a Python str, impossible in UTF-8) make orjson refuse the record;
        # write them as U+FFFD rather than lose the document or emit invalid UTF-8.
        return json.dumps(record, ensure_ascii=False).encode("utf-8", "replace") + b"\n"


@contextlib.contextmanager
def open_output(path: str | Path) -> Iterator[BinaryIO]:
    """`-` is stdout; anything else a file written in full or not at all (`written_whole`)."""
    if str(path) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with written_whole(Path(path)) as temp, _OutputFile(temp, path) as stream:
        yield stream


@contextlib.contextmanager
def written_whole(target: Path) -> Iterator[Path]:
    """A path to write `target` through: a temp file beside it, renamed over it once the block ends,
    removed if it fails. A target that is not a regular file (a device, a named pipe) is written as
    it is. An OSError (no folder, a folder in the way, a full disk) is an OutputError naming `target`."""
    if _special(target):
        yield target
        return
    temp = target.with_name(f".{target.name}.tmp")
    try:
        yield temp
        with named_output(target):
            temp.replace(target)
    finally:
        temp.unlink(missing_ok=True)


class _OutputFile(io.BufferedWriter):
    """A file whose write errors (a full disk, a file too large) name the output, not the temp file;
    errors of the caller's own work (reading inputs) pass as they are."""

    def __init__(self, path: Path, shown: str | Path) -> None:
        self._shown = shown
        with named_output(shown):
            super().__init__(io.FileIO(path, "wb"))

    def write(self, data: Any) -> int:
        with named_output(self._shown):
            return super().write(data)

    def flush(self) -> None:
        with named_output(self._shown):
            super().flush()

    def close(self) -> None:
        with named_output(self._shown):
            super().close()


def _special(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextlib.contextmanager
def named_output(target: str | Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"{target}: cannot write the output: {reason}") from exc
