"""Read a .txt file (optionally .gz/.zst) as one document whose id is its source path."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Final

from curate import reasons
from curate.document import Document, Failed, JSONValue
from curate.inputs.compression import read_page_bytes
from curate.inputs.discover import InputFile
from curate.inputs.encoding import decode_bytes
from curate.inputs.options import ReadOptions

UTF_CODECS: Final = frozenset({"utf-8", "utf-8-sig", "ascii", "utf-16", "utf-32", "utf-16-le", "utf-16-be",
                               "utf-32-le", "utf-32-be"})
log = logging.getLogger(__name__)


def read_text(file: InputFile, options: ReadOptions = ReadOptions()) -> Iterator[Document | Failed]:
    """One Document with the file's text, or one Failed if the file cannot be read.

    Line ends are normalised to "\\n" (CRLF and lone CR), because every later step works on lines and a
    stray "\\r" would stop line patterns from matching; `meta["newlines"]` says when that happened.
    """
    data = read_page_bytes(file.path, file.compression, file.source, options.max_page_bytes)
    if isinstance(data, Failed):
        yield data
        return
    if looks_binary(data):
        yield Failed(file.source, None, reasons.UNREADABLE,
                     f"{file.source}: binary data, not text (NUL or control bytes); "
                     "check the file or leave it out of the input")
        return
    decoded = decode_bytes(data, is_html=False)
    text = decoded.text
    meta: dict[str, JSONValue] = {"format": "text", "encoding": decoded.encoding}
    if decoded.encoding not in UTF_CODECS:
        log.warning("%s: not valid UTF-8, read as %s (meta.encoding); check the text if that is wrong",
                    file.source, decoded.encoding)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        meta["newlines"] = "normalized"
    yield Document(id=file.source, source=file.source, text=text, meta=meta)


# Text in any encoding has almost no C0 control bytes other than tab, newline and carriage return
# (UTF-16 is caught by its byte-order mark before this check matters).
_CONTROL = bytes(set(range(32)) - {9, 10, 12, 13})


def looks_binary(data: bytes, *, sample: int = 8192) -> bool:
    r"""True for bytes that are not text, judged on the first 8 KB.

    Binary formats are full of NULs and other control bytes (random bytes are 11% controls, headers
    like PNG's or ZIP's are mostly NULs); text has almost none. A stray NUL or two in otherwise clean
    text (a scraper's artefact) does not make it binary: the repair step removes them with an event.
    So binary means: over 10% control bytes, or several NULs making over 1%, or any NUL next to over
    5% controls.

    >>> looks_binary(b"plain text\n"), looks_binary(b"PK\x03\x04\x00\x00"), looks_binary(b"a\x00" + b"b" * 200)
    (False, True, False)
    """
    head = data[:sample]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16/32 with a byte-order mark: NULs are part of the encoding
    controls = len(head) - len(head.translate(None, _CONTROL))
    nuls = head.count(0)
    return (controls * 10 > len(head) or (nuls > 1 and nuls * 100 > len(head))
            or (nuls > 0 and controls * 20 > len(head)))
