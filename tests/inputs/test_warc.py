"""WARC input: which records are documents, ids/url/date, charsets, digests, size bound, truncation."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from curate import reasons
from curate.cli import main
from curate.document import Document, Failed
from curate.inputs import ReadOptions, discover, read_file
from curate.pipeline import Ledger, run_steps

STORY = "<p>" + "The council met on Monday and agreed the new budget for the library. " * 4 + "</p>"


def page(title: str, body: str = STORY) -> bytes:
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>".encode()


def response(writer: WARCWriter, url: str, payload: bytes, content_type: str = "text/html; charset=utf-8",
             status: str = "200 OK") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                  http_headers=headers))


def request(writer: WARCWriter, url: str) -> None:
    headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
    writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                                  http_headers=headers))


def crawl(*, gzip: bool = False) -> bytes:
    """A small crawl: two HTML pages, a request, an image and a 404 page (only the pages are documents)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    request(writer, "http://example.org/a")
    response(writer, "http://example.org/a", page("First"))
    response(writer, "http://example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
    response(writer, "http://example.org/gone", page("Not found"), status="404 Not Found")
    response(writer, "http://example.org/b", page("Second"), "application/xhtml+xml")
    return buffer.getvalue()


def read(path: Path, options: ReadOptions = ReadOptions()) -> list[Document | Failed]:
    [file] = discover([path])
    return list(read_file(file, options))


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def record_ids(data: bytes) -> list[str]:
    """The WARC-Record-IDs of the HTML response records, read back with warcio itself."""
    from warcio.archiveiterator import ArchiveIterator

    return [r.rec_headers.get_header("WARC-Record-ID").strip("<>") for r in ArchiveIterator(io.BytesIO(data))
            if r.rec_type == "response" and "html" in (r.http_headers.get_header("Content-Type") or "")
            and r.http_headers.get_statuscode() == "200"]


def test_html_responses_become_documents_and_other_records_are_skipped(tmp_path: Path) -> None:
    data = crawl()
    items = read(write(tmp_path / "crawl.warc", data))
    assert all(isinstance(item, Document) for item in items)
    assert [d.url for d in items if isinstance(d, Document)] == ["http://example.org/a",
                                                                 "http://example.org/b"]
    assert [d.id for d in items] == record_ids(data)


def test_a_document_keeps_page_source_date_status_and_offset(tmp_path: Path) -> None:
    path = write(tmp_path / "crawl.warc", crawl())
    doc = read(path)[0]
    assert isinstance(doc, Document)
    assert doc.source == path.as_posix() and doc.text == "" and doc.html is not None
    assert "<h1>First</h1>" in doc.html
    assert doc.meta["format"] == "warc" and doc.meta["http_status"] == 200
    assert doc.meta["content_type"] == "text/html; charset=utf-8" and doc.meta["encoding"] == "utf-8"
    assert str(doc.meta["warc_date"]).startswith("20") and isinstance(doc.meta["record"], int)


def test_ids_are_stable_across_reads(tmp_path: Path) -> None:
    path = write(tmp_path / "crawl.warc", crawl())
    assert [d.id for d in read(path) if isinstance(d, Document)] == [d.id for d in read(path)
                                                                      if isinstance(d, Document)]


def test_gzipped_warc_reads_the_same_documents(tmp_path: Path) -> None:
    plain = read(write(tmp_path / "crawl.warc", crawl()))
    gzipped = read(write(tmp_path / "crawl.warc.gz", crawl(gzip=True)))
    assert [(d.url, d.html) for d in gzipped if isinstance(d, Document)] == [
        (d.url, d.html) for d in plain if isinstance(d, Document)]
    assert len(gzipped) == 2


def two_pages(*, gzip: bool) -> tuple[bytes, int]:
    """A WARC of two pages, and the byte offset where the second record starts."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    response(writer, "http://example.org/a", page("First"))
    second = buffer.tell()
    response(writer, "http://example.org/b", page("Second"))
    return buffer.getvalue(), second


@pytest.mark.parametrize("gzip", [False, True], ids=["warc", "warc.gz"])
@pytest.mark.parametrize("where", ["payload", "headers"])
def test_truncated_warc_keeps_whole_records_and_fails_the_rest(tmp_path: Path, gzip: bool,
                                                                where: str) -> None:
    data, second = two_pages(gzip=gzip)
    cut = second + (100 if where == "headers" else (len(data) - second) * 3 // 4)
    path = write(tmp_path / ("cut.warc.gz" if gzip else "cut.warc"), data[:cut])
    first, failed = read(path)
    assert isinstance(first, Document) and first.url == "http://example.org/a"
    assert isinstance(failed, Failed) and failed.reason == reasons.UNREADABLE
    assert failed.record == str(second)
    assert failed.message.startswith(f"{path.as_posix()}: truncated or damaged WARC at byte {second}")
    assert "the rest of the archive was not" in failed.message


def test_a_gzip_member_cut_in_its_trailer_is_reported(tmp_path: Path) -> None:
    data, _ = two_pages(gzip=True)
    items = read(write(tmp_path / "cut.warc.gz", data[:-4]))
    assert [type(i).__name__ for i in items] == ["Document", "Document", "Failed"]
    assert isinstance(items[-1], Failed) and items[-1].reason == reasons.UNREADABLE


def test_a_file_that_is_not_a_warc_is_unreadable(tmp_path: Path) -> None:
    [failed] = read(write(tmp_path / "page.warc", b"<html><p>not an archive</p></html>\n"))
    assert isinstance(failed, Failed) and failed.reason == reasons.UNREADABLE
    assert "Unknown archive format" in failed.message


def test_a_whole_file_gzip_warc_says_how_to_fix_it(tmp_path: Path) -> None:
    import gzip

    items = read(write(tmp_path / "one-member.warc.gz", gzip.compress(crawl())))
    assert isinstance(items[-1], Failed) and "warcio recompress" in items[-1].message


def warc_with(payload: bytes, content_type: str) -> bytes:
    buffer = io.BytesIO()
    response(WARCWriter(buffer, gzip=False), "http://example.org/p", payload, content_type)
    return buffer.getvalue()


def test_header_charset_decodes_a_page_without_meta_tag(tmp_path: Path) -> None:
    text = "Le café coûte 3,50 € – déjà vu"
    data = warc_with(f"<html><body><p>{text}</p></body></html>".encode("cp1252"),
                     "text/html; charset=windows-1252")
    [doc] = read(write(tmp_path / "p.warc", data))
    assert isinstance(doc, Document) and doc.html is not None
    assert text in doc.html and doc.meta["encoding"] == "cp1252"


def test_header_charset_shift_jis_is_honoured(tmp_path: Path) -> None:
    text = "東京の図書館は夜十時まで開いています。"
    data = warc_with(f"<html><body><p>{text}</p></body></html>".encode("shift_jis"),
                     'text/html; charset="Shift_JIS"')
    [doc] = read(write(tmp_path / "p.warc", data))
    assert isinstance(doc, Document) and doc.html is not None and text in doc.html


def test_header_charset_wins_over_a_contradicting_meta_tag(tmp_path: Path) -> None:
    text = "Совет утвердил бюджет библиотеки"  # koi8-r bytes also decode (wrongly) as windows-1252
    html = f'<html><head><meta charset="windows-1252"></head><body><p>{text}</p></body></html>'
    data = warc_with(html.encode("koi8-r"), "text/html; charset=KOI8-R")
    [doc] = read(write(tmp_path / "p.warc", data))
    assert isinstance(doc, Document) and doc.html is not None
    assert text in doc.html and doc.meta["encoding"] == "koi8-r"


def test_a_record_whose_digest_does_not_match_fails_and_reading_goes_on(tmp_path: Path) -> None:
    data, second = two_pages(gzip=False)
    spot = data.index(b"First</h1>")
    damaged = data[:spot] + b"Fir5t" + data[spot + 5:]
    bad, good = read(write(tmp_path / "bad.warc", damaged))
    assert isinstance(bad, Failed) and bad.reason == reasons.BAD_RECORD and bad.record == "0"
    assert "digest failed" in bad.message
    assert isinstance(good, Document) and good.url == "http://example.org/b"


def test_a_record_over_the_size_cap_fails_too_large_and_reading_goes_on(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    response(writer, "http://example.org/big", page("Big", STORY * 20))
    response(writer, "http://example.org/small", page("Small", "<p>short</p>"))
    big, small = read(write(tmp_path / "c.warc", buffer.getvalue()), ReadOptions(max_page_bytes=1000))
    assert isinstance(big, Failed) and big.reason == reasons.TOO_LARGE and big.record == "0"
    assert "larger than 1000 bytes" in big.message
    assert isinstance(small, Document) and small.url == "http://example.org/small"


def test_warc_zst_is_not_a_supported_kind(tmp_path: Path) -> None:
    (tmp_path / "x.warc.zst").write_bytes(b"")
    assert discover([tmp_path]) == []


def test_accounting_holds_for_a_damaged_archive(tmp_path: Path) -> None:
    data, second = two_pages(gzip=True)
    items = read(write(tmp_path / "cut.warc.gz", data[: second + 50]))
    ledger = Ledger()
    kept = list(run_steps(items, [], ledger))
    counts = ledger.total
    assert (counts.read, counts.kept, dict(counts.failed)) == (2, 1, {reasons.UNREADABLE: 1})
    assert counts.balanced and len(kept) == 1


def test_clean_stdout_reads_a_warc(tmp_path: Path) -> None:
    path = write(tmp_path / "crawl.warc.gz", crawl(gzip=True))
    result = CliRunner().invoke(main, ["clean", "--stdout", "--no-dedup", "--workers", "1", str(path)])
    assert result.exit_code == 0, result.output
    records = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [r["url"] for r in records] == ["http://example.org/a", "http://example.org/b"]
    assert all("council met on Monday" in r["text"] for r in records)
