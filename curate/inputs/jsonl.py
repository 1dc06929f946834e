"""Read JSON Lines (.jsonl/.json, optionally .gz/.zst, or a stream such as stdin): one document per line.

Lines are split on b"\\n" only: str.splitlines() would also split on U+2028 and other separators that
are valid inside a JSON string. A UTF-8 BOM at the start is dropped, blank lines are skipped, and a line
that is not a usable record becomes a Failed naming the file and line while reading goes on. A damaged
compressed file yields its records up to the damage, then one Failed for the rest.

JSONL is UTF-8, with two exceptions worth the trouble: a file that starts with a UTF-16 or UTF-32
byte-order mark (Windows tools write these) is transcoded, and a `\\ud800`-style escape of a lone
surrogate, valid JSON that orjson refuses and no UTF-8 writer can write back, becomes U+FFFD with
`meta["lone_surrogates"]` counting the replacements, so one bad character does not cost the document.
A file that is binary data (see curate.inputs.text.looks_binary) is one Failed, not a failure per line.
"""

from __future__ import annotations

import codecs
import dataclasses
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO, Final

import orjson

from curate import reasons
from curate.document import Document, Event, Failed, JSONValue
from curate.inputs.compression import CHUNK, DecompressionError, DecompressionLimit, iter_chunks
from curate.inputs.discover import InputFile
from curate.inputs.options import ReadOptions, size_text
from curate.inputs.text import looks_binary

# Record fields that map onto Document fields; every other field goes to meta.
_STRING_FIELDS: Final = ("url", "title", "lang")
# Byte-order marks of the wide encodings, longest first (the UTF-32-LE mark begins with UTF-16-LE's).
_WIDE_BOMS: Final = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# After json.loads, any surrogate code unit left in a str is a lone one (pairs were combined).
_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")


class _NotJsonl(Exception):
    """The whole file cannot be JSON Lines (binary data, broken UTF-16)."""


def read_jsonl(file: InputFile, options: ReadOptions = ReadOptions()) -> Iterator[Document | Failed]:
    """Documents (and Failed records) of a JSONL file; `source` is the file's source for every record."""
    yield from _read(lambda: iter_chunks(file.path, file.compression), file.source, options,
                     record_source=False)


def read_jsonl_stream(stream: BinaryIO, source: str = "-", options: ReadOptions = ReadOptions(), *,
                      record_source: bool = True) -> Iterator[Document | Failed]:
    """Documents of a JSONL byte stream (stdin between step commands).

    With `record_source` (the default) a record's own string `source` field names the document, so a
    document keeps its original input path through `curate extract x.html | curate strip | ...`;
    `source` then names only the stream, in failures.
    """
    yield from _read(lambda: iter(lambda: stream.read(CHUNK), b""), source, options,
                     record_source=record_source)


def _read(open_chunks: Callable[[], Iterable[bytes]], source: str, options: ReadOptions, *,
          record_source: bool) -> Iterator[Document | Failed]:
    number = 0
    try:
        for number, line in _lines(_utf8_chunks(open_chunks()), options.max_page_bytes):
            if line is None:
                yield Failed(source, str(number), reasons.TOO_LARGE,
                             f"{source}:{number}: line longer than {size_text(options.max_page_bytes)}, "
                             "the most one record may hold; it was skipped: split or shorten it")
                continue
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8):]
            if line.strip():
                yield _parse(line, number, source, options, record_source)
    except _NotJsonl as exc:
        yield Failed(source, str(number + 1) if number else None, reasons.UNREADABLE,
                     f"{source}: {exc}" + (f" after line {number}" if number else "")
                     + "; JSONL must be UTF-8 text: check the file or leave it out")
    except DecompressionLimit as exc:
        yield Failed(source, str(number + 1), reasons.DECOMPRESSION_LIMIT,
                     f"{source}: {exc}; reading stopped after line {number}: if the file is real, "
                     "decompress it and pass the plain file")
    except DecompressionError as exc:
        yield Failed(source, str(number + 1), reasons.UNREADABLE,
                     f"{source}: {exc} after line {number}; the lines before were read, the rest is "
                     "lost: re-download or recompress the file")
    except OSError as exc:
        yield Failed(source, str(number + 1) if number else None, reasons.UNREADABLE,
                     f"{source}: cannot be read ({exc.strerror or exc}); check that it exists and is readable")


