"""The detectors behind langid: the numpy langdetect gives langdetect's own answers; py3langid is optional."""

from __future__ import annotations

import importlib.util
import random

import numpy as np
import pytest
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from curate.steps.langid.backends import (
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


@pytest.mark.parametrize("seeded", [False, True])
@pytest.mark.parametrize("count", [1, 2, 3, 1000, 87_598])
def test_stream_draws_what_the_random_module_draws(count: int, seeded: bool) -> None:
    """Also from the per-process copy of a seed's first words (`_Stream.seeded`), twice: a stream
    that reads past them must leave the copy as it was for the next."""
    for _ in range(2 if seeded else 1):
        reference = random.Random(7)
        stream = _Stream.seeded(7, count) if seeded else _Stream(random.Random(7), count)
        for wanted in (40, 1, 5000, 40):  # 5,000 draws run past the first chunk of words
            assert stream.gauss() == reference.gauss(0.0, 1.0)
            draws, _ = stream.draws(wanted)
            assert draws.tolist() == [reference.randrange(count) for _ in range(wanted)]
            assert stream.random() == reference.random()


def test_stream_rewinds_to_the_end_of_a_draw() -> None:
    reference, stream = random.Random(3), _Stream(random.Random(3), 500)
    _, ends = stream.draws(30)
    stream.rewind(int(ends[9]))  # keep 10 draws, give back 20
    [reference.randrange(500) for _ in range(10)]
    assert stream.random() == reference.random()
    draws, _ = stream.draws(20)  # and draws again from there
    assert draws.tolist() == [reference.randrange(500) for _ in range(20)]


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


def _walk_chars(text: str, rows: dict[str, int]) -> list[int]:
    """The oracle: langdetect's NGram.add_char loop over already normalised characters, step for
    step (what `_ngram_rows` computes with array operations)."""
    result: list[int] = []
    grams = " "
    capital = False
    for ch in text:
        last = grams[-1]
        if last == " ":
            grams = " "
            capital = False
            if ch == " ":
                continue
        elif len(grams) >= 3:
            grams = grams[1:]
        grams += ch
        if ch.isupper():
            if last.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        size = len(grams)
        if ch != " ":
            row = rows.get(ch)
            if row is not None:
                result.append(row)
        if size >= 2:
            row = rows.get(grams[-2:])
            if row is not None:
                result.append(row)
        if size >= 3:
            row = rows.get(grams)
            if row is not None:
                result.append(row)
    return result


def test_ngram_rows_are_langdetects_walk_step_for_step() -> None:
    """_ngram_rows (array operations over the characters) against langdetect's character loop
    (_walk_chars) on random texts: capitals in a row, one-letter words, runs of spaces, CJK, accents,
    characters no profile knows, astral characters and lone surrogates."""
    from curate.steps.langid.backends import _NORMALISED_CHARS, _ngram_rows

    rows = langdetect_profiles().rows
    rng = random.Random(5)
    alphabet = "aeiostnrAEOSTNRÉéñüßçİı中文日本語ДаЯяğş'’-.1x   \U0001f600\ud800"
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        expected = _walk_chars(" " + text.translate(_NORMALISED_CHARS), rows)
        assert _ngram_rows(text).tolist() == expected, repr(text)
        found += len(expected)
    assert found > 100_000


def test_gram_index_finds_every_profile_ngram_and_nothing_else() -> None:
    """The direct-mapped table and its sorted-key fallback against a dict: every profile n-gram's
    key, keys next to them, and random keys (most of which land in another key's slot or an empty one)."""
    from curate.steps.langid.backends import _gram_index

    index = _gram_index()
    keys, rows = index._keys, index._rows
    by_key = dict(zip(keys.tolist(), rows.tolist()))
    rng = np.random.default_rng(4)
    asked = np.concatenate([keys, keys + np.uint64(1), keys - np.uint64(1),
                            rng.integers(1, 1 << 63, 200_000, dtype=np.uint64)])
    rng.shuffle(asked)
    expected = [by_key[key] for key in asked.tolist() if key in by_key]
    assert index.rows_of(asked).tolist() == expected
    assert len(expected) >= len(keys)


def test_upper_is_str_isupper_in_and_beyond_the_bmp() -> None:
    from curate.steps.langid.backends import _is_upper

    rng = random.Random(2)
    alphabet = "aAzZ ÉéİıßẞΣσДд\u01c5\u2160\u24b6\U0001d400\U0001d41a\U00010400\ud800"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)
        assert _is_upper(text, codes).tolist() == [ch.isupper() for ch in text], repr(text)


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


def test_latin_letters_are_counted_as_langdetect_counts_them() -> None:
    """_drop_latin_if_foreign counts code points, against the regex counts it replaced."""
    import re

    from curate.steps.langid.backends import _drop_latin_if_foreign

    latin, non_latin = re.compile(r"[A-z]"), re.compile(r"[^\x00-\u02ff]")
    rng = random.Random(11)
    alphabet = "az AZ[`^_{@ é\u02ff\u0300ДЯ中文\U0001f600\ud800"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        foreign = len(latin.findall(text)) * 2 < len(non_latin.findall(text))
        assert _drop_latin_if_foreign(text) == (latin.sub("", text) if foreign else text), repr(text)
