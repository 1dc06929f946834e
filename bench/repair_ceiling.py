"""Glued words: how far any splitter that reads only word frequencies can go.

    python bench/repair_ceiling.py ../shared/data                 (from the repo root)

`bench/repair.py` glues two words of clean prose (`crisis caused` → `crisiscaused`) once per
langid-dev sentence and five times per aeb-dev article. This benchmark takes the same corruptions and
asks what wordfreq's lists (the only word knowledge on a machine without internet) can tell about
them. For each glued chunk it finds the likeliest split, the cut whose two parts are both listed with
the highest summed Zipf frequency, and describes it by four numbers:

- the glued form's own Zipf (0 when wordfreq does not list it),
- the rarer part's Zipf,
- the margin: the Zipf of the two parts side by side (za + zb - 9) less the glued form's,
- the shorter part's length in letters.

The same four numbers are taken for every word of four letters or more in the clean originals:
splitting one of those is a false repair. A rule "split when the glued form is at most U, the rarer
part at least M, the margin at least G and the shorter part at least L letters" is then judged four
ways, per language (languages with no wordfreq list cannot be split by this family at all):

| column | what it measures |
|---|---|
| curate | what `curate repair` restores today (as in bench/repair.py) |
| likeliest cut right | no false-repair limit: the likeliest split is the right one (or curate restores it) |
| tuned on all | the best rule of the grid for each language, chosen on the very sentences it is scored on, with at most 1 false split per 10,000 clean words of that language: an optimistic bound |
| held out | the same choice made on half of each language's texts (alternate texts), scored on the other half, both ways round: recall, and the false splits it makes per 10,000 words of the held-out clean text |

A language's glued words restored by curate count as restored in every column.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import regex as re
import wordfreq
from repair import GROUPS, WORDFREQ, Unit, damage_arguments, damages, language_group, load_units

from curate.document import Document
from curate.steps.repair import Repair, RepairConfig

# The punctuation that may wrap a word in a whitespace-delimited chunk (as repair's separator pass
# reads it: curate/steps/repair/separators/common.py).
WRAP = "\"'“”‘’«»()[]{}.,;:!?…—–-*"
WORD = re.compile(r"\p{L}+")
MIN_CLEAN_LEN = 4
FALSE_PER_WORDS = 10_000
# The rule grid: glued form at most U, rarer part at least M, margin at least G, shorter part >= L.
GRID = np.array(list(itertools.product(
    [0.0, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5], [1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0],
    [-2.0, -1.0, 0.0, 1.0, 2.0, 3.0], [1, 2, 3, 4])))
NONE = np.full(4, np.nan)


@dataclass
class Language:
    """One language's glued chunks and clean words, as rows of the four numbers (NaN: no split)."""

    group: str
    glued: list[np.ndarray]
    glued_fold: list[int]
    restored: list[bool]  # curate restores it today
    right: list[bool]  # the likeliest split is the right cut
    clean: list[np.ndarray]
    clean_fold: list[int]
    words: list[int]  # clean words per fold


class Zipfs:
    """wordfreq's list of a language as Zipf values, looked up by the lowercase word."""

    def __init__(self) -> None:
        self._tables: dict[str, dict[str, float]] = {}

    def table(self, lang: str) -> dict[str, float]:
        code = WORDFREQ.get(lang, lang)
        if code not in self._tables:
            freqs = wordfreq.get_frequency_dict(code) if code in wordfreq.available_languages() else {}
            self._tables[code] = {word: math.log10(freq) + 9 for word, freq in freqs.items()}
        return self._tables[code]

    def likeliest_split(self, chunk: str, lang: str) -> tuple[np.ndarray, int]:
        """The four numbers of the chunk's likeliest split, and its cut (-1 when none)."""
        table = self.table(lang)
        word = chunk.lower()
        best, cut, parts = -1.0, -1, (0.0, 0.0)
        for i in range(1, len(word)):
            left, right = table.get(word[:i], 0.0), table.get(word[i:], 0.0)
            if left and right and left + right > best:
                best, cut, parts = left + right, i, (left, right)
        if cut < 0:
            return NONE, -1
        whole = table.get(word, 0.0)
        return np.array([whole, min(parts), best - 9 - whole, min(cut, len(word) - cut)]), cut


def _glued_chunk(corrupted: str, at: int) -> tuple[str, int]:
    """The word the glue at `at` sits in, without its wrapping punctuation, and where it starts."""
    start = at
    while start > 0 and not corrupted[start - 1].isspace():
        start -= 1
    end = at
    while end < len(corrupted) and not corrupted[end].isspace():
        end += 1
    chunk = corrupted[start:end]
    lead = len(chunk) - len(chunk.lstrip(WRAP))
    return chunk.strip(WRAP), start + lead


