"""Writing document records as JSON Lines (UTF-8, one object per line), to a file or stdout."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import orjson

from curate.document import Document


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
    """`-` is stdout; anything else a file written in full or not at all (temp file + rename)."""
    if str(path) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    temp = target.with_name(f".{target.name}.tmp")
    try:
        with temp.open("wb") as stream:
            yield stream
        temp.replace(target)
    finally:
        temp.unlink(missing_ok=True)
