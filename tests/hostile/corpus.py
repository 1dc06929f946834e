"""A hostile-input corpus, generated into a folder by the tests (nothing binary is committed).

`build_corpus(folder)` writes one file (or filesystem object) per case of the reliability checklist
(shared research note, section B) and returns what each should come to: the good documents it holds
(each carries a unique marker word, so the test can find it in the store), the failures it must report
(reason and record: line number, WARC byte offset or Parquet row), and the drops. Files that must be
skipped before they are opened (FIFOs, devices, dangling or looping links) are listed in `skipped`.

Good documents are made of random common words with a per-document seed, so no two are near-duplicates
and none is emptied by the default rule packs.
"""

from __future__ import annotations

import gzip
import io
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from curate import reasons

_WORD_LIST = ("river market garden winter station teacher window morning village letter bridge summer "
         "doctor kitchen paper orange forest island silver engine music harbor mountain castle "
         "painter table school ocean garden farmer candle meadow pocket thunder lantern valley "
         "harvest library museum travel weather picture breakfast holiday journey question answer "
         "history science chapter evening traffic council budget bakery bicycle festival neighbour "
         "quietly slowly brightly often always never together across under between before after "
         "builds carries finds reads writes paints opens closes follows remembers explains "
         "visits counts watches gathers shares")
WORDS = _WORD_LIST.split()


def word(marker: str) -> str:
    """The word a document carries for `marker`; the digit keeps repair from splitting it into two
    dictionary words ("linesep" became "line sep")."""
    return f"{marker}9"


def prose(marker: str, words: int = 60) -> str:
    """A unique, readable-enough paragraph that starts with the word for `marker`."""
    rng = random.Random(marker)
    body = [rng.choice(WORDS) for _ in range(words)]
    sentences = [" ".join(body[i:i + 12]).capitalize() + "." for i in range(0, words, 12)]
    return f"{word(marker)} " + " ".join(sentences)


@dataclass
class Case:
    """What one input must come to: kept markers, failures (reason, record) and drops by reason."""

    name: str  # path relative to the corpus folder, '/'-joined
    about: str  # the checklist case, for the report table
    kept: list[str] = field(default_factory=list)
    failed: list[tuple[str, str | None]] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    # A cut stream: only a leading part of `kept` can be read, and the one failure (the last of
    # `failed`, whose record is "*") names the line after it.
    prefix: bool = False


@dataclass
class Corpus:
    folder: Path
    cases: list[Case] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # name -> why it must never be opened
    # Markers that must appear in a kept document's text (e.g. the text deep inside nested HTML).
    must_contain: dict[str, str] = field(default_factory=dict)  # marker -> text that must be in it
    must_not_contain: list[str] = field(default_factory=list)  # in no kept text (fetched/leaked data)
    # whether a mode-000 file is really unreadable for the run (root reads it unless its capabilities
    # are dropped; see test_hostile_run)
    unreadable_enforced: bool = False

    def add(self, name: str, data: bytes, about: str, **expect: object) -> Case:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        case = Case(name, about, **expect)  # type: ignore[arg-type]
        self.cases.append(case)
        return case


def jsonl(*records: str | bytes) -> bytes:
    return b"".join((r.encode() if isinstance(r, str) else r) + b"\n" for r in records)


def record(marker: str) -> str:
    return '{"text": "' + prose(marker) + '"}'


def html_page(marker: str, body_extra: str = "", head: str = "") -> str:
    return (f"<html><head><title>{marker}</title>{head}</head><body>"
            f"<p>{prose(marker)}</p>{body_extra}</body></html>")


# --- compression ------------------------------------------------------------------------------------

def zst(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


def multiframe_zst(*parts: bytes) -> bytes:
    return b"".join(zst(p) for p in parts)


def zst_bomb(size: int) -> bytes:
    """A zstd frame whose header declares `size` bytes of zeros (a few KB on disk)."""
    return zstandard.ZstdCompressor(write_content_size=True).compress(bytes(size))


def gzip_bomb(size: int) -> bytes:
    """`size` zero bytes gzipped, streamed so the zeros are never held at once (about 1000:1)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) as writer:
        block = bytes(1 << 20)
        for _ in range(size >> 20):
            writer.write(block)
    return out.getvalue()


# --- WARC -------------------------------------------------------------------------------------------

def warc(pages: list[tuple[str, bytes]], *, gzip_records: bool) -> tuple[bytes, list[int]]:
    """An archive of HTML responses; returns its bytes and each record's start offset."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip_records)
    offsets = []
    for url, payload in pages:
        offsets.append(buffer.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                      http_headers=headers))
    return buffer.getvalue(), offsets


