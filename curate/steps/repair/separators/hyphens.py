"""Hyphens of the separator pass: a word broken across lines by a hyphen ("infra-\\nstructure") is
joined where the joined form is a word: a frequent one, or one the document uses elsewhere; two
words that are each frequent keep their hyphen ("well-\\nknown")."""

from __future__ import annotations

from collections import Counter
from typing import Final

import regex

from curate.document import Edit
from curate.steps.repair.lexicon import Lexicon
from curate.steps.repair.separators.common import _BIGRAM_OFFSET, _WORD

HYPHEN_ACTION: Final = "join_hyphenated"
HYPHEN_RULE: Final = "repair.line_hyphen"
_LINE_HYPHEN: Final = regex.compile(r"(?<!\p{L}-?)(\p{L}+)-\n(\p{Ll}+)(?!\p{L})")
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
