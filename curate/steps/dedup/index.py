"""The dedup index: band-keyed MinHash LSH in numpy arrays, in parts that can live on disk.

An index is a list of parts, oldest first: one per earlier corpus version (loaded from the store,
memory-mapped) and one `live` part for the documents kept by this run. A part holds, per document
(a row), its exact-text key, its narrow (32-bit) signature and its id; and one sorted uint64
array of lookup keys (each row's exact key and its LSH band keys, see `minhash.band_keys`) with the
row of each key. A query is a `np.searchsorted` per part: no Python dict per band, no pickle.

The live part grows: new keys go into a small dict and every `_PENDING` rows are sorted into a
run; runs of equal size are merged, so there are at most log2(n / _PENDING) runs to search.

Memory per indexed document, at 128 permutations and 16 bands: signature 512 B, lookup keys
17 x 12 B, exact key 8 B, id offsets 8 B + the id bytes, ~ 750 B (measured in bench/dedup.py; see
docs/measured.md). A stored part is memory-mapped, so only the pages a query touches are read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from curate.steps.dedup.minhash import (
    FINGERPRINT_SCHEME,
    Keys,
    Narrow,
    band_keys,
    salted,
)
from curate.steps.dedup.parent_ids import IdBlob, IdList

# Salt of the exact-text keys, keeping them apart from band keys (bands are salted 1..bands).
EXACT_SALT: Final = 0xE8AC7
# Live rows collected in a dict before they are sorted into a numpy run.
_PENDING: Final = 4096
# Rows of signatures per live chunk (a growing list of fixed arrays, never reallocated).
_CHUNK_ROWS: Final = 8192
# The array objects of a stored part, by name: what `Part.arrays` writes and `Part.from_arrays` reads.
ARRAY_NAMES: Final = ("keys", "rows", "exact", "signatures", "ids", "id_offsets")

Rows = npt.NDArray[np.int64]
TextOf = Callable[[int], "str | None"]


@dataclass(frozen=True)
class IndexParams:
    """What must match for a stored part to be searched by this run (recorded in the manifest).

    `bands` x `rows` may differ (another threshold): the band keys are then recomputed from the
    stored signatures. The rest must be equal, or the parent is re-read from its records.
    """

    shingle: str
    permutations: int
    seed: int
    bands: int
    rows: int
    near: bool
    scheme: str = FINGERPRINT_SCHEME

    def to_json(self) -> dict[str, Any]:
        return {"scheme": self.scheme, "shingle": self.shingle, "permutations": self.permutations,
                "seed": self.seed, "bands": self.bands, "rows": self.rows, "near": self.near}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IndexParams:
        return cls(shingle=str(data["shingle"]), permutations=int(data["permutations"]),
                   seed=int(data["seed"]), bands=int(data["bands"]), rows=int(data["rows"]),
                   near=bool(data["near"]), scheme=str(data["scheme"]))

    def can_read(self, stored: IndexParams) -> bool:
        """True if parts made with `stored` can answer this run's queries."""
        same_text = stored.scheme == self.scheme
        if not self.near:
            return same_text
        return same_text and stored.near and (stored.shingle, stored.permutations, stored.seed) == (
            self.shingle, self.permutations, self.seed)

    def lookup_keys(self, exact: Keys, signatures: Narrow | None) -> Keys:
        """Each row's lookup keys: (n, 1) exact keys, or (n, 1 + bands) with the band keys."""
        keys = salted(exact.astype(np.uint64), EXACT_SALT)[:, None]
        if not self.near or signatures is None:
            return keys
        return np.hstack([keys, band_keys(signatures, self.bands, self.rows)])


