"""The word knowledge of `repair`: which language a document is in, and how frequent a word is there.

Glued words, line-end hyphenation and sentence breaks are judged against wordfreq's list for the
document's language. The language is the document's `lang` tag when it has one (repair usually runs
before langid, so usually not), else a cheap guess: the wordfreq language whose most frequent words
(repair/langs.TOP_WORDS) cover the largest share of the document's first words. Too little evidence
gives no language, and then the language-dependent repairs do not run: guessing wrong would cut foreign
words into "known" pieces (German "gelten" is English "gel" + "ten").
"""

from __future__ import annotations

import functools
import itertools
import math
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Final

import regex
import wordfreq
from wordfreq.language_info import get_language_info
from wordfreq.numbers import digit_freq, smash_numbers
from wordfreq.tokens import lossy_tokenize

from curate.steps.repair.langs import TOP_WORDS
from curate.steps.repair.wordtable import WordTable, default_cache_folder, shared_table

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
_NO_LANGS: Final = itertools.repeat(())
# The first guess at the characters _SAMPLE words take (about 6 a word in English news).
_PREFIX_CHARS_PER_WORD: Final = 10


def wordfreq_lang(code: str | None) -> str | None:
    """The wordfreq language for a language tag, or None when wordfreq has no list for it."""
    if code is None:
        return None
    code = _ALIASES.get(code.lower(), code.lower().split("-")[0])
    return code if code in _TOP_SETS else None


def stopword_votes(text: str) -> tuple[list[str], list[str]]:
    """(the first words of `text`, lowercased; languages by how many of them are frequent words there,
    most first, only those with a vote)."""
    # A word with a capital inside ("UkraineThe", "iPhone") is glue or a brand: no evidence either way.
    words = [w.lower() for w in _first_words(text) if w[1:].islower() or not w[1:].isalpha()]
    votes = Counter(itertools.chain.from_iterable(map(_LANGS_OF.get, words, _NO_LANGS)))
    return words, [lang for lang, _count in votes.most_common(_CANDIDATES)]


def _first_words(text: str) -> list[str]:
    """The first _SAMPLE words of `text`, read from a prefix long enough to hold them (all in C).
    A word can be cut short only at the prefix's end: with a word after it, the first _SAMPLE are
    whole; without one, the prefix grows (to the whole text at worst)."""
    length = _SAMPLE * _PREFIX_CHARS_PER_WORD
    while True:
        words: list[str] = _WORD.findall(text, 0, length)
        if len(words) > _SAMPLE or length >= len(text):
            return words[:_SAMPLE]
        length *= 4


def _plain_lookup(lang: str) -> bool:
    """Whether wordfreq's preprocessing leaves a lowercase, letters-only NFC word as it is in `lang`
    (regex tokenizer, NFC, no mark removal, dotted-i, comma/cedilla or script rewriting), so that its
    frequency is a look-up in the language's word table (tests check this against wordfreq)."""
    info = get_language_info(lang)
    return (info["tokenizer"] == "regex" and info["normal_form"] == "NFC" and not info["remove_marks"]
            and not info["dotless_i"] and not info["diacritics_under"] and not info["transliteration"]
            and not info["lookup_transliteration"])


# wordfreq.zipf_frequency(word, lang) asks word_frequency for at least the frequency of Zipf 0.
_MINIMUM_FREQ: Final = wordfreq.zipf_to_freq(0.0)


def _rounded(freq: float) -> float:
    """wordfreq's word frequency from the combined frequency of a word's tokens (3 significant
    digits, at least _MINIMUM_FREQ), as wordfreq._word_frequency ends."""
    unrounded = max(freq, _MINIMUM_FREQ)
    if unrounded == 0.0:
        return 0.0
    leading_zeroes = math.floor(-math.log(unrounded, 10))
    return round(unrounded, leading_zeroes + 3)


def _zipf(freq: float) -> float:
    return round(wordfreq.freq_to_zipf(freq), 2)


@functools.cache
def _band_zipfs(bands: int) -> tuple[float, ...]:
    """wordfreq.zipf_frequency of a one-token word in each frequency band, computed as wordfreq
    computes it (1 / (1 / f), rounding, Zipf) so that a plain word's value is one index away."""
    return tuple(_zipf(_rounded(1.0 / (1.0 / wordfreq.cB_to_freq(-band)))) for band in range(bands))


