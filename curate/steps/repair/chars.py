"""The character pass of `repair`: invisible characters, accidental full-width forms, ASCII quotes.

ftfy (repair/ftfy) already removes C0 controls, BOMs and the deprecated formatting characters, and
turns C1 controls that are Windows-1252 bytes into their characters. What it leaves, this pass takes:

* invisible characters that are never content: soft hyphens, zero-width spaces, word joiners, the
  bidi embeddings/overrides/isolates (U+202A-U+202E, U+2066-U+2069) and the C1 controls with no
  Windows-1252 meaning (U+81, U+8D, U+8F, U+90, U+9D). A zero-width space between Thai, Lao, Khmer,
  Myanmar or CJK letters stays: those scripts write no spaces and use it to mark word breaks. The
  bidi marks (LRM, RLM, ALM) stay in text with right-to-left letters, where they order mixed text;
  elsewhere they are stray. The zero-width (non-)joiners stay everywhere: Persian, Indic scripts and
  emoji need them;
* full-width ASCII forms ("Ｔｒｕｍｐ", "２０２４") in a document with no CJK letters, where they can only be
  accidental; in Chinese or Japanese text they are typography and stay;
* on request only (`ascii_quotes`, `ascii_dashes`): curly quotes and dashes as ASCII.
"""

from __future__ import annotations

import re
from typing import Final

import regex

from curate.document import Edit

INVISIBLE_ACTION: Final = "remove_invisible"
INVISIBLE_RULE: Final = "repair.invisible"
WIDTH_ACTION: Final = "fix_width"
WIDTH_RULE: Final = "repair.fullwidth"
ASCII_ACTION: Final = "ascii_punctuation"
ASCII_RULE: Final = "repair.ascii"

_NO_SPACE_SCRIPTS: Final = r"[\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Han}\p{Hiragana}\p{Katakana}]"
_ALWAYS: Final = "\u00ad\u2060\u202a-\u202e\u2066-\u2069\x81\x8d\x8f\x90\x9d"
_INVISIBLE: Final = regex.compile(
    rf"[{_ALWAYS}]+|(?<!{_NO_SPACE_SCRIPTS})\u200b+|\u200b+(?!{_NO_SPACE_SCRIPTS})"
)
# Each match of _INVISIBLE holds one of these: most texts have none, which one search in C tells.
_INVISIBLE_CHAR: Final = re.compile(f"[{_ALWAYS}\u200b]")
_BIDI_MARKS: Final = regex.compile("[\u200e\u200f\u061c]+")
_RTL: Final = regex.compile(r"[\p{Hebrew}\p{Arabic}\p{Syriac}\p{Thaana}\p{Nko}]")
_CJK: Final = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_FULLWIDTH: Final = regex.compile("[\uff01-\uff5e]+")
_WIDE_OFFSET: Final = 0xFEE0
_QUOTES: Final = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'}
_DASHES: Final = {"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "--", "―": "--"}


def invisible_edits(text: str) -> list[Edit]:
    """Remove the invisible characters that are never content (see the module docstring)."""
    matches = list(_INVISIBLE.finditer(text)) if _INVISIBLE_CHAR.search(text) else []
    if _BIDI_MARKS.search(text) and not _RTL.search(text):
        matches.extend(_BIDI_MARKS.finditer(text))
    return [
        Edit(m.start(), m.end(), "", INVISIBLE_ACTION, INVISIBLE_RULE)
        for m in sorted(matches, key=lambda m: m.start())
    ]


def fullwidth_edits(text: str) -> list[Edit]:
    """Full-width ASCII forms → ASCII, in a document without CJK letters."""
    if not _FULLWIDTH.search(text) or _CJK.search(text):
        return []
    return [
        Edit(m.start(), m.end(), _narrow(m.group()), WIDTH_ACTION, WIDTH_RULE)
        for m in _FULLWIDTH.finditer(text)
    ]


def _narrow(wide: str) -> str:
    return "".join(chr(ord(char) - _WIDE_OFFSET) for char in wide)


def ascii_edits(text: str, *, quotes: bool, dashes: bool) -> list[Edit]:
    """Curly quotes and apostrophes (`quotes`) and dashes (`dashes`) as ASCII, one edit each."""
    table = {**(_QUOTES if quotes else {}), **(_DASHES if dashes else {})}
    pattern = regex.compile("[" + regex.escape("".join(table)) + "]")
    return [
        Edit(m.start(), m.end(), table[m.group()], ASCII_ACTION, ASCII_RULE)
        for m in pattern.finditer(text)
    ]
