"""Text-only heuristics for the strip step: furniture that no pattern can name.

Inputs that are already text (a scraper's dump of a whole page, an article saved as .txt) carry no
HTML to say what is navigation or a caption, so these judge lines by what they say:

- **Whole-page dumps** (`page_furniture`): a text where most lines are short labels (menus, buttons,
  footers) is a page dump. Each line is judged as jusText judges a paragraph (length and stop-word
  density, with jusText's stop-word lists in `steps/stopwords`, the best language per line), then the
  article is the run of lines with the best balance of good against bad text (a maximum-sum segment);
  lines outside it go, and so do bad lines inside it that sit between bad lines. A text that does not
  look like a dump (clean prose, a saved article) is never touched: the gate is the share of bad lines.
- **Captions above a source/date block** (`caption_above`): a lone one-sentence line, after a blank
  line or the start, directly above a line the rules removed as a byline, credit or publication
  metadata ("ARA / 29/01/2026 / 2 min"), is the photo caption printed there.

Everything here returns line indices; the strip step turns them into events.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, islice, repeat
from typing import Final

from curate.steps.stopwords import STOPWORDS

_WORD: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END: Final = re.compile(r"[.!?…][”\"')\]]*$")
# A sentence end followed by a capital: a second sentence (a caption is one).
_INNER_SENTENCE_END: Final = re.compile(r"[.!?…][”\"')\]]*\s+[\"“(]?[A-ZÀ-ÖØ-Þ]")
_WALLS: Final = frozenset({"navigation", "share", "tags", "legal", "subscription"})
PAGE_RULE: Final = "text.page_furniture"
CAPTION_RULE: Final = "text.caption_above_source"


@dataclass(frozen=True)
class PageTextConfig:
    """How whole-page dumps are recognised and cut.

    min_lines: texts with fewer non-blank lines are never judged as dumps; a short article or a
        note has too few lines for shares to mean anything.
    min_bad_share: the share of non-blank lines that must be short (under `short_words` words)
        before anything is cut. 0.5: saved articles (the seed articles) have a handful of such
        lines among many paragraphs; a page dump has menus and footers of dozens.
    min_text_density: the stop-word share of the whole text below which its language is taken to
        be one we have no list for (Korean, Thai...): then nothing is judged, since every line
        would look stop-word poor.
    good_words / good_density: a line of at least this many words with at least this share of stop
        words is article text (jusText's "good"; its defaults are 0.30 with full lists, our lists
        hold 150 words per language, hence 0.25). A line under `short_words` words, or under half
        the density, is "bad" (a label, a button, a menu item); anything else is "near".
    near_weight / bad_cost: in the article search a good line scores its length, a near line
        `near_weight` times its length (slightly negative: headings and teasers at the edges are
        left out), a bad line minus (its length + `bad_cost`), so a run of short labels costs more
        than its few characters suggest.
    wall_cost / thread_cost: what crossing a line the rules removed costs: a menu, share, tag,
        legal or pitch line (`wall_cost`) or a comment-thread line (`thread_cost`, higher: comments
        follow the article and must not be joined to it).
    first_share: of the candidate runs, the first scoring at least this share of the best one is
        the article (an article precedes its comments; a long comment must not beat it).
    The defaults were chosen on bench/strip_text.py (aeb dev set: F1 0.90 against 0.77 for jusText).
    """

    min_lines: int = 12
    min_bad_share: float = 0.5
    good_words: int = 12
    good_density: float = 0.25
    short_words: int = 6
    min_text_density: float = 0.1
    near_weight: float = -0.3
    bad_cost: int = 60
    wall_cost: int = 100
    thread_cost: int = 400
    first_share: float = 0.5


def _index() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for code, words in STOPWORDS.items():
        for word in words:
            index[word] = (*index.get(word, ()), code)
    return index


_STOP_INDEX: Final = _index()


def stop_density(words: Sequence[str]) -> float:
    """The share of `words` (casefolded) that are stop words of the one language that covers most.

    Judged per line over every language with a list, so a paragraph in another language than the
    page's (a quote, a mistagged page) is still recognised as prose.
    """
    if not words:
        return 0.0
    # one C-level count over every (word, language) hit: each word's languages, () for the rest
    counts = Counter(chain.from_iterable(map(_STOP_INDEX.get, words, repeat(()))))
    return max(counts.values(), default=0) / len(words)


def _words(line: str) -> list[str]:
    return _casefolded(_WORD.findall(line))


def _casefolded(words: list[str]) -> list[str]:
    return list(map(str.casefold, words))


def _classes(lines: Sequence[str], config: PageTextConfig,
             words_of: Sequence[list[str]] | None = None) -> list[str]:
    """Per line: "blank", "good", "bad" or "near" (neither: short prose, a heading, a long label).
    `words_of`: each line's casefolded words, when already found."""
    out = []
    for index, line in enumerate(lines):
        words = words_of[index] if words_of is not None else _words(line)
        if not line.strip():
            out.append("blank")
            continue
        density = stop_density(words)
        if len(words) >= config.good_words and density >= config.good_density:
            out.append("good")
        elif len(words) < config.short_words or density < config.good_density / 2:
            out.append("bad")
        else:
            out.append("near")
    return out


