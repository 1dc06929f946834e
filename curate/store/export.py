"""`curate export V --format jsonl`: write a version's records as JSON lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

from curate.store.layout import encode_record

if TYPE_CHECKING:
    from curate.store import Store


def export_jsonl(store: Store, version: str, out: BinaryIO) -> int:
    """Write every record of `version` to `out`, one JSON object per line; the number written."""
    count = 0
    for record in store.iter_records(version):
        out.write(encode_record(record))
        count += 1
    return count
