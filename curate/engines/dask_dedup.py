"""The dedup step on Dask: fingerprints and LSH bucketing on the cluster, decisions on the client.

The local `Dedup` decides in the keep policy's order (input order for `first`) against an index:
a document is dropped if it duplicates one already kept, else kept and indexed. Those decisions are
sequential by nature (whether document 9 is kept can depend on whether document 4 was), and the
corpus must be byte-identical to the local engine's, so the Dask form splits the work:

1. Fingerprints (normalise, shingle, hash, MinHash, band keys: nearly all of the step's CPU) are
   computed by `_fingerprint` tasks over shards of `DedupConfig.batch` documents, with the same
   `DedupIndex.fingerprints` code. The results stay on the workers.
2. Bucketing is a hash-partitioned group-by on the cluster: `_partition_keys` splits each shard's
   lookup keys (exact key and LSH band keys, once per document) into one partition per worker
   thread, and one `_shared_keys` task per partition counts its keys across all shards and keeps
   those found in two or more documents: the LSH buckets that hold a candidate pair. Only these
   keys come back to the client.
3. The client replays the local decisions in the policy's order with the very same
   `DedupIndex.match` / `add` code, fetching each shard's fingerprints from the cluster in turn.
   The only difference is the live part's key table (`SharedKeyTable`): it indexes only the keys
   bucketing found shared. That changes no decision: a query for document i finds the kept rows
   holding one of i's keys, and such a key is held by two documents of the run (i and the kept
   one), so it is in the shared set. Unshared keys, most of a crawl's, never enter the table.

The earlier versions' index parts stay on the client (memory-mapped from the store) and are
searched by the same `match`. The documents wait in a client-side spill file (`steps/spill`)
between the two passes, as in the local two-pass policies; client memory holds the live part of
kept documents (as locally) and, for `longest`/`newest`, every fingerprint (~1 KB a document).
The stored index part is computed from the kept rows' keys and signatures, not from the table,
so it is byte-identical too. Tasks write nothing.

Why not cluster entirely on Dask (connected components of candidate pairs)? A component is not a
keep decision: the local step keeps stars around kept documents, in order, with a cap on the
candidates checked, and a chain a~b~c can keep both a and c. Replaying the sequential rule is
cheap (a few sorted-array lookups a document) next to fingerprinting, and is exact by construction.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from typing import Any, Final

import numpy as np

from curate.document import Document, Dropped, Failed
from curate.engines.dask import DaskSession
from curate.steps.dedup.fingerprint import DedupConfig, DedupIndex, Fingerprint
from curate.steps.dedup.index import KeyTable, Part
from curate.steps.dedup.minhash import Keys
from curate.steps.dedup.parent_ids import ParentIds
from curate.steps.dedup.step import Dedup
from curate.steps.spill import Spill

# Fingerprint shards not yet finished before the client waits: bounds the texts in flight.
_IN_FLIGHT_PER_THREAD: Final = 2


class SharedKeyTable(KeyTable):
    """A live key table that indexes only `shared` keys (sorted): those of two or more documents."""

    def __init__(self, shared: Keys) -> None:
        super().__init__()
        self.shared = shared

    def insert(self, row: int, keys: Keys) -> None:
        if not len(self.shared):
            super().insert(row, keys[:0])
            return
        where = np.minimum(np.searchsorted(self.shared, keys), len(self.shared) - 1)
        super().insert(row, keys[self.shared[where] == keys])


class DaskDedup(Dedup):
    """The dedup step with fingerprints and bucketing as Dask tasks; same decisions as `Dedup`."""

    def __init__(self, session: DaskSession, config: DedupConfig, index: DedupIndex | None = None, *,
                 ids: ParentIds | None = None) -> None:
        super().__init__(config, index, ids=ids)
        self.session = session
        self.shared_keys = 0  # keys bucketing found in two or more documents (for tests and logs)

    def run(self, docs: Iterable[Document]) -> Iterator[Document | Dropped | Failed]:
        if not (self.config.exact or self.config.near):
            yield from super().run(docs)
            return
        with Spill() as spill:
            ids: list[str] = []
            dates: list[str] = []
            shards = self._fingerprint_shards(docs, spill, ids, dates)
            self._use_shared_keys(shards)
            if self.config.keep == "first":
                yield from self._replay_in_order(shards, spill)
            else:
                yield from self._replay_by_preference(shards, spill, ids, dates)

    def _fingerprint_shards(self, docs: Iterable[Document], spill: Spill, ids: list[str],
                            dates: list[str]) -> list[Any]:
        """Spill the documents and submit one fingerprint task per shard; the futures, in order."""
        client = self.session.client
        limit = _IN_FLIGHT_PER_THREAD * self.session.threads
        futures: list[Any] = []
        texts: list[str] = []
        for doc in docs:
            spill.write(doc)
            if self.config.keep != "first":  # only the preference order needs them
                ids.append(doc.id)
                dates.append(str(doc.meta.get("date") or ""))
            texts.append(doc.text)
            if len(texts) >= self.config.batch:
                futures.append(client.submit(_fingerprint, self.config, texts, key=self.session.key("fingerprint")))
                texts = []
                _wait_below(futures, limit)
        if texts:
            futures.append(client.submit(_fingerprint, self.config, texts, key=self.session.key("fingerprint")))
        return futures

    def _use_shared_keys(self, shards: list[Any]) -> None:
        """Bucket every document's keys on the cluster; index only the shared ones in the live part."""
        client = self.session.client
        partitions = self.session.threads
        split = [client.submit(_partition_keys, shard, partitions, key=self.session.key("partition"))
                 for shard in shards]
        pieces = [[client.submit(operator.getitem, s, p, key=self.session.key("piece")) for s in split]
                  for p in range(partitions)]
        counted = [client.submit(_shared_keys, *piece, key=self.session.key("bucket")) for piece in pieces]
        shared = np.sort(np.concatenate([np.empty(0, np.uint64), *client.gather(counted)]))
        for future in [*split, *(f for piece in pieces for f in piece), *counted]:
            future.release()
        self.shared_keys = len(shared)
        if len(self.index.live) == 0:  # a fresh live part (as in every run); else keep its full table
            self.index.live = Part(self.index.params, version=None, table=SharedKeyTable(shared))

    def _replay_in_order(self, shards: list[Any], spill: Spill) -> Iterator[Document | Dropped | Failed]:
        """`Dedup._stream`'s decisions, shard by shard, each shard's fingerprints fetched in turn."""
        documents = spill.read()
        for future in shards:
            fingerprints: list[Fingerprint] = future.result()
            future.release()
            for fp, doc in zip(fingerprints, documents):
                found = self._decide(doc.id, fp)
                if found is None:
                    self.index.emitted.append(self.index.add(doc.id, fp))
                yield self._outcome(doc, found)

    def _replay_by_preference(self, shards: list[Any], spill: Spill, ids: list[str],
                              dates: list[str]) -> Iterator[Document | Dropped | Failed]:
        """`Dedup._two_pass`'s decisions: in preference order, then emitted in input order."""
        fingerprints: list[Fingerprint] = []
        for future in shards:
            fingerprints.extend(future.result())
            future.release()
        yield from self._by_preference(fingerprints, ids, dates, spill)


