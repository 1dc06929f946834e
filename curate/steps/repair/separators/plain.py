"""The cut of a plain glued word, one without a case change inside ("crisiscaused", "ofthe",
"Thepresident"), and the spelling gate plain splits must pass.

A lowercase word is split where the glued form is unknown, or so much rarer than the two words side
by side would be that it is glue ("crisiscaused", "ofthe"), and both parts are frequent words
(parts of one or two letters only if they are among the language's most frequent words; a
one-letter right part only in English, "stoppeda", or as an elided article, "typed'exemple"), not a
prefix that makes words ("underdelivering"), not two short parts ("versin", "versión" without its
"ó"); a capitalised one only after such a word ("Thepresident"), never a name cut in two
("Nadalim"). In languages that join words (German, Slavic, Finnish …) only with a function word on
one side ("надороге")."""

from __future__ import annotations

import itertools
import weakref
from typing import Final

import regex

from curate.steps.repair.lexicon import Lexicon
from curate.steps.repair.separators.common import _BIGRAM_OFFSET, GlueRules, _english_zipf

_NEXT_TO_FUNCTION: Final = 0.5
_SCORE_SLACK: Final = 1e-6
# The spelling gate of plain splits: how many lowercase words it reads, and the share of them that
# may be unknown to wordfreq (English news: about 1%; langid-dev sentences with lost accents: 20%).
_LOWER_RUN: Final = regex.compile(r"(?<!\p{L})\p{Ll}+(?!\p{L})")
_GATE_SAMPLE: Final = 300
_MAX_UNKNOWN_SHARE: Final = 0.03
_ALLOWED_UNKNOWN: Final = 1
# Common prefixes that make real words wordfreq may not list ("nonscientific", "hyperlocal").
# (Prefixes that are words too, such as over, out, under, post, are not here: "overalleged" is glue.)
_WORD_PREFIXES: Final = frozenset(
    {"anti", "auto", "bio", "cyber", "eco", "geo", "hyper", "infra", "inter", "macro", "mega"}
    | {"meta", "micro", "mini", "mis", "mono", "multi", "neo", "non", "poly", "pre", "pseudo"}
    | {"quasi", "semi", "sub", "tele", "trans", "tri", "ultra", "un"}
)
_SHORT_PART_BONUS: Final = 1.0
# Two long parts of a glued form wordfreq does not know may be rarer ("pneumonic" + "plague").
_LONG_PART_LEN: Final = 5
_LONG_PART_ZIPF: Final = 2.5
# The letters a wrongly decoded page drops most ("versión" → "versin"), and how frequent the word
# with the letter back must be to explain the unknown one.
_ACCENTED: Final = "áéíóúñãõçàèìòùâêôüï"
_LOST_ACCENT_ZIPF: Final = 3.0
_GUARD_FUNCTION_LEN: Final = 2
_GUARD_OTHER_LEN: Final = 4
# Word-forming prefixes that are words too ("underdelivering", "backglass", "outlasted"): the glued
# form is a derived word unless the other part is a function word ("overthe").
_WORD_LIKE_PREFIXES: Final = frozenset(
    {"under", "over", "out", "back", "counter", "cross", "down", "fore", "mid", "off", "self"}
    | {"super"}
)


def _cut_memo(lexicon: Lexicon, rules: GlueRules, guarded: bool) -> dict[str, int | None]:
    """The memo of `_plain_cut` for these arguments: its result depends on the word and them
    alone, and a worker meets the same rare words again (in the next round, or document)."""
    by_rules = _CUT_MEMOS.get(lexicon)
    if by_rules is None:
        by_rules = _CUT_MEMOS[lexicon] = {}
    memo = by_rules.get((rules, guarded))
    if memo is None or len(memo) >= _CUT_MEMO_LIMIT:
        memo = by_rules[rules, guarded] = {}
    return memo


_CUT_MEMOS: weakref.WeakKeyDictionary[
    Lexicon, dict[tuple[GlueRules, bool], dict[str, int | None]]
] = weakref.WeakKeyDictionary()
_CUT_MEMO_LIMIT: Final = 1 << 15


def _split(
    word: str,
    rules: GlueRules,
    lexicon: Lexicon,
    cuts: dict[str, int | None],
    *,
    plain: bool,
    guarded: bool,
) -> tuple[int, str] | None:
    """(cut, inserted text) for a word without a case change that should be split, else None."""
    if not plain:
        return None
    if word in cuts:
        cut = cuts[word]
    else:
        cut = cuts[word] = _plain_cut(word, rules, lexicon, guarded=guarded)
    return None if cut is None else (cut, " ")


