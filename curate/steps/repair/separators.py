"""The separator pass of `repair`: restore separators lost when a page was flattened to text.

Each kind of damage is fixed only with strong evidence, because correct text must never change:

* glued words, judged with wordfreq's list for the document's language (repair_lexicon). A lowercase
  word is split where the glued form is unknown, or so much rarer than the two words side by side
  would be that it is glue ("crisiscaused", "ofthe"), and both parts are frequent words (parts of one
  or two letters only if they are among the language's most frequent words; a one-letter right part
  only in English, "stoppeda", or as an elided article, "typed'exemple"), not a prefix that makes
  words ("underdelivering"), not two short parts ("versin", "versión" without its "ó"); a
  capitalised one only after such a word ("Thepresident"), never a name cut in two ("Nadalim"). In
  languages that join words (German, Slavic, Finnish …) only with a function word on one side
  ("надороге"). A lowercase word glued to a Capitalised one is a lost sentence break in every
  language, with a word list or without ("invitationInstead", "efektivitāteViens", "mmUgandassa":
  ". "), or a lost space after a preposition ("inUkraine"), unless the document ends sentences on
  that word elsewhere ("itHe"); after a particle it is a name (deGrom, vanDyke).
  Between two capitalised words: before one of the language's most frequent words ("UkraineThe"),
  before a frequent word of a language other than English that English does not know
  ("MaltaTakové"), without a word list when neither part is an English word ("BybelHulle"), after a
  title ("MrGarrett": ". "), before an acronym ("BarcelonaUS"), or where the document writes the
  two words apart elsewhere ("ElectoralCommission"); never across scripts.
  Brands and names in camelCase stay (iPhone, McDonald, YouTube, PlayStation, SportsBusiness): a
  one-letter or particle left part, a glued form wordfreq knows in the language or in English (brands
  are global, and made of English words), or two capitalised parts without that evidence. Never
  hashtags, URLs, code-like tokens, words with digits, a word that occurs twice in the document
  (glue is an accident; names and jargon repeat), nor text in scripts written without spaces;
* a missing space after a comma or a sentence end between words ("can,due", "end.The", 'said."Next',
  "earlier.A", "said.NASA", "BBC.Twitter"), never inside numbers, URLs, e-mail addresses, file
  names or abbreviations ("U.S.", "e.g.", "tis.Kč");
* a word broken across lines by a hyphen ("infra-\\nstructure"), joined where the joined form is a
  word: a frequent one, or one the document uses elsewhere; two words that are each frequent keep
  their hyphen ("well-\\nknown").
"""

from __future__ import annotations

import functools
import itertools
import re
import weakref
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import regex
import wordfreq

