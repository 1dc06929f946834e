"""The dedup config and index: config errors, fingerprints with datasketch signatures, matches."""

from __future__ import annotations

import pytest
import xxhash
from datasketch import MinHash

from curate import reasons
from curate.errors import ConfigError
from curate.steps.dedup.fingerprint import DedupConfig, DedupIndex, Match
from curate.steps.dedup.minhash import normalise, shingles
from tests.steps.dedup.texts import article


def test_match_returns_reason_id_and_similarity() -> None:
    index = DedupIndex(DedupConfig())
    index.add("kept", article(8))
    assert index.match(article(8)) == Match(reasons.EXACT_DUPLICATE, "kept", 1.0)
    assert index.match(article(9)) is None


def test_out_of_range_threshold_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="threshold"):
        DedupConfig(threshold=1.5)


def test_index_fingerprints_carry_datasketch_signatures() -> None:
    config = DedupConfig()
    texts = [article(seed, words) for seed, words in [(1, 300), (3, 9000), (4, 3), (5, 1200)]]
    for text, fp in zip(texts, DedupIndex(config).fingerprints(texts), strict=True):
        reference = MinHash(128, seed=1, hashfunc=xxhash.xxh3_64_intdigest, scheme="affine64")
        reference.update_batch([item.encode("utf-8") for item in shingles(normalise(text), 5)])
        if fp.signature is None:  # shorter than one shingle: exact matching only
            assert len(normalise(text).split()) < 5
        else:
            assert fp.signature.tolist() == (reference.hashvalues & 0xFFFFFFFF).tolist()


def test_bad_shingle_spec_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="words:N or chars:N"):
        DedupConfig(shingle="lines:3")


def test_verify_jaccard_rejects_a_pair_below_the_threshold() -> None:
    index = DedupIndex(DedupConfig(verify_jaccard=True, threshold=0.9))
    text = article(18)
    index.add("kept", text)
    words = text.split()
    words[50:62] = ["NEW"] * 12  # about 0.8 similar: under 0.9 by the exact Jaccard
    assert index.match(" ".join(words)) is None