class KeyTable:
    """Sorted (key, row) runs plus a small pending dict; `find` gives the rows holding any key."""

    def __init__(self, runs: Iterable[tuple[Keys, Rows]] = ()) -> None:
        self._runs: list[tuple[Keys, Rows]] = list(runs)
        self._pending: dict[int, list[int]] = {}
        self._pending_rows = 0

    def insert(self, row: int, keys: Keys) -> None:
        for key in keys.tolist():
            self._pending.setdefault(key, []).append(row)
        self._pending_rows += 1
        if self._pending_rows >= _PENDING:
            self._freeze()

    def find(self, keys: Keys) -> list[int]:
        """The rows that hold at least one of `keys`, in ascending order."""
        found: set[int] = set()
        for key in keys.tolist():
            found.update(self._pending.get(key, ()))
        for run_keys, run_rows in self._runs:
            lo = np.searchsorted(run_keys, keys, side="left")
            hi = np.searchsorted(run_keys, keys, side="right")
            for start, stop in zip(lo.tolist(), hi.tolist(), strict=True):
                if stop > start:
                    found.update(run_rows[start:stop].tolist())
        return sorted(found)

    def arrays(self) -> tuple[Keys, Rows]:
        """Everything as one sorted run (for writing)."""
        self._freeze()
        while len(self._runs) > 1:
            self._merge_last()
        if not self._runs:
            return np.empty(0, np.uint64), np.empty(0, np.int64)
        return self._runs[0]

    def _freeze(self) -> None:
        if not self._pending:
            return
        pairs = [(key, row) for key, rows in self._pending.items() for row in rows]
        keys = np.fromiter((k for k, _ in pairs), dtype=np.uint64, count=len(pairs))
        rows = np.fromiter((r for _, r in pairs), dtype=np.int64, count=len(pairs))
        self._runs.append(_sorted_run(keys, rows))
        self._pending, self._pending_rows = {}, 0
        # merge while the newest run is at least as large as the one before (a binary counter)
        while len(self._runs) > 1 and len(self._runs[-1][0]) >= len(self._runs[-2][0]):
            self._merge_last()

    def _merge_last(self) -> None:
        (k1, r1), (k2, r2) = self._runs[-2], self._runs[-1]
        self._runs[-2:] = [_sorted_run(np.concatenate([k1, k2]), np.concatenate([r1, r2]))]


def _sorted_run(keys: Keys, rows: Rows) -> tuple[Keys, Rows]:
    order = np.lexsort((rows, keys))
    return keys[order], rows[order]


