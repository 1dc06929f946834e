"""Documents set aside on disk during a two-pass dedup (keep=longest|newest, common paragraphs).

A step that must see the whole run before deciding writes each document (with its provenance) to
an anonymous temporary file as zstd JSON lines, decides from what it kept in memory (fingerprints,
paragraph hashes), then reads the documents back in input order. Memory stays bounded by the
fingerprints, not by the text of the run; the file disappears when closed, even after a crash.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from types import TracebackType
from typing import Final

import orjson
import zstandard

from curate.document import Document

# Fast compression: the file lives for one run and is read once.
_LEVEL: Final = 1


class Spill:
    """Write documents with `write`, then `read` them back once, in the same order."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - owned by this object, closed by close()
        self._writer = zstandard.ZstdCompressor(level=_LEVEL).stream_writer(self._file, closefd=False)
        self.count = 0

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def write(self, doc: Document) -> None:
        self._writer.write(orjson.dumps(doc.to_json(provenance=True, html=True)) + b"\n")
        self.count += 1

    def read(self) -> Iterator[Document]:
        self._writer.flush(zstandard.FLUSH_FRAME)
        self._file.seek(0)
        reader = zstandard.ZstdDecompressor().stream_reader(self._file, closefd=False)
        for line in io.BufferedReader(reader):
            yield Document.from_json(orjson.loads(line))

    def close(self) -> None:
        self._file.close()
