"""The dedup step's configuration and its index: what a text's fingerprint is and how a duplicate is found.

`DedupConfig` says when two documents are the same (exact key, MinHash threshold, shingles, keep
policy). A `Fingerprint` is what the index needs of one text: its exact key, its narrow MinHash
signature (none for a text shorter than one shingle: it is matched exactly only), its lookup keys
and its size in words. `DedupIndex` fingerprints texts in vectorised batches and finds the kept
document a text duplicates (a `Match`): by exact key first, then by the LSH candidates of its band
keys, best estimate first (at most `MAX_CANDIDATES`), over the parts of earlier versions (oldest
first, `index.Part`) and the live part of this run's kept documents.

The dedup step (`step.py`) decides with it, and the workers of a Dask run fingerprint with it
(`relay.py`); the config also drives the common-paragraph step (`paragraphs.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from curate import reasons
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
    keep: which document of a cluster is kept: `first`, `longest`, `newest` (steps/dedup/step.py).
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
        for batch in batches(items, self.config.batch):
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


def batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """`items` in lists of `size` (the last one shorter): the unit the index fingerprints at once."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