class Part:
    """One slice of the index: an earlier version's documents (stored) or this run's (live)."""

    def __init__(self, params: IndexParams, *, version: str | None, table: KeyTable | None = None,
                 exact: Keys | None = None, signatures: Narrow | None = None, ids: Sequence[str] = (),
                 text_of: TextOf | None = None, entry: dict[str, Any] | None = None) -> None:
        self.params = params
        self.version = version  # None: documents of this run
        self.table = table if table is not None else KeyTable()
        self.entry = entry  # the manifest entry it was loaded from; None if not stored yet
        self.shards: list[dict[str, Any]] | None = None  # for a re-read version: its shards, in row order
        self.text_of = text_of
        self._ids: list[str] | IdBlob = list(ids)
        self._exact_chunks: list[Keys] = [] if exact is None else [exact]
        self._sig_chunks: list[Narrow] = [] if signatures is None else [signatures]
        self._fill = 0  # rows used in the last live chunk
        self._whole = exact is not None  # built from whole arrays: read-only
        self.shingle_sets: dict[int, npt.NDArray[np.uint64]] = {}  # live rows, only with verify

    @classmethod
    def build(cls, params: IndexParams, *, version: str | None, exact: Keys, signatures: Narrow | None,
              ids: Sequence[str], text_of: TextOf | None = None) -> Part:
        """A finished part over many rows at once (a re-read parent version)."""
        lookup = params.lookup_keys(exact, signatures)
        rows = np.repeat(np.arange(len(ids), dtype=np.int64), lookup.shape[1])
        table = KeyTable([_sorted_run(lookup.ravel(), rows)])
        return cls(params, version=version, table=table, exact=exact, signatures=signatures, ids=ids,
                   text_of=text_of)

    @classmethod
    def from_arrays(cls, params: IndexParams, stored: IndexParams, arrays: Mapping[str, np.ndarray], *,
                    version: str, entry: dict[str, Any], text_of: TextOf | None = None) -> Part:
        """A part read back from the store's arrays (see `arrays`), memory-mapped by the caller."""
        ids = IdBlob(arrays["ids"], arrays["id_offsets"])
        signatures = arrays["signatures"] if params.near else None
        if (stored.bands, stored.rows) == (params.bands, params.rows) or not params.near:
            table = KeyTable([(arrays["keys"], arrays["rows"])])
        else:  # another threshold: same signatures, other bands
            lookup = params.lookup_keys(np.asarray(arrays["exact"]), np.asarray(signatures))
            rows = np.repeat(np.arange(len(ids), dtype=np.int64), lookup.shape[1])
            table = KeyTable([_sorted_run(lookup.ravel(), rows)])
        part = cls(params, version=version, table=table, exact=arrays["exact"], signatures=signatures,
                   text_of=text_of, entry=entry)
        part._ids = ids
        return part

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, doc_id: str, exact: int, signature: Narrow | None, lookup: Keys) -> int:
        """Append a live row; its number."""
        row = len(self._ids)
        if self._whole or not isinstance(self._ids, list):
            raise TypeError("a stored or re-read part is read-only")
        self._ids.append(doc_id)
        self._append(np.array([exact], dtype=np.uint64), signature)
        self.table.insert(row, lookup)
        return row

    def _append(self, exact: Keys, signature: Narrow | None) -> None:
        width = self.params.permutations if self.params.near else 0
        if not self._exact_chunks or self._fill == _CHUNK_ROWS:
            self._exact_chunks.append(np.zeros(_CHUNK_ROWS, np.uint64))
            self._sig_chunks.append(np.zeros((_CHUNK_ROWS, width), np.uint32))
            self._fill = 0
        self._exact_chunks[-1][self._fill] = exact[0]
        if signature is not None and width:
            self._sig_chunks[-1][self._fill] = signature
        self._fill += 1

    def doc_id(self, row: int) -> str:
        return self._ids[row]

    def id_keys(self) -> Keys:
        """Every row's id key (steps/dedup/parent_ids.py), for the check that a version holds each id once."""
        return (self._ids if isinstance(self._ids, IdBlob) else IdList(self._ids)).id_keys()

    def signatures(self, rows: Sequence[int]) -> Narrow:
        """The narrow signatures of `rows`, stacked."""
        signatures: Narrow = self._take(self._sig_chunks, rows)
        return signatures

    def exact_keys(self, rows: Sequence[int]) -> Keys:
        keys: Keys = self._take(self._exact_chunks, rows)
        return keys

    def _take(self, chunks: list[Any], rows: Sequence[int]) -> Any:
        if self._whole:  # one array of every row (a stored or re-read part)
            return np.asarray(chunks[0][np.asarray(rows, dtype=np.int64)])
        return np.stack([chunks[r // _CHUNK_ROWS][r % _CHUNK_ROWS] for r in rows])

    def arrays(self, order: Sequence[int] | None = None) -> dict[str, np.ndarray]:
        """The part as the arrays a store keeps (ARRAY_NAMES), rows renumbered in `order`."""
        n = len(self._ids)
        order_arr = np.arange(n, dtype=np.int64) if order is None else np.asarray(order, dtype=np.int64)
        width = self.params.permutations if self.params.near else 0
        exact = self.exact_keys(order_arr.tolist()) if n else np.empty(0, np.uint64)
        near = n and self.params.near
        sigs = self.signatures(order_arr.tolist()) if near else np.empty((n, width), np.uint32)
        ids = [self._ids[int(r)] for r in order_arr]
        lookup = self.params.lookup_keys(exact, sigs if self.params.near else None)
        rows = np.repeat(np.arange(n, dtype=np.int64), lookup.shape[1])
        keys, key_rows = _sorted_run(lookup.ravel(), rows)
        blob = "".join(ids).encode("utf-8")
        lengths = [len(i.encode("utf-8")) for i in ids]
        offsets = np.concatenate([[0], np.cumsum(lengths, dtype=np.uint64)]).astype(np.uint64)
        return {"keys": keys, "rows": key_rows.astype(np.uint32), "exact": exact.astype(np.uint64),
                "signatures": np.ascontiguousarray(sigs, dtype=np.uint32),
                "ids": np.frombuffer(blob, dtype=np.uint8).copy(), "id_offsets": offsets}
