"""The dedup step: exact and near duplicates dropped with the kept id, first in input order kept."""

from __future__ import annotations

from collections.abc import Callable

from curate import reasons
from curate.document import Document, Dropped
from curate.steps.dedup.fingerprint import DedupConfig, DedupIndex
from curate.steps.dedup.minhash import Shingling, normalise, shingles
from curate.steps.dedup.step import Dedup
from tests.steps.dedup.texts import article, one_word_changed

MakeDoc = Callable[..., Document]


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


def test_punctuation_is_folded_for_exact_duplicates(make_doc: MakeDoc) -> None:
    out = run([make_doc("Hello, world! It's here.", id="a"), make_doc("hello world it s here", id="b")])
    assert out[1].reason == reasons.EXACT_DUPLICATE


def test_char_shingles_are_parsed_and_used(make_doc: MakeDoc) -> None:
    assert Shingling.parse("chars:7")("abcdefgh") == ["abcdefg", "bcdefgh"]
    text = article(13)
    out = run([make_doc(text, id="a"), make_doc(one_word_changed(text), id="b")], DedupConfig(shingle="chars:9"))
    assert out[1].reason == reasons.NEAR_DUPLICATE


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
