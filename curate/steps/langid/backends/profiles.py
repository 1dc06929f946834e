"""langdetect's shipped language profiles, loaded once per process as one read-only matrix
(row = n-gram, column = language), and the languages they name.

The matrix is what langdetect's `DetectorFactory` builds from the same files (the tests compare them
cell for cell), built column by column with numpy so no worker waits on a Python loop to start.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from langdetect.detector_factory import PROFILES_DIRECTORY

# langdetect answers these for Chinese; the script variant is not a language, so both backends say "zh".
NORMALISED: Final = {"zh-cn": "zh", "zh-tw": "zh"}


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


def langdetect_languages() -> tuple[str, ...]:
    """The languages langdetect knows, with Chinese as "zh": the default set of every backend."""
    names = (n for n in os.listdir(PROFILES_DIRECTORY) if not n.startswith("."))  # a profile per language
    return tuple(sorted({NORMALISED.get(name, name) for name in names}))
