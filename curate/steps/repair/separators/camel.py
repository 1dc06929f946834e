"""Glued words with a case change inside ("UkraineThe", "inUkraine", "MrGarrett"): a lost sentence
break or space, or a brand or name in camelCase, which stays.

A lowercase word glued to a Capitalised one is a lost sentence break in every language, with a word
list or without ("invitationInstead", "efektivitāteViens", "mmUgandassa": ". "), or a lost space
after a preposition ("inUkraine"), unless the document ends sentences on that word elsewhere
("itHe"); after a particle it is a name (deGrom, vanDyke). Between two capitalised words: before one
of the language's most frequent words ("UkraineThe"), before a frequent word of a language other
than English that English does not know ("MaltaTakové"), without a word list when neither part is
an English word ("BybelHulle"), after a title ("MrGarrett": ". "), before an acronym
("BarcelonaUS"), or where the document writes the two words apart elsewhere
("ElectoralCommission"); never across scripts. Brands and names in camelCase stay (iPhone,
McDonald, YouTube, PlayStation, SportsBusiness): a one-letter or particle left part, a glued form
wordfreq knows in the language or in English (brands are global, and made of English words), or
two capitalised parts without that evidence. A dotted abbreviation glued to the next sentence gets
its stop and space back ("a.mFriday")."""

from __future__ import annotations

from typing import Final

import regex

from curate.steps.repair.lexicon import Lexicon
from curate.steps.repair.separators.common import (
    _CASE_CHANGE,
    _LATIN,
    _TLDS,
    GlueRules,
    _Context,
    _english_zipf,
)

_GREEK: Final = regex.compile(r"\p{Greek}")
# Surname particles and name prefixes written in camelCase: MacArthur, VanDyke, FitzGerald, DelGado.
# (Two-letter ones, Mc/De/La/Le/Di/Du/O', are already excluded by the minimum part length.)
_NAME_PREFIXES: Final = frozenset(
    {"Mac", "Van", "Von", "Fitz", "Del", "Della", "Des", "Dos", "Das"}
)
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

