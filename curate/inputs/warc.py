"""Read WARC archives (.warc, .warc.gz) with warcio: one document per HTML response record.

Only `response` records with HTTP headers, a 2xx status and an HTML content type (text/html,
application/xhtml+xml) are documents; requests, metadata, revisits, redirects, error pages and images
are not, and are skipped without being counted (logged at debug). A document's id is its
WARC-Record-ID, `url` the WARC-Target-URI, and `meta.record` the record's byte offset in the file (in the
compressed file for .warc.gz, as CDX indexes count it), so a failure names a place `warcio extract` finds.

warcio ends a damaged archive quietly: a record cut short comes back with its payload short, a cut
inside a record's headers or gzip member just ends the iteration (webrecorder/warcio#138). So every
record is read to its end and checked against its Content-Length, the stop position is compared with
the file size, and the last gzip member must have ended; any of these gives one Failed(unreadable)
naming the offset, after the whole records before it.
"""

from __future__ import annotations

import logging
import os
import re
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO, Final

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from curate import reasons
from curate.document import Document, Failed, JSONValue
from curate.inputs.discover import InputFile
from curate.inputs.encoding import decode_bytes
from curate.inputs.options import ReadOptions, size_text

log = logging.getLogger(__name__)

HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
_BLOCK: Final = 1 << 16
_CHARSET: Final = re.compile(r"""charset\s*=\s*["']?([^"';,\s]+)""", re.IGNORECASE)
# What warcio and the libraries under it raise on bytes that are not a (whole) WARC record.
_DAMAGE: Final = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, OSError, ValueError,
                  zlib.error, IndexError, AttributeError)


