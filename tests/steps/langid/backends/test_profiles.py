"""langdetect's profiles as one matrix: loaded once, in a fixed order, cell for cell langdetect's own map."""

from __future__ import annotations

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

from curate.steps.langid.backends.detector import LangdetectBackend
from curate.steps.langid.backends.profiles import langdetect_languages, langdetect_profiles


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
