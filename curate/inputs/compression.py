"""Decompressed bytes of an input file, streamed in chunks, with truncation detected.

Both decompressors can end a damaged file quietly: zstandard's stream reader returns short data with no
error when a frame is cut off, and `ZstdDecompressor.decompress` stops after the first frame. So zstd is
read frame by frame with `decompressobj`, and a file is whole only if its last frame reached `eof`.
Python's gzip raises EOFError on a cut, but only after yielding the data before it: callers keep what
they got and then receive a `DecompressionError` for the rest.

Decompression bombs: a page is capped by ReadOptions.max_page_bytes, but a JSONL file has no natural
size, and a few KB can inflate to terabytes of blank lines or tiny records that would keep a run busy
for hours. So a compressed input that has inflated past MIN_BOMB_BYTES at more than MAX_RATIO times
the compressed bytes read so far stops with `DecompressionLimit`. Real text compresses 3-10:1 (zstd
at its best on repetitive crawls a few dozen to one); deflate cannot exceed about 1030:1 and zstd
reaches 30,000:1 on zeros.
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
# See the module docstring: inflating past 32 MiB at over 500:1 is a bomb, not text.
MIN_BOMB_BYTES: Final = 32 << 20
MAX_RATIO: Final = 500
# Compressed bytes handed to zstd at a time (see _unzstd).
ZSTD_FEED: Final = 1 << 10


class DecompressionError(Exception):
    """A compressed input that is truncated, corrupt or not in the format its name claims."""


class DecompressionLimit(DecompressionError):
    """A compressed input that inflates like a decompression bomb (see MAX_RATIO)."""


def iter_chunks(path: Path, compression: str | None) -> Iterator[bytes]:
    """Yield the file's (decompressed) bytes in chunks; raise DecompressionError at a damaged point."""
    with open(path, "rb") as stream:
        if compression is None:
            yield from iter(lambda: stream.read(CHUNK), b"")
        elif compression == "gz":
            yield from _bounded(_gunzip(stream), stream)
        elif compression == "zst":
            yield from _bounded(_unzstd(stream), stream)
        else:
            raise ValueError(f"unknown compression {compression!r}")


def _bounded(chunks: Iterator[bytes], stream: BinaryIO) -> Iterator[bytes]:
    """The chunks, until they inflate like a bomb: then DecompressionLimit."""
    inflated = 0
    for chunk in chunks:
        inflated += len(chunk)
        if inflated > MIN_BOMB_BYTES and inflated > MAX_RATIO * max(stream.tell(), 1):
            raise DecompressionLimit(
                f"{size_text(stream.tell())} of compressed data inflated to over {size_text(inflated)} "
                f"(more than {MAX_RATIO}:1), which is a decompression bomb, not text")
        yield chunk


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
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            seen_any = True
            # decompress() returns everything its input makes, and 4 bytes of zstd can make a 128 KiB
            # block: feeding small slices bounds one call's output (to ZSTD_FEED / 4 blocks, 32 MiB)
            for start in range(0, len(chunk), ZSTD_FEED):
                data = chunk[start:start + ZSTD_FEED]
                while data:
                    in_frame = True
                    out = frame.decompress(data)
                    if out:
                        yield out
                    if not frame.eof:
                        break
                    # one frame done; what follows is the next frame (pzstd output, concatenated files)
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
    except DecompressionLimit as exc:
        return Failed(source, None, reasons.DECOMPRESSION_LIMIT,
                      f"{source}: {exc}; it was not read: if the file is real, decompress it and pass the "
                      "plain file")
    except DecompressionError as exc:
        return Failed(source, None, reasons.UNREADABLE,
                      f"{source}: {exc}; re-download or recompress the file")
    except OSError as exc:
        return Failed(source, None, reasons.UNREADABLE,
                      f"{source}: cannot be read ({exc.strerror or exc}); check that it exists and is readable")
    return b"".join(parts)
