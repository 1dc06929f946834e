"""Read Parquet files (.parquet) with pyarrow: one document per row, in batches of rows.

The columns named by ReadOptions hold the page (`html_field`, which wins when both are set, or
`text_field`) and the id (`id_field`; else the id is `<source>#<row>`, rows counted from 0 as pyarrow
and DuckDB count them). `url`, `title`, `lang` and `lang_score` map to the record fields like JSONL;
every other column of a JSON-able scalar type (strings, numbers, booleans, dates and timestamps as ISO
text) goes to `meta`, and nested or binary columns are left out. Rows are read batch by batch and never
as one table, so memory stays bounded by a batch and a row group whatever the file's size.
"""

from __future__ import annotations

import datetime
import logging
import math
from collections.abc import Iterator
from typing import Any, Final

import pyarrow as pa
import pyarrow.parquet as pq

from curate import reasons
from curate.document import Document, Failed, JSONValue
from curate.inputs.discover import InputFile
from curate.inputs.encoding import decode_bytes
from curate.inputs.options import ReadOptions, size_text

log = logging.getLogger(__name__)

# Rows per batch: pages average ~100 KB of HTML, so a batch stays in the tens of MB.
BATCH_ROWS: Final = 256
_FIELDS: Final = ("url", "title", "lang")


def read_parquet(file: InputFile, options: ReadOptions = ReadOptions()) -> Iterator[Document | Failed]:
    """Documents of a Parquet file's rows; a Failed for a row without a page, or for the whole file.

    A file without the page columns, or whose page column is not text, is one Failed naming the
    columns it has; a file that cannot be read past some row keeps the rows before it.
    """
    try:
        parquet = pq.ParquetFile(file.path)
    except (pa.ArrowException, OSError) as exc:
        yield Failed(file.source, None, reasons.UNREADABLE,
                     f"{file.source}: not a readable Parquet file ({exc}); re-download or rewrite it")
        return
    with parquet:
        schema = parquet.schema_arrow
        problem = _schema_problem(schema, options)
        if problem:
            yield Failed(file.source, None, reasons.BAD_RECORD, f"{file.source}: {problem}")
            return
        yield from _rows(parquet, _columns(schema, options), file.source, options)


def _schema_problem(schema: pa.Schema, options: ReadOptions) -> str | None:
    """Why the file's columns cannot give pages, or None when they can."""
    has = ", ".join(repr(name) for name in schema.names) or "none"
    pages = [name for name in (options.html_field, options.text_field) if name in schema.names]
    if not pages:
        return (f"no column {options.text_field!r} or {options.html_field!r} (its columns: {has}); "
                "name the right ones with --text-field/--html-field")
    for name in pages:
        kind = schema.field(name).type
        if not (_is_text(kind) or _is_binary(kind)):
            return (f"column {name!r} holds {kind}, not text (its columns: {has}); name the page "
                    "column with --text-field/--html-field")
    return None


def _columns(schema: pa.Schema, options: ReadOptions) -> list[str]:
    """The columns to read: the page and id columns, and every other column of a JSON-able type."""
    wanted = []
    for field in schema:
        if field.name in (options.html_field, options.text_field, options.id_field) or _is_scalar(field.type):
            wanted.append(field.name)
        else:
            log.debug("column %r (%s) left out of meta: not a JSON scalar", field.name, field.type)
    return wanted


def _rows(parquet: pq.ParquetFile, columns: list[str], source: str,
          options: ReadOptions) -> Iterator[Document | Failed]:
    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=columns, use_threads=False):
            for values in batch.to_pylist():
                yield _document(values, row, source, options)
                row += 1
    except (pa.ArrowException, OSError) as exc:
        yield Failed(source, str(row), reasons.UNREADABLE,
                     f"{source}: cannot read rows from row {row} on ({exc}); the rows before were read, "
                     "the rest are lost: re-download or rewrite the file")


def _document(values: dict[str, Any], row: int, source: str, options: ReadOptions) -> Document | Failed:
    html, text = values.pop(options.html_field, None), values.pop(options.text_field, None)
    raw_id = values.pop(options.id_field, None)
    doc_id = str(raw_id) if raw_id is not None else f"{source}#{row}"
    page, is_html = (html, True) if html is not None else (text, False)
    if page is None:
        return Failed(source, str(row), reasons.BAD_RECORD,
                      f"{source} row {row}: {options.text_field!r} and {options.html_field!r} are both "
                      "null; fill the row or leave it out", doc_id)
    if len(page) > options.max_page_bytes or (
            isinstance(page, str) and 4 * len(page) > options.max_page_bytes
            and len(page.encode("utf-8", "surrogatepass")) > options.max_page_bytes):
        return Failed(source, str(row), reasons.TOO_LARGE,
                      f"{source} row {row}: page larger than {size_text(options.max_page_bytes)}, the most "
                      "one page may hold; skipped", doc_id)
    meta: dict[str, JSONValue] = {}
    if isinstance(page, bytes):  # a binary page column: the bytes as fetched, so detect the encoding
        decoded = decode_bytes(page, is_html=is_html)
        page = decoded.text
        meta["encoding"] = decoded.encoding
    fields = _fields(values)
    meta.update((name, _json(value)) for name, value in values.items())
    meta.setdefault("format", "parquet")
    meta.setdefault("record", row)
    return Document(id=doc_id, source=source, text="" if is_html else page, html=page if is_html else None,
                    meta=meta, **fields)


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    """Pop the columns that map onto Document fields (string url/title/lang, numeric lang_score)."""
    fields: dict[str, Any] = {n: values.pop(n) for n in _FIELDS if isinstance(values.get(n), str)}
    score = values.get("lang_score")
    if isinstance(score, (int, float)) and not isinstance(score, bool) and math.isfinite(score):
        fields["lang_score"] = float(values.pop("lang_score"))
    return fields


def _json(value: Any) -> JSONValue:
    """A scalar cell as JSON: dates as ISO text, NaN and infinities (not JSON) as null."""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    result: JSONValue = value
    return result


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind)
                or getattr(pa.types, "is_string_view", lambda _: False)(kind))


def _is_binary(kind: pa.DataType) -> bool:
    return bool(pa.types.is_binary(kind) or pa.types.is_large_binary(kind))


def _is_scalar(kind: pa.DataType) -> bool:
    """Types whose values are JSON (or become JSON through `_json`)."""
    t = pa.types
    return bool(_is_text(kind) or t.is_integer(kind)
                or (t.is_floating(kind) and not t.is_float16(kind)) or t.is_boolean(kind)
                or t.is_null(kind) or t.is_timestamp(kind) or t.is_date(kind) or t.is_time(kind))

