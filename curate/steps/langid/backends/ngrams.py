"""A text's features for langdetect: its cleaning and character normalisation, then its 1- to 3-grams
as the rows of the profiles (`feature_rows`), all as array operations over the characters.

Step for step what `langdetect.Detector.append`, `cleaning_text` and `_extract_ngrams` do (the tests
hold each part to langdetect's own code or a copy of its loop).
"""

from __future__ import annotations

import functools
import re
from typing import Final

import numpy as np
import numpy.typing as npt
from langdetect.detector import Detector
from langdetect.utils.ngram import NGram

from curate.steps.langid.backends.profiles import langdetect_profiles

_MAX_TEXT: Final = 10_000  # Detector.max_text_length's default
_LATIN: Final = re.compile(r"[A-z]")  # langdetect counts 'A' <= ch <= 'z' as Latin, [\]^_` included
_SPACES: Final = re.compile(r" {2,}")
# A character is at most 21 bits: an n-gram of up to three is one 64-bit key, its code points side by side.
_GRAM_BITS: Final = np.uint64(21)
_BMP: Final = 0x10000


def feature_rows(text: str) -> npt.NDArray[np.intp]:
    """Row numbers of the text's known n-grams, in langdetect's order (Detector.append,
    cleaning_text and _extract_ngrams, step for step)."""
    # a URL match holds "://" and an address "@": without them the substitution changes nothing
    if "://" in text:
        text = Detector.URL_RE.sub(" ", text)
    if "@" in text:
        text = Detector.MAIL_RE.sub(" ", text)
    text = NGram.normalize_vi(text)
    text = _SPACES.sub(" ", text[:_MAX_TEXT])
    text = _drop_latin_if_foreign(text)
    return _ngram_rows(text)


def _drop_latin_if_foreign(text: str) -> str:
    """langdetect's cleaning_text: a text with twice as many non-Latin letters as Latin ones loses
    its Latin letters. (langdetect means to exempt Latin Extended Additional from the non-Latin count
    but compares a block number with a name, so every character from U+0300 counts; so do we.)"""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    latin = int(np.count_nonzero((codes >= ord("A")) & (codes <= ord("z"))))  # _LATIN, counted
    non_latin = int(np.count_nonzero(codes > 0x2FF))  # _NON_LATIN, counted
    if latin * 2 < non_latin:
        return _LATIN.sub("", text)
    return text


def _ngram_rows(text: str) -> npt.NDArray[np.intp]:
    """langdetect's NGram walk (NGram.add_char; the tests hold this to a copy of that loop): 1-, 2-
    and 3-grams of normalised characters, none inside a word of capitals; the profile rows of those
    some profile knows. As array operations
    over the text's characters (a Python loop, even per distinct word, took most of langid's time
    on text never seen before).

    The walk restarts at every (normalised) space. At each character of a word it emits the
    character, then the 2-gram and (from the word's second character) the 3-gram ending there;
    at the space that closes a word, that space's 2- and 3-gram; at a capital after a capital,
    nothing (the n-grams ending there are skipped, not those that follow).
    """
    normalised = text.translate(_NORMALISED_CHARS)
    if not normalised:
        return np.zeros(0, dtype=np.intp)
    codes = np.frombuffer(normalised.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)
    space = np.uint64(ord(" "))
    before = np.concatenate(([space], codes[:-1]))  # the character before each (a space at the start)
    two_before = np.concatenate(([space], before[:-1]))
    in_word, after_word = codes != space, before != space
    upper = _is_upper(normalised, codes)
    skipped = upper & np.concatenate(([False], upper[:-1]))
    grams = np.empty((len(codes), 3), dtype=np.uint64)  # one row per character: its 1-, 2-, 3-gram
    grams[:, 0] = codes
    grams[:, 1] = (before << _GRAM_BITS) | codes
    grams[:, 2] = (two_before << (2 * _GRAM_BITS)) | grams[:, 1]
    emitted = np.empty((len(codes), 3), dtype=bool)
    emitted[:, 0] = in_word & ~skipped
    emitted[:, 1] = (in_word & ~skipped) | (~in_word & after_word)  # a word's character, or its closing space
    emitted[:, 2] = emitted[:, 1] & after_word  # none at a word's first character
    return _gram_index().rows_of(grams[emitted])  # row by row: the walk's order


