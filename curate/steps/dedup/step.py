"""The dedup step: drop exact and near-duplicate documents, against this run and earlier versions.

Exact duplicates share a normalised text (NFC, case-folded, punctuation and whitespace folded).
Near duplicates have an estimated Jaccard similarity of their shingles (word 5-grams by default)
at or above the threshold, found by MinHash LSH over an index of numpy arrays (`dedup/index`):
the earlier corpus versions' parts, loaded from the store without re-reading their texts, and a
live part holding the documents this run keeps.

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

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Final

import numpy as np
import numpy.typing as npt

from curate import reasons
from curate.document import Document, Dropped, Event, Failed
from curate.errors import ConfigError
from curate.steps.dedup.index import IndexParams, Part, TextOf
from curate.steps.dedup.minhash import (
    Keys,
    Narrow,
    Shingling,
    Signer,
    exact_key,
    lsh_parameters,
    narrow,
    normalise,
)
from curate.steps.spill import Spill

if TYPE_CHECKING:
    from curate.steps.dedup.parent_ids import ParentIds
    from curate.steps.dedup.relay import FingerprintRelay

EXACT_RULE: Final = "dedup.exact"
NEAR_RULE: Final = "dedup.minhash"
KEEP_POLICIES: Final = ("first", "longest", "newest")
# Candidates checked per document (best estimate first): bounds the work on a hub of boilerplate.
MAX_CANDIDATES: Final = 16


@dataclass(frozen=True)
class DedupConfig:
    """How the dedup step decides that two documents are the same.

    exact: drop documents whose normalised text equals an earlier one's. Cheap and certain, so on.
    near: drop documents whose MinHash similarity to a kept one reaches `threshold`. On, because
        scraped pages repeat with small changes (a date, a counter, a share line).
    threshold: Jaccard similarity of shingle sets at which a document counts as a near duplicate.
        0.8 is the usual choice for web text (datatrove, the Pile, RefinedWeb use 0.7-0.85): one
        changed sentence in a 300-word article scores ~0.9, two articles on one story well below 0.5.
        LSH bands and rows are chosen from it (`minhash.lsh_parameters`: 16 x 8 at 0.8).
    shingle: `words:N` or `chars:N`. Word 5-grams are long enough that unrelated texts rarely share
        one and short enough that one edit spoils only five; `chars:N` suits text without spaces.
    permutations: MinHash signature length. 128 gives a similarity estimate with a standard error of
        about 0.035 near 0.8, at 512 bytes per indexed document.
    seed: seeds the permutations; fixed so runs (and stored versions) are comparable.
    keep: which document of a cluster is kept: `first`, `longest`, `newest` (module docstring).
    verify_jaccard: check candidates by the exact Jaccard similarity of their shingle sets instead of
        trusting the estimate: candidates down to two standard errors below the threshold are
        checked, so the decision is exact for every pair the LSH finds. Off: it keeps the shingle
        hashes of kept documents in memory and re-reads a stored document's text per candidate.
    annotate: keep every document and record `meta["duplicate_of"]` (the kept id, or None) and
        `meta["similarity"]` instead of dropping. Off: the corpus should not hold duplicates.
    common_paragraphs: remove paragraphs (lines) whose normalised text appears in at least this many
        documents of the run (quoted boilerplate, syndicated blurbs), before document dedup. 0, off:
        a run of a few documents would otherwise lose real text they happen to share.
    paragraph_min_words: shorter paragraphs are never removed as common (list items, short labels).
    batch: documents per vectorised signature batch; bounds the memory of one batch.
    """

    exact: bool = True
    near: bool = True
    threshold: float = 0.8
    shingle: str = "words:5"
    permutations: int = 128
    seed: int = 1
    keep: str = "first"
    verify_jaccard: bool = False
    annotate: bool = False
    common_paragraphs: int = 0
    paragraph_min_words: int = 3
    batch: int = 256

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ConfigError(f"dedup threshold must be in (0, 1], got {self.threshold}")
        try:
            Shingling.parse(self.shingle)
        except ValueError as exc:
            raise ConfigError(f"dedup: {exc}") from None
        if self.permutations < 2:
            raise ConfigError(f"dedup needs at least 2 permutations, got {self.permutations}")
        if self.keep not in KEEP_POLICIES:
            raise ConfigError(f"dedup keep policy must be one of {', '.join(KEEP_POLICIES)}, got {self.keep!r}")
        if self.common_paragraphs < 0 or self.batch < 1:
            raise ConfigError("dedup common_paragraphs must be >= 0 and batch >= 1")

    def index_params(self) -> IndexParams:
        bands, rows = lsh_parameters(self.threshold, self.permutations)
        return IndexParams(shingle=str(Shingling.parse(self.shingle)), permutations=self.permutations,
                           seed=self.seed, bands=bands, rows=rows, near=self.near)


@dataclass(frozen=True)
class Fingerprint:
    """What the index needs of one text: exact key, narrow signature, lookup keys, size."""

    key: int
    signature: Narrow | None  # None: empty or short text, matched exactly only
    lookup: Keys  # exact key first, then the band keys when there is a signature
    words: int
    hashes: npt.NDArray[np.uint64] | None = None  # unique shingle hashes, only for verify_jaccard


@dataclass(frozen=True)
class Match:
    """The kept document a text duplicates, and how similar they are."""

    reason: str
    kept_id: str
    similarity: float
    version: str | None = None  # the earlier version holding the kept document; None: this run
    jaccard: float | None = None  # exact Jaccard, when verified

    def detail(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"duplicate_of": self.kept_id, "similarity": self.similarity}
        if self.version is not None:
            detail["duplicate_version"] = self.version
        if self.jaccard is not None:
            detail["jaccard"] = self.jaccard
        return detail


class DedupIndex:
    """The parts of earlier versions (oldest first) and the live part of this run's kept documents."""

    def __init__(self, config: DedupConfig, parts: Sequence[Part] = ()) -> None:
        self.config = config
        self.params = config.index_params()
        self.parts = list(parts)
        self.live = Part(self.params, version=None)
        self.emitted: list[int] = []  # live rows in the order their documents left the step
        self._shingling = Shingling.parse(config.shingle)
        self._signer = Signer(config.permutations, config.seed)

    @classmethod
    def from_texts(cls, config: DedupConfig, items: Iterable[tuple[str, str]], *,
                   version: str | None = None, text_of: TextOf | None = None) -> DedupIndex:
        """An index holding (id, text) pairs, e.g. the records of a version without a stored index."""
        index = cls(config)
        index.parts.append(index.part_from_texts(items, version=version, text_of=text_of))
        return index

    def part_from_texts(self, items: Iterable[tuple[str, str]], *, version: str | None,
                        text_of: TextOf | None = None) -> Part:
        """A finished part of (id, text) pairs, fingerprinted in batches."""
        ids: list[str] = []
        exact: list[int] = []
        signatures: list[Narrow] = []
        for batch in _batches(items, self.config.batch):
            ids.extend(doc_id for doc_id, _ in batch)
            for fp in self.fingerprints([text for _, text in batch]):
                exact.append(fp.key)
                if self.params.near:
                    signatures.append(fp.signature if fp.signature is not None else _blank(self.params))
        width = self.params.permutations
        sigs = np.vstack(signatures) if signatures else np.empty((0, width), np.uint32)
        return Part.build(self.params, version=version, exact=np.array(exact, dtype=np.uint64),
                          signatures=sigs if self.params.near else None, ids=ids, text_of=text_of)

    def fingerprints(self, texts: Sequence[str]) -> list[Fingerprint]:
        """Fingerprints of a batch of texts; the signatures in one vectorised pass."""
        normalised = [normalise(text) for text in texts]
        keys = np.fromiter((exact_key(n) for n in normalised), dtype=np.uint64, count=len(texts))
        if not self.params.near:
            lookup = self.params.lookup_keys(keys, None)
            return [Fingerprint(int(k), None, lookup[i], len(normalised[i].split())) for i, k in enumerate(keys)]
        units = [self._shingling.hashes(n) for n in normalised]
        counts = np.fromiter((len(u) for u in units), dtype=np.int64, count=len(units))
        hashes = np.concatenate(units) if units else np.empty(0, np.uint64)
        signatures = narrow(self._signer.signatures_of_hashes(hashes, counts))
        lookup = self.params.lookup_keys(keys, signatures)
        ends = np.cumsum(counts)
        return [self._fingerprint(normalised[i], int(keys[i]), signatures[i], lookup[i],
                                  hashes[ends[i] - counts[i] : ends[i]]) for i in range(len(texts))]

    def _fingerprint(self, normalised: str, key: int, signature: Narrow, lookup: Keys,
                     hashes: npt.NDArray[np.uint64]) -> Fingerprint:
        words = len(normalised.split())
        size = len(normalised) if self._shingling.unit == "chars" else words
        if size < self._shingling.size:  # empty or short: exact matching only
            return Fingerprint(key, None, lookup[:1], words)
        unique = np.unique(hashes) if self.config.verify_jaccard else None
        return Fingerprint(key, signature, lookup, words, unique)

    def fingerprint(self, text: str) -> Fingerprint:
        return self.fingerprints([text])[0]

    def add(self, doc_id: str, item: str | Fingerprint) -> int:
        """Index a kept document (a text or its fingerprint); its live row."""
        fp = self.fingerprint(item) if isinstance(item, str) else item
        row = self.live.add(doc_id, fp.key, fp.signature, fp.lookup)
        if fp.hashes is not None:
            self.live.shingle_sets[row] = fp.hashes
        return row

    def match(self, item: str | Fingerprint) -> Match | None:
        """The kept document `item` duplicates (earliest version and row first), else None."""
        fp = self.fingerprint(item) if isinstance(item, str) else item
        parts = [*self.parts, self.live]
        if self.config.exact:
            found = self._exact(fp, parts)
            if found is not None:
                return found
        if not self.config.near or fp.signature is None:
            return None
        return self._near(fp, parts)

    def observe(self, doc_id: str, text: str) -> Match | None:
        """`match`, then `add` the document if it is not a duplicate (fingerprinting it once)."""
        fp = self.fingerprint(text)
        found = self.match(fp)
        if found is None:
            self.emitted.append(self.add(doc_id, fp))
        return found

    def new_part_arrays(self) -> dict[str, np.ndarray]:
        """This run's kept documents as store arrays, rows in the order they were emitted."""
        return self.live.arrays(self.emitted)

    def _exact(self, fp: Fingerprint, parts: list[Part]) -> Match | None:
        for part in parts:
            for row in part.table.find(fp.lookup[:1]):
                if int(part.exact_keys([row])[0]) != fp.key:
                    continue  # another kind of key that happens to be equal
                if fp.signature is not None and not np.array_equal(part.signatures([row])[0], fp.signature):
                    continue  # a 64-bit key collision, caught by the signature
                return Match(reasons.EXACT_DUPLICATE, part.doc_id(row), 1.0, part.version)
        return None

    def _near(self, fp: Fingerprint, parts: list[Part]) -> Match | None:
        floor = self._floor()
        candidates: list[tuple[float, int, int]] = []
        for order, part in enumerate(parts):
            rows = part.table.find(fp.lookup[1:])
            if not rows:
                continue
            similarities = (part.signatures(rows) == fp.signature).mean(axis=1)
            candidates += [(-s, order, r) for s, r in zip(similarities.tolist(), rows, strict=True) if s >= floor]
        for negative, order, row in sorted(candidates)[:MAX_CANDIDATES]:
            part, similarity = parts[order], round(-negative, 4)
            jaccard = self._jaccard(fp, part, row) if self.config.verify_jaccard else None
            decided = jaccard if jaccard is not None else similarity
            if decided >= self.config.threshold:
                jaccard = round(jaccard, 4) if jaccard is not None else None
                return Match(reasons.NEAR_DUPLICATE, part.doc_id(row), similarity, part.version, jaccard)
        return None

    def _floor(self) -> float:
        """Lowest estimate worth a look: the threshold, or two standard errors below it when each
        candidate's exact Jaccard decides."""
        t = self.config.threshold
        if not self.config.verify_jaccard:
            return t
        return max(0.0, t - 2.0 * float(np.sqrt(t * (1.0 - t) / self.config.permutations)))

    def _jaccard(self, fp: Fingerprint, part: Part, row: int) -> float | None:
        other = part.shingle_sets.get(row)
        if other is None and part.text_of is not None:
            text = part.text_of(row)
            if text is not None:
                other = np.unique(self._shingling.hashes(normalise(text)))
        if other is None or fp.hashes is None:
            return None  # the text is not at hand: the estimate decides
        shared = len(np.intersect1d(fp.hashes, other, assume_unique=True))
        return shared / (len(fp.hashes) + len(other) - shared)


def _blank(params: IndexParams) -> Narrow:
    """The stored signature of a text with none (empty or short): never equal to a real one."""
    return np.full(params.permutations, np.iinfo(np.uint32).max, dtype=np.uint32)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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
        for batch in _batches(docs, self.config.batch):
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
            for batch in _batches(docs, self.config.batch):
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
