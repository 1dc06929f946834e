"""Decompressed bytes of an input file, streamed in chunks, with truncation detected.

Both decompressors can end a damaged file quietly: zstandard's stream reader returns short data with no
error when a frame is cut off, and `ZstdDecompressor.decompress` stops after the first frame. So zstd is
read frame by frame with `decompressobj`, and a file is whole only if its last frame reached `eof`.
Python's gzip raises EOFError on a cut, but only after yielding the data before it: callers keep what
they got and then receive a `DecompressionError` for the rest.
"""

from __future__ import annotations

import gzip
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Final

import zstandard

from curate import reasons
from curate.document import Failed
from curate.inputs.options import size_text

CHUNK: Final = 1 << 16
# zstd windows above 128 MiB mean a crafted or exotic file; refuse it instead of allocating that much.
MAX_ZSTD_WINDOW: Final = 1 << 27


class DecompressionError(Exception):
    """A compressed input that is truncated, corrupt or not in the format its name claims."""


def iter_chunks(path: Path, compression: str | None) -> Iterator[bytes]:
    """Yield the file's (decompressed) bytes in chunks; raise DecompressionError at a damaged point."""
    with open(path, "rb") as stream:
        if compression is None:
            yield from iter(lambda: stream.read(CHUNK), b"")
        elif compression == "gz":
            yield from _gunzip(stream)
        elif compression == "zst":
            yield from _unzstd(stream)
        else:
            raise ValueError(f"unknown compression {compression!r}")


def _gunzip(stream: BinaryIO) -> Iterator[bytes]:
    if not stream.read(1):
        raise DecompressionError("empty file: not a gzip stream")
    stream.seek(0)
    reader = gzip.GzipFile(fileobj=stream)
    try:
        yield from iter(lambda: reader.read(CHUNK), b"")
    # EOFError is a cut; struct.error a cut trailer on older Pythons (cpython#29029); the others corruption
    except (EOFError, OSError, zlib.error, struct.error) as exc:
        raise DecompressionError(f"truncated or corrupt gzip data ({exc})") from exc


def _unzstd(stream: BinaryIO) -> Iterator[bytes]:
    dctx = zstandard.ZstdDecompressor(max_window_size=MAX_ZSTD_WINDOW)
    frame = dctx.decompressobj()
    in_frame = False  # bytes were fed to the current frame and it has not ended yet
    seen_any = False
    try:
        for data in iter(lambda: stream.read(CHUNK), b""):
            seen_any = True
            while data:
                in_frame = True
                out = frame.decompress(data)
                if out:
                    yield out
                if not frame.eof:
                    break
                # one frame done; whatever follows is the next frame (pzstd output, concatenated files)
                data, frame, in_frame = frame.unused_data, dctx.decompressobj(), False
    except zstandard.ZstdError as exc:
        raise DecompressionError(f"corrupt zstd data ({exc})") from exc
    if not seen_any:
        raise DecompressionError("empty file: not a zstd stream")
    if in_frame:
        raise DecompressionError("truncated zstd data: the last frame does not end")


def read_page_bytes(path: Path, compression: str | None, source: str, max_bytes: int) -> bytes | Failed:
    """All (decompressed) bytes of a one-document file, or one Failed naming it.

    Past `max_bytes` (ReadOptions.max_page_bytes) reading stops and the file fails as `too_large`:
    it is a decompression bomb or not one page, and holding or parsing it would stall the run.
    """
    parts: list[bytes] = []
    size = 0
    try:
        for chunk in iter_chunks(path, compression):
            size += len(chunk)
            if size > max_bytes:
                return Failed(source, None, reasons.TOO_LARGE,
                              f"{source}: more than {size_text(max_bytes)} once decompressed, the most "
                              "one page may hold; this is not one page: split it or leave it out")
            parts.append(chunk)
    except DecompressionError as exc:
        return Failed(source, None, reasons.UNREADABLE,
                      f"{source}: {exc}; re-download or recompress the file")
    except OSError as exc:
        return Failed(source, None, reasons.UNREADABLE,
                      f"{source}: cannot be read ({exc.strerror or exc}); check that it exists and is readable")
    return b"".join(parts)