def _wait_below(futures: list[Any], limit: int) -> None:
    """Block until fewer than `limit` of the futures are unfinished (the texts they carry)."""
    unfinished = [f for f in futures[-2 * limit:] if not f.done()]
    for future in unfinished[: max(0, len(unfinished) - limit + 1)]:
        future.exception()  # waits for it without fetching its result; an error surfaces on gather


# Worker side: pure functions of their arguments; they write nothing.

def _fingerprint(config: DedupConfig, texts: list[str]) -> list[Fingerprint]:
    return DedupIndex(config).fingerprints(texts)


def _partition_keys(fingerprints: list[Fingerprint], partitions: int) -> list[Keys]:
    """Each document's distinct lookup keys, all documents together, split by key into partitions."""
    per_doc = [np.unique(fp.lookup) for fp in fingerprints]
    keys = np.concatenate([np.empty(0, np.uint64), *per_doc]).astype(np.uint64)
    where = keys % np.uint64(partitions)
    return [keys[where == np.uint64(p)] for p in range(partitions)]


def _shared_keys(*pieces: Keys) -> Keys:
    """The keys of one partition found in two or more documents (each piece counts a document once)."""
    keys = np.concatenate([np.empty(0, np.uint64), *pieces])
    unique, counts = np.unique(keys, return_counts=True)
    shared: Keys = unique[counts >= 2]
    return shared
