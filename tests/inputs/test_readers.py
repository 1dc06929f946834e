"""read_file / read_inputs / read_jsonl_stream: every format, ids, sources, and every failure path."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
import zstandard

from curate import reasons
from curate.document import Document, Failed
from curate.inputs import (
    ReadOptions,
    discover,
    file_digest,
    read_file,
    read_inputs,
    read_jsonl_stream,
)

DATA = Path(__file__).parent.parent / "data"


def read_one(path: Path, options: ReadOptions = ReadOptions()) -> list[Document | Failed]:
    [file] = discover([path])
    return list(read_file(file, options))


def docs(items: list[Document | Failed]) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def failures(items: list[Document | Failed]) -> list[Failed]:
    return [i for i in items if isinstance(i, Failed)]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_txt_file_is_one_document_named_by_its_source(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Title\r\n\r\nBody ünïcode.\r\n".encode())
    [doc] = read_one(path)
    assert isinstance(doc, Document)
    assert (doc.id, doc.source, doc.text) == (path.as_posix(), path.as_posix(), "Title\n\nBody ünïcode.\n")
    assert doc.meta["format"] == "text" and doc.meta["encoding"] == "utf-8"


def test_txt_bom_is_stripped(tmp_path: Path) -> None:
    [doc] = read_one(write(tmp_path / "a.txt", b"\xef\xbb\xbfHello"))
    assert isinstance(doc, Document) and doc.text == "Hello"


def test_html_file_keeps_the_page_and_declared_charset(tmp_path: Path) -> None:
    [doc] = read_one(DATA / "html" / "cp1252_declared.html")
    assert isinstance(doc, Document)
    assert doc.text == "" and doc.html is not None and "coûte 3,50 €" in doc.html
    assert doc.meta["format"] == "html" and doc.meta["encoding"] == "cp1252"


@pytest.mark.parametrize("suffix, compress", [(".gz", gzip.compress),
                                              (".zst", zstandard.ZstdCompressor().compress)])
def test_compressed_txt_reads(tmp_path: Path, suffix: str, compress) -> None:  # type: ignore[no-untyped-def]
    [doc] = read_one(write(tmp_path / f"a.txt{suffix}", compress("hé".encode())))
    assert isinstance(doc, Document) and doc.text == "hé"


def test_jsonl_records_map_fields_ids_and_meta() -> None:
    path = DATA / "jsonl" / "mixed.jsonl"
    first, second, _, page, *_ = read_one(path)
    source = path.as_posix()
    assert isinstance(first, Document) and isinstance(second, Document) and isinstance(page, Document)
    assert (first.id, first.source, first.text) == ("a1", source, "First record.")
    assert (first.url, first.title, first.lang) == ("https://example.org/a", "A", "en")
    assert dict(first.meta) == {"crawl": "2026-01", "format": "jsonl", "record": 1}
    assert second.id == f"{source}#2" and second.meta["record"] == 2
    assert (page.id, page.html, page.text, page.meta["record"]) == ("h1", "<p>Page</p>", "", 4)


def test_bad_jsonl_lines_fail_by_line_and_reading_goes_on() -> None:
    items = read_one(DATA / "jsonl" / "mixed.jsonl")
    failed = {f.record: f.reason for f in failures(items)}
    assert failed == {"3": reasons.BAD_JSON, "6": reasons.BAD_JSON, "7": reasons.BAD_RECORD,
                      "8": reasons.BAD_RECORD}
    assert [d.id for d in docs(items)][-1] == "last"  # the line after the failures, without newline


def test_failure_message_names_file_and_line_and_what_to_do() -> None:
    bad = failures(read_one(DATA / "jsonl" / "mixed.jsonl"))
    assert bad[0].source.endswith("mixed.jsonl")
    assert "mixed.jsonl:3: not valid JSON" in bad[0].message and "fix or remove this line" in bad[0].message
    assert "field 'text' holds a int" in bad[2].message


def test_jsonl_line_with_u2028_is_one_record(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", '{"text": "one\u2028two"}\n{"text": "three"}\n'.encode())
    assert [d.text for d in docs(read_one(path))] == ["one\u2028two", "three"]


def test_jsonl_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", b'\xef\xbb\xbf{"text": "a"}\r\n{"text": "b"}\r\n')
    assert [d.text for d in docs(read_one(path))] == ["a", "b"]


def test_jsonl_field_names_are_configurable(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", b'{"key": "k1", "body": "words"}\n')
    [doc] = read_one(path, ReadOptions(text_field="body", id_field="key"))
    assert isinstance(doc, Document) and (doc.id, doc.text) == ("k1", "words")


@pytest.mark.parametrize("suffix, compress", [(".gz", gzip.compress),
                                              (".zst", zstandard.ZstdCompressor().compress)])
def test_compressed_jsonl_reads(tmp_path: Path, suffix: str, compress) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / f"a.jsonl{suffix}", compress(b'{"text": "a"}\n{"text": "b"}\n'))
    assert [d.text for d in docs(read_one(path))] == ["a", "b"]


def test_multi_frame_zst_reads_every_frame(tmp_path: Path) -> None:
    cctx = zstandard.ZstdCompressor()
    path = write(tmp_path / "a.jsonl.zst", cctx.compress(b'{"text": "a"}\n') + cctx.compress(b'{"text": "b"}\n'))
    assert [d.text for d in docs(read_one(path))] == ["a", "b"]


def many_lines(n: int) -> bytes:
    return b"".join(b'{"text": "record number %d with some padding text"}\n' % i for i in range(n))


@pytest.mark.parametrize("suffix, compress", [(".gz", gzip.compress),
                                              (".zst", zstandard.ZstdCompressor().compress)])
def test_truncated_jsonl_keeps_records_before_the_cut_then_fails(tmp_path: Path, suffix: str,
                                                                   compress) -> None:  # type: ignore[no-untyped-def]
    data = compress(many_lines(20000))
    items = read_one(write(tmp_path / f"a.jsonl{suffix}", data[: len(data) // 2]))
    assert isinstance(items[-1], Failed) and items[-1].reason == reasons.UNREADABLE
    assert "truncated" in items[-1].message and "a.jsonl" in items[-1].message
    assert 0 < len(docs(items)) < 20000 and len(failures(items)) == 1


@pytest.mark.parametrize("suffix, compress", [(".gz", gzip.compress),
                                              (".zst", zstandard.ZstdCompressor().compress)])
def test_truncated_page_is_one_unreadable_failure(tmp_path: Path, suffix: str, compress) -> None:  # type: ignore[no-untyped-def]
    data = compress(b"<p>" + b"words " * 50000 + b"</p>")
    [item] = read_one(write(tmp_path / f"a.html{suffix}", data[:-20]))
    assert isinstance(item, Failed) and item.reason == reasons.UNREADABLE and item.record is None


def test_file_that_is_not_gzip_is_unreadable(tmp_path: Path) -> None:
    [item] = read_one(write(tmp_path / "a.txt.gz", b"plain text, not gzip"))
    assert isinstance(item, Failed) and item.reason == reasons.UNREADABLE


def test_read_inputs_reads_files_in_order(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", b"second")
    write(tmp_path / "a.txt", b"first")
    assert [d.text for d in docs(list(read_inputs(discover([tmp_path]))))] == ["first", "second"]


def test_stream_records_keep_their_own_source_and_provenance() -> None:
    line = (b'{"id": "x", "source": "crawl/page.html", "text": "t", "meta": {"record": 9, "format": "html"},'
            b' "provenance": [{"step": "extract", "action": "drop_element", "rule": "extract.tag",'
            b' "span": null, "text": "Menu"}]}\n')
    [doc] = list(read_jsonl_stream(io.BytesIO(line)))
    assert isinstance(doc, Document)
    assert (doc.source, doc.meta["record"], doc.meta["format"]) == ("crawl/page.html", 9, "html")
    assert doc.provenance[0].rule == "extract.tag"


def test_stream_failure_names_the_stream() -> None:
    [item] = list(read_jsonl_stream(io.BytesIO(b"{oops\n")))
    assert isinstance(item, Failed) and (item.source, item.record) == ("-", "1")


def test_file_digest_is_sha256_and_size(tmp_path: Path) -> None:
    digest, size = file_digest(write(tmp_path / "a.txt", b"abc"))
    assert (digest[:12], size) == ("ba7816bf8f01", 3)


def test_a_binary_file_named_txt_fails_as_unreadable(tmp_path: Path) -> None:
    from curate import reasons
    from curate.inputs import discover, read_inputs

    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    [failed] = list(read_inputs(discover([str(path)])))
    assert isinstance(failed, Failed) and failed.reason == reasons.UNREADABLE
    assert "binary data" in failed.message and str(path) in failed.message


def test_utf16_text_with_a_bom_is_not_binary(tmp_path: Path) -> None:
    from curate.inputs import discover, read_inputs

    path = tmp_path / "wide.txt"
    path.write_bytes("Grüße aus Köln".encode("utf-16"))
    [doc] = list(read_inputs(discover([str(path)])))
    assert isinstance(doc, Document) and doc.text == "Grüße aus Köln"


def test_a_page_over_the_size_cap_fails_too_large(tmp_path: Path) -> None:
    path = write(tmp_path / "big.html", b"<p>" + b"x" * 5000 + b"</p>")
    [failed] = read_one(path, ReadOptions(max_page_bytes=1000))
    assert isinstance(failed, Failed) and failed.reason == reasons.TOO_LARGE
    assert failed.message.startswith(f"{path.as_posix()}: more than 1000 bytes once decompressed")


def test_a_compressed_page_is_capped_after_decompression(tmp_path: Path) -> None:
    path = write(tmp_path / "bomb.txt.gz", gzip.compress(b"a" * 100_000))
    [failed] = read_one(path, ReadOptions(max_page_bytes=10_000))
    assert isinstance(failed, Failed) and failed.reason == reasons.TOO_LARGE


def test_a_jsonl_line_over_the_cap_fails_and_the_next_line_is_read(tmp_path: Path) -> None:
    long = b'{"text": "' + b"y" * 300_000 + b'"}'
    path = write(tmp_path / "long.jsonl", b'{"text": "a"}\n' + long + b'\n{"text": "b"}\n' + long)
    items = read_one(path, ReadOptions(max_page_bytes=100_000))
    assert [type(i).__name__ for i in items] == ["Document", "Failed", "Document", "Failed"]
    assert [i.record for i in failures(items)] == ["2", "4"]
    assert all(i.reason == reasons.TOO_LARGE for i in failures(items))
    assert [d.text for d in docs(items)] == ["a", "b"]


def test_long_jsonl_lines_under_the_cap_read_whole(tmp_path: Path) -> None:
    text = "z" * 200_000  # spans several read chunks
    path = write(tmp_path / "ok.jsonl", b'{"text": "' + text.encode() + b'"}\n{"text": "c"}')
    assert [d.text for d in docs(read_one(path))] == [text, "c"]
