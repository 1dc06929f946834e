"""Text fingerprints: MinHash signatures equal datasketch's, shingle hashes, LSH bands and rows."""

from __future__ import annotations

import pytest
import xxhash
from datasketch import MinHash

from curate.steps.dedup.minhash import (
    Shingling,
    Signer,
    lsh_parameters,
    normalise,
    shingle_hashes,
    shingles,
)
from tests.steps.dedup.texts import article


def test_signatures_are_fixed_numbers_in_every_process() -> None:
    # Pinned values: a signature that used Python's hash() would change with PYTHONHASHSEED and fail
    # here.
    expected = [1399460350181482799, 1233909161639672058, 170584340124955666, 13362332397383830143]
    assert Signer(4, 1).signature(["a b c", "d e f"]).tolist() == expected


def test_signature_equals_datasketch_minhash() -> None:
    items = shingles(normalise(article(12, words=5000)), 5)  # more shingles than one numpy block
    reference = MinHash(128, seed=1, hashfunc=xxhash.xxh3_64_intdigest, scheme="affine64")
    reference.update_batch([item.encode("utf-8") for item in items])
    assert (Signer(128, 1).signature(items) == reference.hashvalues).all()


def test_empty_text_has_no_signature() -> None:
    assert Signer(128, 1).signature(shingles(normalise(" \n "), 5)) is None


def test_batch_signatures_equal_datasketch_for_each_document() -> None:
    batch = [shingles(normalise(article(seed, words)), 5) for seed, words in [(1, 300), (2, 0), (3, 9000), (4, 3)]]
    signatures = Signer(128, 1).signatures(batch)
    for items, row in zip(batch, signatures, strict=True):
        reference = MinHash(128, seed=1, hashfunc=xxhash.xxh3_64_intdigest, scheme="affine64")
        reference.update_batch([item.encode("utf-8") for item in items])
        assert (row == reference.hashvalues).all()


@pytest.mark.parametrize("text", ["", "one", "a b c d", "a b c d e", "a b c d e f", " a  b c ", "x" * 50,
                                  "ünï cödé 東京 слово αβγ ẞ 🙂 e\u0301 z", article(7, words=3000)])
@pytest.mark.parametrize("size", [1, 2, 5])
def test_shingle_hashes_in_place_equal_hashing_the_joined_shingles(text: str, size: int) -> None:
    shingling = Shingling("words", size)  # any spacing, not only normalised text: the same shingles
    assert shingling.hashes(text).tolist() == shingle_hashes(shingling(text)).tolist()
    chars = Shingling("chars", size)
    assert chars.hashes(text).tolist() == shingle_hashes(chars(text)).tolist()


def test_bands_and_rows_follow_the_threshold() -> None:
    assert lsh_parameters(0.8, 128) == (16, 8)
    assert lsh_parameters(0.5, 128)[1] < lsh_parameters(0.9, 128)[1]
