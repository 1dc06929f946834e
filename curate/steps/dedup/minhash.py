"""Text fingerprints for the dedup step: normalised text, shingles, MinHash signatures, band keys.

`normalise` and `exact_key` define when two texts are exact duplicates (case, whitespace and
punctuation folded). `Shingling` turns a normalised text into word or character n-grams.
`Signer.signatures` computes the MinHash signatures of a batch of documents in one vectorised pass:
every shingle of the batch is hashed once (xxh3_64), and a (shingles x permutations) block of
affine maps is reduced per document with `np.minimum.reduceat`, instead of one `MinHash.update` per
shingle. A signature equals datasketch's own `MinHash(num_perm, seed, hashfunc=xxh3_64,
scheme="affine64")` after `update_batch(shingles)`.

The index keeps signatures as their low 32 bits (`narrow`): two 64-bit minima are equal exactly
when their low halves are, except with probability 2^-32 per permutation, so the similarity
estimate is unchanged and the index is half the size. `band_keys` hashes each LSH band of a narrow
signature to one uint64, salted with the band number, so one sorted array can hold every band.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, TypeAlias

import numpy as np
import numpy.typing as npt
import regex
import xxhash

Signature: TypeAlias = npt.NDArray[np.uint64]
Narrow: TypeAlias = npt.NDArray[np.uint32]
Keys: TypeAlias = npt.NDArray[np.uint64]

# datasketch's "affine64" scheme: pre-mix each input hash with the 64-bit MurmurHash3 finalizer,
# then apply h -> a*h + b mod 2^64 with odd a. We reproduce it so our signatures are datasketch
# signatures.
SCHEME: Final = "affine64"
_FMIX: Final = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_MAX64: Final = np.iinfo(np.uint64).max
# Shingles hashed per matrix block: CHUNK x permutations x 8 bytes (2 MiB at 128). A block that stays
# in the CPU cache between the multiply and the reduction is faster than a bigger one (8192: 1.4x slower).
_CHUNK: Final = 2048
# Multiplier of the band-key combiner (the 64-bit golden ratio, odd).
_COMBINE: Final = np.uint64(0x9E3779B97F4A7C15)
# Punctuation (Unicode category P) folds to a space: "Hello,world" and "Hello, world" are one text.
_PUNCTUATION: Final = regex.compile(r"\p{P}+")
_SPACE: Final = ord(" ")
# Names the normalisation and hashing, so a stored index made another way is never mixed in.
FINGERPRINT_SCHEME: Final = "curate-minhash-1"


def normalise(text: str) -> str:
    """NFC, case-folded, punctuation folded to spaces, whitespace runs collapsed, trimmed.

    >>> normalise("  The\\tCAT,\\n\\nsat! ")
    'the cat sat'
    """
    folded = _PUNCTUATION.sub(" ", unicodedata.normalize("NFC", text).casefold())
    # str.split() with no argument splits on every Unicode whitespace run, faster than a regex
    return " ".join(folded.split())


def exact_key(normalised: str) -> int:
    """A 64-bit digest of normalised text; equal keys mean exact duplicates.

    xxh3 rather than Python's hash(): it is the same in every process (PYTHONHASHSEED varies).
    64 bits give a chance collision about once in 2^64/n^2 (1 in 3e7 at a million documents); in
    near mode a key match is also checked against the signatures, which makes it negligible.
    """
    return xxhash.xxh3_64_intdigest(normalised.encode("utf-8"))


@dataclass(frozen=True)
class Shingling:
    """How a normalised text is cut into shingles: `words:N` (word N-grams) or `chars:N`.

    A text shorter than one shingle becomes a single shingle of the whole text, so two different
    short texts ("Yes", "No") never share a shingle (and never cluster), while two equal ones are
    caught as exact duplicates; an empty text has no shingles and no signature.
    """

    unit: str = "words"
    size: int = 5

    @classmethod
    def parse(cls, spec: str) -> Shingling:
        """'words:5' -> Shingling('words', 5); ValueError naming the accepted forms otherwise."""
        unit, _, size = spec.partition(":")
        if unit not in ("words", "chars") or not size.isdigit() or int(size) < 1:
            raise ValueError(f"shingle spec must be words:N or chars:N with N >= 1, got {spec!r}")
        return cls(unit, int(size))

    def __str__(self) -> str:
        return f"{self.unit}:{self.size}"

    def __call__(self, normalised: str) -> list[str]:
        """The shingles of a normalised text.

        >>> Shingling("words", 3)("a b c d")
        ['a b c', 'b c d']
        >>> Shingling("words", 5)("yes"), Shingling("chars", 3)("abcd")
        (['yes'], ['abc', 'bcd'])
        """
        if not normalised:
            return []
        if self.unit == "chars":
            if len(normalised) <= self.size:
                return [normalised]
            return [normalised[i : i + self.size] for i in range(len(normalised) - self.size + 1)]
        words = normalised.split(" ")
        if len(words) <= self.size:
            return [normalised]
        return [" ".join(words[i : i + self.size]) for i in range(len(words) - self.size + 1)]

    def hashes(self, normalised: str) -> npt.NDArray[np.uint64]:
        """`shingle_hashes(self(normalised))`, without building the shingles for word n-grams: a
        normalised text has one space between words, so shingle k is the byte range from word k's
        start to word k+size-1's end, hashed in place (half the time of joining and encoding).

        >>> h = Shingling("words", 2).hashes("a b c")
        >>> h.tolist() == shingle_hashes(["a b", "b c"]).tolist()
        True
        """
        if self.unit == "chars" or not normalised:
            return shingle_hashes(self(normalised))
        data = normalised.encode("utf-8")
        spaces = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == _SPACE)
        if len(spaces) < self.size:  # at most `size` words: the whole text is the one shingle
            return shingle_hashes([normalised])
        starts = [0, *(spaces + 1).tolist()][: len(spaces) + 2 - self.size]
        ends = [*spaces.tolist(), len(data)][self.size - 1 :]
        view, digest = memoryview(data), xxhash.xxh3_64_intdigest
        return np.fromiter((digest(view[start:end]) for start, end in zip(starts, ends, strict=True)),
                           dtype=np.uint64, count=len(starts))


def shingles(normalised: str, size: int) -> list[str]:
    """Word `size`-grams of a normalised text (see `Shingling`).

    >>> shingles("a b c d", 3)
    ['a b c', 'b c d']
    """
    return Shingling("words", size)(normalised)


def shingle_hashes(items: Sequence[str]) -> npt.NDArray[np.uint64]:
    """xxh3_64 of each shingle, as datasketch's `hashfunc=xxh3_64_intdigest` sees it."""
    return np.fromiter(
        (xxhash.xxh3_64_intdigest(item.encode("utf-8")) for item in items),
        dtype=np.uint64,
        count=len(items),
    )