def _utf8_chunks(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The chunks as UTF-8: passed through, or transcoded from UTF-16/32 when the file starts with
    their byte-order mark. Raises _NotJsonl when the first chunk is binary data."""
    chunks = iter(chunks)
    first = next(chunks, b"")
    while 0 < len(first) < 4:  # a stream may hand over fewer bytes than a byte-order mark
        more = next(chunks, b"")
        if not more:
            break
        first += more
    codec = next((name for bom, name in _WIDE_BOMS if first.startswith(bom)), None)
    if codec is None:
        if looks_binary(first):
            raise _NotJsonl("binary data, not JSON Lines (NUL or control bytes)")
        if first:
            yield first
        yield from chunks
        return
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        for chunk in itertools.chain([first], chunks):
            yield decoder.decode(chunk).encode("utf-8")
        yield decoder.decode(b"", final=True).encode("utf-8")
    except UnicodeDecodeError as exc:
        # the text before the bad bytes still holds whole lines: hand them on, then stop
        yield exc.object[:exc.start].decode(exc.encoding, "replace").encode("utf-8")
        raise _NotJsonl(f"broken {codec.upper()} text ({exc.reason})") from exc


def _lines(chunks: Iterable[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(1-based line number, line bytes without the b"\\n"); a last line without newline counts.

    A line longer than `max_bytes` comes out as None, and its bytes are never held beyond the limit.
    The pieces of an unfinished line are kept in a list, so a long line costs linear, not quadratic, time.
    """
    number = 0
    pending: list[bytes] = []  # pieces of the line not yet ended; emptied once it is too long
    pending_size = 0
    for chunk in chunks:
        *complete, rest = chunk.split(b"\n")
        for index, piece in enumerate(complete):
            number += 1
            if index == 0 and pending_size:
                size = pending_size + len(piece)
                line = b"".join(pending) + piece if size <= max_bytes else None
                pending, pending_size = [], 0
            else:
                size, line = len(piece), piece
            yield number, line if size <= max_bytes else None
        pending_size += len(rest)
        if pending_size > max_bytes:
            pending = []  # drop what we hold; the line is failed when it ends
        elif rest:
            pending.append(rest)
    if pending_size:
        yield number + 1, b"".join(pending) if pending_size <= max_bytes else None


def _parse(line: bytes, number: int, source: str, options: ReadOptions,
           record_source: bool) -> Document | Failed:
    where = f"{source}:{number}"
    lone_surrogates = 0
    try:
        record = orjson.loads(line)
    # orjson raises JSONDecodeError (a ValueError) for bad syntax, invalid UTF-8 and lone surrogates
    except (ValueError, RecursionError) as exc:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as bad:
            return Failed(source, str(number), reasons.BAD_JSON,
                          f"{where}: not valid UTF-8 (byte {line[bad.start]:#04x} at byte {bad.start} of the "
                          "line); JSONL must be UTF-8: fix the encoding or remove this line")
        recovered = _with_lone_surrogates(line) if "surrogate" in str(exc) else None
        if recovered is None:
            return Failed(source, str(number), reasons.BAD_JSON,
                          f"{where}: not valid JSON ({exc}); fix or remove this line")
        record, lone_surrogates = recovered
    else:
        if isinstance(record, dict) and isinstance(record.get(options.id_field), float):
            record = _exact_numbers(line, record)
    if not isinstance(record, dict):
        return Failed(source, str(number), reasons.BAD_JSON,
                      f"{where}: a JSON {type(record).__name__}, not an object; each line must be one "
                      "JSON object")
    document = _document(record, number, source, options, record_source)
    if lone_surrogates and isinstance(document, Document):
        meta = dict(document.meta)
        meta["lone_surrogates"] = lone_surrogates
        document = dataclasses.replace(document, meta=meta)
    return document


def _with_lone_surrogates(line: bytes) -> tuple[Any, int] | None:
    """The record of a line that only orjson's strictness about lone surrogates refused, with each
    lone surrogate replaced by U+FFFD, and how many there were; None if it is not valid JSON anyway."""
    count = 0

    def clean(value: Any) -> Any:
        nonlocal count
        if isinstance(value, str):
            value, n = _LONE_SURROGATE.subn("\ufffd", value)
            count += n
            return value
        if isinstance(value, list):
            return [clean(item) for item in value]
        if isinstance(value, dict):
            return {clean(key): clean(item) for key, item in value.items()}
        return value

    try:
        record = json.loads(line, parse_constant=_refuse_constant)
        return clean(record), count
    except (ValueError, RecursionError):
        return None


def _exact_numbers(line: bytes, record: dict[str, Any]) -> dict[str, Any]:
    """The record re-read by the stdlib parser, which keeps integers of any length exact.

    orjson reads an integer beyond 64 bits as a float, so two 20-digit ids would both become
    "1.8446744073709552e+19" and collide. Only records whose id came back as a float pay for this.
    """
    try:
        exact = json.loads(line, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return record
    return exact if isinstance(exact, dict) else record


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: orjson refuses them too


def _document(record: dict[str, Any], number: int, source: str, options: ReadOptions,
              record_source: bool) -> Document | Failed:
    where = f"{source}:{number}"
    html, text = record.pop(options.html_field, None), record.pop(options.text_field, None)
    for name, value in ((options.html_field, html), (options.text_field, text)):
        if value is not None and not isinstance(value, str):
            return Failed(source, str(number), reasons.BAD_RECORD,
                          f"{where}: field {name!r} holds a {type(value).__name__}, not a string; "
                          "fix the record or name another field with --text-field/--html-field")
    if html is None and text is None:
        return Failed(source, str(number), reasons.BAD_RECORD,
                      f"{where}: the record has neither {options.text_field!r} nor "
                      f"{options.html_field!r}; name the right fields with --text-field/--html-field")
    raw_id = record.pop(options.id_field, None)
    try:
        provenance = tuple(Event.from_json(e) for e in record.pop("provenance", None) or ())
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return Failed(source, str(number), reasons.BAD_RECORD,
                      f"{where}: field 'provenance' is not a list of events ({exc}); remove or fix it")
    fields = _fields(record, record_source)
    meta = _meta(record, number, ignored=options.text_field if html is not None and text else None)
    return Document(
        id=str(raw_id) if raw_id is not None else f"{source}#{number}",
        source=fields.pop("source", source),
        text="" if html is not None else str(text),
        html=html,
        meta=meta,
        provenance=provenance,
        **fields,
    )


def _fields(record: dict[str, Any], record_source: bool) -> dict[str, Any]:
    """Pop the record fields that map onto Document fields (strings only; others stay for meta)."""
    names = _STRING_FIELDS + (("source",) if record_source else ())
    fields: dict[str, Any] = {n: record.pop(n) for n in names if isinstance(record.get(n), str)}
    score = record.get("lang_score")
    if isinstance(score, (int, float)) and not isinstance(score, bool):
        fields["lang_score"] = float(record.pop("lang_score"))
    return fields


def _meta(record: dict[str, Any], number: int, *, ignored: str | None) -> dict[str, JSONValue]:
    """A record's own `meta` object plus its other fields; format and record number unless it has them.

    A record that already carries `meta.record` (one written by an earlier curate step) keeps it, so a
    failure further down the pipe still names the original input line.
    """
    own = record.pop("meta", None)
    meta: dict[str, JSONValue] = dict(own) if isinstance(own, dict) else {}
    if own is not None and not isinstance(own, dict):
        meta["meta"] = own
    meta.update(record)
    meta.setdefault("format", "jsonl")
    meta.setdefault("record", number)
    if ignored:
        meta["ignored_field"] = ignored  # both html and text: the page wins, extract makes the text
    return meta
