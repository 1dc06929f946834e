"""Read a .txt file (optionally .gz/.zst) as one document whose id is its source path."""

from __future__ import annotations

from collections.abc import Iterator

from curate.document import Document, Failed, JSONValue
from curate.inputs.compression import read_page_bytes
from curate.inputs.discover import InputFile
from curate.inputs.encoding import decode_bytes


def read_text(file: InputFile) -> Iterator[Document | Failed]:
    """One Document with the file's text, or one Failed if the file cannot be read.

    Line ends are normalised to "\\n" (CRLF and lone CR), because every later step works on lines and a
    stray "\\r" would stop line patterns from matching; `meta["newlines"]` says when that happened.
    """
    data = read_page_bytes(file.path, file.compression, file.source)
    if isinstance(data, Failed):
        yield data
        return
    decoded = decode_bytes(data, is_html=False)
    text = decoded.text
    meta: dict[str, JSONValue] = {"format": "text", "encoding": decoded.encoding}
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        meta["newlines"] = "normalized"
    yield Document(id=file.source, source=file.source, text=text, meta=meta)