from curate.document import Edit
from curate.steps.repair.lexicon import Lexicon

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
_LETTER: Final = regex.compile(r"\p{L}")
# (Matched backwards from a position: the letter run that ends there.)
_LETTERS_BEFORE: Final = regex.compile(r"(?r)\p{L}+")
_FEW_WORDS: Final = 16
# A lowercase letter followed by a capital: the mark of "UkraineThe" (and of "iPhone").
_CASE_CHANGE: Final = regex.compile(r"\p{Ll}\p{Lu}")
_SCRIPT: Final = r"[\p{Latin}\p{Greek}\p{Cyrillic}]"
_CASED_WORD: Final = regex.compile(rf"{_SCRIPT}+")
_LATIN: Final = regex.compile(r"\p{Latin}")
_GREEK: Final = regex.compile(r"\p{Greek}")
# A word of a cased script, all lowercase after an optional capital, long enough to hold two words.
_PLAIN_WORD: Final = regex.compile(r"(?<!\p{L})(?:\p{Lu}|\p{Ll})\p{Ll}{3,}(?!\p{L})")
_LINE_HYPHEN: Final = regex.compile(r"(?<!\p{L}-?)(\p{L}+)-\n(\p{Ll}+)(?!\p{L})")
# wordfreq's Zipf is log10 of frequency per billion words, so two independent words meet at
# zipf(a) + zipf(b) - 9.
_BIGRAM_OFFSET: Final = 9.0
# A line-end hyphen between two words: a joined form this frequent is a word in its own right
# ("start-\nup" → "startup", either spelling is right); a rarer one is web noise unless it is this
# much more frequent than the two words side by side ("recordbreaking" 1.15 against "record
# breaking" 0.95: the hyphen is the compound's own).
_COMMON_JOINED_ZIPF: Final = 3.0
_COMPOUND_MARGIN: Final = 3.0
# Languages that write compounds as one word ("Tabellen-\nbuch" is "Tabellenbuch" broken, and a
# compound's own hyphen comes before a capital or a name): there the joined form need only be as
# likely as the two words side by side.
_SOLID_COMPOUNDS: Final = frozenset({"de", "nl", "sv", "da", "nb", "fi", "hu"})
# Hyphenation leaves at least two letters on a line; one letter before the hyphen is a compound's
# own ("e-\nmail", "T-\nshirts", "U-\nBahn").
_MIN_BROKEN_LEFT: Final = 2
_NEXT_TO_FUNCTION: Final = 0.5
_SCORE_SLACK: Final = 1e-6
# The spelling gate of plain splits: how many lowercase words it reads, and the share of them that
# may be unknown to wordfreq (English news: about 1%; langid-dev sentences with lost accents: 20%).
_LOWER_RUN: Final = regex.compile(r"(?<!\p{L})\p{Ll}+(?!\p{L})")
_GATE_SAMPLE: Final = 300
_MAX_UNKNOWN_SHARE: Final = 0.03
_ALLOWED_UNKNOWN: Final = 1
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
# Also before a one-letter word or an acronym ("earlier.A year", "said.NASA"), and after an acronym
# ("IPO.WeWork", "THEMSELVES?New"): "U.S.A" and "Ph.D" have one letter before the stop.
_STOP: Final = regex.compile(
    r"(?<=(?<![\p{L}.])\p{L}+\p{Ll})[.!?][\"”’»)]?"
    r"(?=\p{Lu}\p{Ll}|\p{Lu}[ ’']\p{L}|\p{Lu}{2,}(?![\p{L}\d]))"
    r"|(?<=(?<![\p{L}.])\p{Lu}{2,})[.!?][\"”’»)]?(?=\p{Lu}\p{Ll})"
    rf"|(?<={_UNCASED}{{2}})[.!?](?={_UNCASED}{{2}})"
)
# What every match of _COMMA, _STOP and _PRONOUN holds, in Python's re: a letter is an ASCII one
# or not ASCII, a capital an ASCII capital or not ASCII. Most texts hold neither, and re tells so
# several times faster than the regex module scans them.
_NOT_ASCII: Final = "\u0080-\U0010ffff"
_COMMA_HINT: Final = re.compile(f",[A-Za-z{_NOT_ASCII}]")
_STOP_HINT: Final = re.compile(f"[.!?][\"”’»)]?[A-Z{_NOT_ASCII}]")
_PRONOUN_HINT: Final = re.compile(", (?:He|She|They|We) ")
_TLDS: Final = frozenset(
    {"com", "org", "net", "edu", "gov", "io", "co", "uk", "de", "fr", "info", "ly"}
)
# File-name extensions, which follow a full stop in capitals too ("report.PDF").
_EXTENSIONS: Final = frozenset(
    {"pdf", "doc", "docx", "txt", "rtf", "xls", "xlsx", "csv", "ppt", "pptx", "zip", "rar", "exe"}
    | {"jpg", "jpeg", "png", "gif", "bmp", "svg", "tif", "tiff", "htm", "html", "xml", "php", "asp"}
    | {"js", "css", "dll", "iso", "apk", "dmg", "mov", "avi", "wav", "ogg", "mkv", "epub", "md"}
)
# A two-letter word this frequent in English after a short word and a stop opens a sentence ("day.On
# Wall Street", "hub.It is"); others are units and their abbreviations ("tis.Kč", "ca.Ft").
_SHORT_OPENER_ZIPF: Final = 5.5
# The shortest word before a stop and a one-letter word ("earlier.A year"; not "No.A", "Sec.I").
_MIN_WORD_BEFORE_LETTER: Final = 4

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
# Lowercase name particles before a capital ("deGrom", "vanDyke", "diCaprio"): a name, not glue.
# (Not the articles that are particles too, das, der, la, le: "dasHaus", "laMaison" are glue.)
_LOWER_PARTICLES: Final = frozenset(
    {"de", "di", "da", "du", "del", "della", "van", "von", "ter", "ten", "mac", "mc", "bin", "ibn"}
)
# Articles that begin names ("alQaeda", "laGuardia"): no abbreviation where they are no function word.
_NAME_ARTICLES: Final = frozenset({"al", "el", "la", "le"})
# Titles written with a full stop before a name: glued to it ("MrGarrett") they lost ". ".
_TITLE_ABBREVIATIONS: Final = frozenset(
    {"Mr", "Mrs", "Ms", "Dr", "Prof", "Gov", "Sen", "Rep", "Gen", "Col", "Capt", "Lt", "Sgt"}
    | {"Jr", "Sr", "Sra", "Mme", "Mlle", "Hr", "Fr", "St", "Ste", "Corp", "Inc", "Ltd"}
)
# A function word this high in its language's list before a capitalised word is a preposition or
# article ("inUkraine" → "in Ukraine"); lower ones ("timeTrump") end sentences.
_GLUE_RANK: Final = 50
# A sentence or clause ending on a lowercase word: "about it.", "gave up,", "went out!".
_CLAUSE_END: Final = regex.compile(r"(?<![\p{L}\p{M}])(\p{Ll}+)[.!?,;:…]+[\"”’»)]*(?:\s|$)")
# A lowercase word glued to a capital is a brand only if the glued form is this frequent.
_KNOWN_CAMEL_ZIPF: Final = 3.0
# A sentence opener of a language other than English, glued to a capitalised word: at least this
# frequent in the language, and this much more frequent there than in English.
_NATIVE_OPENER_ZIPF: Final = 3.0
_NATIVE_MARGIN: Final = 1.0
_ENGLISH_LEFT_MARGIN: Final = 0.3
# Without a word list: a right part rarer than this in English is no English word, and a left part
# this frequent in English is an English word of the kind brands are made of ("Smart", "Online").
_ENGLISH_WORD_ZIPF: Final = 2.5
_ENGLISH_BRAND_PART_ZIPF: Final = 4.5
_NOUN_CAPITALISING: Final = frozenset({"de"})
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
    if not _PRONOUN_HINT.search(text):
        return edits
    for match in _PRONOUN.finditer(text):
        before = match.group(1)
        if before[-1].islower() and before not in _REVERED:
            first = match.group()[0]
            edits.append(
                Edit(match.start(), match.start() + 1, first.lower(), CASE_ACTION, CASE_RULE)
            )
    return edits


