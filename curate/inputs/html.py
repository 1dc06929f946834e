"""Read a .html/.htm file (optionally .gz/.zst) as one document holding the page; `extract` makes text."""

from __future__ import annotations

from collections.abc import Iterator

from curate import reasons
from curate.document import Document, Failed, JSONValue
from curate.inputs.compression import read_page_bytes
from curate.inputs.discover import InputFile
from curate.inputs.encoding import decode_bytes
from curate.inputs.options import ReadOptions
from curate.inputs.text import looks_binary


def read_html(file: InputFile, options: ReadOptions = ReadOptions()) -> Iterator[Document | Failed]:
    """One Document with `html` set and empty text, or one Failed if the file cannot be read.

    The bytes are decoded here (declared `<meta charset>` honoured, see curate.inputs.encoding), so the
    extract step always gets a str and `meta["encoding"]` records what the page was written in.
    """
    data = read_page_bytes(file.path, file.compression, file.source, options.max_page_bytes)
    if isinstance(data, Failed):
        yield data
        return
    if looks_binary(data):  # an image or archive saved as .html would otherwise become latin-1 "text"
        yield Failed(file.source, None, reasons.UNREADABLE,
                     f"{file.source}: binary data, not HTML (NUL or control bytes); "
                     "check the file or leave it out of the input")
        return
    decoded = decode_bytes(data, is_html=True)
    meta: dict[str, JSONValue] = {"format": "html", "encoding": decoded.encoding}
    yield Document(id=file.source, source=file.source, text="", html=decoded.text, meta=meta)
