"""The langid step: languages, the undetermined case, determinism and the bounded sample."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from langdetect.detector_factory import DetectorFactory

from curate.document import Document
from curate.steps.langid import Langid, LangidConfig, sample_text

SAMPLES = {
    "en": "The city council approved the new budget on Tuesday after a long debate about public transport.",
    "de": "Der Stadtrat hat am Dienstag nach einer langen Debatte über den Nahverkehr den neuen Haushalt beschlossen.",
    "fr": "Le conseil municipal a approuvé mardi le nouveau budget après un long débat sur les transports publics.",
    "es": "El ayuntamiento aprobó el martes el nuevo presupuesto tras un largo debate sobre el transporte público.",
}


@pytest.fixture(scope="module")
def langid() -> Langid:
    return Langid(LangidConfig())


@pytest.fixture
def tag(langid: Langid, make_doc: Callable[..., Document]) -> Callable[[str], Document]:
    return lambda text: langid.apply(make_doc(text=text))


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_language_is_detected(tag: Callable[[str], Document], lang: str) -> None:
    doc = tag(SAMPLES[lang])
    assert doc.lang == lang
    assert doc.lang_score is not None and 0.9 <= doc.lang_score <= 1.0


def test_event_records_rule_language_and_score(tag: Callable[[str], Document]) -> None:
    doc = tag(SAMPLES["en"])
    (event,) = doc.provenance
    assert (event.step, event.action, event.rule, event.span) == (
        "langid",
        "tag",
        "langid.langdetect",
        None,
    )
    assert event.detail["lang"] == "en"
    assert event.detail["score"] == doc.lang_score


def test_score_is_rounded_to_four_places(tag: Callable[[str], Document]) -> None:
    score = tag(SAMPLES["de"]).lang_score
    assert score is not None and round(score, 4) == score


def test_runner_up_languages_are_recorded_for_mixed_text(tag: Callable[[str], Document]) -> None:
    doc = tag(SAMPLES["es"][:60] + " " + SAMPLES["fr"][:60])
    runners = doc.provenance[0].detail["runner_up"]  # langdetect lists languages above 0.1
    assert 1 <= len(runners) <= 2
    assert all(isinstance(lang, str) and 0.0 < score <= 1.0 for lang, score in runners)


@pytest.mark.parametrize("text", ["1234 !!!", "", "   \n ", "😀 🎉 42"])
def test_text_without_letters_is_undetermined(tag: Callable[[str], Document], text: str) -> None:
    doc = tag(text)
    assert (doc.lang, doc.lang_score) == ("und", 0.0)
    assert doc.provenance[0].detail["reason"] == "no_letters"


def test_letters_langdetect_cannot_use_are_undetermined(tag: Callable[[str], Document]) -> None:
    doc = tag("https://example.com/abc")  # langdetect drops URLs before counting n-grams
    assert (doc.lang, doc.lang_score) == ("und", 0.0)
    assert doc.provenance[0].detail["reason"] == "no_features"


def test_chinese_variants_are_normalised_and_the_raw_answer_kept(
    tag: Callable[[str], Document],
) -> None:
    doc = tag("今天天气很好，我们去公园散步吧。这里的风景非常美丽，很多人都在这里休息。")
    assert doc.lang == "zh"
    assert doc.provenance[0].detail["raw"] in {"zh-cn", "zh-tw"}


def test_repeated_calls_give_the_same_answer(tag: Callable[[str], Document]) -> None:
    text = SAMPLES["en"][:50] + " " + SAMPLES["fr"][:50]  # mixed: where unseeded langdetect wavers
    results = {
        (doc.lang, doc.lang_score, repr(dict(doc.provenance[0].detail)))
        for doc in (tag(text) for _ in range(50))
    }
    assert len(results) == 1


def test_two_instances_with_one_seed_agree(
    langid: Langid, make_doc: Callable[..., Document]
) -> None:
    text = SAMPLES["es"][:60] + " " + SAMPLES["fr"][:60]
    other = Langid(LangidConfig(seed=0))
    first, second = langid.apply(make_doc(text=text)), other.apply(make_doc(text=text))
    assert (first.lang, first.lang_score) == (second.lang, second.lang_score)


def test_seeding_leaves_langdetect_global_state_alone(langid: Langid) -> None:
    assert DetectorFactory.seed is None


def test_sample_of_short_text_is_the_text() -> None:
    assert sample_text("short text", 1000) == "short text"


def test_sample_is_bounded_and_spread_over_the_text() -> None:
    words = [f"w{i:05d}" for i in range(5000)]
    sample = sample_text(" ".join(words), 1000)
    assert len(sample) <= 1000
    assert sample.startswith("w00000 ") and sample.endswith(" w04999")
    assert "w02500" in sample or "w02499" in sample  # the middle piece


def test_sample_cuts_on_whitespace() -> None:
    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
    assert set(sample_text(text, 24).split()) <= set(text.split())


def test_long_text_is_judged_by_its_sample(tag: Callable[[str], Document]) -> None:
    doc = tag((SAMPLES["fr"] + " ") * 500)
    assert doc.lang == "fr"
