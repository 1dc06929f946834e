"""The word knowledge of `repair`: which language a document is in, and how frequent a word is there.

Glued words, line-end hyphenation and sentence breaks are judged against wordfreq's list for the
document's language. The language is the document's `lang` tag when it has one (repair usually runs
before langid, so usually not), else a cheap guess: the wordfreq language whose most frequent words
(repair_langs.TOP_WORDS) cover the largest share of the document's first words. Too little evidence
gives no language, and then the language-dependent repairs do not run: guessing wrong would cut foreign
words into "known" pieces (German "gelten" is English "gel" + "ten").
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections import Counter
from typing import Final

import regex
import wordfreq
from wordfreq.language_info import get_language_info

from curate.steps.repair_langs import TOP_WORDS

# langdetect/ISO codes whose wordfreq list has another name.
_ALIASES: Final = {"no": "nb", "hr": "sh", "sr": "sh", "bs": "sh", "tl": "fil", "zh-cn": "zh"}
_WORD: Final = regex.compile(r"\p{L}[\p{L}\p{M}'’]*")
# The guess: the first _SAMPLE words vote for the languages whose frequent words they are; the
# _CANDIDATES leaders are tried in order, and the first whose full word list knows _MIN_COVERAGE of
# the first _COVERAGE_SAMPLE words wins (on langid-dev sentences: right or "none" for 96%; the wrong
# ones are near neighbours such as Danish/Norwegian, Indonesian/Malay, whose lists nearly agree).
# A text of fewer than _MIN_WORDS words gives no language.
_SAMPLE: Final = 200
_CANDIDATES: Final = 3
_COVERAGE_SAMPLE: Final = 60
_MIN_COVERAGE: Final = 0.85
_COVERAGE_TIE: Final = 0.05
_MIN_WORDS: Final = 3
_GLUE_PART_ZIPF: Final = 3.0
_TOP_SETS: Final = {lang: frozenset(words.split()) for lang, words in TOP_WORDS.items()}
# word → the languages it is a frequent word of: the vote reads each word once, not once a language.
_LANGS_OF: Final[dict[str, tuple[str, ...]]] = {}
for _lang in sorted(_TOP_SETS):
    for _word in _TOP_SETS[_lang]:
        _LANGS_OF[_word] = (*_LANGS_OF.get(_word, ()), _lang)
_CACHE_LIMIT: Final = 1 << 16


def wordfreq_lang(code: str | None) -> str | None:
    """The wordfreq language for a language tag, or None when wordfreq has no list for it."""
    if code is None:
        return None
    code = _ALIASES.get(code.lower(), code.lower().split("-")[0])
    return code if code in _TOP_SETS else None


def stopword_votes(text: str) -> tuple[list[str], list[str]]:
    """(the first words of `text`, lowercased; languages by how many of them are frequent words there,
    most first, only those with a vote)."""
    found = itertools.islice(_WORD.finditer(text), _SAMPLE)
    # A word with a capital inside ("UkraineThe", "iPhone") is glue or a brand: no evidence either way.
    words = [
        w.lower() for w in (m.group() for m in found) if w[1:].islower() or not w[1:].isalpha()
    ]
    votes: Counter[str] = Counter()
    for word in words:
        votes.update(_LANGS_OF.get(word, ()))
    return words, [lang for lang, _count in votes.most_common(_CANDIDATES)]


def _plain_lookup(lang: str) -> bool:
    """Whether wordfreq's preprocessing leaves a lowercase, letters-only NFC word as it is in `lang`
    (regex tokenizer, NFC, no mark removal, dotted-i, comma/cedilla or script rewriting), so that its
    frequency is a look-up in the language's frequency dict (tests check this against wordfreq)."""
    info = get_language_info(lang)
    return (info["tokenizer"] == "regex" and info["normal_form"] == "NFC" and not info["remove_marks"]
            and not info["dotless_i"] and not info["diacritics_under"] and not info["transliteration"]
            and not info["lookup_transliteration"])


