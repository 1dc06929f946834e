"""Fingerprints computed in the worker processes, handed on to the dedup step in the main process.

Dedup runs in the main process after per-source learning, and learning must see every document of a
source before it cuts any: whatever dedup computes there runs on one core after the workers have
finished. A fingerprint depends only on the text, and learning changes few texts, so each worker
fingerprints the documents it finishes (while every core is busy anyway) and the main process keeps
the fingerprints in a temporary file, in output order, until dedup asks for them. A document whose
text is unchanged since (same 128-bit digest) takes its fingerprint from there; one that learning or
paragraph dedup changed, or that no worker fingerprinted, is fingerprinted by dedup as before. The
decisions are the same either way; memory holds one frame, not the run.

`FingerprintRelay` is the local engine's follow-up (`engines/worker.FollowUp`): `compute` runs in
the worker after the per-document steps kept a document, `receive` in the main process as the engine
emits that document, and the dedup step calls `take` for each document it sees, in the same order.
"""

from __future__ import annotations

import contextlib
import os
import struct
import tempfile
from typing import IO, ClassVar, Final

import numpy as np
import xxhash

from curate.document import Document
from curate.steps.dedup.fingerprint import DedupConfig, DedupIndex, Fingerprint

_FRAME: Final = struct.Struct("!I")
_READ_CHUNK: Final = 1 << 20
# A frame's fields, then the id and the arrays as raw bytes (the file is read back by the process
# that wrote it, so the machine's byte order; no pickle: nothing read from disk is unpickled).
# flags: 1 a fingerprint, 2 with a signature, 4 with shingle hashes.
_HEAD: Final = struct.Struct("=16sQIBIII")
_FINGERPRINT, _SIGNATURE, _HASHES = 1, 2, 4

Entry = tuple[str, bytes, Fingerprint | None]


def _encode(doc_id: str, digest: bytes, fp: Fingerprint | None) -> bytes:
    ident = doc_id.encode("utf-8", "surrogatepass")
    if fp is None:
        return _HEAD.pack(digest, 0, 0, 0, len(ident), 0, 0) + ident
    signature = b"" if fp.signature is None else fp.signature.tobytes()
    hashes = b"" if fp.hashes is None else fp.hashes.tobytes()
    flags = _FINGERPRINT | (_SIGNATURE if fp.signature is not None else 0) | (_HASHES if fp.hashes is not None else 0)
    head = _HEAD.pack(digest, fp.key, fp.words, flags, len(ident), len(fp.lookup), len(signature) // 4)
    return b"".join((head, ident, fp.lookup.tobytes(), signature, hashes))


def _decode(frame: bytes) -> Entry:
    digest, key, words, flags, ident_size, lookups, signature_size = _HEAD.unpack_from(frame)
    at = _HEAD.size + ident_size
    doc_id = frame[_HEAD.size : at].decode("utf-8", "surrogatepass")
    if not flags & _FINGERPRINT:
        return doc_id, digest, None
    lookup = np.frombuffer(frame, np.uint64, lookups, at)
    at += lookup.nbytes
    signature = np.frombuffer(frame, np.uint32, signature_size, at) if flags & _SIGNATURE else None
    at += 0 if signature is None else signature.nbytes
    hashes = np.frombuffer(frame, np.uint64, -1, at) if flags & _HASHES else None
    return doc_id, digest, Fingerprint(key, signature, lookup, words, hashes)


def text_digest(text: str) -> bytes:
    return xxhash.xxh3_128_digest(text.encode("utf-8", "surrogatepass"))


class FingerprintRelay:
    """Fingerprints made in the workers, kept on disk in output order until dedup takes them."""

    name: ClassVar[str] = "fingerprint"

    def __init__(self, config: DedupConfig) -> None:
        self._index = DedupIndex(config)  # for its signer only: fingerprints ignore what is indexed
        self._file: IO[bytes] | None = None  # made on the first `receive`, after the workers forked
        self._read_at = 0  # file offset of the next read
        self._buffer = b""  # read from the file, not yet taken from `_at` on
        self._at = 0
        self.taken = 0  # documents whose fingerprint came from a worker (tests, timing)
        self._broken = False  # the file could not be written: nothing is relayed

    def compute(self, doc: Document) -> tuple[bytes, Fingerprint]:
        """In a worker: the document's fingerprint and the digest of the text it was made from."""
        return text_digest(doc.text), self._index.fingerprints([doc.text])[0]

    def receive(self, doc: Document, value: tuple[bytes, Fingerprint] | None) -> None:
        """In the main process, for every document the engine emits, in order (None: not computed)."""
        if self._broken:
            return
        digest, fingerprint = value if value is not None else (b"", None)
        payload = _encode(doc.id, digest, fingerprint)
        try:
            if self._file is None:
                self._file = tempfile.TemporaryFile()  # noqa: SIM115 - owned by this object, closed by close()
            self._file.write(_FRAME.pack(len(payload)) + payload)
        except OSError:  # a full temporary disk: dedup fingerprints the rest itself, as without workers
            self._break()

    def take(self, doc: Document) -> Fingerprint | None:
        """The fingerprint a worker made of `doc`'s text as it still is, else None. Documents the
        engine emitted that never reach dedup (dropped by learning) are skipped on the way."""
        while not self._broken and (entry := self._next()) is not None:
            doc_id, digest, fingerprint = entry
            if doc_id == doc.id:
                if fingerprint is not None and digest == text_digest(doc.text):
                    self.taken += 1
                    return fingerprint
                return None
        return None

    def _next(self) -> Entry | None:
        if not self._fill(_FRAME.size):
            return None
        (size,) = _FRAME.unpack_from(self._buffer, self._at)
        if not self._fill(_FRAME.size + size):
            return None
        start = self._at + _FRAME.size
        self._at = start + size
        return _decode(self._buffer[start : self._at])

    def _fill(self, size: int) -> bool:
        """Whether `size` more bytes are buffered, reading on from the file as far as it is written."""
        if len(self._buffer) - self._at >= size:
            return True
        if self._file is None:
            return False
        self._buffer, self._at = self._buffer[self._at :], 0  # drop what was read, once per chunk
        try:
            self._file.flush()  # buffered frames: a full disk may first show here
            while len(self._buffer) < size:
                chunk = os.pread(self._file.fileno(), max(_READ_CHUNK, size), self._read_at)
                if not chunk:
                    return False
                self._read_at += len(chunk)
                self._buffer += chunk
        except OSError:
            self._break()
            return False
        return True

    def _break(self) -> None:
        self.close()
        self._broken = True

    def close(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):  # unwritten frames of a full disk: the file closes anyway
                self._file.close()
            self._file = None
        self._buffer, self._at = b"", 0
