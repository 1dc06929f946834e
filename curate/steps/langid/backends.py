"""Language detectors behind the langid step: one interface, `rank(text)` -> [(lang, prob), ...].

`LangdetectBackend` (the default) is langdetect 1.0.9's algorithm and profiles, reimplemented so that its
random trials run as numpy array operations instead of a Python loop over 55 languages per n-gram. It
draws the same seeded random numbers in the same order as `langdetect.Detector`, so its answers are
langdetect's own (equal up to floating-point rounding, checked in the tests against langdetect itself),
at several times the speed. `Py3langidBackend` is the optional one (`pip install 'curate[fastlang]'`):
py3langid's naive Bayes model, shipped inside its package, deterministic and faster still.

Models are immutable data, loaded lazily once per process (not at import) and shared by every step that
uses them; each backend instance keeps its own settings (seed, trials), so nothing global is mutated.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
import os
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.utils.ngram import NGram

Ranked = list[tuple[str, float]]

BACKENDS: Final = ("langdetect", "py3langid")
# langdetect answers these for Chinese; the script variant is not a language, so both backends say "zh".
NORMALISED: Final = {"zh-cn": "zh", "zh-tw": "zh"}
_PY3LANGID_MISSING: Final = "the py3langid backend needs py3langid: pip install 'curate[fastlang]'"


class Backend(Protocol):
    """A language detector: languages with their probabilities, most probable first.

    An empty list means the text has nothing the detector can judge (no features); `rank` never raises
    on text, whatever it holds.
    """

    name: str

    def rank(self, text: str) -> Ranked: ...


class NoBackend(ImportError):
    """An optional backend whose package is not installed; the message names the pip command."""


def require(name: str) -> None:
    """Raise NoBackend now (naming the pip command) if backend `name` needs a package that is missing,
    so a run fails before it starts rather than in every worker."""
    if name == "py3langid" and importlib.util.find_spec("py3langid") is None:
        raise NoBackend(_PY3LANGID_MISSING)


def make_backend(name: str, *, seed: int = 0, trials: int = 7) -> Backend:
    """The backend called `name` (one of BACKENDS), configured; raises ValueError or NoBackend."""
    if name == "langdetect":
        return LangdetectBackend(seed=seed, trials=trials)
    if name == "py3langid":
        return Py3langidBackend()
    raise ValueError(f"unknown language backend {name!r}; choose one of {', '.join(BACKENDS)}")


# ---------------------------------------------------------------------------------------------------
# langdetect, vectorised

# langdetect.Detector's constants, taken from the class so they cannot drift from the installed version.
_ALPHA: Final = Detector.ALPHA_DEFAULT
_ALPHA_WIDTH: Final = Detector.ALPHA_WIDTH
_ITERATION_LIMIT: Final = Detector.ITERATION_LIMIT
_CONV_THRESHOLD: Final = Detector.CONV_THRESHOLD
_BASE_FREQ: Final = Detector.BASE_FREQ
_PROB_THRESHOLD: Final = Detector.PROB_THRESHOLD
_MAX_TEXT: Final = 10_000  # Detector.max_text_length's default
_CHECK_EVERY: Final = 5  # langdetect tests convergence after updates 0, 5, 10, ...
# n-gram draws evaluated at once: a first group of 1 and groups of 5 (see _walk). Sentences converge
# after ~20-150 updates, so most trials need one block and little is drawn in vain.
_FIRST_BLOCK: Final = 1 + 5 * 12
_NEXT_BLOCK: Final = 5 * 20
_FIRST_STARTS: Final = np.concatenate(([0], np.arange(1, _FIRST_BLOCK, 5)))  # where each group begins
_NEXT_STARTS: Final = np.arange(0, _NEXT_BLOCK, 5)
# updates applied after each group of a whole block (see _walk)
_FIRST_ENDS: Final = np.append(_FIRST_STARTS[1:], _FIRST_BLOCK)
_NEXT_ENDS: Final = np.append(_NEXT_STARTS[1:], _NEXT_BLOCK)
_LATIN: Final = re.compile(r"[A-z]")  # langdetect counts 'A' <= ch <= 'z' as Latin, [\]^_` included
_SPACES: Final = re.compile(r" {2,}")


@dataclass(frozen=True, slots=True)
class LangdetectProfiles:
    """langdetect's 55 profiles as one matrix: row = n-gram, column = language, value = P(n-gram | lang)."""

    langs: tuple[str, ...]
    rows: dict[str, int]
    table: npt.NDArray[np.float64]