def _plain_cut(word: str, rules: GlueRules, lexicon: Lexicon, *, guarded: bool) -> int | None:
    """The best cut of a word glued from two ("crisiscaused", "ofthe", "Thepresident"), or None."""
    lower = word.lower()
    glued = lexicon.zipf(lower)
    if glued >= rules.max_rare_glued_zipf:
        return None  # a common word: "another" is not "an other"
    if guarded and (glued > 0 or not word.islower()):
        return None  # `_guarded_pair` rejects every cut of such a word: no need to try them
    top = lexicon.top
    best: tuple[float, int] | None = None  # (score, cut)
    # The lowest floor any cut can get (below): a part under it fails every cut's full test, so
    # most cuts are rejected here, before the finer tests (most of repair's time on long texts).
    lowest = rules.min_part_zipf - _NEXT_TO_FUNCTION
    if glued == 0:
        lowest = min(lowest, _LONG_PART_ZIPF)
    else:
        # The best cut is kept only if its score (the parts' Zipf summed) is at least glued +
        # _BIGRAM_OFFSET + glue_margin (the test after the loop), and the other part adds at most
        # the lexicon's highest Zipf: a part under that floor makes a cut that cannot be kept, or
        # change which one is best. (_SCORE_SLACK: for the float rounding of the sum.)
        needed = glued + _BIGRAM_OFFSET + rules.glue_margin - lexicon.max_zipf - _SCORE_SLACK
        lowest = max(lowest, needed)
    for cut in range(1, len(word)):
        left, right = lower[:cut], lower[cut:]
        if len(right) == 1 and not (lexicon.lang == "en" and right in top):
            continue  # a one-letter right part is an ending ("oferta" + "s", "passar" + "a")
        if guarded and left not in top and right not in top:
            continue  # `_guarded_pair` wants a function word on one side
        if not (_may_be_part(left, lowest, rules, lexicon) and _may_be_part(right, lowest, rules, lexicon)):
            continue
        # Next to a function word the other part may be less frequent ("has" + "plunged" 3.4).
        floor = rules.min_part_zipf - (
            _NEXT_TO_FUNCTION if left in lexicon.top or right in lexicon.top else 0
        )
        if glued == 0 and min(len(left), len(right)) >= _LONG_PART_LEN:
            floor = min(floor, _LONG_PART_ZIPF)  # "pneumonicplague", "compreensãotextual"
        if not (_is_part(left, floor, rules, lexicon) and _is_part(right, floor, rules, lexicon)):
            continue
        if not _plausible_pair(word, left, right, glued, rules, lexicon):
            continue
        if guarded and not _guarded_pair(word, left, right, glued, rules, lexicon):
            continue
        score = lexicon.zipf(left) + lexicon.zipf(right)
        if best is None or score > best[0]:
            best = (score, cut)
    if best is None or _lost_accent(word, lexicon):
        return None
    # Under independence the pair's Zipf would be zipf(left) + zipf(right) - 9; glue is a known
    # "word" only far below that ("ofthe" 3.3 against 6.1), a real word is not ("eachother").
    if glued > 0 and best[0] - _BIGRAM_OFFSET - rules.glue_margin < glued:
        return None
    return best[1]


def _plausible_pair(
    word: str, left: str, right: str, glued: float, rules: GlueRules, lexicon: Lexicon
) -> bool:
    """The finer tests of a plain cut, each against a kind of correct word that splits too."""
    function_left, function_right = left in lexicon.top, right in lexicon.top
    if left in _WORD_LIKE_PREFIXES and not function_right:
        return False  # "underdelivering", "backglass": a derived word ("overthe" is glue)
    for part, function in ((left, function_left), (right, function_right)):
        if len(part) == 3 and not function and not _short_word(part, rules, lexicon):
            return False  # "caixanet": a short rare part is as often a syllable as a word
    if word[0].isupper():
        # "Thepresident", "Photoswhich", but not a name cut in two ("Melaye", "Nadalim")
        if function_left:
            frequent = lexicon.zipf(right) >= rules.min_part_zipf
            return (len(right) >= 4 or function_right) and frequent
        return function_right and len(left) >= 4 and lexicon.zipf(left) >= rules.min_part_zipf
    return True


