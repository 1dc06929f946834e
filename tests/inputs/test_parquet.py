"""Parquet input: text and html columns, custom names, ids, meta, null rows, missing columns, damage."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from curate import reasons
from curate.document import Document, Failed
from curate.inputs import ReadOptions, discover, read_file
from curate.pipeline import Ledger, run_steps


def write(path: Path, columns: dict[str, list[Any]], **kwargs: Any) -> Path:
    pq.write_table(pa.table(columns), path, **kwargs)
    return path


def read(path: Path, options: ReadOptions = ReadOptions()) -> list[Document | Failed]:
    [file] = discover([path])
    assert file.kind == "parquet"
    return list(read_file(file, options))


def test_text_column_rows_are_documents_with_row_ids(tmp_path: Path) -> None:
    path = write(tmp_path / "t.parquet", {"text": ["first page", "second page"]})
    items = read(path)
    assert [(d.id, d.text, d.html) for d in items if isinstance(d, Document)] == [
        (f"{path.as_posix()}#0", "first page", None), (f"{path.as_posix()}#1", "second page", None)]
    assert all(isinstance(d, Document) and d.source == path.as_posix() for d in items)


def test_html_column_rows_carry_the_page(tmp_path: Path) -> None:
    [doc] = read(write(tmp_path / "h.parquet", {"html": ["<p>Hello</p>"], "id": ["page-1"]}))
    assert isinstance(doc, Document)
    assert (doc.id, doc.text, doc.html) == ("page-1", "", "<p>Hello</p>")


def test_custom_field_names_are_used(tmp_path: Path) -> None:
    path = write(tmp_path / "c.parquet", {"body": ["the text"], "key": [42]})
    [doc] = read(path, ReadOptions(text_field="body", id_field="key"))
    assert isinstance(doc, Document) and (doc.id, doc.text) == ("42", "the text")


def test_record_fields_and_scalar_columns_map_like_jsonl(tmp_path: Path) -> None:
    columns = {"text": ["t"], "url": ["http://example.org/"], "lang": ["en"], "words": [3],
               "crawled": [datetime.datetime(2024, 5, 1, 12, 0)], "score": [float("nan")],
               "tags": [["a", "b"]]}
    [doc] = read(write(tmp_path / "m.parquet", columns))
    assert isinstance(doc, Document) and (doc.url, doc.lang) == ("http://example.org/", "en")
    assert dict(doc.meta) == {"words": 3, "crawled": "2024-05-01T12:00:00", "score": None,
                              "format": "parquet", "record": 0}


def test_a_binary_html_column_is_decoded_by_its_declared_charset(tmp_path: Path) -> None:
    html = '<meta charset="windows-1252"><p>Le café coûte 3,50 €</p>'.encode("cp1252")
    [doc] = read(write(tmp_path / "b.parquet", {"html": pa.array([html], pa.binary())}))
    assert isinstance(doc, Document) and doc.html is not None and "café coûte 3,50 €" in doc.html
    assert doc.meta["encoding"] == "cp1252"


def test_a_row_with_null_text_fails_and_the_rest_are_read(tmp_path: Path) -> None:
    path = write(tmp_path / "n.parquet", {"text": ["one", None, "three"]})
    first, failed, third = read(path)
    assert isinstance(failed, Failed) and failed.reason == reasons.BAD_RECORD and failed.record == "1"
    assert failed.message.startswith(f"{path.as_posix()} row 1: 'text' and 'html' are both null")
    assert isinstance(first, Document) and isinstance(third, Document) and third.text == "three"


def test_missing_page_columns_fail_once_naming_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "x.parquet", {"content": ["a", "b"], "n": [1, 2]})
    [failed] = read(path)
    assert isinstance(failed, Failed) and failed.reason == reasons.BAD_RECORD and failed.record is None
    assert failed.message == (f"{path.as_posix()}: no column 'text' or 'html' (its columns: 'content', "
                              "'n'); name the right ones with --text-field/--html-field")


def test_a_page_column_that_is_not_text_fails_once(tmp_path: Path) -> None:
    [failed] = read(write(tmp_path / "i.parquet", {"text": [1, 2]}))
    assert isinstance(failed, Failed) and "column 'text' holds int64, not text" in failed.message


def test_rows_are_read_across_row_groups_and_batches(tmp_path: Path) -> None:
    texts = [f"page {i}" for i in range(600)]
    path = write(tmp_path / "g.parquet", {"text": texts}, row_group_size=100)
    assert [d.text for d in read(path) if isinstance(d, Document)] == texts


def test_a_cell_over_the_size_cap_fails_too_large(tmp_path: Path) -> None:
    path = write(tmp_path / "s.parquet", {"text": ["x" * 2000, "small"]})
    big, small = read(path, ReadOptions(max_page_bytes=1000))
    assert isinstance(big, Failed) and big.reason == reasons.TOO_LARGE and big.record == "0"
    assert isinstance(small, Document) and small.text == "small"


def test_a_file_that_is_not_parquet_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "fake.parquet"
    path.write_bytes(b"id,text\n1,hello\n")
    [failed] = read(path)
    assert isinstance(failed, Failed) and failed.reason == reasons.UNREADABLE
    assert failed.message.startswith(f"{path.as_posix()}: not a readable Parquet file")


def test_accounting_holds_for_good_and_bad_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "a.parquet", {"text": ["one", None, "three", None]})
    ledger = Ledger()
    kept = list(run_steps(read(path), [], ledger))
    counts = ledger.per_source[path.as_posix()]
    assert (counts.read, counts.kept, dict(counts.failed)) == (4, 2, {reasons.BAD_RECORD: 2})
    assert counts.balanced and len(kept) == 2
