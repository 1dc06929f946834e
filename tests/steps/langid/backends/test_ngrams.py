"""A text's n-grams as profile rows: langdetect's walk step for step, the n-gram index, the capitals and
the Latin letters counted as langdetect counts them."""

from __future__ import annotations

import random

import numpy as np

from curate.steps.langid.backends.ngrams import (
    _NORMALISED_CHARS,
    _drop_latin_if_foreign,
    _gram_index,
    _is_upper,
    _ngram_rows,
)
from curate.steps.langid.backends.profiles import langdetect_profiles


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
    rng = random.Random(2)
    alphabet = "aAzZ ÉéİıßẞΣσДд\u01c5\u2160\u24b6\U0001d400\U0001d41a\U00010400\ud800"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)
        assert _is_upper(text, codes).tolist() == [ch.isupper() for ch in text], repr(text)


def test_latin_letters_are_counted_as_langdetect_counts_them() -> None:
    """_drop_latin_if_foreign counts code points, against the regex counts it replaced."""
    import re

    latin, non_latin = re.compile(r"[A-z]"), re.compile(r"[^\x00-\u02ff]")
    rng = random.Random(11)
    alphabet = "az AZ[`^_{@ é\u02ff\u0300ДЯ中文\U0001f600\ud800"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        foreign = len(latin.findall(text)) * 2 < len(non_latin.findall(text))
        assert _drop_latin_if_foreign(text) == (latin.sub("", text) if foreign else text), repr(text)
