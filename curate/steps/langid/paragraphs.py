"""Per-paragraph language identification for the langid step: which language each paragraph is in,
each language's share of the document, and the edits that drop paragraphs in unwanted languages.

Paragraphs are separated by blank lines (extraction ends every block element with one). A paragraph
too short to judge alone is judged together with the short paragraphs next to it; a run still too
short takes the language of the paragraph after it (before it, at the end of the text), so a
one-word heading or a date line never counts as a language of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import regex

from curate.document import Edit

_BLANK_LINE: Final = regex.compile(r"\n[^\S\n]*\n\s*")
_LETTER: Final = regex.compile(r"\p{L}")
DROP_RULE: Final = "langid.other_language"
DROP_ACTION: Final = "drop_paragraph"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the detector said about a stretch of text: a language ("und" when it could not tell) and
    its probability."""

    lang: str
    score: float


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph: text[start:end] (no surrounding blank lines), its language, and the detector's
    probability (None when the language was inherited from a neighbour)."""

    start: int
    end: int
    lang: str
    score: float | None

    @property
    def chars(self) -> int:
        return self.end - self.start


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: stretches between blank lines, without surrounding whitespace.

    >>> split_paragraphs("one\\n\\n two \\n\\n\\nthree")
    [(0, 3), (6, 9), (13, 18)]
    """
    spans = []
    cursor = 0
    for separator in [*_BLANK_LINE.finditer(text), None]:
        end = separator.start() if separator else len(text)
        piece = text[cursor:end]
        stripped = piece.strip()
        if stripped:
            start = cursor + piece.index(stripped)
            spans.append((start, start + len(stripped)))
        cursor = separator.end() if separator else len(text)
    return spans


def letters(text: str) -> int:
    return len(_LETTER.findall(text))


def classify_paragraphs(text: str, judge: Callable[[str], Verdict], min_letters: int) -> list[Paragraph]:
    """Every paragraph of `text` with its language; [] when the text has no paragraph or no paragraph
    could be judged (no letters, or nothing the detector knows)."""
    spans = split_paragraphs(text)
    groups = _group_short(text, spans, min_letters)
    verdicts: list[Verdict | None] = []
    for group in groups:
        piece = "\n".join(text[start:end] for start, end in group)
        judged = judge(piece) if len(groups) == 1 or letters(piece) >= min_letters else None
        verdicts.append(judged if judged is not None and judged.lang != "und" else None)
    filled = _inherit(verdicts)
    if filled is None:
        return []
    return [
        Paragraph(start, end, verdict.lang, verdict.score if own is not None else None)
        for group, verdict, own in zip(groups, filled, verdicts)
        for start, end in group
    ]


def _group_short(text: str, spans: Sequence[tuple[int, int]], min_letters: int) -> list[list[tuple[int, int]]]:
    """Each long paragraph alone; consecutive short ones together (a list of short lines is judged as
    one text, which is long enough more often than each line is)."""
    groups: list[list[tuple[int, int]]] = []
    short_run = False
    for start, end in spans:
        short = letters(text[start:end]) < min_letters
        if short and short_run:
            groups[-1].append((start, end))
        else:
            groups.append([(start, end)])
        short_run = short
    return groups


def _inherit(verdicts: Sequence[Verdict | None]) -> list[Verdict] | None:
    """Unjudged groups take the verdict after them (a short paragraph is most often the heading of
    what follows), or before them at the end; None if no group was judged."""
    known = [v for v in verdicts if v is not None]
    if not known:
        return None
    following = known[-1]
    filled = []
    for verdict in reversed(verdicts):
        following = verdict or following
        filled.append(following)
    return filled[::-1]


def shares(paragraphs: Sequence[Paragraph]) -> dict[str, float]:
    """Each language's share of the paragraphs' characters, largest first, 4 places.

    >>> shares([Paragraph(0, 80, "en", 0.9), Paragraph(82, 102, "de", 0.9)])
    {'en': 0.8, 'de': 0.2}
    """
    chars: Counter[str] = Counter()
    for paragraph in paragraphs:
        chars[paragraph.lang] += paragraph.chars
    total = sum(chars.values()) or 1
    ranked = sorted(chars.items(), key=lambda item: (-item[1], item[0]))
    return {lang: round(count / total, 4) for lang, count in ranked}


def main_language(paragraphs: Sequence[Paragraph]) -> Verdict:
    """The language with the most characters (ties: the first code alphabetically) and the mean
    probability, weighted by characters, of the paragraphs judged to be in it."""
    lang = next(iter(shares(paragraphs)))
    judged = [(p.score, p.chars) for p in paragraphs if p.lang == lang and p.score is not None]
    weight = sum(chars for _, chars in judged)
    score = sum(s * chars for s, chars in judged) / weight if weight else 0.0
    return Verdict(lang, round(score, 4))


def runs(paragraphs: Sequence[Paragraph]) -> list[list[object]]:
    """[start, end, lang] for each run of consecutive paragraphs in one language: the audit trail of a
    per-paragraph decision, short for a document in one language."""
    out: list[list[object]] = []
    for paragraph in paragraphs:
        if out and out[-1][2] == paragraph.lang:
            out[-1][1] = paragraph.end
        else:
            out.append([paragraph.start, paragraph.end, paragraph.lang])
    return out


def drop_edits(paragraphs: Sequence[Paragraph], keep: frozenset[str]) -> list[Edit]:
    """Edits that remove the paragraphs whose language is not in `keep`, with one blank-line separator
    each, so the text left reads as if they were never there. Nothing is removed when no paragraph is
    in `keep`: a document with nothing wanted is the filter's to drop, whole.

    A paragraph takes the separator after it, or, when no kept paragraph follows, the one before it,
    so edits never overlap and no trailing blank lines are left.
    """
    kept = [p.lang in keep for p in paragraphs]
    if not any(kept):
        return []
    last_kept = max(i for i, k in enumerate(kept) if k)
    edits = []
    for i, paragraph in enumerate(paragraphs):
        if kept[i]:
            continue
        if i < last_kept:
            start, end = paragraph.start, paragraphs[i + 1].start
        else:
            start, end = paragraphs[i - 1].end, paragraph.end
        detail = {"paragraph_lang": paragraph.lang, "score": paragraph.score, "kept": sorted(keep)}
        edits.append(Edit(start, end, "", DROP_ACTION, DROP_RULE, detail))
    return edits