# --- Parquet ----------------------------------------------------------------------------------------

def parquet(texts: list[str | None]) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.table({"text": pa.array(texts, pa.string())}), buffer)
    return buffer.getvalue()


# --- HTML -------------------------------------------------------------------------------------------

def deep_html(marker: str, depth: int) -> str:
    """Text `depth` elements deep: libxml2 drops subtrees past 256 levels unless told otherwise."""
    return (f"<html><body><p>{prose(marker)}</p>" + "<div>" * depth + f"<p>{prose(marker + 'deep')}</p>"
            + "</div>" * depth + "</body></html>")


def big_text_node_html(marker: str, size: int) -> str:
    """One text node of over `size` bytes; libxml2 drops one over 10,000,000 whole unless huge_tree."""
    filler = prose(marker + "-big", 200) + " "
    repeat = size // len(filler) + 1
    return f"<html><body><p>{prose(marker)}</p><p>{filler * repeat}{marker}-node-end</p></body></html>"


def external_entities_html(marker: str, url: str, secret: Path) -> str:
    """Every way a page may ask for a fetch: DOCTYPE SYSTEM, SYSTEM entities, refresh, base, src/href."""
    return (f'<!DOCTYPE html SYSTEM "{url}/doctype.dtd" [\n'
            f'  <!ENTITY leak SYSTEM "file://{secret}">\n'
            f'  <!ENTITY remote SYSTEM "{url}/entity">\n]>\n'
            f'<html><head><meta http-equiv="refresh" content="0; url={url}/refresh">'
            f'<base href="{url}/base/"><link rel="stylesheet" href="{url}/style.css">'
            f'<script src="{url}/script.js"></script></head><body>'
            f'<p>{prose(marker)}</p><p>&leak; &remote;</p>'
            f'<img src="{url}/image.png"><iframe src="{url}/frame"></iframe>'
            f'<object data="{url}/object"></object><xi:include href="{url}/xinclude"/></body></html>')


def many_attributes_html(marker: str, count: int) -> str:
    attributes = " ".join(f"data-a{i}=\"v{i}\"" for i in range(count))
    return f"<html><body><div {attributes}><p>{prose(marker)}</p></div></body></html>"


# --- the corpus -------------------------------------------------------------------------------------

BOMB_BYTES = 40 << 20  # past the 32 MiB from which compression.py judges the ratio
LONG_BYTES = 51 << 20  # over the 50 MiB page cap