class _Archive(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator, remembering whether the last gzip member ended before it was closed.

    `reader.decompressor` is warcio's zlib object for the current member (None for an uncompressed
    file); its `eof` is True only once the member's trailer was read, so False at the end means a cut.
    """

    member_ended: bool = True

    def close(self) -> None:
        decompressor = getattr(self.reader, "decompressor", None)
        if decompressor is not None and hasattr(decompressor, "eof"):
            self.member_ended = bool(decompressor.eof)
        super().close()


def read_warc(file: InputFile, options: ReadOptions = ReadOptions()) -> Iterator[Document | Failed]:
    """Documents of the HTML responses in one WARC file, then a Failed if the archive is damaged.

    Digests are checked (warcio `check_digests`): a record whose WARC-Block-Digest or
    WARC-Payload-Digest does not match fails as `bad_record` and reading goes on.
    """
    try:
        with open(file.path, "rb") as stream:
            yield from _read_archive(stream, file, options)
    except OSError as exc:  # opening; errors while reading records are caught, with an offset, inside
        yield Failed(file.source, None, reasons.UNREADABLE,
                     f"{file.source}: cannot be read ({exc.strerror or exc}); check that it exists and is "
                     "readable")


def _read_archive(stream: BinaryIO, file: InputFile, options: ReadOptions) -> Iterator[Document | Failed]:
    size = os.fstat(stream.fileno()).st_size
    if size == 0:
        log.info("%s: empty file, no records", file.source)
        return
    archive = _Archive(stream, check_digests=True)
    records = iter(archive)
    while True:
        try:
            record = next(records)
            offset = archive.offset
            if record.format != "warc":  # warcio falls back to ARC, whose header is any line of words
                yield _damaged(file, offset, f"not a WARC record (it does not start with 'WARC/'; "
                                             f"warcio read it as {record.format})")
                return
            if record.length is None:  # mandatory in WARC; a header block cut off by the end of the file
                yield _damaged(file, offset, "the record's headers are incomplete (no Content-Length)")
                return
            outcome = _outcome(record, offset, file, options)
            missing = _read_to_end(record)
        except StopIteration:
            break
        except _DAMAGE as exc:
            # archive.offset: where the record being parsed or read began (warcio moves it past a
            # record only once the next one is asked for)
            yield _damaged(file, archive.offset, _first_line(exc), advice=_advice(exc))
            return
        if missing:
            yield _damaged(file, offset, f"the record ends {missing} bytes short of its Content-Length")
            return
        if outcome is None:
            continue
        problems = record.digest_checker.problems
        if isinstance(outcome, Document) and problems:
            outcome = Failed(file.source, str(offset), reasons.BAD_RECORD,
                             f"{file.source}: record at byte {offset}: {'; '.join(problems)}; the record "
                             "is corrupt: re-download the archive", outcome.id)
        yield outcome
    yield from _check_end(stream, archive, size, file)


def _check_end(stream: BinaryIO, archive: _Archive, size: int, file: InputFile) -> Iterator[Failed]:
    """A Failed if reading stopped before the end of the file or inside a gzip member."""
    end = archive.offset
    if not archive.member_ended:
        yield _damaged(file, end, "the last gzip member does not end")
        return
    if end >= size:
        return
    stream.seek(end)
    rest = stream.read(_BLOCK)
    if rest.strip() or stream.read(1):
        yield _damaged(file, end, "what follows is not a whole WARC record")


def _outcome(record: ArcWarcRecord, offset: int, file: InputFile,
             options: ReadOptions) -> Document | Failed | None:
    """The record as a Document, a Failed if it is a page that cannot be taken, None if not a page."""
    http = record.http_headers
    if record.rec_type != "response" or http is None:
        log.debug("%s: record at byte %d is a %s record, not a page", file.source, offset, record.rec_type)
        return None
    status = http.get_statuscode() or ""
    content_type = http.get_header("Content-Type") or ""
    mime = content_type.split(";", 1)[0].strip().lower()
    if not (status.isdigit() and 200 <= int(status) < 300 and mime in HTML_TYPES):
        log.debug("%s: record at byte %d is %s %s, not a page", file.source, offset, status, mime)
        return None
    headers = record.rec_headers
    record_id = (headers.get_header("WARC-Record-ID") or "").strip().strip("<>")
    doc_id = record_id or f"{file.source}#{offset}"
    cap = options.max_page_bytes
    if record.length is not None and int(record.length) > cap:
        return _too_large(file, offset, doc_id, cap)
    data = record.content_stream().read(cap + 1)
    if len(data) > cap:
        return _too_large(file, offset, doc_id, cap)
    match = _CHARSET.search(content_type)
    decoded = decode_bytes(data, is_html=True, declared=match.group(1) if match else None)
    meta: dict[str, JSONValue] = {
        "format": "warc", "encoding": decoded.encoding, "warc_date": headers.get_header("WARC-Date"),
        "http_status": int(status), "content_type": content_type, "record": offset,
    }
    return Document(id=doc_id, source=file.source, text="", html=decoded.text,
                    url=headers.get_header("WARC-Target-URI"), meta=meta)


def _read_to_end(record: ArcWarcRecord) -> int:
    """Consume the rest of the record; return how many bytes its Content-Length promised but were missing.

    warcio limits each record's stream to its Content-Length (a LimitReader whose `limit` counts what
    is left); at the end of a whole record it is 0, at the end of a cut file it is not.
    """
    stream: Any = record.raw_stream
    while stream.read(_BLOCK):
        pass
    return int(getattr(stream, "limit", 0) or 0)


def _damaged(file: InputFile, offset: int, why: str, advice: str = "re-download the file") -> Failed:
    return Failed(file.source, str(offset), reasons.UNREADABLE,
                  f"{file.source}: truncated or damaged WARC at byte {offset}: {why}; the records before "
                  f"were read, the rest of the archive was not: {advice}")


def _advice(exc: BaseException) -> str:
    if "non-chunked gzip" in str(exc):
        return ("a .warc.gz must be gzipped record by record; `warcio recompress` makes such a copy, or "
                "gunzip it to a .warc")
    return "re-download the file"


def _too_large(file: InputFile, offset: int, doc_id: str, cap: int) -> Failed:
    return Failed(file.source, str(offset), reasons.TOO_LARGE,
                  f"{file.source}: record at byte {offset}: payload larger than {size_text(cap)}, the most "
                  "one page may hold; skipped", doc_id)


def _first_line(exc: BaseException) -> str:
    """warcio's messages run over several lines (the non-chunked gzip one is a paragraph); keep one."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return f"{type(exc).__name__}: {lines[0] if lines else 'no detail'}"