def _looks_like_dump(lines: Sequence[str], config: PageTextConfig) -> list[list[str]] | None:
    """Enough lines, most of them short labels, and a language whose stop words we know: then each
    line's words (as found, not casefolded), else None.

    Most texts are no dump and fail on the short-line share, which is settled without listing every
    word: a line is short unless it has a `short_words`-th word (found by reading up to it), and
    the count stops once too few lines are left unread for the share to be reached."""
    content = [line for line in lines if line.strip()]
    if len(content) < config.min_lines:
        return None
    needed = config.min_bad_share * len(content)
    if config.short_words > 0:
        unknown_or_short = len(content)  # an upper bound on the short lines, exact at the end
        for line in content:
            if next(islice(_WORD.finditer(line), config.short_words - 1, None), None) is not None:
                unknown_or_short -= 1
                if unknown_or_short < needed:
                    return None
    elif needed > 0:  # no line is short
        return None
    found = [_WORD.findall(line) for line in lines]
    words = [word for line, line_words in zip(lines, found, strict=True) if line.strip() for word in line_words]
    return found if stop_density(_casefolded(words)) >= config.min_text_density else None


def page_furniture(
    lines: Sequence[str], config: PageTextConfig, removed: Sequence[str | None] | None = None
) -> list[int]:
    """Indices of the lines of a whole-page dump that are not its article; [] when it is no dump.

    `removed[i]` is the category of the rule that already removed line i (None if kept): such lines
    are not judged again, but a removed menu, share, tag, legal or pitch line is a wall the article
    rarely crosses (the comments under an article start after one), so crossing it costs.
    """
    removed = removed if removed is not None else [None] * len(lines)
    kept = [line if category is None else "" for line, category in zip(lines, removed, strict=True)]
    # the gate first: most texts are no dump, and it needs no line's stop-word density
    found = _looks_like_dump(kept, config)
    if found is None:
        return []
    classes = _classes(kept, config, [_casefolded(words) for words in found])
    for index, category in enumerate(removed):
        if category is not None:
            classes[index] = "thread" if category == "comments" else "wall" if category in _WALLS else "blank"
    content = [i for i, c in enumerate(classes) if c not in ("blank", "wall", "thread")]
    start, end = _best_segment(lines, classes, config)
    if start > end:
        return []
    drop = [i for i in content if i < start or i > end]
    for position, index in enumerate(content):
        if start <= index <= end and classes[index] == "bad" and _between_bad(content, classes, position):
            drop.append(index)
    return sorted(drop)


def _best_segment(lines: Sequence[str], classes: Sequence[str], config: PageTextConfig) -> tuple[int, int]:
    """The article: a run of lines with a great balance of good characters against bad ones.

    Kadane's maximum-sum scan, keeping the best span of every run it starts; of these candidates
    the earliest whose score reaches `first_share` of the best wins, because an article comes
    before its comment thread, and one long comment can outweigh a short article.
    """
    weight = {"good": 1.0, "near": config.near_weight, "bad": -1.0, "blank": 0.0}
    candidates: list[tuple[float, int, int]] = []
    total, first = 0.0, 0
    for index, (line, kind) in enumerate(zip(lines, classes, strict=True)):
        if kind in ("wall", "thread"):
            score = -float(config.wall_cost if kind == "wall" else config.thread_cost)
        else:
            cost = config.bad_cost if kind == "bad" else 0
            score = weight[kind] * (len(line.strip()) + cost)
        if total <= 0:
            total, first = 0.0, index
            candidates.append((0.0, index, index - 1))
        total += score
        if total > candidates[-1][0]:
            candidates[-1] = (total, first, index)
    best = max((c[0] for c in candidates), default=0.0)
    if best <= 0:
        return 0, -1
    chosen = next(c for c in candidates if c[0] >= config.first_share * best)
    return chosen[1], chosen[2]


def _between_bad(content: Sequence[int], classes: Sequence[str], position: int) -> bool:
    before = classes[content[position - 1]] if position > 0 else "bad"
    after = classes[content[position + 1]] if position + 1 < len(content) else "bad"
    return before == "bad" and after == "bad"


def caption_above(lines: Sequence[str], removed: Sequence[str | None], max_words: int = 30) -> list[int]:
    """Lines that are a lone one-sentence caption directly above a removed source/date block.

    `removed[i]` is the category of the rule that removed line i (None if kept). The line must
    follow a blank line (or open the text), end a sentence, hold one sentence of at most
    `max_words` words, and be followed at once by a removed byline, credit, caption or metadata line.
    """
    furniture = {"metadata", "byline", "credit", "caption"}
    out = []
    for index in range(len(lines) - 1):
        line = lines[index].strip()
        if not line or removed[index] is not None or removed[index + 1] not in furniture:
            continue
        if index > 0 and lines[index - 1].strip():
            continue
        words = _WORD.findall(line)
        if not 4 <= len(words) <= max_words or not _SENTENCE_END.search(line):
            continue
        if _INNER_SENTENCE_END.search(line):
            continue
        out.append(index)
    return out
