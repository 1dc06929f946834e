"""Punctuation of the separator pass: the space missing after a comma or a sentence end between
words ("can,due", "end.The", 'said."Next', "earlier.A", "said.NASA", "BBC.Twitter"), never inside
numbers, URLs, e-mail addresses, file names or abbreviations ("U.S.", "e.g.", "tis.Kč"); and a
subject pronoun capitalised after a comma mid-sentence, the capital of a lost sentence start
("Klitschko, He urged")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

import regex

from curate.document import Edit
from curate.steps.repair.separators.common import (
    _CODE_LIKE,
    _DOTTED,
    _SCRIPT,
    _TLDS,
    _WORD,
    _core_at,
    _english_zipf,
)

PUNCT_ACTION: Final = "insert_space"
PUNCT_RULE: Final = "repair.punct_space"
CASE_ACTION: Final = "lowercase"
CASE_RULE: Final = "repair.pronoun_case"
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
# A subject pronoun capitalised after a comma inside a sentence, before a lowercase word: "Klitschko,
# He urged" (the capital of a lost sentence start). Not after numbers or capitals ("In 2019, He"), and
# not before a capitalised word, so the surname He stays ("Meanwhile, He Lifeng said").
_PRONOUN: Final = regex.compile(r"(?<=(\p{L}+), )(?:He|She|They|We)(?= \p{Ll})")
# Words after which a capitalised He/She is reverence, not a mistake: "Lord, He is".
_REVERED: Final = frozenset(
    {"God", "Lord", "Jesus", "Christ", "Allah", "Father", "Saviour", "Savior"}
)


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