def _guarded_pair(
    word: str, left: str, right: str, glued: float, rules: GlueRules, lexicon: Lexicon
) -> bool:
    """The stricter test of languages that build words by joining others (compounds, prefixes,
    case endings): the glued form is unknown, one part is a function word of two letters or more
    and the other a frequent word of four letters or more."""
    if glued > 0 or not word.islower():
        return False  # capitalised: a noun (German) or a name, the most compound-prone words
    for function, other in ((left, right), (right, left)):
        if (
            len(function) >= _GUARD_FUNCTION_LEN
            and function in lexicon.top
            and len(other) >= _GUARD_OTHER_LEN
            and lexicon.zipf(other) >= rules.min_part_zipf
        ):
            return True
    return False


def _short_word(part: str, rules: GlueRules, lexicon: Lexicon) -> bool:
    """A three-letter part that is a word in its own right: frequent, and in a language other than
    English not an English word borrowed into names ("caixa" + "net", "Rádio" + "web")."""
    zipf = lexicon.zipf(part)
    if zipf < rules.min_part_zipf + _SHORT_PART_BONUS:
        return False
    return lexicon.lang == "en" or _english_zipf(part) <= zipf


def _lost_accent(word: str, lexicon: Lexicon) -> bool:
    """Whether the word is a known word that lost an accented letter ("versin" for "versión",
    "ms" for "más": a page decoded wrongly and the letters dropped), not two glued words."""
    letters = _accents_of(lexicon)
    if not letters:
        return False
    lower = word.lower()
    return any(
        lexicon.zipf(lower[:i] + letter + lower[i:]) >= _LOST_ACCENT_ZIPF
        for i in range(1, len(lower) + 1)
        for letter in letters
    )


_ACCENTS_OF: dict[str, str] = {}


def _accents_of(lexicon: Lexicon) -> str:
    """The accented letters a page of the language can have lost: all of them, or none for a
    language whose most frequent words have none (English), which saves the search."""
    found = _ACCENTS_OF.get(lexicon.lang)
    if found is None:
        written = set("".join(lexicon.top))
        found = _ACCENTS_OF[lexicon.lang] = _ACCENTED if written & set(_ACCENTED) else ""
    return found


def _may_be_part(part: str, lowest: float, rules: GlueRules, lexicon: Lexicon) -> bool:
    """`_is_part` with the lowest floor and without the prefix test: False means no cut can use it."""
    if len(part) < rules.min_part_len:
        return part in lexicon.top
    return lexicon.zipf(part) >= lowest


def _is_part(part: str, floor: float, rules: GlueRules, lexicon: Lexicon) -> bool:
    if part in _WORD_PREFIXES and part not in lexicon.top:
        return False  # "nonscientific", "hyperlocal": a prefix, not a word (but "un" in French)
    if len(part) < rules.min_part_len:
        return part in lexicon.top
    return lexicon.zipf(part) >= floor


def _elided_split(word: str, rules: GlueRules, lexicon: Lexicon) -> tuple[int, str] | None:
    """A word glued to an elided article ("type d'exemple" → "typed'exemple"): the last letter
    is one of the language's most frequent words (French, Italian, Catalan d', l', s'), the rest
    a frequent word, and the whole unknown ("aujourd'hui", "quest'anno" do not split so)."""
    lower = word.lower()
    left, right = lower[:-1], lower[-1]
    if not word[1:].islower() or right not in lexicon.top or len(left) < rules.min_part_len:
        return None
    if lexicon.zipf(lower) > 0 or lexicon.zipf(left) < rules.min_part_zipf:
        return None
    return len(left), " "


def _well_spelt(text: str, lexicon: Lexicon, glued: set[str], *, strict: bool) -> bool:
    """Whether the text's other lowercase words are nearly all known: in text full of unknown
    words (typos, lost accents as in "versin", another language) an unknown word proves nothing.
    One unknown word is allowed in a short text ("amainat" in 8 words is a rare word, not a
    broken page) unless it is a known word without an accent ("versin"), or the language joins
    words (`strict`: there, an unknown word is as often a compound as glue)."""
    found = itertools.islice(_LOWER_RUN.finditer(text), _GATE_SAMPLE)
    words = [m.group() for m in found if m.group() not in glued]
    unknown = [word for word in words if lexicon.zipf(word) == 0]
    if strict:
        return len(unknown) <= _MAX_UNKNOWN_SHARE * len(words)
    if any(_lost_accent(word, lexicon) for word in unknown):
        return False
    return len(unknown) <= max(_ALLOWED_UNKNOWN, _MAX_UNKNOWN_SHARE * len(words))

