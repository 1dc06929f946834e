"""Glued words of the separator pass, judged with wordfreq's list for the document's language
(`lexicon`): find the words that can be glue, and split those the evidence says are.

A word without a case change is cut by `plain`, one with a lower→Upper change inside is judged by
`camel`, and either split is made only with strong evidence. Never hashtags, URLs, code-like tokens,
words with digits, a word that occurs twice in the document (glue is an accident; names and jargon
repeat), nor text in scripts written without spaces."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Final

import regex

from curate.document import Edit
from curate.steps.repair.lexicon import Lexicon
from curate.steps.repair.separators.camel import (
    _abbreviation_cut,
    _camel_split,
    _single_case_change,
    camel_split_without_lexicon,
)
from curate.steps.repair.separators.common import (
    _CASE_CHANGE,
    _CODE_LIKE,
    _DOTTED,
    _LATIN,
    _SCRIPT,
    GlueRules,
    _Context,
    _core_at,
)
from curate.steps.repair.separators.plain import _cut_memo, _elided_split, _split, _well_spelt

SPLIT_ACTION: Final = "split_join"
SPLIT_RULE: Final = "repair.glued_words"
_LETTER: Final = regex.compile(r"\p{L}")
# (Matched backwards from a position: the letter run that ends there.)
_LETTERS_BEFORE: Final = regex.compile(r"(?r)\p{L}+")
_FEW_WORDS: Final = 16
_CASED_WORD: Final = regex.compile(rf"{_SCRIPT}+")
# A word of a cased script, all lowercase after an optional capital, long enough to hold two words.
_PLAIN_WORD: Final = regex.compile(r"(?<!\p{L})(?:\p{Lu}|\p{Ll})\p{Ll}{3,}(?!\p{L})")
_JOINERS: Final = frozenset("'’-‐")


def glue_edits(
    text: str, rules: GlueRules, lexicon: Lexicon | None, *, plain: bool, guarded: bool = False
) -> list[Edit]:
    """Split the glued words of `text`, judged in `lexicon`'s language; words without a case
    change ("crisiscaused") only if `plain`. Without a lexicon (a language wordfreq has no list
    for, or too little text to tell), only lowercase→Capitalised joins, by their shape."""
    edits: list[Edit] = []
    plain_edits: list[Edit] = []
    context = _Context(text)
    cuts = _cut_memo(lexicon, rules, guarded) if lexicon is not None else {}
    for start, end, once in _glue_candidates(text, rules, lexicon, cuts, plain=plain, guarded=guarded):
        found = _glue_edit(text, start, end, rules, lexicon, context, cuts, plain, guarded, written_once=once)
        if found is not None:
            edit, is_plain = found
            (plain_edits if is_plain else edits).append(edit)
    glued = {str(e.detail["word"]) for e in plain_edits}
    if plain_edits and lexicon is not None and _well_spelt(text, lexicon, glued, strict=guarded):
        edits.extend(plain_edits)
    return sorted(edits, key=lambda e: e.start)


def _glue_candidates(
    text: str,
    rules: GlueRules,
    lexicon: Lexicon | None,
    cuts: dict[str, int | None],
    *,
    plain: bool,
    guarded: bool,
) -> Iterator[tuple[int, int, bool]]:
    """(start, end, written once) of the words `_glue_edit` should judge: those with a case change,
    then the plain words ("crisiscaused") that can be glue. A plain word needs a position only once
    it has a cut (memoised in `cuts`, so `_glue_edit` finds it again for free), unless it is judged
    by its neighbours first (an elided one, "typed'exemple") or has a case change after all (the two
    regex engines' Unicode versions): those go the whole way."""
    for start, end in _case_change_spans(text):
        yield start, end, False
    if not plain or lexicon is None:
        return
    elided = _words_before_apostrophes(text) if not guarded else frozenset[str]()
    judged = [
        word for word in _plain_words(text, rules, lexicon)
        if word in elided or not word[1:].islower()
        or _split(word, rules, lexicon, cuts, plain=plain, guarded=guarded) is not None
    ]
    positions = _positions(text, judged)
    for word in judged:
        yield positions[word], positions[word] + len(word), True


def _glue_edit(
    text: str,
    start: int,
    end: int,
    rules: GlueRules,
    lexicon: Lexicon | None,
    context: _Context,
    cuts: dict[str, int | None],
    plain: bool,
    guarded: bool,
    *,
    written_once: bool = False,
) -> tuple[Edit, bool] | None:
    """The split of the candidate word at text[start:end], if it is glue, and whether it is a
    plain one (judged by the spelling gate of `_well_spelt`). `written_once`: the caller knows
    the document writes the word once (`_plain_words`), so its words need not be counted."""
    word = text[start:end]
    camel = not word[1:].islower()
    split: tuple[int, str] | None
    abbreviation = _abbreviation_cut(text, start, word, lexicon) if camel else None
    if abbreviation is not None:
        split = abbreviation, ". "  # "a.mFriday", "m.inGombrowicza"
    elif lexicon is None:
        split = camel_split_without_lexicon(word, rules)
    elif not camel and lexicon.zipf(word.lower()) >= rules.max_rare_glued_zipf:
        return None  # most words: common, so not glue (the cheapest test first)
    elif camel:
        split = _camel_split(word, rules, lexicon, context)
    elif plain and not guarded and _elides(text, end):
        split = _elided_split(word, rules, lexicon)
        if split is None or _touches_joiner(text, start, start):
            return None
    else:
        split = _split(word, rules, lexicon, cuts, plain=plain, guarded=guarded)
        if split is not None and _touches_joiner(text, start, end):
            return None
    # (A case change is judged on the word alone: "e-commerceIls", "l'AjuntamentUbicació".)
    spaced = False
    if split is None:
        # The document writes the two words apart elsewhere ("Electoral Commission"):
        # evidence enough in any language, with or without a word list.
        cut_at = _single_case_change(word) if camel else None
        if cut_at is None or not context.writes_apart(word[:cut_at], word[cut_at:]):
            return None
        split, spaced = (cut_at, " "), True
    core = _core_at(text, start)
    if core is None or _CODE_LIKE.search(core) or (_DOTTED.search(core) and abbreviation is None):
        return None
    if not written_once and context.seen[word] > 1:
        return None  # a word the document repeats is a word, not an accident
    cut, separator = split
    detail = {"word": word, "left": word[:cut], "right": word[cut:]}
    edit = Edit(start + cut, start + cut, separator, SPLIT_ACTION, SPLIT_RULE, detail)
    return edit, word[1:].islower() and not spaced


def _case_change_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of cased-script words with a lower→Upper change inside ("UkraineThe"; found from the
    change, then widened to the word, which is much faster than matching every word)."""
    last_end = -1
    for change in _CASE_CHANGE.finditer(text):
        if change.start() < last_end:
            continue  # a second change in a word already seen
        start, end = change.start(), change.end()
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        while end < len(text) and text[end].isalpha():
            end += 1
        last_end = end
        if _CASED_WORD.fullmatch(text, start, end):
            yield start, end


def _plain_words(text: str, rules: GlueRules, lexicon: Lexicon) -> Iterator[str]:
    """The words all lowercase after an optional capital ("crisiscaused", "Thepresident") that
    can be glue, in text order: rare, and written once in the document (`_glue_edit` drops a word
    the document repeats; a _PLAIN_WORD match is a whole letter run, as the words `_Context.seen`
    counts are, so the counts agree). Counting the words (in C), then judging each distinct one,
    is much cheaper than judging every occurrence."""
    zipf, common = lexicon.zipf, rules.max_rare_glued_zipf
    for word, count in Counter(_PLAIN_WORD.findall(text)).items():
        if count == 1 and zipf(word.lower()) < common:
            yield word


def _words_before_apostrophes(text: str) -> frozenset[str]:
    """The letter runs that end at an apostrophe: the only words `_elides` can be true of."""
    found = set()
    for quote in "'’":
        at = text.find(quote)
        while at >= 0:
            run = _LETTERS_BEFORE.match(text, 0, at) if at else None
            if run is not None:
                found.add(run.group())
            at = text.find(quote, at + 1)
    return frozenset(found)


def _positions(text: str, words: list[str]) -> dict[str, int]:
    """Where each of `words` (each written once as a whole _PLAIN_WORD match) stands: a search
    each for a few, one scan for more (searches from the start for each of many words would
    make long texts quadratic)."""
    if len(words) <= _FEW_WORDS:
        return {word: _whole_word_at(text, word) for word in words}
    wanted = set(words)
    return {m.group(): m.start() for m in _PLAIN_WORD.finditer(text) if m.group() in wanted}


def _whole_word_at(text: str, word: str) -> int:
    """Where `word` stands as a whole letter run in `text` (it must, at least once)."""
    at = text.find(word)
    while (at > 0 and _LETTER.match(text, at - 1)) or (
        at >= 0 and _LETTER.match(text, at + len(word))
    ):
        at = text.find(word, at + 1)
    return at


def _elides(text: str, end: int) -> bool:
    """Whether the word ends in an apostrophe before a letter: "typed'exemple", "tipol'anno"."""
    return (
        end + 1 < len(text)
        and text[end] in "'’"
        and text[end + 1].isalpha()
        and bool(_LATIN.match(text[end - 1]))  # Ukrainian "з'ясувати": the apostrophe is inside
    )


def _touches_joiner(text: str, start: int, end: int) -> bool:
    """A word inside a contraction or compound ("aujourd'hui", "e-mail") is not a glued pair.
    (A split at a sentence break looks only before the word: "countriesIt's".)"""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return bool(set(before + after) & _JOINERS)
