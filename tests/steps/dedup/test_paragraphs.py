"""Paragraphs common to many documents of a run are removed, each removal an event."""

from __future__ import annotations

from collections.abc import Callable

from curate import reasons
from curate.document import Document, Dropped, replay
from curate.steps.dedup import DedupConfig
from curate.steps.dedup.paragraphs import COMMON_RULE, ParagraphDedup

MakeDoc = Callable[..., Document]
BLURB = "This story was first published by the Example Wire and is republished with permission."


def docs(make_doc: MakeDoc, count: int) -> list[Document]:
    return [make_doc(f"Story {i} opens with its own words here.\n{BLURB}\nAnd story {i} ends its own way too.\n",
                     id=str(i)) for i in range(count)]


def run(items: list[Document], minimum: int) -> list[Document | Dropped]:
    return list(ParagraphDedup(DedupConfig(common_paragraphs=minimum)).run(items))


def test_a_paragraph_in_enough_documents_is_removed_from_each(make_doc: MakeDoc) -> None:
    out = run(docs(make_doc, 3), 3)
    assert all(BLURB not in doc.text and "its own words" in doc.text for doc in out)


def test_each_removal_is_an_event_that_replays(make_doc: MakeDoc) -> None:
    original = docs(make_doc, 3)[0]
    out = run(docs(make_doc, 3), 3)[0]
    (event,) = out.provenance
    assert (event.step, event.action, event.rule) == ("dedup", "drop_paragraph", COMMON_RULE)
    assert event.detail["documents"] == 3
    assert replay(original.text, out.provenance) == out.text


def test_a_paragraph_in_fewer_documents_stays(make_doc: MakeDoc) -> None:
    items = docs(make_doc, 3)
    assert run(items, 4) == items


def test_off_by_default(make_doc: MakeDoc) -> None:
    items = docs(make_doc, 5)
    assert list(ParagraphDedup(DedupConfig()).run(items)) == items


def test_a_document_of_only_common_paragraphs_is_dropped_as_empty(make_doc: MakeDoc) -> None:
    items = [*docs(make_doc, 2), make_doc(BLURB + "\n", id="blurb-only")]
    out = run(items, 3)
    assert isinstance(out[2], Dropped) and out[2].reason == reasons.EMPTY


def test_output_keeps_input_order(make_doc: MakeDoc) -> None:
    assert [doc.id for doc in run(docs(make_doc, 4), 2)] == ["0", "1", "2", "3"]