def _punct_marks(text: str) -> Iterator[regex.Match[str]]:
    if _COMMA_HINT.search(text):
        yield from _COMMA.finditer(text)
    if not _STOP_HINT.search(text):
        return
    for match in _STOP.finditer(text):
        following = _WORD.match(text, match.end())
        if following is None:
            continue
        after = following.group()
        if after.lower() in _TLDS or (after.isupper() and after.lower() in _EXTENSIONS):
            continue  # "Example.Com" is a domain, "report.PDF" a file name
        before = _word_before_length(text, match)
        if len(after) == 2 and _english_zipf(after.lower()) < _SHORT_OPENER_ZIPF and before <= 3:
            continue  # "tis.Kč", "ca.Ft": an abbreviation before a unit, written as one
        if (len(after) == 1 or after.isupper()) and before < _MIN_WORD_BEFORE_LETTER:
            continue  # "No.A", "Sec.I", "roz.CHLEPKOVÁ": a numbering or abbreviation
        yield match


def _word_before_length(text: str, match: regex.Match[str]) -> int:
    """The letters of the word before the stop (a backward scan, not a search from the start of
    the text, which would make long documents quadratic)."""
    stop: int = match.start()
    start = stop
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    return stop - start


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


class _Context:
    """What the rest of the document says about a candidate, computed on first need."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._seen: Counter[str] | None = None
        self._final: frozenset[str] | None = None

    @property
    def seen(self) -> Counter[str]:
        """How often the document writes each word."""
        if self._seen is None:
            self._seen = Counter(_WORD.findall(self._text))
        return self._seen

    def ends_sentences(self, word: str) -> bool:
        """Whether the document ends a sentence or clause on `word` elsewhere ("about it.",
        "gave up,"): a word that can end one is no evidence of a preposition before a name."""
        if self._final is None:
            self._final = frozenset(m.group(1).lower() for m in _CLAUSE_END.finditer(self._text))
        return word in self._final

    def writes_apart(self, left: str, right: str) -> bool:
        """Whether the document writes the two words with a space elsewhere ("Electoral
        Commission" for "ElectoralCommission"). A substring search runs in C: much cheaper
        than indexing the document's pairs."""
        if len(left) < 2 or len(right) < 2:
            return False  # "eBay", "iPhone": a one-letter part is a prefix, not a word
        text, pair = self._text, f"{left} {right}"
        at = text.find(pair)
        while at >= 0:
            end = at + len(pair)
            if (at == 0 or not text[at - 1].isalpha()) and (
                end == len(text) or not text[end].isalpha()
            ):
                return True
            at = text.find(pair, at + 1)
        return False


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


def _elides(text: str, end: int) -> bool:
    """Whether the word ends in an apostrophe before a letter: "typed'exemple", "tipol'anno"."""
    return (
        end + 1 < len(text)
        and text[end] in "'’"
        and text[end + 1].isalpha()
        and bool(_LATIN.match(text[end - 1]))  # Ukrainian "з'ясувати": the apostrophe is inside
    )


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


def _touches_joiner(text: str, start: int, end: int) -> bool:
    """A word inside a contraction or compound ("aujourd'hui", "e-mail") is not a glued pair.
    (A split at a sentence break looks only before the word: "countriesIt's".)"""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return bool(set(before + after) & _JOINERS)


def _camel_split(
    word: str, rules: GlueRules, lexicon: Lexicon, context: _Context
) -> tuple[int, str] | None:
    """ "UkraineThe" → ". The", "BarcelonaUS"/"inUkraine" → " ": one lower→Upper change, and the
    evidence that it is a join, not a brand (see the module docstring)."""
    transitions = [m.start() + 1 for m in _CASE_CHANGE.finditer(word)]
    if len(transitions) != 1:
        return None  # getElementById, GlaxoSmithKline: code or a brand, not two glued words
    cut = transitions[0]
    left, right = word[:cut], word[cut:]
    if left in _TITLE_ABBREVIATIONS and len(right) >= 2 and right[1:].islower():
        return cut, ". "  # "MrGarrett", "GovDeval": a title that lost its full stop and space
    if _script(left[-1]) != _script(right[0]):
        return None  # "FacebookΚοινοποίηση": a label in another script, not a sentence
    if not left[1:].islower() or left in _NAME_PREFIXES:
        return None  # "JPMorgan"-like left parts; MacArthur, VanDyke
    lower = word.lower()
    if left.islower() and len(right) >= 2 and right[1:].islower():
        # Brands start with a capital; a lowercase start glued to a capital is a join unless the
        # whole is a word in its own right ("linkedIn"), not a rare form ("manAs", "startIn").
        if max(lexicon.zipf(lower), _english_zipf(lower)) >= _KNOWN_CAMEL_ZIPF:
            return None
        return _lower_title_split(left, right, cut, rules, lexicon, context)
    if lexicon.zipf(lower) > 0 or _english_zipf(lower) > 0:
        return None  # YouTube, PlayStation, LinkedIn: the glued form is a word (brands are global)
    function_word = len(left) >= 2 and left.islower() and left in lexicon.top
    if len(left) < rules.min_part_len and not function_word:
        return None  # iPhone, eBay, McDonald
    known_left = function_word or lexicon.zipf(left.lower()) >= rules.min_camel_part_zipf
    if len(right) >= 2 and right[1:].islower():
        if right.lower() in lexicon.top:
            return _title_split(left, right, cut, rules, lexicon, function_word)
        if _native_opener(left, right, rules, lexicon):
            return cut, ". " if rules.sentence_break else " "
        return None
    if (
        left[0].isupper()
        and right.isupper()
        and 2 <= len(right) <= 5
        and known_left
        and lexicon.zipf(right.lower()) >= rules.min_camel_part_zipf
    ):
        return cut, " "  # "BarcelonaUS"; not "macOS", "ChatGPT" (GPT is not a word)
    return None


def _script(letter: str) -> str:
    """The cased script of a letter: a sentence continues in the script it began in."""
    if _LATIN.match(letter):
        return "Latin"
    return "Greek" if _GREEK.match(letter) else "Cyrillic"


def _abbreviation_cut(text: str, start: int, word: str, lexicon: Lexicon | None) -> int | None:
    """Where a dotted abbreviation's last letters meet the Capitalised word glued to them
    ("a.mFriday", "m.inGombrowicza", "d.dNa": the stop and space after it were lost). Not in a
    host name ("bbc.co.ukThe", "Libertas.smSan") nor after a frequent word ("s.isEmpty" is
    code)."""
    if start < 2 or text[start - 1] != "." or not text[start - 2].isalpha():
        return None
    if start > 3 and text[start - 4 : start - 1].isalpha():
        return None  # a word before the stop ("Libertas.smSan"): a host name, not "a.m"
    cut = _single_case_change(word)
    if cut is None or cut > 2:
        return None
    left, right = word[:cut], word[cut:]
    if not left.islower() or left in _TLDS or (lexicon is not None and left in lexicon.top):
        return None
    return cut if len(right) >= 2 and right[1:].islower() else None


def _single_case_change(word: str) -> int | None:
    """The position of the word's one lower→Upper change, if it has exactly one."""
    transitions = [m.start() + 1 for m in _CASE_CHANGE.finditer(word)]
    return transitions[0] if len(transitions) == 1 else None


def camel_split_without_lexicon(word: str, rules: GlueRules) -> tuple[int, str] | None:
    """The lowercase→Capitalised join ("efektivitāteViens") in a language wordfreq has no list
    for: the shape alone, which brands and names do not take (see `_lower_title_split`)."""
    transitions = [m.start() + 1 for m in _CASE_CHANGE.finditer(word)]
    if len(transitions) != 1:
        return None
    cut = transitions[0]
    left, right = word[:cut], word[cut:]
    if left in _TITLE_ABBREVIATIONS and len(right) >= 2 and right[1:].islower():
        return cut, ". "
    if _script(left[-1]) != _script(right[0]):
        return None
    if _foreign_title_pair(left, right, rules):
        return cut, ". " if rules.sentence_break else " "  # "BybelHulle", "SerbisëKy"
    if not (left.islower() and len(left) >= rules.min_part_len and right[1:].islower()):
        return None
    if len(right) < 2 or left in _LOWER_PARTICLES:
        return None  # a two-letter capitalised word is a sentence start as often ("Ek", "Në")
    if _english_zipf(word.lower()) > 0:
        return None  # a brand written in lower camelCase that English knows
    return cut, ". " if rules.sentence_break else " "


def _foreign_title_pair(left: str, right: str, rules: GlueRules) -> bool:
    """Two Capitalised words glued in a language without a word list: a sentence break when
    neither is an English word, the language of brands ("SmartPostiga", "ScotRail", "RiniRing"),
    though the left one may be a name English knows too ("PretoriaDaar")."""
    if not (left[0].isupper() and left[1:].islower() and right[1:].islower()):
        return False
    if len(left) < rules.min_part_len or len(right) < 2 or left in _NAME_PREFIXES:
        return False
    return (
        _english_zipf(right.lower()) < _ENGLISH_WORD_ZIPF
        and _english_zipf(left.lower()) < _ENGLISH_BRAND_PART_ZIPF
        and _english_zipf((left + right).lower()) == 0
    )


def _lower_title_split(
    left: str, right: str, cut: int, rules: GlueRules, lexicon: Lexicon, context: _Context
) -> tuple[int, str] | None:
    """A lowercase word, then a Capitalised one: brands and names start with a capital (iPhone
    and eBay have a one-letter left part; deGrom, vanDyke a particle), so this is a lost break
    ("invitationInstead", "themAnd", "raceButtigieg"), or a name after "in", "to" ("inUkraine")."""
    if left in _LOWER_PARTICLES:
        return None
    function_word = left in lexicon.top
    sentence = ". " if rules.sentence_break else " "
    if len(left) < rules.min_part_len:
        if len(left) < 2:
            return None
        if not function_word:
            if left in _NAME_ARTICLES:
                return None
            return cut, sentence  # "mmUgandassa", "ulBudete": an abbreviation lost ". "
    # German capitalises nouns: after any of its function words a capital starts a noun.
    near_top = lexicon.rank(left) < _GLUE_RANK or lexicon.lang in _NOUN_CAPITALISING
    opener = right.lower() in lexicon.top
    if function_word and not opener and near_top and not context.ends_sentences(left):
        return cut, " "  # "inUkraine", "conMéxico": a sentence does not end on a preposition
    return cut, sentence  # "itWhile", "meClearly" where the document ends sentences on "it"


def _native_opener(left: str, right: str, rules: GlueRules, lexicon: Lexicon) -> bool:
    """Whether a Capitalised word glued to another is a sentence opener of a language other
    than English: a frequent word there that English does not know as well ("MaltaTakové",
    "TadeuMande"), after a word that is not English foremost either. Brand and name parts are
    English words the world over ("SeniorRådet", "GayFest", "KanguruClone", "GroenLinks"); names
    ("MaltaTakové") are about as frequent in both."""
    if lexicon.lang == "en" or lexicon.lang in _NOUN_CAPITALISING or len(left) < rules.min_part_len:
        return False  # (German capitalises every noun: "DeutscheBahn" is no sentence break)
    native = lexicon.zipf(right.lower())
    if native < _NATIVE_OPENER_ZIPF or _english_zipf(right.lower()) > native - _NATIVE_MARGIN:
        return False
    return _english_zipf(left.lower()) <= lexicon.zipf(left.lower()) + _ENGLISH_LEFT_MARGIN


def _title_split(
    left: str, right: str, cut: int, rules: GlueRules, lexicon: Lexicon, function_word: bool
) -> tuple[int, str] | None:
    """A Capitalised word glued on: a new sentence, a name after a function word, or a brand."""
    sentence = ". " if rules.sentence_break else " "
    opener = right.lower() in lexicon.top
    if opener:
        return cut, sentence  # "UkraineThe", "KuritsynaThe": a capitalised function word
    return None  # "SportsBusiness", "MinnesotaCare", "DonaldTrump": brands and names look alike


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


@functools.lru_cache(maxsize=1 << 14)
def _english_zipf(word: str) -> float:
    """The word's frequency in English: brands and product names are written alike everywhere."""
    return float(wordfreq.zipf_frequency(word, "en", wordlist="small"))  # small: 0.05 s to load


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
    """A word broken at a line end, not a compound keeping its own hyphen there:
    - the joined form is a frequent word ("start-\\nup");
    - or wordfreq lists it and a part is no word ("infra-\\nstructure", "deep-\\nens"), or it is far
      more frequent than the two words side by side ("well-\\nknown", "record-\\nbreaking" stay);
    - or wordfreq does not list it (an inflected form: Hungarian "voks-\\nolók", Slovak
      "roztrú-\\nsených"), the right part is no word and the left one a lowercase word that is not
      frequent (Turkish "bulun-\\ndurulacak" stays: "bulun" is a word, and so it may be a compound).
    In languages that write compounds as one word, the joined form need only be as likely as the
    two words side by side ("Tabellen-\\nbuch"). Never a doubled word (Indonesian and Malay write
    plurals so: "anak-\\nanak") nor after a single letter ("e-\\nmail")."""
    if lexicon is None or left.lower() == right or len(left) < _MIN_BROKEN_LEFT:
        return False
    joined = lexicon.zipf((left + right).lower())
    if joined >= _COMMON_JOINED_ZIPF:
        return True
    left_zipf, right_zipf = lexicon.zipf(left.lower()), lexicon.zipf(right)
    if joined > 0:
        margin = 0.0 if lexicon.lang in _SOLID_COMPOUNDS else _COMPOUND_MARGIN
        return left_zipf == 0 or right_zipf == 0 or joined >= left_zipf + right_zipf - _BIGRAM_OFFSET + margin
    return right_zipf == 0 and left.islower() and left_zipf < _COMMON_JOINED_ZIPF
