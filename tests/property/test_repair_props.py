"""Invariants of repair on generated text: idempotent, replayable, in-bounds spans, a sound ftfy skip.

Texts are built from fragments that exercise every pass (mojibake, entities, markup remnants,
invisible characters, full-width forms, glued words, missing spaces, line-end hyphens, stray
whitespace) mixed with arbitrary characters. Profile "ci" (conftest).
"""

from __future__ import annotations

import ftfy
from hypothesis import given, settings
from hypothesis import strategies as st

from curate.document import Document, replay
from curate.steps.repair import Repair, RepairConfig
from curate.steps.repair.ftfy import needs_ftfy
from curate.steps.repair.langs import TOP_WORDS

REPAIR = Repair(RepairConfig())  # module level: hypothesis reruns the test body, not fixtures
FIXER = RepairConfig().fixer_config()

FRAGMENTS = [
    "UkraineThe",
    "BarcelonaUS",
    "crisiscaused",
    "can,due",
    "end.The",
    "U.S.",
    "3.14",
    "1,000",
    "a@b.org",
    "example.com",
    "[text](#)",
    "[a [b](#)](#)",
    "![img](#)",
    "&amp;",
    "&lt;b&gt;",
    "<b>",
    "cafÃ©",
    "â€™",
    "\u00a0",
    " ",
    "  ",
    "\n",
    "\n\n\n",
    "\t",
    "\r\n",
    "\x00",
    "\x85",
    "é",
    "e\u0301",
    "“",
    "”",
    "，",
    "「",
    "iPhone",
    "McDonald's",
    "word",
    "The",
    "the",
    ",",
    ".",
    "…",
    "#tag",
    "Mr.Smith",
    "talksThe",
    ", He urged",
    "Lord, He",
    " \u00a0 ",
    "[",
    "](#)",
    "ﬁ",
    "<b>",
    "</span>",
    "<br/>",
    "![img](x.png)",
    "[link](https://x.org)",
    "\u200b",
    "\u00ad",
    "\u202e",
    "Ｔｒｕｍｐ",
    ",,",
    "-\n",
    "infra-\nstructure",
    "toHuawei",
    "invitationInstead",
    "ofthe",
    "ภาษา",
    "vÄ›dách",
    "efektivitāteViens",
    "MrGarrett",
    "deGrom",
    "надороге",
    "zumBahnhof",
    "tis.Kč",
    "underdelivering",
]
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=12).map(
    "".join
)


def repaired(text: str) -> Document:
    return REPAIR.apply(Document(id="p", source="prop", text=text))


@settings(max_examples=150)
@given(texts)
def test_repair_is_idempotent(text: str) -> None:
    once = repaired(text).text
    assert repaired(once).text == once


@settings(max_examples=150)
@given(texts)
def test_events_replay_to_the_output(text: str) -> None:
    doc = repaired(text)
    assert replay(text, doc.provenance) == doc.text


@given(texts)
def test_every_span_is_in_bounds_of_the_text_it_was_measured_on(text: str) -> None:
    current = text
    for event in repaired(text).provenance:
        assert event.span is not None
        start, end = event.span
        assert 0 <= start <= end <= len(current)
        assert current[start:end] == event.text
        current = replay(current, [event])


@settings(max_examples=300)
@given(st.text(max_size=20))
def test_text_the_cheap_check_passes_is_left_alone_by_ftfy(text: str) -> None:
    if not needs_ftfy(text):
        assert ftfy.fix_text(text, FIXER) == text


@st.composite
def correct_sentences(draw: st.DrawFn) -> tuple[str, str]:
    """(language, a sentence of its frequent words, capitalised, with commas and a full stop)."""
    lang = draw(st.sampled_from(sorted(TOP_WORDS)))
    words = draw(st.lists(st.sampled_from(TOP_WORDS[lang].split()), min_size=3, max_size=15))
    commas = draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    body = " ".join(w + ("," if c else "") for w, c in zip(words[:-1], commas, strict=False))
    sentence = f"{body} {words[-1]}."
    return lang, sentence[0].upper() + sentence[1:]


@settings(max_examples=200)
@given(correct_sentences(), st.booleans())
def test_correct_sentences_in_any_language_are_left_alone(
    sample: tuple[str, str], tagged: bool
) -> None:
    lang, sentence = sample
    doc = Document(id="p", source="prop", text=sentence, lang=lang if tagged else None)
    assert REPAIR.apply(doc).provenance == ()
