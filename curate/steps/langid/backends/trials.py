"""langdetect's random trials, vectorised: seeded random walks over a text's n-grams that score every
language at once (`run_trials`), drawing the same random numbers in the same order as
`langdetect.Detector` so that the scores are langdetect's own (equal up to floating-point rounding).

The random numbers come from `_Stream`, which computes what `random.Random` gives langdetect from its
raw words fetched in bulk; a trial (`_walk`) multiplies in blocks of drawn profile rows at once
instead of one n-gram at a time over 55 languages in Python.
"""

from __future__ import annotations

import functools
import math
import random
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from langdetect.detector import Detector

# langdetect.Detector's constants, taken from the class so they cannot drift from the installed version.
_ALPHA: Final = Detector.ALPHA_DEFAULT
_ALPHA_WIDTH: Final = Detector.ALPHA_WIDTH
_ITERATION_LIMIT: Final = Detector.ITERATION_LIMIT
_CONV_THRESHOLD: Final = Detector.CONV_THRESHOLD
_BASE_FREQ: Final = Detector.BASE_FREQ
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
_STREAM_CHUNK: Final = 4096  # the random words fetched at a time (~500 make a typical text's 7 trials)


def run_trials(features: npt.NDArray[np.intp], table: npt.NDArray[np.float64], *, seed: int, trials: int,
               settle: int) -> npt.NDArray[np.float64]:
    """The average language probabilities of `trials` random walks over the text's n-grams (`features`,
    rows of `table`), drawn from `random.Random(seed)` afresh. With `settle`, the trials stop early once
    at least `settle` of them all converged on one language (the rest would too)."""
    stream = _Stream.seeded(seed, len(features))
    total = np.zeros(table.shape[1])
    tops: set[int] = set()
    for done in range(1, trials + 1):
        alpha = _ALPHA + stream.gauss() * _ALPHA_WIDTH
        probs = _walk(stream, features, table, alpha / _BASE_FREQ)
        total += probs
        top = int(probs.argmax())
        tops.add(top if probs[top] > _CONV_THRESHOLD else -1)
        if settle and done >= settle and done < trials and tops == {top}:
            break  # every trial so far converged on one language: the rest would too
    return total / done


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