def build_corpus(folder: Path, *, server_url: str, secret: Path, unreadable_enforced: bool) -> Corpus:
    """Write every case into `folder`; `server_url` is a local HTTP server that must get no request,
    `secret` a file whose contents must never appear in a kept document (an XXE target), and
    `unreadable_enforced` whether the run will be refused a mode-000 file."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(folder, unreadable_enforced=unreadable_enforced)
    for builder in BUILDERS:
        builder(corpus, server_url, secret)
    return corpus


def _plain_text(c: Corpus, url: str, secret: Path) -> None:
    c.add("text/good.txt", prose("goodtxt").encode(), "plain UTF-8 text (control)", kept=["goodtxt"])
    c.add("text/bom8.txt", b"\xef\xbb\xbf" + prose("bomutf8").encode(), "UTF-8 BOM", kept=["bomutf8"])
    c.add("text/utf16le.txt", prose("utfsixteenle").encode("utf-16"), "UTF-16 LE with BOM",
          kept=["utfsixteenle"])
    c.add("text/utf16be.txt", b"\xfe\xff" + prose("utfsixteenbe").encode("utf-16-be"), "UTF-16 BE with BOM",
          kept=["utfsixteenbe"])
    c.add("text/cp1252.txt", (prose("invalidutf") + " café naïve").encode("cp1252"),
          "invalid UTF-8 (cp1252 bytes)", kept=["invalidutf"])
    c.add("text/nul.txt", prose("nulbyte").encode().replace(b" ", b" \x00", 1), "a stray NUL in text",
          kept=["nulbyte"])
    c.add("text/crlf.txt", prose("crlftext").replace(". ", ".\r\n").encode(), "CRLF line ends",
          kept=["crlftext"])
    c.add("text/empty.txt", b"", "empty .txt", dropped={reasons.EMPTY: 1})
    c.add("text/image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
          "binary file named .txt", failed=[(reasons.UNREADABLE, None)])


def _html(c: Corpus, url: str, secret: Path) -> None:
    c.add("html/good.html", html_page("goodhtml").encode(), "plain HTML (control)", kept=["goodhtml"])
    c.add("html/utf16.html", html_page("htmlsixteen").encode("utf-16"), "UTF-16 HTML with BOM",
          kept=["htmlsixteen"])
    for depth in (300, 5000):  # over libxml2's 256 without huge_tree, and over its 2048 with it
        marker = f"deep{depth}html"
        c.add(f"html/deep{depth}.html", deep_html(marker, depth).encode(), f"nesting {depth} deep",
              kept=[marker])
        c.must_contain[marker] = word(marker + "deep")
    c.add("html/bignode.html", big_text_node_html("bignode", 10_200_000).encode(), "text node of 10.2 MB",
          kept=["bignode"])
    c.must_contain["bignode"] = "bignode-node-end"
    c.add("html/entities.html", external_entities_html("xxehtml", url, secret).encode(),
          "DOCTYPE SYSTEM, external entities, meta refresh, <base>, src/href", kept=["xxehtml"])
    c.must_not_contain.append(secret.read_text())
    # libxml2 checks attribute names for duplicates in quadratic time: 20,000 parse in about 0.5 s,
    # 100,000 ran into the 30 s step time limit (step_timeout), so the run test stays at 20,000
    c.add("html/attributes.html", many_attributes_html("manyattrs", 20_000).encode(),
          "20,000 attributes on one element", kept=["manyattrs"])
    c.add("html/empty.html", b"", "empty .html", dropped={reasons.EMPTY: 1})
    c.add("html/image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
          "binary file named .html", failed=[(reasons.UNREADABLE, None)])


def _jsonl(c: Corpus, url: str, secret: Path) -> None:
    lines: list[str | bytes] = [
        b"\xef\xbb\xbf" + record("jsonbom").encode(),  # 1: BOM at the start of the file
        '{"text": "' + prose("linesep") + ' one\u2028two\u2029three"}',  # 2: raw U+2028/U+2029
        '{"text": "' + prose("lonesurrogate") + ' \\ud800 end"}',  # 3: lone surrogate escape
        '{"text": "' + prose("escapednul") + ' a\\u0000b"}',  # 4: escaped NUL (valid JSON)
        b'{"text": "raw\x00nul"}',  # 5: raw NUL inside a string (invalid JSON)
        '{"n": ' + "9" * 5000 + ', "text": "huge number"}',  # 6
        "[" * 5000 + "]" * 5000,  # 7: deep nesting
        "[1, 2]", '"just a string"', "null",  # 8-10: not objects
        '{"title": "no text field"}',  # 11
        '{"text": 42}', '{"text": ["a"]}',  # 12-13: wrong types
        '{"text": NaN}',  # 14
        b'{"text": "\xff\xfe invalid utf-8"}',  # 15
        "",  # 16: blank line
        record("crlfrecord") + "\r",  # 17: CRLF
        "{not json",  # 18
    ]
    failed = [(reasons.BAD_JSON, "5"), (reasons.BAD_JSON, "6"), (reasons.BAD_JSON, "7"),
              (reasons.BAD_JSON, "8"), (reasons.BAD_JSON, "9"), (reasons.BAD_JSON, "10"),
              (reasons.BAD_RECORD, "11"), (reasons.BAD_RECORD, "12"), (reasons.BAD_RECORD, "13"),
              (reasons.BAD_JSON, "14"), (reasons.BAD_JSON, "15"), (reasons.BAD_JSON, "18")]
    data = jsonl(*lines) + record("nonewline").encode()  # 19: last line without a newline
    c.add("jsonl/records.jsonl", data, "JSONL: BOM, U+2028, lone surrogate, NUL, huge number, deep nesting, "
          "non-objects, missing/wrong-typed text, NaN, invalid UTF-8, blank, CRLF, no final newline",
          kept=["jsonbom", "linesep", "lonesurrogate", "escapednul", "crlfrecord", "nonewline"],
          failed=failed)
    c.add("jsonl/empty.jsonl", b"", "empty .jsonl")
    c.add("jsonl/utf16.jsonl", jsonl(record("jsonsixteen")).decode().encode("utf-16"), "UTF-16 JSONL with BOM",
          kept=["jsonsixteen"])
    c.add("jsonl/binary.jsonl", bytes(range(256)) * 64, "binary file named .jsonl",
          failed=[(reasons.UNREADABLE, None)])


def _compression(c: Corpus, url: str, secret: Path) -> None:
    c.add("compressed/frames.jsonl.zst", multiframe_zst(jsonl(record("frameone")), jsonl(record("frametwo"))),
          "multi-frame zstd", kept=["frameone", "frametwo"])
    for suffix, compress in ((".gz", lambda d: gzip.compress(d, mtime=0)), (".zst", zst)):
        # random padding (kept in meta) so the compressed stream is long enough to cut between records
        markers = [f"cut{suffix[1:]}{i}" for i in range(40)]
        lines = (f'{{"text": "{prose(m)}", "pad": "{random.Random(m).randbytes(3000).hex()}"}}' for m in markers)
        data = compress(jsonl(*lines))
        c.add(f"compressed/cut.jsonl{suffix}", data[: len(data) * 2 // 3], f"truncated {suffix[1:]} (JSONL)",
              kept=markers, failed=[(reasons.UNREADABLE, "*")], prefix=True)
    page = gzip.compress(prose("cutpage", 2000).encode(), mtime=0)
    c.add("compressed/cut.txt.gz", page[:-12], "truncated gzip (page)", failed=[(reasons.UNREADABLE, None)])
    zpage = zst(prose("cutzpage", 2000).encode())
    c.add("compressed/cut.txt.zst", zpage[: len(zpage) // 2], "truncated zstd (page)",
          failed=[(reasons.UNREADABLE, None)])
    flipped = bytearray(gzip.compress(prose("flipped", 2000).encode(), mtime=0))
    flipped[len(flipped) // 2] ^= 0xFF
    c.add("compressed/corrupt.txt.gz", bytes(flipped), "corrupt gzip (flipped byte)",
          failed=[(reasons.UNREADABLE, None)])
    c.add("compressed/notgzip.txt.gz", prose("notgzip").encode(), "not gzip, named .gz",
          failed=[(reasons.UNREADABLE, None)])
    members = gzip.compress(jsonl(record("memberone")), mtime=0) + gzip.compress(jsonl(record("membertwo")), mtime=0)
    c.add("compressed/members.jsonl.gz", members, "multi-member gzip", kept=["memberone", "membertwo"])
    c.add("compressed/trailing.txt.gz", gzip.compress(prose("gztrail").encode(), mtime=0) + b"junk after it",
          "junk after a gzip stream", failed=[(reasons.UNREADABLE, None)])
    c.add("compressed/trailing.txt.zst", zst(prose("zsttrail").encode()) + b"junk after the frame",
          "junk after a zstd frame", failed=[(reasons.UNREADABLE, None)])
    c.add("compressed/empty.txt.gz", b"", "empty .gz", failed=[(reasons.UNREADABLE, None)])
    c.add("compressed/bomb.txt.gz", gzip_bomb(BOMB_BYTES), "gzip bomb (40 MiB of zeros, 1000:1)",
          failed=[(reasons.DECOMPRESSION_LIMIT, None)])
    c.add("compressed/bomb.html.zst", zst_bomb(128 << 20), "zstd bomb whose header declares 128 MiB",
          failed=[(reasons.DECOMPRESSION_LIMIT, None)])
    bomb = zst(jsonl(record("beforebomb")) + b'{"text": "' + b" " * BOMB_BYTES + b'"}\n' + jsonl(record("afterbomb")))
    c.add("compressed/bomb.jsonl.zst", bomb, "zstd bomb inside JSONL (40 MiB of spaces in one record)",
          kept=["beforebomb"], failed=[(reasons.DECOMPRESSION_LIMIT, "2")])
    # over the 50 MiB record cap but not a bomb (random hex compresses 2:1): that record fails alone
    long = b'{"text": "' + random.Random(7).randbytes(LONG_BYTES // 2).hex().encode() + b'"}\n'
    c.add("compressed/long.jsonl.zst", zst(long + jsonl(record("afterlong"))), "JSONL record over 50 MiB",
          kept=["afterlong"], failed=[(reasons.TOO_LARGE, "1")])


def _warc(c: Corpus, url: str, secret: Path) -> None:
    def pages(prefix: str) -> list[tuple[str, bytes]]:
        return [(f"http://example.org/{prefix}{n}", html_page(prefix + n).encode()) for n in ("one", "two", "three")]

    data, offsets = warc(pages("warc"), gzip_records=True)
    c.add("warc/good.warc.gz", data, "WARC (control)", kept=["warcone", "warctwo", "warcthree"])
    data, offsets = warc(pages("wcut"), gzip_records=True)
    cut = (offsets[1] + offsets[2]) // 2
    c.add("warc/cut.warc.gz", data[:cut], "truncated .warc.gz (inside record 2)",
          kept=["wcutone"], failed=[(reasons.UNREADABLE, str(offsets[1]))])
    data, offsets = warc(pages("wraw"), gzip_records=False)
    c.add("warc/cut.warc", data[: offsets[2] + (len(data) - offsets[2]) // 2],
          "truncated .warc (inside record 3)", kept=["wrawone", "wrawtwo"],
          failed=[(reasons.UNREADABLE, str(offsets[2]))])
    data, offsets = warc(pages("wsum"), gzip_records=False)
    body = data.index(b"<p>wsumtwo", offsets[1]) + 3  # in the payload (the URL has the name too)
    bad = data[:body] + b"WSUM" + data[body + 4:]  # payload changed, digest not: corruption
    c.add("warc/digest.warc", bad, "WARC payload corrupted (digest mismatch)", kept=["wsumone", "wsumthree"],
          failed=[(reasons.BAD_RECORD, str(offsets[1]))])
    c.add("warc/empty.warc", b"", "empty .warc")
    c.add("warc/notwarc.warc", prose("notwarc").encode(), "not a WARC, named .warc",
          failed=[(reasons.UNREADABLE, "0")])


def _parquet(c: Corpus, url: str, secret: Path) -> None:
    c.add("parquet/good.parquet", parquet([prose("parqone"), None, prose("parqtwo")]),
          "Parquet with a null text cell", kept=["parqone", "parqtwo"], failed=[(reasons.BAD_RECORD, "1")])
    data = parquet([prose(f"parqcut{i}") for i in range(3)])
    c.add("parquet/cut.parquet", data[: len(data) // 2], "truncated Parquet",
          failed=[(reasons.UNREADABLE, None)])
    footer = bytearray(data)
    footer[-20:-8] = b"\xff" * 12  # the Thrift footer, before its length and the PAR1 magic
    c.add("parquet/footer.parquet", bytes(footer), "corrupt Parquet footer", failed=[(reasons.UNREADABLE, None)])
    c.add("parquet/notparquet.parquet", jsonl(record("notparquet")), "not Parquet, named .parquet",
          failed=[(reasons.UNREADABLE, None)])
    c.add("parquet/empty.parquet", b"", "empty .parquet", failed=[(reasons.UNREADABLE, None)])


def _filesystem(c: Corpus, url: str, secret: Path) -> None:
    fs = c.folder / "fs"
    fs.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fs / "fifo.txt")
    c.skipped["fs/fifo.txt"] = "a FIFO: opening it would block forever"
    os.symlink("/dev/zero", fs / "zero.txt")
    c.skipped["fs/zero.txt"] = "a link to a device that never ends"
    os.symlink(fs / "missing.txt", fs / "dangling.txt")
    c.skipped["fs/dangling.txt"] = "a link to nothing"
    os.symlink(fs / "loop_b.txt", fs / "loop_a.txt")
    os.symlink(fs / "loop_a.txt", fs / "loop_b.txt")
    c.skipped["fs/loop_a.txt"] = c.skipped["fs/loop_b.txt"] = "a symlink loop"
    (fs / "sub").mkdir()
    os.symlink("..", fs / "sub" / "up")  # a directory loop: walking into it never ends
    c.add("fs/sub/inside.txt", prose("insideloop").encode(), "text next to a directory symlink loop",
          kept=["insideloop"])
    locked = c.add("fs/locked.txt", prose("lockedfile").encode(), "file with mode 000")
    os.chmod(fs / "locked.txt", 0)
    if c.unreadable_enforced:
        locked.failed = [(reasons.UNREADABLE, None)]
    else:  # root with all its capabilities reads it anyway: it is an ordinary good file then
        locked.kept = ["lockedfile"]


BUILDERS: tuple[Callable[[Corpus, str, Path], None], ...] = (
    _plain_text, _html, _jsonl, _compression, _warc, _parquet, _filesystem)
