"""Readers on hostile inputs, one case at a time: the reason code, the record and the accounting.

The whole-run version of these cases is tests/hostile/test_hostile_run.py; these pin each reader's
own answer so a regression names the reader.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import orjson
import pytest
import zstandard

from curate import reasons
from curate.document import Document, Failed
from curate.inputs import ReadOptions, discover, file_digest, read_file, read_jsonl_stream
from curate.inputs.compression import MAX_RATIO, MIN_BOMB_BYTES, iter_chunks
from curate.inputs.text import looks_binary
from curate.pipeline import Ledger, run_steps

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def read(path: Path, options: ReadOptions = ReadOptions()) -> list[Document | Failed]:
    [file] = discover([path])
    return list(read_file(file, options))


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- bytes that are not what the name says ---------------------------------------------------------

def test_a_binary_file_named_html_fails_instead_of_becoming_text(tmp_path: Path) -> None:
    path = write(tmp_path / "photo.html", PNG)
    [failed] = read(path)
    assert isinstance(failed, Failed) and failed.reason == reasons.UNREADABLE and failed.record is None
    assert failed.message.startswith(f"{path.as_posix()}: binary data, not HTML")


def test_a_binary_file_named_jsonl_is_one_failure_not_one_per_line(tmp_path: Path) -> None:
    path = write(tmp_path / "blob.jsonl", bytes(range(256)) * 64)  # 64 "lines" of binary
    [failed] = read(path)
    assert isinstance(failed, Failed) and failed.reason == reasons.UNREADABLE and failed.record is None
    assert "binary data, not JSON Lines" in failed.message and path.as_posix() in failed.message


def test_a_stray_nul_in_text_keeps_the_document(tmp_path: Path) -> None:
    [doc] = read(write(tmp_path / "a.txt", b"Scraped text with a stray\x00 NUL byte. " + b"More words. " * 9))
    assert isinstance(doc, Document) and "stray\x00 NUL" in doc.text  # repair removes it, with an event


@pytest.mark.parametrize("data, binary", [
    (b"plain words\n" * 100, False),
    (b"words " * 100 + b"\x00" + b"words " * 100, False),  # one stray NUL
    ("Grüße".encode("utf-16"), False),  # NULs of UTF-16 behind its byte-order mark
    (PNG, True),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(32)) * 4, True),
    ("wide text without a mark".encode("utf-16-le"), True),  # every other byte a NUL
])
def test_looks_binary(data: bytes, binary: bool) -> None:
    assert looks_binary(data) is binary


def test_text_that_is_not_a_warc_fails_at_byte_0_instead_of_reading_as_nothing(tmp_path: Path) -> None:
    # warcio reads a first line of words as an ARC header and yields a record of nothing
    path = write(tmp_path / "notes.warc", b"this is not a warc at all")
    [failed] = read(path)
    assert isinstance(failed, Failed) and (failed.reason, failed.record) == (reasons.UNREADABLE, "0")
    assert "not a WARC record" in failed.message


# --- JSONL encodings --------------------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_jsonl_with_a_wide_byte_order_mark_is_transcoded(tmp_path: Path, codec: str) -> None:
    text = '{"text": "Grüße aus Köln"}\n{"text": "second \u2028 record"}\n'
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    items = read(write(tmp_path / "wide.jsonl", data))
    assert [d.text for d in items if isinstance(d, Document)] == ["Grüße aus Köln", "second \u2028 record"]


def test_utf16_jsonl_streamed_in_small_pieces_reads_the_same(tmp_path: Path) -> None:
    data = '{"text": "ä"}\n{"text": "ö"}\n'.encode("utf-16")
    compressed = b"".join(zstandard.ZstdCompressor().compress(data[i:i + 3]) for i in range(0, len(data), 3))
    items = read(write(tmp_path / "wide.jsonl.zst", compressed))  # many frames, pieces split mid-character
    assert [d.text for d in items if isinstance(d, Document)] == ["ä", "ö"]


def test_broken_utf16_jsonl_keeps_the_lines_before_and_names_the_place(tmp_path: Path) -> None:
    data = '{"text": "a"}\n'.encode("utf-16") + b"\x00\xd8" + '{"text": "b"}\n'.encode("utf-16-le")
    items = read(write(tmp_path / "wide.jsonl", data))
    assert isinstance(items[0], Document) and items[0].text == "a"
    [failed] = items[1:]
    assert isinstance(failed, Failed) and (failed.reason, failed.record) == (reasons.UNREADABLE, "2")
    assert "broken UTF-16" in failed.message


def test_a_lone_surrogate_escape_becomes_a_replacement_character(tmp_path: Path) -> None:
    line = b'{"text": "before \\ud800 after", "title": "\\udfff"}\n{"text": "pair \\ud83d\\ude00"}\n'
    first, second = read(write(tmp_path / "a.jsonl", line))
    assert isinstance(first, Document) and first.text == "before \ufffd after" and first.title == "\ufffd"
    assert first.meta["lone_surrogates"] == 2
    assert isinstance(second, Document) and second.text == "pair \U0001F600" and "lone_surrogates" not in second.meta
    orjson.dumps(first.text)  # writable as UTF-8, which the raw surrogate is not


def test_a_lone_surrogate_does_not_let_other_bad_json_through() -> None:
    stream = b'{"text": "\\ud800", "n": NaN}\n{"text": "\\ud800" \n["\\ud800"]\n'
    items = list(read_jsonl_stream(__import__("io").BytesIO(stream)))
    assert [(i.reason, i.record) for i in items if isinstance(i, Failed)] == [
        (reasons.BAD_JSON, "1"), (reasons.BAD_JSON, "2"), (reasons.BAD_JSON, "3")]


def test_invalid_utf8_in_a_jsonl_line_says_so_and_where(tmp_path: Path) -> None:
    [failed, doc] = read(write(tmp_path / "a.jsonl", b'{"text": "caf\xe9"}\n{"text": "ok"}\n'))
    assert isinstance(failed, Failed) and (failed.reason, failed.record) == (reasons.BAD_JSON, "1")
    assert "not valid UTF-8 (byte 0xe9 at byte 13 of the line)" in failed.message
    assert isinstance(doc, Document) and doc.text == "ok"


def test_ids_beyond_64_bits_stay_exact_and_distinct(tmp_path: Path) -> None:
    # orjson reads both as the float 1.8446744073709552e+19: the two documents would share one id
    data = b'{"id": 18446744073709551616, "text": "a"}\n{"id": 18446744073709551617, "text": "b"}\n'
    first, second = read(write(tmp_path / "a.jsonl", data))
    assert isinstance(first, Document) and isinstance(second, Document)
    assert (first.id, second.id) == ("18446744073709551616", "18446744073709551617")


@pytest.mark.parametrize("line, why", [
    (b'{"text": "x", "n": ' + b"9" * 5000 + b"}", "number"),
    (b"[" * 100_000 + b"]" * 100_000, "depth"),
    (b'{"text": "raw\x00nul"}', "control character"),
    (b'{"text": NaN}', "unexpected character"),
])
def test_python_json_traps_fail_the_line_and_reading_goes_on(tmp_path: Path, line: bytes, why: str) -> None:
    [failed, doc] = read(write(tmp_path / "a.jsonl", line + b'\n{"text": "next"}\n'))
    assert isinstance(failed, Failed) and (failed.reason, failed.record) == (reasons.BAD_JSON, "1")
    assert why in failed.message
    assert isinstance(doc, Document) and doc.text == "next"


# --- the filesystem ---------------------------------------------------------------------------------

def test_fifos_devices_dangling_links_and_loops_are_skipped_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    write(tmp_path / "good.txt", b"words")
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "dangling.txt")
    os.symlink(tmp_path / "b.txt", tmp_path / "a.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    (tmp_path / "sub").mkdir()
    os.symlink("..", tmp_path / "sub" / "up")  # a directory loop: not followed
    with caplog.at_level(logging.WARNING, logger="curate.inputs.discover"):
        files = discover([tmp_path])
    assert [f.path.name for f in files] == ["good.txt"]
    warned = "\n".join(caplog.messages)
    assert f"skipping {tmp_path}/pipe.txt: a FIFO, not a regular file" in warned
    assert f"skipping {tmp_path}/zero.txt: a device, not a regular file" in warned
    assert f"skipping {tmp_path}/dangling.txt: a symbolic link that leads nowhere" in warned
    assert f"skipping {tmp_path}/a.txt: a symbolic link that leads nowhere (Too many levels of symbolic links)" in warned


def test_file_digest_of_a_file_that_cannot_be_read_does_not_raise(tmp_path: Path) -> None:
    assert file_digest(tmp_path) == ("", 0)  # a folder: open() fails as it does on a mode-000 file


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads mode-000 files; tests/hostile runs this case "
                                               "without the capabilities that allow it")
def test_a_mode_000_file_fails_by_name(tmp_path: Path) -> None:
    path = write(tmp_path / "locked.txt", b"words")
    path.chmod(0)
    [failed] = read(path)
    assert isinstance(failed, Failed) and failed.reason == reasons.UNREADABLE
    assert file_digest(path) == ("", 0)


# --- accounting -------------------------------------------------------------------------------------

def test_accounting_holds_over_every_kind_of_bad_jsonl(tmp_path: Path) -> None:
    lines = [b'{"text": "a"}', b"\xef\xbb\xbf", b"[]", b'{"text": 1}', b'{"text": "\\ud800"}', b"{",
             b'{"text": "caf\xe9"}', b"", b'{"html": "<p>b</p>"}']
    path = write(tmp_path / "a.jsonl", b"\n".join(lines))
    [file] = discover([path])
    ledger = Ledger()
    list(run_steps(read_file(file), [], ledger))
    counts = ledger.total
    assert counts.read == counts.kept + sum(counts.dropped.values()) + sum(counts.failed.values())
    assert (counts.read, counts.kept) == (8, 3) and dict(counts.failed) == {reasons.BAD_JSON: 4,
                                                                            reasons.BAD_RECORD: 1}


# --- decompression bombs ----------------------------------------------------------------------------

def gzip_spaces(size: int) -> bytes:
    """`size` spaces gzipped (about 1000:1; zeros would be refused sooner, as binary data)."""
    import gzip
    import io

    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as writer:
        for _ in range(size >> 20):
            writer.write(b" " * (1 << 20))
    return out.getvalue()


def test_a_gzip_bomb_in_jsonl_stops_with_decompression_limit_after_the_records_before(tmp_path: Path) -> None:
    import gzip

    head = gzip.compress(b'{"text": "before"}\n', mtime=0)
    path = write(tmp_path / "bomb.jsonl.gz", head + gzip_spaces(40 << 20))  # two members: record, then zeros
    doc, failed = read(path)
    assert isinstance(doc, Document) and doc.text == "before"
    assert isinstance(failed, Failed) and (failed.reason, failed.record) == (reasons.DECOMPRESSION_LIMIT, "2")
    assert "decompression bomb" in failed.message and "more than 500:1" in failed.message


def test_a_zstd_bomb_page_is_refused_without_inflating_it_whole(tmp_path: Path) -> None:
    import tracemalloc

    cctx = zstandard.ZstdCompressor(write_content_size=True)
    path = tmp_path / "bomb.txt.zst"
    with open(path, "wb") as out, cctx.stream_writer(out, size=1 << 30) as writer:
        for _ in range(64):  # 1 GiB of zeros in about 32 KB
            writer.write(bytes(16 << 20))
    tracemalloc.start()
    try:
        [failed] = read(path)
        peak_mib = tracemalloc.get_traced_memory()[1] / (1 << 20)
    finally:
        tracemalloc.stop()
    assert isinstance(failed, Failed) and failed.reason == reasons.DECOMPRESSION_LIMIT
    assert peak_mib < 200  # zstd's decompress() would have returned the whole GiB in one call


def test_compressible_text_over_the_bomb_floor_reads_whole(tmp_path: Path) -> None:
    data = b"".join(b'{"text": "record %d of a repetitive but real file"}\n' % i for i in range(800_000))
    compressed = zstandard.ZstdCompressor().compress(data)
    assert len(data) > MIN_BOMB_BYTES and 50 < len(data) / len(compressed) < MAX_RATIO  # 40 MiB at ~70:1
    path = write(tmp_path / "big.jsonl.zst", compressed)
    assert b"".join(iter_chunks(path, "zst")) == data
