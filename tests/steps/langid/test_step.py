"""The langid step: languages, the undetermined case, determinism, the sample spread over the text,
per-paragraph shares and the dropping of paragraphs in other languages."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest
from langdetect.detector_factory import DetectorFactory

from curate.document import Document, replay
from curate.engines.local import LocalEngine
from curate.steps.langid.step import Langid, LangidConfig, sample_text

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


# --- sampling across the document ---------------------------------------------------------------

ENGLISH = [
    "The city council approved the new budget on Tuesday after a long debate about public transport "
    "and the cost of repairing the old bridges that connect the two halves of the town.",
    "Supporters said the plan would shorten commutes for thousands of workers, while critics warned "
    "that the money for new buses had been taken from the libraries and the parks.",
    "The mayor promised a review of the spending next spring and said residents would be asked for "
    "their views at a series of public meetings in every district of the city.",
]
GERMAN = [
    "Der Stadtrat hat am Dienstag nach einer langen Debatte über den Nahverkehr den neuen Haushalt "
    "beschlossen, der auch die Sanierung der alten Brücken zwischen den beiden Stadtteilen vorsieht.",
    "Befürworter sagten, der Plan werde den Arbeitsweg für Tausende Beschäftigte verkürzen, während "
    "Kritiker warnten, das Geld für neue Busse sei den Bibliotheken und Parks genommen worden.",
]


def test_sample_takes_the_requested_number_of_spans() -> None:
    words = [f"w{i:05d}" for i in range(5000)]
    pieces = sample_text(" ".join(words), 1000, spans=5).split("\n")
    assert len(pieces) == 5
    assert pieces[0].startswith("w00000") and pieces[-1].endswith("w04999")


def test_long_article_with_a_long_foreign_header_is_judged_by_its_body(
    tag: Callable[[str], Document],
) -> None:
    header = "\n\n".join(GERMAN * 12)  # ~5,000 characters of German before the English body
    text = header + "\n\n" + "\n\n".join(ENGLISH * 40)
    assert tag(text).lang == "en"


def test_the_spans_are_joined_before_detection_so_one_detection_per_document(
    langid: Langid, make_doc: Callable[..., Document]
) -> None:
    calls: list[str] = []
    backend = langid._backend
    original = backend.rank
    backend.rank = lambda text: calls.append(text) or original(text)  # type: ignore[method-assign]
    try:
        langid.apply(make_doc(text="\n\n".join(ENGLISH * 50)))
    finally:
        del backend.rank
    assert len(calls) == 1 and len(calls[0]) <= 1000


# --- per paragraph --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def per_paragraph() -> Langid:
    return Langid(LangidConfig(per_paragraph=True))


@pytest.fixture(scope="module")
def drop_others() -> Langid:
    return Langid(LangidConfig(drop_other_languages=True))


def _mixed() -> str:
    return "\n\n".join([GERMAN[0], *ENGLISH, GERMAN[1]])


def test_per_paragraph_records_each_languages_share(
    per_paragraph: Langid, make_doc: Callable[..., Document]
) -> None:
    text = _mixed()
    doc = per_paragraph.apply(make_doc(text=text))
    english = sum(len(p) for p in ENGLISH) / sum(len(p) for p in [*ENGLISH, *GERMAN])
    assert doc.lang == "en" and doc.text == text
    assert list(doc.meta["lang_shares"]) == ["en", "de"]
    assert doc.meta["lang_shares"]["en"] == pytest.approx(english, abs=1e-4)


def test_per_paragraph_event_lists_language_runs_with_their_spans(
    per_paragraph: Langid, make_doc: Callable[..., Document]
) -> None:
    text = _mixed()
    (event,) = per_paragraph.apply(make_doc(text=text)).provenance
    runs = event.detail["paragraphs"]
    assert [lang for _, _, lang in runs] == ["de", "en", "de"]
    assert text[runs[0][0] : runs[0][1]] == GERMAN[0]
    assert event.detail["shares"] == {"en": event.detail["shares"]["en"], "de": event.detail["shares"]["de"]}


def test_main_language_is_the_largest_share_not_the_first_paragraph(
    per_paragraph: Langid, make_doc: Callable[..., Document]
) -> None:
    doc = per_paragraph.apply(make_doc(text="\n\n".join([*GERMAN, *ENGLISH])))
    assert doc.lang == "en"
    assert doc.lang_score is not None and doc.lang_score > 0.9


def test_short_paragraphs_take_their_neighbours_language(
    per_paragraph: Langid, make_doc: Callable[..., Document]
) -> None:
    text = "\n\n".join(["Berlin", GERMAN[0], "Tuesday", *ENGLISH])
    doc = per_paragraph.apply(make_doc(text=text))
    runs = doc.provenance[0].detail["paragraphs"]
    assert [lang for _, _, lang in runs] == ["de", "en"]
    assert runs[0][:2] == [0, len("Berlin\n\n" + GERMAN[0])]  # each heading goes with what follows
    assert text[runs[1][0] :].startswith("Tuesday")


def test_short_paragraphs_at_the_end_take_the_language_before_them(
    per_paragraph: Langid, make_doc: Callable[..., Document]
) -> None:
    text = "\n\n".join([*ENGLISH, "Photo: Reuters"])
    doc = per_paragraph.apply(make_doc(text=text))
    assert doc.provenance[0].detail["paragraphs"] == [[0, len(text), "en"]]


def test_a_list_of_short_lines_is_judged_together(
    per_paragraph: Langid, make_doc: Callable[..., Document]
) -> None:
    lines = ["Milk and eggs", "Fresh bread from the baker", "Apples for the children", "Coffee"]
    doc = per_paragraph.apply(make_doc(text="\n\n".join(lines)))
    assert doc.lang == "en" and doc.meta["lang_shares"] == {"en": 1.0}


def test_per_paragraph_text_without_letters_is_undetermined(
    per_paragraph: Langid, make_doc: Callable[..., Document]
) -> None:
    doc = per_paragraph.apply(make_doc(text="1234\n\n!!!"))
    assert (doc.lang, doc.lang_score) == ("und", 0.0)
    assert doc.provenance[0].detail["reason"] == "no_letters"


def test_drop_other_languages_removes_foreign_paragraphs_with_events_that_replay(
    drop_others: Langid, make_doc: Callable[..., Document]
) -> None:
    text = _mixed()
    doc = drop_others.apply(make_doc(text=text))
    assert doc.text == "\n\n".join(ENGLISH)
    tag, *drops = doc.provenance
    assert tag.action == "tag"
    assert [(e.step, e.action, e.rule) for e in drops] == [("langid", "drop_paragraph", "langid.other_language")] * 2
    assert drops[0].text == GERMAN[0] + "\n\n" and drops[0].span == (0, len(GERMAN[0]) + 2)
    assert drops[1].text == "\n\n" + GERMAN[1]
    assert drops[0].detail["paragraph_lang"] == "de"
    assert replay(text, drops) == doc.text
    assert (doc.lang, doc.meta["lang_shares"]) == ("en", {"en": 1.0})


def test_drop_other_languages_keeps_the_languages_asked_for(make_doc: Callable[..., Document]) -> None:
    step = Langid(LangidConfig(drop_other_languages=True, langs=("de",)))
    doc = step.apply(make_doc(text=_mixed()))
    assert doc.text == "\n\n".join(GERMAN)
    assert doc.lang == "de"


def test_document_with_nothing_wanted_is_left_whole_for_the_filter(make_doc: Callable[..., Document]) -> None:
    step = Langid(LangidConfig(drop_other_languages=True, langs=("fr",)))
    text = _mixed()
    doc = step.apply(make_doc(text=text))
    assert doc.text == text and doc.lang == "en" and len(doc.provenance) == 1


def test_document_in_one_language_loses_nothing(
    drop_others: Langid, make_doc: Callable[..., Document]
) -> None:
    text = "\n\n".join(ENGLISH)
    doc = drop_others.apply(make_doc(text=text))
    assert doc.text == text and len(doc.provenance) == 1


def test_reports_count_the_main_language_after_paragraph_drops(
    drop_others: Langid, make_doc: Callable[..., Document]
) -> None:
    from curate.reports.summary import languages

    doc = drop_others.apply(make_doc(text="\n\n".join([GERMAN[0], ENGLISH[0], ENGLISH[1]])))
    entry = {"events": [event.to_json() for event in doc.provenance]}
    assert languages([entry]) == {"en": 1}


# --- configuration and determinism ----------------------------------------------------------------


def test_unknown_backend_in_config_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language backend"):
        LangidConfig(backend="cld9")


def test_py3langid_backend_tags_with_its_own_rule(make_doc: Callable[..., Document]) -> None:
    pytest.importorskip("py3langid")
    doc = Langid(LangidConfig(backend="py3langid")).apply(make_doc(text=SAMPLES["fr"]))
    assert doc.lang == "fr" and doc.provenance[0].rule == "langid.py3langid"


def _documents(count: int) -> list[Document]:
    texts = [SAMPLES["en"][:50] + " " + SAMPLES["fr"][:50], _mixed(), *SAMPLES.values(), "1234"]
    return [Document(id=str(i), source="t", text=texts[i % len(texts)]) for i in range(count)]


def _langid_steps(config: LangidConfig) -> list[Langid]:
    return [Langid(config)]


@pytest.mark.parametrize("config", [LangidConfig(), LangidConfig(drop_other_languages=True)],
                         ids=["document", "per-paragraph"])
def test_one_or_two_worker_processes_give_identical_results(config: LangidConfig) -> None:
    docs = _documents(80)  # the local engine starts a pool from 64 documents
    runs = [
        [outcome.to_json() for outcome in LocalEngine(functools.partial(_langid_steps, config), workers).run(docs)
         if isinstance(outcome, Document)]
        for workers in (1, 2)
    ]
    assert len(runs[0]) == 80 and runs[0] == runs[1]