class Lexicon:
    """wordfreq's Zipf frequencies and most frequent words for one language, memoised.

    The frequencies come from the language's WordTable (repair/wordtable: wordfreq's list as a
    memory-mapped table every worker process shares) instead of wordfreq's dict (~100 MB a language
    in every process). A plain lowercase word in a language where tokenizing changes nothing is one
    table look-up (~1 µs); any other word is tokenized as wordfreq.zipf_frequency tokenizes it (~40 µs)
    and its tokens are looked up in the table, combined as wordfreq combines them: the same value
    either way (tests check both against wordfreq). A dict memo in front of both is faster still,
    and documents repeat words.
    """

    def __init__(self, lang: str, *, cache_folder: Path | None = None) -> None:
        """`cache_folder`: where the word tables are kept (default: repair_wordtable's
        default_cache_folder(), i.e. $CURATE_CACHE or ~/.cache/curate)."""
        self.lang = lang
        self.top = _TOP_SETS[lang]
        self._rank = {word: rank for rank, word in enumerate(TOP_WORDS[lang].split())}
        self._zipf: dict[str, float] = {}
        self._explained_memo: dict[str, bool] = {}
        folder = default_cache_folder() if cache_folder is None else cache_folder
        self._table: WordTable = shared_table(lang, folder)
        self._band_zipfs = _band_zipfs(self._table.bands)
        self._plain = _plain_lookup(lang)
        self._jieba = get_language_info(lang)["tokenizer"] == "jieba"

    @functools.cached_property
    def max_zipf(self) -> float:
        """The highest Zipf frequency `zipf` gives any word here: the most frequent band's (a word
        of several tokens is rarer than each of them, and rounding keeps that order)."""
        return self._band_zipfs[self._table.min_band()] if len(self._table) else 0.0

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
        if (self._plain and word.isalpha() and word.casefold() == word
                and unicodedata.is_normalized("NFC", word)):
            band = self._table.band(word)
            return 0.0 if band is None else self._band_zipfs[band]
        return _zipf(self._word_frequency(word))

    def _word_frequency(self, word: str) -> float:
        """wordfreq.word_frequency(word, lang, minimum=_MINIMUM_FREQ), step by step as
        wordfreq._word_frequency takes it, with the table in place of wordfreq's dict."""
        tokens = lossy_tokenize(word, self.lang)
        if not tokens:
            return _MINIMUM_FREQ
        # Tokens' frequencies combine as 1 / f = 1 / f1 + 1 / f2 + ...; a token wordfreq does not
        # know makes the whole word unknown. Digit runs are looked up as zeroes ("2024" as "0000")
        # and weighted by wordfreq's estimate of that number.
        one_over_result = 0.0
        for token in tokens:
            smashed = smash_numbers(token)
            band = self._table.band(smashed)
            if band is None:
                return _MINIMUM_FREQ
            freq = wordfreq.cB_to_freq(-band)
            if smashed != token:
                freq *= digit_freq(token)
            one_over_result += 1.0 / freq
        freq = 1.0 / one_over_result
        if self._jieba:  # Chinese: jieba splits anything, so each inferred word break costs
            freq *= wordfreq.INFERRED_SPACE_FACTOR ** -(len(tokens) - 1)
        return _rounded(freq)

    def coverage(self, words: list[str], *, at_least: float = 0.0) -> float | None:
        """The share of `words` that wordfreq knows in this language, counting an unknown word
        that is two known ones glued ("crisiscaused") as known: glue must not hide the language.
        None as soon as the share is sure to be under `at_least` (a wrong language's list: the
        rest of its unknown words, the costly ones, need no reading)."""
        count, missed = len(words), 0
        for word in words:
            if not self._explained(word):
                missed += 1
                if (count - missed) / count < at_least:
                    return None
        return (count - missed) / count

    def _explained(self, word: str) -> bool:
        explained = self._explained_memo.get(word)
        if explained is None:
            if len(self._explained_memo) >= _CACHE_LIMIT:
                self._explained_memo.clear()
            explained = self._explained_memo[word] = self._glue_or_word(word)
        return explained

    def _glue_or_word(self, word: str) -> bool:
        if self.zipf(word) > 0:
            return True
        return any(
            self.zipf(word[:cut]) >= _GLUE_PART_ZIPF and self.zipf(word[cut:]) >= _GLUE_PART_ZIPF
            for cut in range(2, len(word) - 1)
        )


class Lexicons:
    """The Lexicon of each language met so far (a list loads on first use), and the guess."""

    def __init__(self, *, cache_folder: Path | None = None) -> None:
        self._by_lang: dict[str, Lexicon] = {}
        self._cache_folder = cache_folder

    def get(self, lang: str) -> Lexicon:
        found = self._by_lang.get(lang)
        if found is None:
            found = self._by_lang[lang] = Lexicon(lang, cache_folder=self._cache_folder)
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
            coverage = lexicon.coverage(sample, at_least=_MIN_COVERAGE)
            if coverage is not None and coverage >= _MIN_COVERAGE:
                covered.append((coverage, lexicon))
            if coverage == 1.0:
                break  # nothing can do clearly better: do not open the other lists
        if not covered:
            return None
        best = max(coverage for coverage, _lexicon in covered)
        return next(lexicon for coverage, lexicon in covered if coverage >= best - _COVERAGE_TIE)
