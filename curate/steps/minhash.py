"""Text fingerprints for the dedup step: normalised-text keys and numpy MinHash signatures.

`normalise` and `exact_key` define when two texts are exact duplicates. `Signer` computes a
MinHash signature for a whole document in one vectorised pass instead of one `MinHash.update`
per shingle. The signature equals datasketch's own `MinHash(num_perm, seed, hashfunc=xxh3_64,
scheme="affine64")` after `update_batch(shingles)`, so it can be fed to `MinHashLSH` as a
`LeanMinHash`.
"""

from __future__ import annotations

import unicodedata
from typing import Final, TypeAlias

import numpy as np
import numpy.typing as npt
import xxhash

Signature: TypeAlias = npt.NDArray[np.uint64]

# datasketch's "affine64" scheme: pre-mix each input hash with the 64-bit MurmurHash3 finalizer,
# then
# apply h -> a*h + b mod 2^64 with odd a. We reproduce it so our signatures are datasketch
# signatures.
SCHEME: Final = "affine64"
_FMIX: Final = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))

# Shingles hashed per matrix block: bounds memory to CHUNK x permutations x 8 bytes (4 MiB at 128).
_CHUNK: Final = 4096


def normalise(text: str) -> str:
    """NFC, case-folded, whitespace runs collapsed to one space, trimmed.

    >>> normalise("  The\\tCAT\\n\\nsat ")
    'the cat sat'
    """
    # str.split() with no argument splits on every Unicode whitespace run and is ~5x faster than a
    # regex
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def exact_key(normalised: str) -> bytes:
    """A 128-bit digest of normalised text; equal keys mean exact duplicates.

    xxh3_128 rather than Python's hash(): it is the same in every process (PYTHONHASHSEED varies).
    """
    return xxhash.xxh3_128_digest(normalised.encode("utf-8"))


def shingles(normalised: str, size: int) -> list[str]:
    """Word `size`-grams of a normalised text.

    A text shorter than `size` words becomes one shingle of all its words, so two different short
    texts ("Yes", "No") never share a shingle; an empty text has none.

    >>> shingles("a b c d", 3)
    ['a b c', 'b c d']
    >>> shingles("yes", 5), shingles("", 5)
    (['yes'], [])
    """
    words = normalised.split(" ") if normalised else []
    if len(words) <= size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


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
        """The signature of a set of shingles, or None for the empty set (nothing to compare)."""
        if not items:
            return None
        hashes = np.fromiter(
            (xxhash.xxh3_64_intdigest(item.encode("utf-8")) for item in items),
            dtype=np.uint64,
            count=len(items),
        )
        mixed = _fmix64(hashes)
        result = np.full(self.permutations, np.iinfo(np.uint64).max, dtype=np.uint64)
        for start in range(0, len(mixed), _CHUNK):
            block = (
                mixed[start : start + _CHUNK, None] * self._a + self._b
            )  # wraps mod 2^64, as intended
            np.minimum(result, block.min(axis=0), out=result)
        return result


def _affine_parameters(permutations: int, seed: int) -> tuple[Signature, Signature]:
    """The same (a, b) datasketch draws for scheme "affine64" from `np.random.RandomState(seed)`."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 63, permutations, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = gen.randint(0, 1 << 64, permutations, dtype=np.uint64)
    return a, b