def _fmix64(values: Signature) -> Signature:
    shift, m1, m2 = _FMIX
    values = values ^ (values >> shift)
    values = values * m1
    values = values ^ (values >> shift)
    values = values * m2
    return values ^ (values >> shift)


class Signer:
    """MinHash signatures: `permutations` seeded affine maps over xxh3_64 shingle hashes."""

    def __init__(self, permutations: int, seed: int) -> None:
        self.permutations = permutations
        self.seed = seed
        self._a, self._b = _affine_parameters(permutations, seed)

    def signature(self, items: list[str]) -> Signature | None:
        """The signature of one set of shingles, or None for the empty set (nothing to compare)."""
        return self.signatures([items])[0] if items else None

    def signatures(self, batch: Sequence[Sequence[str]]) -> Signature:
        """Signatures of a batch of shingle lists, one row each; an empty list gives all-max."""
        counts = np.fromiter((len(items) for items in batch), dtype=np.int64, count=len(batch))
        hashes = shingle_hashes([item for items in batch for item in items])
        return self.signatures_of_hashes(hashes, counts)

    def signatures_of_hashes(self, hashes: npt.NDArray[np.uint64], counts: npt.NDArray[np.int64]) -> Signature:
        """Signatures from the concatenated shingle hashes of documents with `counts` shingles each."""
        result = np.full((len(counts), self.permutations), _MAX64, dtype=np.uint64)
        mixed = _fmix64(hashes)
        ends = np.cumsum(counts)
        starts = ends - counts
        for first, last in _row_groups(counts):
            lo, hi = int(starts[first]), int(ends[last - 1])
            for begin in range(lo, hi, _CHUNK):
                self._reduce_block(mixed, begin, min(begin + _CHUNK, hi), starts[first:last], ends[first:last],
                                   result[first:last])
        return result

    def _reduce_block(self, mixed: Signature, begin: int, end: int, starts: npt.NDArray[np.int64],
                      ends: npt.NDArray[np.int64], out: Signature) -> None:
        """Fold shingles [begin, end) into the rows of the documents they belong to."""
        block = mixed[begin:end, None] * self._a + self._b  # wraps mod 2^64, as intended
        rows = np.flatnonzero((ends > begin) & (starts < end) & (ends > starts))
        offsets = np.maximum(starts[rows], begin) - begin
        # fancy indexing copies, so the reduced rows are written back by assignment
        out[rows] = np.minimum(out[rows], np.minimum.reduceat(block, offsets, axis=0))