@functools.cache
def langdetect_profiles() -> LangdetectProfiles:
    """Load langdetect's profiles once per process (~0.4 s, ~40 MB); the result is read-only.

    Files are read in sorted order: `DetectorFactory.load_profile` takes `os.listdir` order, which
    differs between file systems and would reorder the columns (and float sums) from machine to machine.
    """
    names = sorted(n for n in os.listdir(PROFILES_DIRECTORY) if not n.startswith("."))
    profiles = []
    for name in names:
        with open(os.path.join(PROFILES_DIRECTORY, name), encoding="utf-8") as stream:
            profiles.append(json.load(stream))
    return _profile_table(profiles)


def _profile_table(profiles: Sequence[dict[str, Any]]) -> LangdetectProfiles:
    """`DetectorFactory.load_json_profile` + `add_profile`, column by column with numpy (the Python
    loop over every n-gram of every language took ~0.4 s, before any worker could start):
    n-grams get rows in order of first appearance, P = freq / n_words[len - 1] for 1- to 3-grams
    (the same float division), 0 elsewhere."""
    langs = tuple(str(profile["name"]) for profile in profiles)
    if len(set(langs)) != len(langs):
        raise ValueError(f"duplicate language profiles: {sorted(langs)}")
    rows = {word: row for row, word in enumerate(dict.fromkeys(w for p in profiles for w in p["freq"]))}
    table = np.zeros((len(rows), len(profiles)), dtype=np.float64)
    for column, profile in enumerate(profiles):
        freq: dict[str, int] = profile["freq"]
        grams = [word for word in freq if 1 <= len(word) <= 3]
        if not grams:
            continue
        divisors = np.asarray(profile["n_words"], dtype=np.float64)
        lengths = np.fromiter((len(word) for word in grams), dtype=np.intp, count=len(grams))
        counts = np.fromiter((freq[word] for word in grams), dtype=np.float64, count=len(grams))
        where = np.fromiter((rows[word] for word in grams), dtype=np.intp, count=len(grams))
        table[where, column] = counts / divisors[lengths - 1]
    table.flags.writeable = False
    return LangdetectProfiles(langs, rows, table)


@functools.cache
def _log_table() -> npt.NDArray[np.float64]:
    """log(P(n-gram | lang) + langdetect's smoothing) for `quick`, computed once per process."""
    table: npt.NDArray[np.float64] = np.log(_ALPHA / _BASE_FREQ + langdetect_profiles().table)
    table.flags.writeable = False
    return table


