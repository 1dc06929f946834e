"""What several kinds of the separator pass share: the glued-word thresholds (`GlueRules`), the
patterns of words, code-like chunks, scripts and host names, the chunk around a position, a word's
frequency in English, and what the rest of the document says about a candidate (`_Context`)."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from typing import Final

import regex
import wordfreq

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
_LATIN: Final = regex.compile(r"\p{Latin}")
# wordfreq's Zipf is log10 of frequency per billion words, so two independent words meet at
# zipf(a) + zipf(b) - 9.
_BIGRAM_OFFSET: Final = 9.0
# Top-level domains: a word after a full stop that ends a host name ("Example.Com").
_TLDS: Final = frozenset(
    {"com", "org", "net", "edu", "gov", "io", "co", "uk", "de", "fr", "info", "ly"}
)
# A sentence or clause ending on a lowercase word: "about it.", "gave up,", "went out!".
_CLAUSE_END: Final = regex.compile(r"(?<![\p{L}\p{M}])(\p{Ll}+)[.!?,;:…]+[\"”’»)]*(?:\s|$)")


@dataclass(frozen=True, slots=True)
class GlueRules:
    """The thresholds of the glued-words splitter (copied from RepairConfig, documented there)."""

    min_part_zipf: float
    min_camel_part_zipf: float
    glue_margin: float
    max_rare_glued_zipf: float
    min_part_len: int
    sentence_break: bool


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


@functools.lru_cache(maxsize=1 << 14)
def _english_zipf(word: str) -> float:
    """The word's frequency in English: brands and product names are written alike everywhere."""
    return float(wordfreq.zipf_frequency(word, "en", wordlist="small"))  # small: 0.05 s to load