def _zipf_of(freq: float) -> float:
    """wordfreq.zipf_frequency's value for a word of frequency `freq` (its rounding, step by step)."""
    leading_zeroes = math.floor(-math.log(freq, 10))
    return round(wordfreq.freq_to_zipf(round(freq, leading_zeroes + 3)), 2)


class Lexicon:
    """wordfreq's Zipf frequencies and most frequent words for one language, memoised.

    A dict look-up is several times faster than wordfreq's own cache, and documents repeat words.
    wordfreq.zipf_frequency tokenizes every word it is asked about (~40 µs), which made it most of
    repair's time: for a plain lowercase word in a language where tokenizing changes nothing, the
    frequency is read from wordfreq's own frequency dict instead (same value, ~1 µs).
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.top = _TOP_SETS[lang]
        self._rank = {word: rank for rank, word in enumerate(TOP_WORDS[lang].split())}
        self._zipf: dict[str, float] = {}
        # Called exactly as wordfreq calls it inside, so both share one cached dict (lru_cache keys on the
        # arguments as written).
        self._freqs = wordfreq.get_frequency_dict(lang, "best") if _plain_lookup(lang) else None

    def rank(self, word: str) -> int:
        """The word's place among the language's most frequent words (0 = the most frequent),
        or the length of that list when it is not among them."""
        return self._rank.get(word, len(self._rank))

    def zipf(self, word: str) -> float:
        score = self._zipf.get(word)
        if score is None:
            if len(self._zipf) >= _CACHE_LIMIT:
                self._zipf.clear()
            score = self._zipf[word] = self._lookup(word)
        return score

    def _lookup(self, word: str) -> float:
        if (self._freqs is not None and word.isalpha() and word.casefold() == word
                and unicodedata.is_normalized("NFC", word)):
            freq = self._freqs.get(word)
            return 0.0 if freq is None else _zipf_of(freq)
        return float(wordfreq.zipf_frequency(word, self.lang))

    def coverage(self, words: list[str]) -> float:
        """The share of `words` that wordfreq knows in this language, counting an unknown word
        that is two known ones glued ("crisiscaused") as known: glue must not hide the language."""
        return sum(self._explained(word) for word in words) / len(words)

    def _explained(self, word: str) -> bool:
        if self.zipf(word) > 0:
            return True
        return any(
            self.zipf(word[:cut]) >= _GLUE_PART_ZIPF and self.zipf(word[cut:]) >= _GLUE_PART_ZIPF
            for cut in range(2, len(word) - 1)
        )


class Lexicons:
    """The Lexicon of each language met so far (a list loads on first use), and the guess."""

    def __init__(self) -> None:
        self._by_lang: dict[str, Lexicon] = {}

    def get(self, lang: str) -> Lexicon:
        found = self._by_lang.get(lang)
        if found is None:
            found = self._by_lang[lang] = Lexicon(lang)
        return found

    def for_text(self, text: str, tag: str | None = None) -> Lexicon | None:
        """The Lexicon of the text's language: its tag's if wordfreq has one, else the first of the
        stopword-vote leaders whose word list knows the most of the text's words (nearly all), else None.

        >>> Lexicons().for_text("the cat sat on the mat and it was happy").lang
        'en'
        """
        if tag is not None:
            lang = wordfreq_lang(tag)
            return None if lang is None else self.get(lang)
        words, candidates = stopword_votes(text)
        if len(words) < _MIN_WORDS:
            return None
        sample = words[:_COVERAGE_SAMPLE]
        # The leader by votes unless another knows clearly more of the words: English "links in"
        # votes for German first, and the German list knows 6 of 7 words of an English sentence,
        # English 7; but the Filipino list knows nearly every word of English text, as English does.
        covered: list[tuple[float, Lexicon]] = []
        for lang in candidates:
            lexicon = self.get(lang)
            coverage = lexicon.coverage(sample)
            if coverage >= _MIN_COVERAGE:
                covered.append((coverage, lexicon))
            if coverage == 1.0:
                break  # nothing can do clearly better: do not load the other lists (0.1-0.5 s each)
        if not covered:
            return None
        best = max(coverage for coverage, _lexicon in covered)
        return next(lexicon for coverage, lexicon in covered if coverage >= best - _COVERAGE_TIE)