@functools.cache
def _upper_bmp() -> npt.NDArray[np.bool_]:
    """str.isupper of every character of the Basic Multilingual Plane, by code point."""
    return np.fromiter(map(str.isupper, map(chr, range(_BMP))), dtype=bool, count=_BMP)


def _is_upper(text: str, codes: npt.NDArray[np.uint64]) -> npt.NDArray[np.bool_]:
    """str.isupper of each character of `text` (whose code points are `codes`): a table look-up,
    but for the characters beyond the BMP (rare), asked one by one."""
    if int(codes.max()) < _BMP:
        return _upper_bmp()[codes]
    return np.fromiter(map(str.isupper, text), dtype=bool, count=len(codes))


class _GramIndex:
    """The profiles' 1- to 3-grams by 64-bit key (see `_ngram_rows`), and each one's profile row.

    Looked up in a direct-mapped table first: a key hashes to one slot, which holds the first key
    (of the sorted ones) that hashes there, or 0, which is no key. The slot says "this row" or
    "unknown" for most keys at once; only the keys that find another key in their slot are
    searched for in the sorted keys (a binary search for every key took ~40% of `_ngram_rows`).
    """

    _MULTIPLIER: Final = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the key's bits mixed into the top
    _SLOTS_PER_KEY: Final = 4  # at least: ~90% of look-ups are decided by their slot

    def __init__(self, keys: npt.NDArray[np.uint64], rows: npt.NDArray[np.intp]) -> None:
        """`keys`: sorted, distinct and non-zero; `rows[i]` the row of `keys[i]`."""
        self._keys, self._rows = keys, rows
        bits = (self._SLOTS_PER_KEY * len(keys)).bit_length()
        self._shift = np.uint64(64 - bits)
        slots, first = np.unique(self._slot(keys), return_index=True)
        self._slot_keys = np.zeros(1 << bits, dtype=np.uint64)
        self._slot_rows = np.zeros(1 << bits, dtype=np.int32)
        self._slot_keys[slots], self._slot_rows[slots] = keys[first], rows[first]

    def _slot(self, keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
        slot: npt.NDArray[np.uint64] = (keys * self._MULTIPLIER) >> self._shift  # (wraps around: fine)
        return slot

    def rows_of(self, wanted: npt.NDArray[np.uint64]) -> npt.NDArray[np.intp]:
        """The rows of the wanted keys that are profile n-grams, in order (the others dropped)."""
        slot = self._slot(wanted)
        held = self._slot_keys[slot]
        rows = self._slot_rows[slot].astype(np.intp)
        other = held != wanted
        rows[other] = -1
        unsure = np.flatnonzero(other & (held != 0))  # another key's slot: search the sorted keys
        if len(unsure):
            keys, asked = self._keys, wanted[unsure]
            at = np.searchsorted(keys, asked)
            at[at == len(keys)] = 0  # past the last key: unknown, as the check below finds
            rows[unsure] = np.where(keys[at] == asked, self._rows[at], -1)
        found: npt.NDArray[np.intp] = rows[rows >= 0]
        return found


@functools.cache
def _gram_index() -> _GramIndex:
    """The index of the profiles' n-grams, built once per process (~0.05 s)."""
    rows = langdetect_profiles().rows
    # Padded in front with NUL to three characters: normalisation turns NUL into a space, so no
    # n-gram of a text holds one, and a profile's n-gram with a NUL could never match (nor is kept).
    grams = [gram for gram in rows if 1 <= len(gram) <= 3 and "\0" not in gram]
    padded = "".join(gram.rjust(3, "\0") for gram in grams)
    chars = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)
    chars = chars.reshape(-1, 3)
    keys = (chars[:, 0] << (2 * _GRAM_BITS)) | (chars[:, 1] << _GRAM_BITS) | chars[:, 2]
    order = np.argsort(keys, kind="stable")
    values = np.fromiter((rows[gram] for gram in grams), dtype=np.intp, count=len(grams))
    return _GramIndex(keys[order], values[order])


class _NormalisedChars(dict[int, str]):
    """langdetect's per-character normalisation as a `str.translate` table, filled as characters are
    met (a pure function of the character, so kept for the life of the process)."""

    def __missing__(self, code: int) -> str:
        result: str = NGram.normalize(chr(code))
        self[code] = result
        return result


_NORMALISED_CHARS: Final = _NormalisedChars()