def _row_groups(counts: npt.NDArray[np.int64]) -> list[tuple[int, int]]:
    """Consecutive document ranges [first, last) of about _CHUNK shingles each."""
    groups, first, total = [], 0, 0
    for i, count in enumerate(counts.tolist()):
        total += count
        if total >= _CHUNK:
            groups.append((first, i + 1))
            first, total = i + 1, 0
    if first < len(counts):
        groups.append((first, len(counts)))
    return groups


def narrow(signatures: Signature) -> Narrow:
    """The low 32 bits of each signature value: what the index stores and compares."""
    return (signatures & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def band_keys(signatures: Narrow, bands: int, rows: int) -> Keys:
    """One uint64 key per (document, band): band b of a narrow signature hashed, salted with b.

    Two documents share a key in band b exactly when their `rows` values of that band are equal
    (up to 64-bit collisions), which is the LSH bucket test. Shape (documents, bands).
    """
    n = signatures.shape[0]
    values = signatures[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    keys = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64), (n, bands)).copy()
    for j in range(rows):
        keys = (keys ^ values[:, :, j]) * _COMBINE
    return _fmix64(keys)


def salted(keys: Keys, salt: int) -> Keys:
    """Exact-text keys moved into their own key space, apart from every band's keys."""
    mixed_salt = np.uint64((salt * int(_COMBINE)) & 0xFFFFFFFFFFFFFFFF)  # Python ints: no overflow warning
    return _fmix64(keys ^ mixed_salt)


@functools.cache
def lsh_parameters(threshold: float, permutations: int, fn_weight: float = 0.95) -> tuple[int, int]:
    """(bands, rows) with bands x rows <= permutations minimising the weighted LSH error.

    The error is datasketch's: the area under the candidate curve 1-(1-s^r)^b below the threshold
    (false positives) and above it (false negatives). Candidates are checked against the threshold
    afterwards, so a false positive only costs one comparison while a false negative is a missed
    duplicate: false negatives weigh 0.95. At 0.8 and 128 permutations this gives 16 bands of 8
    rows (a pair at similarity 0.8 becomes a candidate with probability 0.95; at 0.5, 0.06).
    Cached: a pure function of its arguments that takes ~0.2 s.
    """
    grid = np.linspace(0.0, 1.0, 2001)
    below, above = grid <= threshold, grid >= threshold
    best, best_error = (1, permutations), math.inf
    for bands in range(1, permutations + 1):
        for rows in range(1, permutations // bands + 1):
            curve = 1.0 - (1.0 - grid**rows) ** bands
            fp = np.trapezoid(curve[below], grid[below])
            fn = np.trapezoid(1.0 - curve[above], grid[above])
            error = float((1.0 - fn_weight) * fp + fn_weight * fn)
            if error < best_error:
                best, best_error = (bands, rows), error
    return best


def _affine_parameters(permutations: int, seed: int) -> tuple[Signature, Signature]:
    """The same (a, b) datasketch draws for scheme "affine64" from `np.random.RandomState(seed)`."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 63, permutations, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = gen.randint(0, 1 << 64, permutations, dtype=np.uint64)
    return a, b