def collect(units: list[Unit], pairs: list[Unit], seed: int, per_article: int) -> dict[str, Language]:
    repair = Repair(RepairConfig())

    def fix(text: str) -> str:
        return repair.apply(Document(id="bench", source="bench", text=text)).text

    zipfs = Zipfs()
    fold_of = {id(unit): i % 2 for i, unit in enumerate(units)}
    languages: dict[str, Language] = {}
    for unit in units:
        if unit.lang not in languages:
            languages[unit.lang] = Language(language_group(unit.lang), [], [], [], [], [], [], [0, 0])
        language = languages[unit.lang]
        fold = fold_of[id(unit)]
        language.words[fold] += len(unit.text.split())
        for chunk in unit.text.split():
            word = chunk.strip(WRAP)
            if len(word) >= MIN_CLEAN_LEN and WORD.fullmatch(word):
                language.clean.append(zipfs.likeliest_split(word, unit.lang)[0])
                language.clean_fold.append(fold)
    for unit, damage in damages(units, pairs, "glued_words", seed, per_article):
        language = languages[unit.lang]
        original = damage.accepted[0]
        at = next(i for i, (a, b) in enumerate(zip(original, damage.corrupted)) if a != b)
        word, start = _glued_chunk(damage.corrupted, at)
        numbers, cut = zipfs.likeliest_split(word, unit.lang)
        language.glued.append(numbers)
        language.glued_fold.append(fold_of[id(unit)])
        language.restored.append(fix(damage.corrupted) in [fix(a) for a in damage.accepted])
        language.right.append(cut >= 0 and start + cut == at)
    return {lang: language for lang, language in languages.items() if language.glued}


def _fires(rows: np.ndarray) -> np.ndarray:
    """(rules × rows) booleans: which rule of GRID splits which row (NaN rows never)."""
    if not len(rows):
        return np.zeros((len(GRID), 0), dtype=bool)
    whole, rarer, margin, shorter = (rows[:, i][None, :] for i in range(4))
    u, m, g, length = (GRID[:, i][:, None] for i in range(4))
    with np.errstate(invalid="ignore"):
        return (whole <= u) & (rarer >= m) & (margin >= g) & (shorter >= length)


def _best_rule(gains: np.ndarray, false: np.ndarray, budget: int) -> int | None:
    allowed = np.flatnonzero(false <= budget)
    if not len(allowed) or gains[allowed].max() == 0:
        return None
    return int(allowed[np.argmax(gains[allowed])])


@dataclass
class Outcome:
    n: int = 0
    curate: int = 0
    right: int = 0
    tuned: int = 0
    held_out: int = 0
    held_out_false: int = 0
    words: int = 0

    def add(self, other: Outcome) -> None:
        for field in self.__dataclass_fields__:
            setattr(self, field, getattr(self, field) + getattr(other, field))


def judge(language: Language) -> Outcome:
    restored, right = np.array(language.restored), np.array(language.right)
    outcome = Outcome(len(restored), int(restored.sum()), int((restored | right).sum()),
                      words=sum(language.words))
    outcome.tuned = outcome.held_out = outcome.curate
    if language.group == "none":
        return outcome
    glued_fold, clean_fold = np.array(language.glued_fold), np.array(language.clean_fold)
    # Only rows curate misses and whose likeliest cut is right can be won; any split of clean text is false.
    winnable = _fires(np.array(language.glued)) & (right & ~restored)[None, :]
    false = _fires(np.array(language.clean))
    budget = sum(language.words) // FALSE_PER_WORDS
    rule = _best_rule(winnable.sum(axis=1), false.sum(axis=1), budget)
    if rule is not None:
        outcome.tuned += int(winnable[rule].sum())
    for train in (0, 1):
        test = 1 - train
        rule = _best_rule(winnable[:, glued_fold == train].sum(axis=1),
                          false[:, clean_fold == train].sum(axis=1), language.words[train] // FALSE_PER_WORDS)
        if rule is not None:
            outcome.held_out += int(winnable[rule, glued_fold == test].sum())
            outcome.held_out_false += int(false[rule, clean_fold == test].sum())
    return outcome


def _row(label: str, o: Outcome) -> str:
    def share(k: int) -> str:
        return f"{100 * k / o.n:.1f}" if o.n else "-"
    return (f"| {label} | {o.n} | {share(o.curate)} | {share(o.right)} | {share(o.tuned)} | "
            f"{share(o.held_out)} | {FALSE_PER_WORDS * o.held_out_false / max(o.words, 1):.1f} |")


def main() -> None:
    args = damage_arguments(__doc__.splitlines()[0]).parse_args()
    units, pairs = load_units(args.data)
    languages = collect(units, pairs, args.seed, args.per_article)
    outcomes = {lang: judge(language) for lang, language in sorted(languages.items())}
    header = ("| {} | n | curate | likeliest cut right | tuned on all (<= 1 false / 10k) | held out | "
              "held-out false per 10k |\n|---|---:|---:|---:|---:|---:|---:|")
    print("\n## Glued words restored (%), by group\n")
    print(header.format("group"))
    pooled = Outcome()
    for group, label in GROUPS.items():
        total = Outcome()
        for lang, outcome in outcomes.items():
            if languages[lang].group == group:
                total.add(outcome)
        pooled.add(total)
        print(_row(label, total))
    print(_row("**all**", pooled))
    print("\n## By language\n")
    print(header.format("lang"))
    for lang, outcome in outcomes.items():
        print(_row(lang, outcome))


if __name__ == "__main__":
    main()
