from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curate.document import Document, Edit, Event, apply_edits, replay

texts = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200)


def test_edited_appends_events_and_keeps_the_original() -> None:
    doc = Document(id="a", source="s", text="hello")
    event = Event(step="strip", action="drop_line", rule="x.y", span=(0, 5), text="hello")
    new = doc.edited("", event)
    assert (doc.text, doc.provenance) == ("hello", ())
    assert (new.text, new.provenance) == ("", (event,))


def test_event_json_has_the_five_contract_keys_and_optional_ones_only_when_set() -> None:
    plain = Event(step="langid", action="tag").to_json()
    assert plain == {"step": "langid", "rule": None, "action": "tag", "span": None, "text": None}
    full = Event("repair", "replace", "r.x", (1, 2), "a", "b", {"k": 1}).to_json()
    assert full["replacement"] == "b" and full["detail"] == {"k": 1} and full["span"] == [1, 2]


def test_meta_cannot_be_mutated() -> None:
    doc = Document(id="a", source="s", text="t", meta={"k": 1})
    with pytest.raises(TypeError):
        doc.meta["k"] = 2  # type: ignore[index]


def test_apply_edits_rejects_overlaps() -> None:
    with pytest.raises(ValueError, match="overlapping"):
        apply_edits("abcdef", [Edit(0, 3, "", "x"), Edit(2, 4, "", "x")], "strip")


def test_replay_refuses_an_event_that_does_not_match_the_text() -> None:
    with pytest.raises(ValueError, match="does not match"):
        replay("abc", [Event("strip", "drop_line", span=(0, 1), text="z")])


@st.composite
def text_and_edits(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    text = draw(texts)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits = []
    for start, end in zip(cuts[::2], cuts[1::2]):
        edits.append(Edit(start, end, draw(st.text(max_size=5, alphabet="xyz \n")), "replace"))
    return text, edits


@given(text_and_edits())
def test_replay_of_apply_edits_events_gives_the_output(case: tuple[str, list[Edit]]) -> None:
    text, edits = case
    new, events = apply_edits(text, edits, "strip")
    assert replay(text, events) == new


@given(id=texts, text=texts, title=st.none() | texts, lang=st.none() | st.sampled_from(["en", "de"]),
       score=st.none() | st.floats(0, 1), meta=st.dictionaries(st.text(max_size=5), st.integers() | texts, max_size=3))
def test_document_json_round_trip(id: str, text: str, title: str | None, lang: str | None,
                                  score: float | None, meta: dict[str, object]) -> None:
    events = (Event("strip", "drop_line", "a.b", (0, 1), "x", None, {"n": 1}),)
    doc = Document(id=id, source="s", text=text, title=title, lang=lang, lang_score=score, meta=meta,
                   provenance=events)
    assert Document.from_json(doc.to_json()) == doc