class LangdetectBackend:
    """langdetect's detection (seeded, `trials` random trials) on numpy; see the module docstring.

    seed: the random seed of every detection (langdetect's `DetectorFactory.set_seed`); each call
        reseeds, so a text's answer never depends on what was detected before it.
    trials: langdetect's `n_trial` (7): independent random walks whose probabilities are averaged.
    """

    name = "langdetect"

    def __init__(self, *, seed: int = 0, trials: int = 7, settle: int = 0) -> None:
        if trials < 1 or settle < 0:
            raise ValueError("trials must be at least 1 and settle at least 0")
        self.seed = seed
        self.trials = trials
        self.settle = settle
        self.profiles = langdetect_profiles()

    def rank(self, text: str) -> Ranked:
        features = self._features(text)
        if not len(features):
            return []
        probs = self._trials(features)
        langs = self.profiles.langs
        # langdetect lists languages above 0.1, by probability; a stable sort keeps column order on ties
        order = sorted((i for i in range(len(langs)) if probs[i] > _PROB_THRESHOLD), key=lambda i: -probs[i])
        return [(langs[i], float(probs[i])) for i in order]

    def quick(self, text: str) -> Ranked:
        """Naive Bayes over the same profiles: every n-gram counted once with langdetect's smoothing,
        no random trials, so deterministic without a seed and ~10 times faster than `rank`. On the dev
        sentences it is as accurate as langdetect's trials (98.3%); it judges paragraphs in per-paragraph
        mode, where speed counts. Probabilities are a softmax tempered by the square root of the
        n-gram count (py3langid's calibration), so long text is not always 1.0."""
        features = self._features(text)
        if not len(features):
            return []
        logs = _log_table()[features].sum(axis=0)
        logs /= math.sqrt(len(features))
        probs = np.exp(logs - logs.max())
        probs /= probs.sum()
        langs = self.profiles.langs
        order = sorted((i for i in range(len(langs)) if probs[i] > _PROB_THRESHOLD), key=lambda i: -probs[i])
        return [(langs[i], float(probs[i])) for i in order]

    def features(self, text: str) -> list[int]:
        """Row numbers of the text's known n-grams, in langdetect's order (Detector.append,
        cleaning_text and _extract_ngrams, step for step)."""
        rows: list[int] = self._features(text).tolist()
        return rows

    def _features(self, text: str) -> npt.NDArray[np.intp]:
        # a URL match holds "://" and an address "@": without them the substitution changes nothing
        if "://" in text:
            text = Detector.URL_RE.sub(" ", text)
        if "@" in text:
            text = Detector.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        text = _SPACES.sub(" ", text[:_MAX_TEXT])
        text = _drop_latin_if_foreign(text)
        return _ngram_rows(text)

    def _trials(self, features: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
        stream = _Stream.seeded(self.seed, len(features))
        table = self.profiles.table  # rows gathered straight from the profiles: a text uses few
        total = np.zeros(len(self.profiles.langs))
        tops: set[int] = set()
        for done in range(1, self.trials + 1):
            alpha = _ALPHA + stream.gauss() * _ALPHA_WIDTH
            probs = _walk(stream, features, table, alpha / _BASE_FREQ)
            total += probs
            top = int(probs.argmax())
            tops.add(top if probs[top] > _CONV_THRESHOLD else -1)
            if self.settle and done >= self.settle and done < self.trials and tops == {top}:
                break  # every trial so far converged on one language: the rest would too
        return total / done


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


# A character is at most 21 bits: an n-gram of up to three is one 64-bit key, its code points side by side.
_GRAM_BITS: Final = np.uint64(21)
_BMP: Final = 0x10000


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


_STREAM_CHUNK: Final = 4096  # the random words fetched at a time (~500 make a typical text's 7 trials)


@functools.cache
def _seeded_start(seed: int) -> tuple[npt.NDArray[np.uint32], Any]:
    """The first _STREAM_CHUNK words of `random.Random(seed)` (read-only) and its state after them."""
    rng = random.Random(seed)
    raw = rng.getrandbits(32 * _STREAM_CHUNK).to_bytes(4 * _STREAM_CHUNK, "little")
    words = np.frombuffer(raw, dtype="<u4")  # read-only: bytes; a stream extends a copy
    return words, rng.getstate()


class _Stream:
    """The numbers `random.Random(seed)` gives langdetect (gauss() for each trial's alpha, choice() for
    each n-gram draw), computed from its raw 32-bit Mersenne Twister words fetched in bulk.

    `getrandbits(32 * m)` returns the next m words, the first in the lowest bits. From them:
    `random()` is CPython's genrand_res53 on two words, `gauss()` its Box-Muller pair (the second value
    kept for the next call), and `choice()` on n items is `_randbelow(n)`: one word's top
    `n.bit_length()` bits, retried while >= n. Draws can be looked at ahead and given back (`rewind`),
    which the random module cannot do cheaply.
    """

    _CHUNK: Final = _STREAM_CHUNK

    def __init__(self, rng: random.Random | None, count: int = 1) -> None:
        """`rng`: the generator drawn from (None only from `seeded`, which resumes one when needed);
        `count`: how many items `draws` chooses among (a text's n-grams)."""
        self._rng = rng
        self._resume: Any = None  # with no `_rng`: the generator's state after `_words`
        self._words = np.zeros(0, dtype=np.uint32)
        self._cursor = 0
        self._gauss_next: float | None = None
        self._count = count
        # the words a choice() among `count` accepts (positions in the stream) and what each draws
        self._accepted = np.zeros(0, dtype=np.intp)
        self._drawn = np.zeros(0, dtype=np.intp)

    @classmethod
    def seeded(cls, seed: int, count: int = 1) -> _Stream:
        """The stream of `random.Random(seed)`. Every text starts it afresh and reads the same first
        chunk of words, so that chunk comes from a per-process copy (seeding a generator and drawing
        the chunk took ~50 µs a text); a generator is resumed only to read past it (rarely)."""
        stream = cls(None, count)
        stream._words, stream._resume = _seeded_start(seed)
        stream._classify()
        return stream

    def _ensure(self, count: int) -> None:
        missing = self._cursor + count - len(self._words)
        if missing > 0:
            if self._rng is None:
                self._rng = random.Random()
                self._rng.setstate(self._resume)
            size = max(missing, self._CHUNK)
            raw = self._rng.getrandbits(32 * size).to_bytes(4 * size, "little")
            self._words = np.concatenate([self._words, np.frombuffer(raw, dtype="<u4")])
            self._classify()

    def _classify(self) -> None:
        """Find the words a choice() among `count` accepts, and what each draws."""
        values = self._words >> np.uint32(32 - self._count.bit_length())
        self._accepted = np.flatnonzero(values < self._count)
        self._drawn = values[self._accepted].astype(np.intp)

    def _word(self) -> int:
        if self._cursor >= len(self._words):
            self._ensure(1)
        word: int = self._words.item(self._cursor)
        self._cursor += 1
        return word

    def random(self) -> float:
        a, b = self._word() >> 5, self._word() >> 6
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)

    def gauss(self) -> float:
        z, self._gauss_next = self._gauss_next, None
        if z is None:
            x2pi = self.random() * math.tau
            g2rad = math.sqrt(-2.0 * math.log(1.0 - self.random()))
            z = math.cos(x2pi) * g2rad
            self._gauss_next = math.sin(x2pi) * g2rad
        return z

    def draws(self, wanted: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """The next `wanted` choice() draws among `count` items, and where each draw ends in the word
        stream (to `rewind` to, giving back the draws after it). choice() on n items is one word's top
        `n.bit_length()` bits, retried while >= n: the accepted words are found once per chunk."""
        first = int(np.searchsorted(self._accepted, self._cursor))
        while first + wanted > len(self._accepted):  # a word is accepted with probability > 1/2
            self._ensure(len(self._words) - self._cursor + 2 * wanted + 16)
            first = int(np.searchsorted(self._accepted, self._cursor))
        ends = self._accepted[first : first + wanted] + 1
        self._cursor = int(ends[-1])
        return self._drawn[first : first + wanted], ends

    def rewind(self, position: int) -> None:
        self._cursor = position


def _walk(stream: _Stream, features: npt.NDArray[np.intp], table: npt.NDArray[np.float64],
          weight: float) -> npt.NDArray[np.float64]:
    """One langdetect trial: multiply in the profile rows of randomly drawn n-grams until one language
    passes 0.99999 or 1,001 updates; return the normalised probabilities.

    langdetect tests convergence after update 0 and then after every 5th, so updates fall in groups
    (1, then 5 each) with a test after each group. A block of groups is drawn at once: the rows of each
    group are multiplied together, and the groups accumulated in log space instead of renormalised
    products (the same result up to rounding). Draws past the converging group are given back.
    """
    logp = np.zeros(table.shape[1])  # log of the uniform start, up to a constant
    done = 0  # updates applied so far
    while True:
        wanted = min(_FIRST_BLOCK if done == 0 else _NEXT_BLOCK, _ITERATION_LIMIT + 1 - done)
        draws, ends = stream.draws(wanted)
        starts = _NEXT_STARTS if done else _FIRST_STARTS
        if done and wanted < _NEXT_BLOCK:  # the last block before the iteration limit is shorter
            starts = starts[: wanted // _CHECK_EVERY]
        rows = table[features[draws]]
        rows += weight
        groups = np.multiply.reduceat(rows, starts, axis=0)
        path = np.cumsum(np.log(groups, out=groups), axis=0, out=groups)
        path += logp
        shifted = path - path.max(axis=1, keepdims=True)
        top = 1.0 / np.exp(shifted, out=shifted).sum(axis=1)
        if wanted == (_NEXT_BLOCK if done else _FIRST_BLOCK):
            group_ends = _NEXT_ENDS if done else _FIRST_ENDS
        else:
            group_ends = np.append(starts[1:], wanted)  # updates applied after each group, in this block
        stop = top > _CONV_THRESHOLD
        if done + wanted - 1 >= _ITERATION_LIMIT:  # the limit falls in this block
            stop |= done + group_ends - 1 >= _ITERATION_LIMIT
        converged = int(stop.argmax())  # the first group that stops, if any does
        if stop[converged]:
            used = int(group_ends[converged])
            stream.rewind(int(ends[used - 1]))
            # exp(path - its row's maximum) of the converged group: `shifted` holds it already
            final = shifted[converged]
            probs: npt.NDArray[np.float64] = final / final.sum()
            return probs
        logp = path[-1]
        done += wanted


# ---------------------------------------------------------------------------------------------------
# py3langid (optional)


@functools.cache
def _py3langid_model(langs: tuple[str, ...] | None) -> Any:
    try:
        from py3langid.langid import (  # type: ignore[import-untyped,unused-ignore]
            MODEL_FILE,
            LanguageIdentifier,
        )
    except ImportError as exc:
        raise NoBackend(_PY3LANGID_MISSING) from exc
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if langs:
        identifier.set_languages([code for code in langs if code in set(identifier.labels)])
    return identifier


def langdetect_languages() -> tuple[str, ...]:
    """The languages langdetect knows, with Chinese as "zh": the default set of every backend."""
    names = (n for n in os.listdir(PROFILES_DIRECTORY) if not n.startswith("."))  # a profile per language
    return tuple(sorted({NORMALISED.get(name, name) for name in names}))


class Py3langidBackend:
    """py3langid (naive Bayes over byte n-grams; model inside the package, no randomness).

    langs: the languages it may answer. By default langdetect's 55 (Chinese as one), so switching the
        backend never introduces a code the default could not produce; pass () for all of its 97.
    """

    name = "py3langid"

    def __init__(self, langs: Sequence[str] | None = None) -> None:
        chosen = langdetect_languages() if langs is None else tuple(langs)
        self._model = _py3langid_model(chosen or None)

    def rank(self, text: str) -> Ranked:
        if not any(ch.isalpha() for ch in text):
            return []
        ranked: list[tuple[str, float]] = self._model.rank(text)
        return [(lang, float(prob)) for lang, prob in ranked if prob > _PROB_THRESHOLD]
