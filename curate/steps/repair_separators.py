"""The separator pass of `repair`: restore spaces lost when a page was flattened to text.

Two kinds of damage, both fixed only with strong evidence, because correct text must never change:

* glued words: "UkraineThe", "BarcelonaUS", "crisiscaused". Split only where wordfreq does not know the
  glued form and knows both parts; never brands and names in camelCase (iPhone, McDonald, YouTube,
  PlayStation), hashtags, URLs, code-like tokens or words with digits;
* a missing space after a comma or full stop between words ("can,due", "end.The"), never inside
  numbers, URLs, e-mail addresses or abbreviations ("U.S.", "e.g.").
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

import regex

from curate.document import Edit

SPLIT_ACTION: Final = "split_join"
SPLIT_RULE: Final = "repair.glued_words"
PUNCT_ACTION: Final = "insert_space"
PUNCT_RULE: Final = "repair.punct_space"
CASE_ACTION: Final = "lowercase"
CASE_RULE: Final = "repair.pronoun_case"

# The punctuation that may wrap a word in a whitespace-delimited chunk: "(crisiscaused),".
_WRAP: Final = "\"'“”‘’«»()[]{}.,;:!?…—–-*"
# Anything that makes a chunk a URL, e-mail, handle, hashtag, number, path or code: leave it alone.
_CODE_LIKE: Final = regex.compile(r"[\d@#/\\_=<>{}\[\]|~^*+$%&`()]|://|www\.")
# A full stop between letters: a domain or an abbreviation to the glue rule ("example.com", "U.S.").
_DOTTED: Final = regex.compile(r"\p{L}\.\p{L}")
_WORD: Final = regex.compile(r"\p{L}+")
# A lowercase letter followed by a capital: the mark of "UkraineThe" (and of "iPhone").
_CASE_CHANGE: Final = regex.compile(r"\p{Ll}\p{Lu}")
_LATIN_WORD: Final = regex.compile(r"\p{Latin}+")
_JOINERS: Final = frozenset("'’-‐")
_SCRIPT: Final = r"[\p{Latin}\p{Greek}\p{Cyrillic}]"
# A comma between two words of two letters or more ("can,due"); single letters are lists or code.
_COMMA: Final = regex.compile(rf"(?<={_SCRIPT}{{2}}),(?={_SCRIPT}{{2}})")
# A full stop after a lowercase-ending word of two letters or more, before a Capitalised word
# ("end.The", "Mr.Smith"); "U.S.A", "e.g.The" and "Ph.D" have a single letter before the stop.
_STOP: Final = regex.compile(r"(?<=(?<![\p{L}.])\p{L}+\p{Ll})\.(?=\p{Lu}\p{Ll})")
_TLDS: Final = frozenset(
    {"com", "org", "net", "edu", "gov", "io", "co", "uk", "de", "fr", "info", "ly"}
)

# Surname particles and name prefixes written in camelCase: MacArthur, VanDyke, FitzGerald, DelGado.
# (Two-letter ones, Mc/De/La/Le/Di/Du/O', are already excluded by the minimum part length.)
_NAME_PREFIXES: Final = frozenset(
    {"Mac", "Van", "Von", "Fitz", "Del", "Della", "Des", "Dos", "Das"}
)
# Common prefixes that make real words wordfreq may not list ("nonscientific", "hyperlocal").
_WORD_PREFIXES: Final = frozenset(
    {"anti", "auto", "bio", "counter", "cross", "cyber", "eco", "extra", "geo", "hyper", "infra"}
    | {"inter", "macro", "mega", "meta", "micro", "mid", "mini", "mis", "mono", "multi", "neo"}
    | {"non", "out", "over", "poly", "post", "pre", "pro", "pseudo", "quasi", "semi", "sub"}
    | {"super", "tele", "trans", "tri", "ultra", "un", "under"}
)
# Capitalised words that open a sentence far more often than they continue a name: a glued
# "UkraineThe" lost a paragraph break, so the split restores a full stop as well as the space.
SENTENCE_STARTERS: Final = frozenset(
    {"The", "This", "These", "Those", "He", "She", "They", "We", "His", "Her", "Their", "Our"}
    | {"However", "Meanwhile", "According"}
)

# A subject pronoun capitalised after a comma inside a sentence, before a lowercase word: "Klitschko,
# He urged" (the capital of a lost sentence start). Not after numbers or capitals ("In 2019, He"), and
# not before a capitalised word, so the surname He stays ("Meanwhile, He Lifeng said").
_PRONOUN: Final = regex.compile(r"(?<=(\p{L}+), )(?:He|She|They|We)(?= \p{Ll})")
# Words after which a capitalised He/She is reverence, not a mistake: "Lord, He is".
_REVERED: Final = frozenset(
    {"God", "Lord", "Jesus", "Christ", "Allah", "Father", "Saviour", "Savior"}
)

Zipf = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class GlueRules:
    """The thresholds of the glued-words splitter (copied from RepairConfig, documented there)."""

    min_part_zipf: float
    min_camel_part_zipf: float
    max_glued_zipf: float
    min_part_len: int
    sentence_break: bool


def punct_edits(text: str) -> list[Edit]:
    """Insert the space missing after a comma or full stop between two words."""
    edits: list[Edit] = []
    for match in _punct_marks(text):
        core = _core_at(text, match.start())
        if core is None or _CODE_LIKE.search(core):
            continue  # digits, @, / …: a number, address or code, where punctuation is glued on purpose
        if match.group() == "." and len(_DOTTED.findall(core)) > 1:
            continue  # "bbc.co.Uk", "Example.Com.Page": a host name, not two sentences
        edits.append(
            Edit(match.end(), match.end(), " ", PUNCT_ACTION, PUNCT_RULE, {"after": match.group()})
        )
    return edits


def pronoun_edits(text: str) -> list[Edit]:
    """Lowercase a subject pronoun capitalised after a comma mid-sentence ("Klitschko, He urged")."""
    edits: list[Edit] = []
    for match in _PRONOUN.finditer(text):
        before = match.group(1)
        if before[-1].islower() and before not in _REVERED:
            first = match.group()[0]
            edits.append(
                Edit(match.start(), match.start() + 1, first.lower(), CASE_ACTION, CASE_RULE)
            )
    return edits


def _punct_marks(text: str) -> Iterator[regex.Match[str]]:
    yield from _COMMA.finditer(text)
    for match in _STOP.finditer(text):
        following = _WORD.match(text, match.end())
        if following is None or following.group().lower() not in _TLDS:  # "Example.Com" is a domain
            yield match


def _core_at(text: str, pos: int) -> str | None:
    """The whitespace-delimited chunk around `pos` without its wrapping punctuation, if pos is in it."""
    start = end = pos
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    chunk = text[start:end]
    core = chunk.strip(_WRAP)
    core_start = start + chunk.find(core) if core else start
    return core if core_start <= pos < core_start + len(core) else None


def glue_edits(
    text: str, rules: GlueRules, zipf: Zipf, in_lang: Callable[[set[str]], bool]
) -> list[Edit]:
    """Split glued words.

    Splits of all-lowercase words are kept only if `in_lang(words)` says the text, apart from those
    words, is in the word list's language: in other languages "an unknown word made of two known
    ones" proves nothing (German "gelten" is English "gel" + "ten"). Asked once, and only when needed.
    """
    edits: list[Edit] = []
    lowercase: list[Edit] = []
    for start, end in _candidates(text, rules.min_part_len):
        word = text[start:end]
        split = _split(word, rules, zipf)  # first: it rejects most words fastest
        if split is None or _touches_joiner(text, start, end):
            continue
        core = _core_at(text, start)
        if core is not None and not _CODE_LIKE.search(core) and not _DOTTED.search(core):
            cut, separator = split
            detail = {"word": word, "left": word[:cut], "right": word[cut:]}
            edit = Edit(start + cut, start + cut, separator, SPLIT_ACTION, SPLIT_RULE, detail)
            (lowercase if word.islower() else edits).append(edit)
    if lowercase and in_lang({edit.detail["word"] for edit in lowercase}):
        edits.extend(lowercase)
    return edits


def _candidates(text: str, min_part_len: int) -> Iterator[tuple[int, int]]:
    """Spans of Latin words that could be two glued words: a lower→Upper change inside ("UkraineThe";
    found from the change, then widened to the word, which is much faster than matching every word),
    or long and all lowercase ("crisiscaused")."""
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
        if _LATIN_WORD.fullmatch(text, start, end):
            yield start, end
    for word in _lowercase_word(2 * min_part_len).finditer(text):
        if word.group().isascii() or _LATIN_WORD.fullmatch(word.group()):
            yield word.span()


@functools.cache
def _lowercase_word(min_len: int) -> regex.Pattern[str]:
    return regex.compile(rf"\b\p{{Ll}}{{{min_len},}}+\b")


def _split(text: str, rules: GlueRules, zipf: Zipf) -> tuple[int, str] | None:
    """(cut, inserted text) for a word that should be split, else None."""
    if text.islower():
        cut = _lowercase_cut(text, rules, zipf) if _unknown(text, rules, zipf) else None
        return None if cut is None else (cut, " ")
    cut = _camel_cut(text, rules, zipf)
    if cut is None or not _unknown(text, rules, zipf):
        return None
    return cut, ". " if rules.sentence_break and text[cut:] in SENTENCE_STARTERS else " "


def _unknown(word: str, rules: GlueRules, zipf: Zipf) -> bool:
    """The glued form is not a word: YouTube, PlayStation and eachother are, so they stay."""
    return zipf(word.lower()) <= rules.max_glued_zipf


def _touches_joiner(text: str, start: int, end: int) -> bool:
    """A word inside a contraction or compound ("aujourd'hui", "e-mail") is not a glued pair."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return bool(set(before + after) & _JOINERS)


