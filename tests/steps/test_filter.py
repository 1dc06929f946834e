from __future__ import annotations

from curate import reasons
from curate.document import Document, Dropped
from curate.steps.filter import Filter, FilterConfig


def test_empty_text_is_dropped_as_empty(make_doc) -> None:  # type: ignore[no-untyped-def]
    outcome = Filter(FilterConfig()).apply(make_doc(" \n "))
    assert isinstance(outcome, Dropped) and outcome.reason == reasons.EMPTY
    assert outcome.document.provenance[-1].rule == "filter.empty"


def test_too_short_reports_the_word_count(make_doc) -> None:  # type: ignore[no-untyped-def]
    outcome = Filter(FilterConfig(min_words=5)).apply(make_doc("three short words"))
    assert isinstance(outcome, Dropped) and outcome.reason == reasons.TOO_SHORT
    assert dict(outcome.detail) == {"words": 3, "min_words": 5}


def test_unwanted_language_is_dropped_and_wanted_kept(make_doc) -> None:  # type: ignore[no-untyped-def]
    step = Filter(FilterConfig(langs=("en",)))
    german = step.apply(make_doc("Guten Tag", lang="de"))
    assert isinstance(german, Dropped) and german.reason == reasons.LANG_NOT_WANTED
    assert isinstance(step.apply(make_doc("Good day", lang="en")), Document)


def test_no_language_list_keeps_every_language(make_doc) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(Filter(FilterConfig()).apply(make_doc("Guten Tag", lang="de")), Document)


def test_uncertain_language_is_dropped_with_its_score(make_doc) -> None:  # type: ignore[no-untyped-def]
    step = Filter(FilterConfig(min_lang_score=0.9))
    outcome = step.apply(make_doc("Good day to you all", lang="en", lang_score=0.57))
    assert isinstance(outcome, Dropped) and outcome.reason == reasons.LANG_UNCERTAIN
    assert dict(outcome.detail) == {"lang": "en", "lang_score": 0.57, "min_lang_score": 0.9}
    assert outcome.document.provenance[-1].rule == "filter.lang_uncertain"


def test_confident_language_is_kept(make_doc) -> None:  # type: ignore[no-untyped-def]
    step = Filter(FilterConfig(min_lang_score=0.9))
    assert isinstance(step.apply(make_doc("Good day to you all", lang="en", lang_score=0.9)), Document)


def test_missing_score_counts_as_zero(make_doc) -> None:  # type: ignore[no-untyped-def]
    outcome = Filter(FilterConfig(min_lang_score=0.1)).apply(make_doc("Good day to you all"))
    assert isinstance(outcome, Dropped) and outcome.reason == reasons.LANG_UNCERTAIN


def test_no_minimum_score_keeps_undetermined_text(make_doc) -> None:  # type: ignore[no-untyped-def]
    outcome = Filter(FilterConfig()).apply(make_doc("1234 5678", lang="und", lang_score=0.0))
    assert isinstance(outcome, Document)


def test_unwanted_language_is_reported_before_an_uncertain_score(make_doc) -> None:  # type: ignore[no-untyped-def]
    step = Filter(FilterConfig(langs=("en",), min_lang_score=0.9))
    outcome = step.apply(make_doc("Guten Tag", lang="de", lang_score=0.5))
    assert isinstance(outcome, Dropped) and outcome.reason == reasons.LANG_NOT_WANTED
