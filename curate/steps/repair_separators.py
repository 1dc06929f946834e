"""The separator pass of `repair`: restore separators lost when a page was flattened to text.

Each kind of damage is fixed only with strong evidence, because correct text must never change:

* glued words, judged with wordfreq's list for the document's language (repair_lexicon; no language,
  no split). A lowercase word is split where the glued form is unknown, or so much rarer than the two
  words side by side would be that it is glue ("crisiscaused", "ofthe"), and both parts are frequent
  words (parts of one or two letters only if they are among the language's most frequent words);
  a capitalised one only after such a word ("Thepresident"). A lower→Upper join is a lost sentence
  or paragraph break when the capitalised part is one of the language's most frequent words
  ("UkraineThe", "invitationInstead": restored as ". The"), a lost space before an acronym after a
  capitalised word ("BarcelonaUS") or after a frequent word ("inUkraine"). Brands and names in
  camelCase stay (iPhone, McDonald, YouTube, PlayStation, SportsBusiness): their capitalised part is
  not a function word. Never hashtags, URLs, code-like tokens, words with digits, a word that occurs
  twice in the document (glue is an accident; names and jargon repeat), nor text in scripts written
  without spaces;
* a missing space after a comma or a sentence end between words ("can,due", "end.The", 'said."Next'),
  never inside numbers, URLs, e-mail addresses or abbreviations ("U.S.", "e.g.");
* a word broken across lines by a hyphen ("infra-\\nstructure"), joined where the joined form is a
  word: a frequent one, or one the document uses elsewhere; two words that are each frequent keep
  their hyphen ("well-\\nknown").
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import regex

from curate.document import Edit
from curate.steps.repair_lexicon import Lexicon

SPLIT_ACTION: Final = "split_join"
SPLIT_RULE: Final = "repair.glued_words"
PUNCT_ACTION: Final = "insert_space"
PUNCT_RULE: Final = "repair.punct_space"
CASE_ACTION: Final = "lowercase"
CASE_RULE: Final = "repair.pronoun_case"
HYPHEN_ACTION: Final = "join_hyphenated"
HYPHEN_RULE: Final = "repair.line_hyphen"

# The punctuation that may wrap a word in a whitespace-delimited chunk: "(crisiscaused),".
_WRAP: Final = "\"'“”‘’«»()[]{}.,;:!?…—–-*"
# Anything that makes a chunk a URL, e-mail, handle, hashtag, number, path or code: leave it alone.
_CODE_LIKE: Final = regex.compile(r"[\d@#/\\_=<>{}\[\]|~^*+$%&`()]|://|www\.")
# A full stop between letters: a domain or an abbreviation to the glue rule ("example.com", "U.S.").
_DOTTED: Final = regex.compile(r"\p{L}\.\p{L}")
_WORD: Final = regex.compile(r"\p{L}+")
# A lowercase letter followed by a capital: the mark of "UkraineThe" (and of "iPhone").
_CASE_CHANGE: Final = regex.compile(r"\p{Ll}\p{Lu}")
_SCRIPT: Final = r"[\p{Latin}\p{Greek}\p{Cyrillic}]"
_CASED_WORD: Final = regex.compile(rf"{_SCRIPT}+")
# A word of a cased script, all lowercase after an optional capital, long enough to hold two words.
_PLAIN_WORD: Final = regex.compile(r"(?<!\p{L})(?:\p{Lu}|\p{Ll})\p{Ll}{3,}(?!\p{L})")
_LINE_HYPHEN: Final = regex.compile(r"(?<!\p{L}-?)(\p{L}+)-\n(\p{Ll}+)(?!\p{L})")
# wordfreq's Zipf is log10 of frequency per billion words, so two independent words meet at
# zipf(a) + zipf(b) - 9; a line-end hyphen between two words this much more likely side by side
# than joined is a compound's own hyphen.
_BIGRAM_OFFSET: Final = 9.0
_COMPOUND_MARGIN: Final = 0.0
_NEXT_TO_FUNCTION: Final = 0.5
# The spelling gate of plain splits: how many lowercase words it reads, and the share of them that
# may be unknown to wordfreq (English news: about 1%; langid-dev sentences with lost accents: 20%).
_LOWER_RUN: Final = regex.compile(r"(?<!\p{L})\p{Ll}+(?!\p{L})")
_GATE_SAMPLE: Final = 300
_MAX_UNKNOWN_SHARE: Final = 0.03
_JOINERS: Final = frozenset("'’-‐")
# A comma between two words of two letters or more ("can,due"); single letters are lists or code.
# Scripts written with spaces but without case (Arabic, Hebrew, Indic, Hangul, Georgian …): any
# letter that is not Latin, Greek, Cyrillic, nor of a script written without spaces.
_UNCASED: Final = (
    r"(?:(?![\p{Latin}\p{Greek}\p{Cyrillic}\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}"
    r"\p{Khmer}\p{Myanmar}])\p{L}\p{M}*)"
)
_COMMA: Final = regex.compile(
    rf"(?<={_SCRIPT}{{2}}|{_UNCASED}{{2}}),(?={_SCRIPT}{{2}}|{_UNCASED}{{2}})"
)
# A full stop after a lowercase-ending word of two letters or more, before a Capitalised word
# ("end.The", "Mr.Smith"); "U.S.A", "e.g.The" and "Ph.D" have a single letter before the stop.
_STOP: Final = regex.compile(
    r"(?<=(?<![\p{L}.])\p{L}+\p{Ll})[.!?][\"”’»)]?(?=\p{Lu}\p{Ll})"
    rf"|(?<={_UNCASED}{{2}})[.!?](?={_UNCASED}{{2}})"
)
_TLDS: Final = frozenset(
    {"com", "org", "net", "edu", "gov", "io", "co", "uk", "de", "fr", "info", "ly"}
)

# Surname particles and name prefixes written in camelCase: MacArthur, VanDyke, FitzGerald, DelGado.
# (Two-letter ones, Mc/De/La/Le/Di/Du/O', are already excluded by the minimum part length.)
_NAME_PREFIXES: Final = frozenset(
    {"Mac", "Van", "Von", "Fitz", "Del", "Della", "Des", "Dos", "Das"}
)
# Common prefixes that make real words wordfreq may not list ("nonscientific", "hyperlocal").
# (Prefixes that are words too, such as over, out, under, post, are not here: "overalleged" is glue.)
_WORD_PREFIXES: Final = frozenset(
    {"anti", "auto", "bio", "cyber", "eco", "geo", "hyper", "infra", "inter", "macro", "mega"}
    | {"meta", "micro", "mini", "mis", "mono", "multi", "neo", "non", "poly", "pre", "pseudo"}
    | {"quasi", "semi", "sub", "tele", "trans", "tri", "ultra", "un"}
)
# A subject pronoun capitalised after a comma inside a sentence, before a lowercase word: "Klitschko,
# He urged" (the capital of a lost sentence start). Not after numbers or capitals ("In 2019, He"), and
# not before a capitalised word, so the surname He stays ("Meanwhile, He Lifeng said").
_PRONOUN: Final = regex.compile(r"(?<=(\p{L}+), )(?:He|She|They|We)(?= \p{Ll})")
# Words after which a capitalised He/She is reverence, not a mistake: "Lord, He is".
_REVERED: Final = frozenset(
    {"God", "Lord", "Jesus", "Christ", "Allah", "Father", "Saviour", "Savior"}
)


@dataclass(frozen=True, slots=True)
class GlueRules:
    """The thresholds of the glued-words splitter (copied from RepairConfig, documented there)."""

    min_part_zipf: float
    min_camel_part_zipf: float
    glue_margin: float
    max_rare_glued_zipf: float
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


def glue_edits(text: str, rules: GlueRules, lexicon: Lexicon, *, plain: bool) -> list[Edit]:
    """Split the glued words of `text`, judged in `lexicon`'s language; words without a case
    change ("crisiscaused") only if `plain`."""
    edits: list[Edit] = []
    plain_edits: list[Edit] = []
    seen: Counter[str] | None = None
    for start, end in _candidates(text, plain=plain):
        word = text[start:end]
        if word[1:].islower() and lexicon.zipf(word.lower()) >= rules.max_rare_glued_zipf:
            continue  # most words: common, so not glue (the cheapest test first)
        split = _split(word, rules, lexicon, plain=plain)  # first: it rejects most words fastest
        if split is None or _touches_joiner(text, start, end if split[1] == " " else start):
            continue
        core = _core_at(text, start)
        if core is None or _CODE_LIKE.search(core) or _DOTTED.search(core):
            continue
        seen = seen if seen is not None else Counter(_WORD.findall(text))
        if seen[word] > 1:
            continue  # a word the document repeats is a word, not an accident
        cut, separator = split
        detail = {"word": word, "left": word[:cut], "right": word[cut:]}
        edit = Edit(start + cut, start + cut, separator, SPLIT_ACTION, SPLIT_RULE, detail)
        (plain_edits if word[1:].islower() else edits).append(edit)
    if plain_edits and _well_spelt(text, lexicon, {str(e.detail["word"]) for e in plain_edits}):
        edits.extend(plain_edits)
    return sorted(edits, key=lambda e: e.start)


def _well_spelt(text: str, lexicon: Lexicon, glued: set[str]) -> bool:
    """Whether the text's other lowercase words are nearly all known: in text full of unknown
    words (typos, lost accents as in "versin", another language) an unknown word proves nothing."""
    found = itertools.islice(_LOWER_RUN.finditer(text), _GATE_SAMPLE)
    words = [m.group() for m in found if m.group() not in glued]
    unknown = sum(lexicon.zipf(word) == 0 for word in words)
    return unknown <= _MAX_UNKNOWN_SHARE * len(words)


def _candidates(text: str, *, plain: bool) -> Iterator[tuple[int, int]]:
    """Spans of cased-script words that could be two glued words: a lower→Upper change inside
    ("UkraineThe"; found from the change, then widened to the word, which is much faster than
    matching every word), or all lowercase after an optional capital ("crisiscaused", "Thepresident")."""
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
    if plain:
        for word in _PLAIN_WORD.finditer(text):
            yield word.span()


def _split(word: str, rules: GlueRules, lexicon: Lexicon, *, plain: bool) -> tuple[int, str] | None:
    """(cut, inserted text) for a word that should be split, else None."""
    if word[1:].islower():
        cut = _plain_cut(word, rules, lexicon) if plain else None
        return None if cut is None else (cut, " ")
    return _camel_split(word, rules, lexicon)


def _touches_joiner(text: str, start: int, end: int) -> bool:
    """A word inside a contraction or compound ("aujourd'hui", "e-mail") is not a glued pair.
    (A split at a sentence break looks only before the word: "countriesIt's".)"""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return bool(set(before + after) & _JOINERS)


def _camel_split(word: str, rules: GlueRules, lexicon: Lexicon) -> tuple[int, str] | None:
    """ "UkraineThe" → ". The", "BarcelonaUS"/"inUkraine" → " ": one lower→Upper change, and the
    evidence that it is a join, not a brand (see the module docstring)."""
    transitions = [m.start() + 1 for m in _CASE_CHANGE.finditer(word)]
    if len(transitions) != 1:
        return None  # getElementById, GlaxoSmithKline: code or a brand, not two glued words
    cut = transitions[0]
    left, right = word[:cut], word[cut:]
    if not left[1:].islower() or left in _NAME_PREFIXES:
        return None  # "JPMorgan"-like left parts; MacArthur, VanDyke
    if lexicon.zipf(word.lower()) > 0:
        return None  # YouTube, PlayStation, LinkedIn: the glued form is a word
    function_word = len(left) >= 2 and left.islower() and left in lexicon.top
    if len(left) < rules.min_part_len and not function_word:
        return None  # iPhone, eBay, McDonald
    known_left = function_word or lexicon.zipf(left.lower()) >= rules.min_camel_part_zipf
    if len(right) >= 2 and right[1:].islower():
        if not known_left and right.lower() not in lexicon.top:
            return None
        return _title_split(left, right, cut, rules, lexicon, function_word)
    if (
        left[0].isupper()
        and right.isupper()
        and 2 <= len(right) <= 5
        and known_left
        and lexicon.zipf(right.lower()) >= rules.min_camel_part_zipf
    ):
        return cut, " "  # "BarcelonaUS"; not "macOS", "ChatGPT" (GPT is not a word)
    return None


def _title_split(
    left: str, right: str, cut: int, rules: GlueRules, lexicon: Lexicon, function_word: bool
) -> tuple[int, str] | None:
    """A Capitalised word glued on: a new sentence, a name after a function word, or a brand."""
    sentence = ". " if rules.sentence_break else " "
    opener = right.lower() in lexicon.top
    if left.islower():
        # A lowercase word then a capital: brands start with a capital, so this is a lost break
        # ("invitationInstead", "themAnd", "raceButtigieg") or a name after "in", "to" …
        return (cut, " ") if function_word and not opener else (cut, sentence)
    if opener:
        return cut, sentence  # "UkraineThe", "KuritsynaThe": a capitalised function word
    return None  # "SportsBusiness", "MinnesotaCare", "DonaldTrump": brands and names look alike


def _plain_cut(word: str, rules: GlueRules, lexicon: Lexicon) -> int | None:
    """The best cut of a word glued from two ("crisiscaused", "ofthe", "Thepresident"), or None."""
    lower = word.lower()
    glued = lexicon.zipf(lower)
    if glued >= rules.max_rare_glued_zipf:
        return None  # a common word: "another" is not "an other"
    best: tuple[float, int] | None = None  # (score, cut)
    for cut in range(1, len(word) - 1):  # a one-letter right part is a suffix ("oferta" + "s")
        left, right = lower[:cut], lower[cut:]
        # Next to a function word the other part may be less frequent ("has" + "plunged" 3.4).
        floor = rules.min_part_zipf - (
            _NEXT_TO_FUNCTION if left in lexicon.top or right in lexicon.top else 0
        )
        if not (_is_part(left, floor, rules, lexicon) and _is_part(right, floor, rules, lexicon)):
            continue
        if word[0].isupper() and left not in lexicon.top and right not in lexicon.top:
            continue  # "Thepresident", "Photoswhich", but not a name cut in two ("Melaye")
        score = lexicon.zipf(left) + lexicon.zipf(right)
        if best is None or score > best[0]:
            best = (score, cut)
    if best is None:
        return None
    # Under independence the pair's Zipf would be zipf(left) + zipf(right) - 9; glue is a known
    # "word" only far below that ("ofthe" 3.3 against 6.1), a real word is not ("eachother").
    if glued > 0 and best[0] - _BIGRAM_OFFSET - rules.glue_margin < glued:
        return None
    return best[1]


def _is_part(part: str, floor: float, rules: GlueRules, lexicon: Lexicon) -> bool:
    if part in _WORD_PREFIXES:
        return False  # "nonscientific", "hyperlocal": a prefix, not a word
    if len(part) < rules.min_part_len:
        return part in lexicon.top
    return lexicon.zipf(part) >= floor


def hyphen_edits(text: str, lexicon: Lexicon | None) -> list[Edit]:
    """Join a word broken across lines by a hyphen where the joined form is a word."""
    if "-\n" not in text:
        return []
    edits: list[Edit] = []
    seen: Counter[str] | None = None
    for m in _LINE_HYPHEN.finditer(text):
        left, right = m.group(1), m.group(2)
        joined = left + right
        seen = seen if seen is not None else Counter(_WORD.findall(text))
        if seen[joined] or _is_broken_word(left, right, lexicon):
            detail = {"word": joined}
            edits.append(Edit(m.end(1), m.start(2), "", HYPHEN_ACTION, HYPHEN_RULE, detail))
    return edits


def _is_broken_word(left: str, right: str, lexicon: Lexicon | None) -> bool:
    """The joined form is a word, and not much rarer than the two parts side by side would be:
    "deep-\\nens" joins, "well-\\nknown" keeps its hyphen ("wellknown" is web noise)."""
    if lexicon is None:
        return False
    joined = lexicon.zipf((left + right).lower())
    pair = lexicon.zipf(left.lower()) + lexicon.zipf(right) - _BIGRAM_OFFSET
    return joined > 0 and joined >= pair + _COMPOUND_MARGIN