def _camel_cut(text: str, rules: GlueRules, zipf: Zipf) -> int | None:
    """Where "UkraineThe" / "BarcelonaUS" splits: exactly one lower→Upper transition, both parts words."""
    transitions: list[int] = [m.start() + 1 for m in _CASE_CHANGE.finditer(text)]
    if len(transitions) != 1:
        return None  # getElementById, GlaxoSmithKline: code or a brand, not two glued words
    cut = transitions[0]
    left, right = text[:cut], text[cut:]
    if len(left) < rules.min_part_len or left in _NAME_PREFIXES or not left[1:].islower():
        return None  # iPhone, eBay, McDonald, MacArthur; "JPMorgan"-like left parts
    title_left = left[0].isupper()
    if len(right) < 2 or not (
        right[1:].islower() or (title_left and right.isupper() and len(right) <= 5)
    ):
        return (
            None  # "macOS": an all-caps tail only counts after a capitalised word ("BarcelonaUS")
        )
    if min(zipf(left.lower()), zipf(right.lower())) < rules.min_camel_part_zipf:
        return None
    return cut


def _lowercase_cut(text: str, rules: GlueRules, zipf: Zipf) -> int | None:
    """The best split of an unknown lowercase word into two frequent words ("crisiscaused")."""
    best: tuple[float, int] | None = None  # (score, cut)
    for cut in range(rules.min_part_len, len(text) - rules.min_part_len + 1):
        left, right = text[:cut], text[cut:]
        if left in _WORD_PREFIXES:
            continue
        score = min(zipf(left), zipf(right))
        if score >= rules.min_part_zipf and (best is None or score > best[0]):
            best = (score, cut)
    return None if best is None else best[1]
