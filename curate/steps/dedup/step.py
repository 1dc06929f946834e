"""The dedup step: drop exact and near-duplicate documents, against this run and earlier versions.

Exact duplicates share a normalised text (NFC, case-folded, punctuation and whitespace folded).
Near duplicates have an estimated Jaccard similarity of their shingles (word 5-grams by default)
at or above the threshold, found by MinHash LSH over an index of numpy arrays (`dedup/index`):
the earlier corpus versions' parts, loaded from the store without re-reading their texts, and a
live part holding the documents this run keeps. The config, the fingerprints and the index are in
`fingerprint.py`.

Decisions. Documents are taken in the keep policy's order of preference; each one is dropped if it
duplicates a document already kept (or held by an earlier version), else it is kept and indexed.
So every dropped document names a kept one it is within the threshold of (no chains drifting
away from the kept text), and the clusters are the stars around kept documents (the reports group
them with a union-find). Policies:

- `first` (default): input order. Streams: signatures are computed in batches of `batch` documents
  and each decision is made as the document passes.
- `longest`: most words first (ties: input order). `newest`: the greatest `meta.date` first (ISO
  8601 text; undated documents count as oldest; ties: later in input order). These cannot stream:
  the documents are set aside in a temporary file (`steps/spill`) while their fingerprints are
  computed (~1 KB of memory per document), decisions are made in preference order, then the
  documents are read back and emitted in input order.

A document of an earlier version is never dropped (versions are immutable): a new document that
duplicates one is dropped whatever the policy, with `duplicate_version` in its detail. Given the
parent version's ids (`ids`, steps/dedup/parent_ids.py), a document it would keep whose id the parent
already holds fails as `duplicate_id` instead, and is not indexed.

Short documents (fewer words, or characters for `chars:N`, than one shingle) are one shingle of
their whole text: they are matched as exact duplicates only and never enter the near-duplicate
search, so short texts ("Yes", "Read more") are never clustered together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar, Final

from curate import reasons
from curate.document import Document, Dropped, Event, Failed
from curate.steps.dedup.fingerprint import DedupConfig, DedupIndex, Fingerprint, Match, batches
from curate.steps.dedup.parent_ids import ParentIds
from curate.steps.dedup.relay import FingerprintRelay
from curate.steps.spill import Spill

EXACT_RULE: Final = "dedup.exact"
NEAR_RULE: Final = "dedup.minhash"


class Dedup:
    """Drops (or, with annotate, marks) documents that repeat a kept one; needs the stream."""

    name: ClassVar[str] = "dedup"

    def __init__(self, config: DedupConfig, index: DedupIndex | None = None,
                 relay: FingerprintRelay | None = None, *, ids: ParentIds | None = None) -> None:
        """`relay`: fingerprints the workers made (steps/dedup/relay.py), used where the text is unchanged;
        `ids`: the parent version's ids, which a kept document must not repeat."""
        self.config = config
        self.index = index if index is not None else DedupIndex(config)
        self.relay = relay
        self.ids = ids

    def run(self, docs: Iterable[Document]) -> Iterator[Document | Dropped | Failed]:
        try:
            if not (self.config.exact or self.config.near):
                yield from (self.ids.clash(doc) or doc for doc in docs) if self.ids is not None else docs
            elif self.config.keep == "first":
                yield from self._stream(docs)
            else:
                yield from self._two_pass(docs)
        finally:
            if self.relay is not None:
                self.relay.close()

    def _fingerprints(self, batch: list[Document]) -> list[Fingerprint]:
        """The batch's fingerprints: the workers' where the text is still theirs, the rest made here."""
        found = [self.relay.take(doc) if self.relay is not None else None for doc in batch]
        missing = [i for i, fp in enumerate(found) if fp is None]
        if missing:
            for i, fp in zip(missing, self.index.fingerprints([batch[i].text for i in missing]), strict=True):
                found[i] = fp
        return [fp for fp in found if fp is not None]

    def _decide(self, doc_id: str, fp: Fingerprint) -> Match | None:
        """The kept document `fp` duplicates; else, if the parent holds `doc_id`, a `duplicate_id` match
        (the document is then not kept); else None: the caller keeps and indexes it."""
        found = self.index.match(fp)
        if found is None and self.ids is not None and self.ids.holds(doc_id):
            return Match(reasons.DUPLICATE_ID, doc_id, 0.0, self.ids.version)
        return found

    def _stream(self, docs: Iterable[Document]) -> Iterator[Document | Dropped | Failed]:
        for batch in batches(docs, self.config.batch):
            for doc, fp in zip(batch, self._fingerprints(batch), strict=True):
                found = self._decide(doc.id, fp)
                if found is None:
                    self.index.emitted.append(self.index.add(doc.id, fp))
                yield self._outcome(doc, found)

    def _two_pass(self, docs: Iterable[Document]) -> Iterator[Document | Dropped | Failed]:
        with Spill() as spill:
            fingerprints: list[Fingerprint] = []
            ids: list[str] = []
            dates: list[str] = []
            for batch in batches(docs, self.config.batch):
                for doc in batch:
                    spill.write(doc)
                    ids.append(doc.id)
                    dates.append(str(doc.meta.get("date") or ""))
                fingerprints.extend(self._fingerprints(batch))
            yield from self._by_preference(fingerprints, ids, dates, spill)

    def _by_preference(self, fingerprints: list[Fingerprint], ids: list[str], dates: list[str],
                       spill: Spill) -> Iterator[Document | Dropped | Failed]:
        """Decide in preference order (the document to keep first), then emit the spilled documents in
        input order. Empties `fingerprints`: only the index keeps what it needs."""
        decisions: dict[int, Match] = {}
        rows: dict[int, int] = {}
        for i in self._preference(fingerprints, dates):
            found = self._decide(ids[i], fingerprints[i])
            if found is None:
                rows[i] = self.index.add(ids[i], fingerprints[i])
            else:
                decisions[i] = found
        fingerprints.clear()
        for i, doc in enumerate(spill.read()):
            if i in rows:
                self.index.emitted.append(rows[i])
            yield self._outcome(doc, decisions.get(i))

    def _preference(self, fingerprints: list[Fingerprint], dates: list[str]) -> list[int]:
        """Document numbers, the one to keep first."""
        n = len(fingerprints)
        if self.config.keep == "longest":
            return sorted(range(n), key=lambda i: (-fingerprints[i].words, i))
        return sorted(range(n), key=lambda i: (dates[i], i), reverse=True)

    def _outcome(self, doc: Document, found: Match | None) -> Document | Dropped | Failed:
        if found is None:
            return self._annotated(doc, None, None) if self.config.annotate else doc
        if found.reason == reasons.DUPLICATE_ID and self.ids is not None:
            return self.ids.failure(doc)  # a version holds each id once
        detail = found.detail()
        rule = EXACT_RULE if found.reason == reasons.EXACT_DUPLICATE else NEAR_RULE
        if self.config.annotate:
            event = Event(step=self.name, action="mark_duplicate", rule=rule, detail=detail)
            return self._annotated(doc.tagged(event), found.kept_id, found.similarity)
        event = Event(step=self.name, action="drop_doc", rule=rule, detail=detail)
        return Dropped(doc.tagged(event), found.reason, detail)

    @staticmethod
    def _annotated(doc: Document, kept_id: str | None, similarity: float | None) -> Document:
        return doc.tagged(meta={**doc.meta, "duplicate_of": kept_id, "similarity": similarity})
