"""The dedup step: exact and near duplicates dropped with the kept id, first in input order kept."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
import xxhash
from datasketch import MinHash

from curate import reasons
from curate.document import Document, Dropped
from curate.errors import ConfigError
from curate.steps.dedup.index import Part
from curate.steps.dedup.minhash import (
    Shingling,
    Signer,
    lsh_parameters,
    normalise,
    shingle_hashes,
    shingles,
)
from curate.steps.dedup.step import Dedup, DedupConfig, DedupIndex, Match

MakeDoc = Callable[..., Document]


def article(seed: int, words: int = 200) -> str:
    rng = random.Random(seed)
    vocabulary = [f"word{i}" for i in range(2000)]
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def one_word_changed(text: str) -> str:
    words = text.split()
    words[len(words) // 2] = "CHANGED"
    return " ".join(words)


def run(
    docs: list[Document], config: DedupConfig | None = None, index: DedupIndex | None = None
) -> list:
    return list(Dedup(config or DedupConfig(), index).run(docs))


def test_exact_duplicate_is_dropped_with_the_kept_id(make_doc: MakeDoc) -> None:
    text = article(1)
    out = run([make_doc(text, id="a"), make_doc("  " + text.upper() + "\n", id="b")])
    assert out[0].id == "a"
    assert isinstance(out[1], Dropped)
    assert out[1].reason == reasons.EXACT_DUPLICATE
    assert dict(out[1].detail) == {"duplicate_of": "a", "similarity": 1.0}


def test_dropped_document_carries_a_drop_event(make_doc: MakeDoc) -> None:
    text = article(1)
    dropped = run([make_doc(text, id="a"), make_doc(text, id="b")])[1]
    event = dropped.document.provenance[-1]
    assert (event.step, event.action, event.rule) == ("dedup", "drop_doc", "dedup.exact")
    assert dict(event.detail) == {"duplicate_of": "a", "similarity": 1.0}


def test_near_duplicate_is_dropped_with_its_similarity(make_doc: MakeDoc) -> None:
    text = article(2)
    out = run([make_doc(text, id="a"), make_doc(one_word_changed(text), id="b")])
    assert isinstance(out[1], Dropped)
    assert out[1].reason == reasons.NEAR_DUPLICATE
    assert out[1].detail["duplicate_of"] == "a"
    assert 0.8 <= out[1].detail["similarity"] < 1.0
    assert out[1].document.provenance[-1].rule == "dedup.minhash"


def test_different_texts_are_kept(make_doc: MakeDoc) -> None:
    docs = [make_doc(article(seed), id=str(seed)) for seed in range(5)]
    assert run(docs) == docs


def test_first_document_in_input_order_is_kept(make_doc: MakeDoc) -> None:
    text = article(3)
    out = run([make_doc(one_word_changed(text), id="first"), make_doc(text, id="second")])
    assert out[0].id == "first"
    assert out[1].detail["duplicate_of"] == "first"


def test_short_distinct_texts_are_not_clustered(make_doc: MakeDoc) -> None:
    docs = [make_doc(text, id=text) for text in ["Yes", "No", "Thanks!", "Read more", ""]]
    assert run(docs) == docs


def test_short_texts_differing_in_case_and_spacing_are_exact_duplicates(make_doc: MakeDoc) -> None:
    out = run([make_doc("Read more", id="a"), make_doc("READ   more", id="b")])
    assert isinstance(out[1], Dropped)
    assert out[1].reason == reasons.EXACT_DUPLICATE


def test_annotate_keeps_every_document_and_marks_duplicates(make_doc: MakeDoc) -> None:
    text = article(4)
    docs = [
        make_doc(text, id="a"),
        make_doc(one_word_changed(text), id="b"),
        make_doc(article(5), id="c"),
    ]
    out = run(docs, DedupConfig(annotate=True))
    assert all(isinstance(doc, Document) for doc in out)
    assert [doc.meta["duplicate_of"] for doc in out] == [None, "a", None]
    assert out[1].meta["similarity"] >= 0.8
    assert out[1].provenance[-1].action == "mark_duplicate"


def test_index_seeded_from_parent_texts_drops_a_repeat(make_doc: MakeDoc) -> None:
    text = article(6)
    index = DedupIndex.from_texts(DedupConfig(), [("old-1", article(7)), ("old-2", text)])
    out = run([make_doc(one_word_changed(text), id="new")], index=index)
    assert isinstance(out[0], Dropped)
    assert out[0].detail["duplicate_of"] == "old-2"


def test_match_returns_reason_id_and_similarity() -> None:
    index = DedupIndex(DedupConfig())
    index.add("kept", article(8))
    assert index.match(article(8)) == Match(reasons.EXACT_DUPLICATE, "kept", 1.0)
    assert index.match(article(9)) is None


def test_near_only_reports_exact_copies_as_near_duplicates(make_doc: MakeDoc) -> None:
    text = article(10)
    out = run([make_doc(text, id="a"), make_doc(text, id="b")], DedupConfig(exact=False))
    assert out[1].reason == reasons.NEAR_DUPLICATE
    assert out[1].detail["similarity"] == 1.0


def test_exact_only_keeps_near_duplicates(make_doc: MakeDoc) -> None:
    text = article(11)
    docs = [make_doc(text, id="a"), make_doc(one_word_changed(text), id="b")]
    assert run(docs, DedupConfig(near=False)) == docs


def test_runs_are_deterministic(make_doc: MakeDoc) -> None:
    base = [article(seed) for seed in range(6)]
    texts = base + [one_word_changed(text) for text in base] + base[:2]
    docs = [make_doc(text, id=str(i)) for i, text in enumerate(texts)]
    assert run(docs) == run(docs)


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


def test_out_of_range_threshold_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="threshold"):
        DedupConfig(threshold=1.5)


def test_punctuation_is_folded_for_exact_duplicates(make_doc: MakeDoc) -> None:
    out = run([make_doc("Hello, world! It's here.", id="a"), make_doc("hello world it s here", id="b")])
    assert out[1].reason == reasons.EXACT_DUPLICATE


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


def test_bands_and_rows_follow_the_threshold() -> None:
    assert lsh_parameters(0.8, 128) == (16, 8)
    assert lsh_parameters(0.5, 128)[1] < lsh_parameters(0.9, 128)[1]


def test_char_shingles_are_parsed_and_used(make_doc: MakeDoc) -> None:
    assert Shingling.parse("chars:7")("abcdefgh") == ["abcdefg", "bcdefgh"]
    text = article(13)
    out = run([make_doc(text, id="a"), make_doc(one_word_changed(text), id="b")], DedupConfig(shingle="chars:9"))
    assert out[1].reason == reasons.NEAR_DUPLICATE


def test_bad_shingle_spec_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="words:N or chars:N"):
        DedupConfig(shingle="lines:3")


def test_many_distinct_short_documents_stay_apart(make_doc: MakeDoc) -> None:
    docs = [make_doc(f"short note number {i}", id=str(i)) for i in range(300)]
    assert run(docs) == docs


def test_keep_longest_keeps_the_fuller_copy_and_emits_in_input_order(make_doc: MakeDoc) -> None:
    text = article(14, words=300)
    short = " ".join(text.split()[:280])
    out = run([make_doc(short, id="short"), make_doc(text, id="long"), make_doc(article(15), id="other")],
              DedupConfig(keep="longest"))
    assert [o.id if isinstance(o, Document) else o.document.id for o in out] == ["short", "long", "other"]
    assert isinstance(out[0], Dropped) and out[0].detail["duplicate_of"] == "long"
    assert isinstance(out[1], Document)


def test_keep_newest_keeps_the_latest_date(make_doc: MakeDoc) -> None:
    text = article(16)
    docs = [make_doc(text, id="old", meta={"date": "2024-01-02"}),
            make_doc(one_word_changed(text), id="new", meta={"date": "2024-03-01"})]
    out = run(docs, DedupConfig(keep="newest"))
    assert isinstance(out[0], Dropped) and out[0].detail["duplicate_of"] == "new"


def test_verify_jaccard_records_the_exact_similarity(make_doc: MakeDoc) -> None:
    text = article(17)
    changed = one_word_changed(text)
    out = run([make_doc(text, id="a"), make_doc(changed, id="b")], DedupConfig(verify_jaccard=True))
    first, second = set(shingles(normalise(text), 5)), set(shingles(normalise(changed), 5))
    assert out[1].detail["jaccard"] == round(len(first & second) / len(first | second), 4)


def test_verify_jaccard_rejects_a_pair_below_the_threshold() -> None:
    index = DedupIndex(DedupConfig(verify_jaccard=True, threshold=0.9))
    text = article(18)
    index.add("kept", text)
    words = text.split()
    words[50:62] = ["NEW"] * 12  # about 0.8 similar: under 0.9 by the exact Jaccard
    assert index.match(" ".join(words)) is None


def test_a_stored_part_answers_like_the_live_one() -> None:
    config = DedupConfig()
    live = DedupIndex(config)
    for seed in range(5):
        live.observe(f"doc{seed}", article(seed + 20))
    arrays = live.new_part_arrays()
    part = Part.from_arrays(live.params, live.params, arrays, version="v0001", entry={})
    stored = DedupIndex(config, [part])
    found = stored.match(one_word_changed(article(22)))
    assert (found.kept_id, found.version, found.reason) == ("doc2", "v0001", reasons.NEAR_DUPLICATE)


def test_a_stored_part_serves_another_threshold_from_its_signatures() -> None:
    live = DedupIndex(DedupConfig())
    live.observe("doc", article(30))
    part = Part.from_arrays(DedupConfig(threshold=0.6).index_params(), live.params, live.new_part_arrays(),
                            version="v0001", entry={})
    stored = DedupIndex(DedupConfig(threshold=0.6), [part])
    assert stored.match(one_word_changed(article(30))).kept_id == "doc"
