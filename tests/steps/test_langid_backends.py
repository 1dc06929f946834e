"""The detectors behind langid: the numpy langdetect gives langdetect's own answers; py3langid is optional."""

from __future__ import annotations

import importlib.util
import random

import pytest
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from curate.steps.langid_backends import (
    LangdetectBackend,
    NoBackend,
    _Stream,
    langdetect_languages,
    langdetect_profiles,
    make_backend,
    require,
)

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


def test_stream_draws_what_the_random_module_draws() -> None:
    reference, stream = random.Random(7), _Stream(random.Random(7))
    for count in (1, 2, 3, 1000, 87_598):
        assert stream.gauss() == reference.gauss(0.0, 1.0)
        draws, _ = stream.choices(count, 40)
        assert draws.tolist() == [reference.randrange(count) for _ in range(40)]
        assert stream.random() == reference.random()


def test_stream_rewinds_to_the_end_of_a_draw() -> None:
    reference, stream = random.Random(3), _Stream(random.Random(3))
    _, ends = stream.choices(500, 30)
    stream.rewind(int(ends[9]))  # keep 10 draws, give back 20
    [reference.randrange(500) for _ in range(10)]
    assert stream.random() == reference.random()


def test_profiles_are_loaded_once_per_process_and_read_only() -> None:
    assert langdetect_profiles() is langdetect_profiles()
    assert LangdetectBackend().profiles is LangdetectBackend(seed=5).profiles
    assert not langdetect_profiles().table.flags.writeable


def test_profiles_load_in_a_fixed_language_order() -> None:
    langs = langdetect_profiles().langs
    assert list(langs) == sorted(langs) and len(langs) == 55


def test_languages_name_chinese_once() -> None:
    langs = langdetect_languages()
    assert "zh" in langs and "zh-cn" not in langs and len(langs) == 54


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language backend 'cld9'"):
        make_backend("cld9")


def test_missing_optional_backend_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(NoBackend, match=r"pip install 'curate\[fastlang\]'"):
        require("py3langid")


def test_default_backend_needs_nothing_optional() -> None:
    require("langdetect")


def test_py3langid_detects_within_langdetects_languages() -> None:
    pytest.importorskip("py3langid")
    backend = make_backend("py3langid")
    (lang, prob), *_ = backend.rank(TEXTS["de"])
    assert lang == "de" and 0.5 < prob <= 1.0
    assert backend.rank(TEXTS["de"]) == backend.rank(TEXTS["de"])
    assert backend.rank("1234 !!!") == []


@pytest.mark.parametrize("name", ["en", "de", "ru", "ja", "ar", "vi"])
def test_quick_ranking_agrees_with_the_trials_on_clear_text(backend: LangdetectBackend, name: str) -> None:
    (lang, prob), *_ = backend.quick(TEXTS[name])
    assert lang == backend.rank(TEXTS[name])[0][0]
    assert 0.5 < prob <= 1.0


def test_quick_ranking_of_text_without_features_is_empty(backend: LangdetectBackend) -> None:
    assert backend.quick("https://example.com/abc") == []


def test_profile_table_is_langdetects_own_map_cell_for_cell() -> None:
    """The numpy loader must build exactly what DetectorFactory.load_json_profile builds (the rows
    in its order, every probability the same float), from the same files in sorted order."""
    import os

    import numpy as np

    names = sorted(n for n in os.listdir(PROFILES_DIRECTORY) if not n.startswith("."))
    texts = []
    for name in names:
        with open(os.path.join(PROFILES_DIRECTORY, name), encoding="utf-8") as stream:
            texts.append(stream.read())
    factory = DetectorFactory()
    factory.load_json_profile(texts)
    profiles = langdetect_profiles()
    assert profiles.langs == tuple(factory.langlist)
    assert list(profiles.rows) == list(factory.word_lang_prob_map)
    expected = np.array(list(factory.word_lang_prob_map.values()), dtype=np.float64)
    assert profiles.table.tobytes() == expected.tobytes()
