"""The parent version's ids, so that a new version never holds one id twice (DESIGN.md store).

A version is its parent plus the new documents. A kept new document whose id the parent already
holds (a recrawled page that changed: ids come from the input, or from the source and position)
fails as `duplicate_id` naming the parent version; `--fresh` starts a version without the parent.
The check follows dedup's decision, so an unchanged page stays an `exact_duplicate` drop: `Dedup`
makes it before it indexes a kept document (the index's rows must be the version's records), and
`ParentIdCheck` is the check as a step of its own for runs without dedup.

`ParentIds` holds a sorted 64-bit xxh3 key per parent document and its row (16 bytes a document);
the ids stay where they are: in the parent's memory-mapped index arrays (`IdBlob`), or in a list
read from its shards when it has no index. A matching key is confirmed against the id itself, so a
key collision costs one comparison, never a wrong failure.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import ClassVar, Protocol

import numpy as np
import numpy.typing as npt
import xxhash

from curate import reasons
from curate.document import Document, Failed
from curate.pipeline import document_failure, document_place

Keys = npt.NDArray[np.uint64]


class IdRows(Protocol):
    """Document ids by row: a dedup index part, an `IdBlob` or an `IdList`."""

    def __len__(self) -> int: ...

    def doc_id(self, row: int) -> str: ...

    def id_keys(self) -> Keys: ...


def id_key(data: bytes) -> int:
    """The 64-bit key of an id's UTF-8 bytes (the same in every process, unlike hash())."""
    return xxhash.xxh3_64_intdigest(data)


class IdList:
    """Ids held in memory: a parent version without a stored index, read from its shards."""

    def __init__(self, ids: Sequence[str]) -> None:
        self._ids = ids

    def __len__(self) -> int:
        return len(self._ids)

    def doc_id(self, row: int) -> str:
        return self._ids[row]

    def id_keys(self) -> Keys:
        keys = (id_key(i.encode("utf-8", "surrogatepass")) for i in self._ids)
        return np.fromiter(keys, dtype=np.uint64, count=len(self._ids))


class IdBlob:
    """Document ids stored as one UTF-8 blob and offsets (no pickle, memory-mappable): the `ids` and
    `id_offsets` arrays of a dedup index part (steps/dedup/index.py)."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self._blob, self._offsets = blob, offsets

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, row: int) -> str:
        start, stop = int(self._offsets[row]), int(self._offsets[row + 1])
        return bytes(self._blob[start:stop]).decode("utf-8")

    def doc_id(self, row: int) -> str:
        return self[row]

    def id_keys(self) -> Keys:
        """Every row's key, from one copy of the blob (~0.7 s a million ids)."""
        raw = np.asarray(self._blob).tobytes()
        bounds = itertools.pairwise(np.asarray(self._offsets).tolist())
        return np.fromiter((id_key(raw[a:b]) for a, b in bounds), dtype=np.uint64, count=len(self))


class ParentIds:
    """The ids of `version`, the parent of the version being written, over its `parts` in row order."""

    def __init__(self, version: str, parts: Sequence[IdRows]) -> None:
        self.version = version
        self._parts = list(parts)
        keys = np.concatenate([np.empty(0, np.uint64), *(part.id_keys() for part in self._parts)])
        self._order = np.argsort(keys, kind="stable")
        self._keys = keys[self._order]
        self._ends = np.cumsum([len(part) for part in self._parts], dtype=np.int64)

    def __len__(self) -> int:
        return len(self._keys)

    def holds(self, doc_id: str) -> bool:
        """Whether the parent version has a document with this id."""
        key = np.uint64(id_key(doc_id.encode("utf-8", "surrogatepass")))
        at = int(self._keys.searchsorted(key))  # the method: ~5x less overhead than np.searchsorted
        while at < len(self._keys) and self._keys[at] == key:
            if self._id(int(self._order[at])) == doc_id:
                return True
            at += 1  # another id with the same key
        return False

    def _id(self, row: int) -> str:
        number = int(self._ends.searchsorted(row, side="right"))
        start = int(self._ends[number - 1]) if number else 0
        return self._parts[number].doc_id(row - start)

    def clash(self, doc: Document) -> Failed | None:
        """A `duplicate_id` failure if the parent holds `doc`'s id, else None."""
        return self.failure(doc) if self.holds(doc.id) else None

    def failure(self, doc: Document) -> Failed:
        """`doc` failed as `duplicate_id`: the parent holds its id."""
        return document_failure(doc, reasons.DUPLICATE_ID,
                                f"{document_place(doc)}: id {doc.id!r} is already in {self.version}, the parent "
                                "version, and this document is not a copy of it that dedup drops (its text changed, "
                                "or dedup is off); a version holds each id once, so it is left out: run with --fresh "
                                "to start a version without the parent, or give the new record its own id")


class ParentIdCheck:
    """The parent-id check as a step, last in a run without dedup (with dedup, `Dedup` makes it)."""

    name: ClassVar[str] = "parent_ids"

    def __init__(self, ids: ParentIds) -> None:
        self.ids = ids

    def run(self, docs: Iterable[Document]) -> Iterator[Document | Failed]:
        for doc in docs:
            yield self.ids.clash(doc) or doc
