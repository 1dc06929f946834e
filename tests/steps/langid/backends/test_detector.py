"""LangdetectBackend: the numpy langdetect gives langdetect's own answers, its quick ranking agrees with
them, and its features are langdetect's own n-gram rows."""

from __future__ import annotations

import random

import pytest
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from curate.steps.langid.backends.detector import LangdetectBackend
from curate.steps.langid.backends.profiles import langdetect_profiles

TEXTS = {
    "en": "The city council approved the new budget on Tuesday after a long debate about public transport.",
    "de": "Der Stadtrat hat am Dienstag nach einer langen Debatte über den Nahverkehr den Haushalt beschlossen.",
    "ru": "Городской совет во вторник утвердил новый бюджет после долгих дебатов об общественном транспорте.",
    "ja": "市議会は火曜日、公共交通機関についての長い議論の末、新しい予算を承認しました。",
    "zh": "今天天气很好，我们去公园散步吧。这里的风景非常美丽，很多人都在这里休息。",
    "ar": "وافق مجلس المدينة يوم الثلاثاء على الميزانية الجديدة بعد نقاش طويل حول النقل العام.",
    "vi": "Hội đồng thành phố đã thông qua ngân sách mới vào thứ Ba sau một cuộc tranh luận dài.",
    "capitals": "NASA and the ESA said THE LAUNCH of Artemis would be DELAYED again, officials confirmed.",
    "short": "Hola",
    # mixed texts whose trials run to langdetect's 1,000-update limit without converging
    "es+fr": "El ayuntamiento aprobó el martes el nuevo presupuesto. Le conseil municipal a approuvé mardi le nouveau budget.",
    "no/da": "Det er en god dag i dag og vi går en tur.",
    "url": "see https://example.com/page and mail@example.com for more",
}


@pytest.fixture(scope="module")
def plain() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


@pytest.fixture(scope="module")
def backend() -> LangdetectBackend:
    return LangdetectBackend(seed=0)


def _langdetect(factory: DetectorFactory, text: str) -> list[tuple[str, float]]:
    detector = factory.create()
    detector.append(text)
    try:
        return [(guess.lang, guess.prob) for guess in detector.get_probabilities()]
    except LangDetectException:
        return []


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_answers_are_langdetects_own(plain: DetectorFactory, backend: LangdetectBackend, name: str) -> None:
    expected = _langdetect(plain, TEXTS[name])
    got = backend.rank(TEXTS[name])
    assert [lang for lang, _ in got] == [lang for lang, _ in expected]
    assert [prob for _, prob in got] == pytest.approx([prob for _, prob in expected], abs=1e-9)


def test_text_without_features_ranks_nothing(backend: LangdetectBackend) -> None:
    assert backend.rank("https://example.com/abc 1234 !!!") == []


def test_the_same_text_gets_the_same_answer_whatever_came_before(backend: LangdetectBackend) -> None:
    first = backend.rank(TEXTS["es+fr"])
    backend.rank(TEXTS["de"])
    assert backend.rank(TEXTS["es+fr"]) == first


def test_another_seed_moves_the_scores_of_a_mixed_text() -> None:
    text = TEXTS["es+fr"]
    assert LangdetectBackend(seed=1).rank(text) != LangdetectBackend(seed=0).rank(text)


@pytest.mark.parametrize("name", ["en", "de", "ru", "ja", "ar", "vi"])
def test_quick_ranking_agrees_with_the_trials_on_clear_text(backend: LangdetectBackend, name: str) -> None:
    (lang, prob), *_ = backend.quick(TEXTS[name])
    assert lang == backend.rank(TEXTS[name])[0][0]
    assert 0.5 < prob <= 1.0


def test_quick_ranking_of_text_without_features_is_empty(backend: LangdetectBackend) -> None:
    assert backend.quick("https://example.com/abc") == []


def test_features_are_langdetects_own_ngram_rows_on_random_text() -> None:
    """`features` against langdetect's own append, cleaning and n-gram walk on random texts."""
    from langdetect.detector import Detector

    rows = langdetect_profiles().rows
    backend = LangdetectBackend()
    rng = random.Random(8)
    alphabet = "aeosnrAEOSNRÉéñüİı中文ДаЯя -.x\u3000"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        detector = Detector.__new__(Detector)
        detector.text, detector.max_text_length, detector.word_lang_prob_map = "", 10_000, rows
        detector.append(text)
        detector.cleaning_text()
        assert backend.features(text) == [rows[gram] for gram in detector._extract_ngrams()], text


def test_features_are_langdetects_own_ngram_rows() -> None:
    """The text's rows in order, as langdetect's NGram walks them (through `features`)."""
    from langdetect.detector import Detector

    rows = langdetect_profiles().rows
    backend = LangdetectBackend()
    for text in [*TEXTS.values(), "ABC déf  GHI\u3000jk", "", " ", "NASA'S X-RAY ü", "Дом ДОМ abc"]:
        detector = Detector.__new__(Detector)  # langdetect's own append, cleaning and n-gram walk
        detector.text, detector.max_text_length, detector.word_lang_prob_map = "", 10_000, rows
        detector.append(text)
        detector.cleaning_text()
        expected = [rows[gram] for gram in detector._extract_ngrams()]
        assert backend.features(text) == expected, text
