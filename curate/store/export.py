"""`curate export V --format jsonl|parquet`: write a version's records as JSON lines or Parquet.

Both load with the Hugging Face `datasets` library (`load_dataset("json", …)`,
`load_dataset("parquet", …)`). Parquet has one fixed schema so every export of every version
reads alike: the record's scalar fields as columns and `meta`, whose keys vary by input, as a
JSON string column.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final

import orjson

from curate.outputs import named_output, written_whole
from curate.store.layout import encode_record

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from curate.store import Store

# Rows per Parquet row group: large enough to compress well, small enough to keep a writer's
# memory bounded on a corpus of millions of documents.
ROW_GROUP_ROWS: Final = 10_000
# The Parquet columns, in order, and their arrow types (see parquet_schema).
COLUMNS: Final = ("id", "source", "text", "lang", "lang_score", "title", "url", "meta")


def export_jsonl(store: Store, version: str, out: BinaryIO) -> int:
    """Write every record of `version` to `out`, one JSON object per line; the number written."""
    count = 0
    for record in store.iter_records(version):
        out.write(encode_record(record))
        count += 1
    return count


def parquet_schema() -> Any:
    import pyarrow as pa

    return pa.schema([
        ("id", pa.string()), ("source", pa.string()), ("text", pa.string()), ("lang", pa.string()),
        ("lang_score", pa.float64()), ("title", pa.string()), ("url", pa.string()),
        ("meta", pa.string()),
    ])


def export_parquet(store: Store, version: str, path: Path) -> int:
    """Write every record of `version` to the Parquet file `path` (zstd-compressed, one row per
    document, the columns of COLUMNS); the number written. The file appears complete or not at
    all: it is written beside `path` and renamed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    count = 0
    with written_whole(path) as temp:
        with named_output(path):
            writer = pq.ParquetWriter(temp, schema, compression="zstd")
        with contextlib.closing(_NamedParquet(writer, path)) as named:
            for rows in _batches(store.iter_records(version), ROW_GROUP_ROWS):
                named.write(pa.Table.from_pylist(rows, schema=schema))
                count += len(rows)
            if count == 0:
                named.write(schema.empty_table())
    return count


class _NamedParquet:
    """A ParquetWriter whose write errors name the output (reading the store's shards is not wrapped)."""

    def __init__(self, writer: pq.ParquetWriter, shown: Path) -> None:
        self._writer, self._shown = writer, shown

    def write(self, table: pa.Table) -> None:
        with named_output(self._shown):
            self._writer.write_table(table)

    def close(self) -> None:
        with named_output(self._shown):
            self._writer.close()


def _batches(records: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(_row(record))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _row(record: dict[str, Any]) -> dict[str, Any]:
    row = {column: record.get(column) for column in COLUMNS[:-1]}
    row["meta"] = orjson.dumps(record.get("meta") or {}, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    return row
