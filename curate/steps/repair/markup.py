"""The markup pass of `repair`: what is left of markup in text that should be plain prose.

* markdown links keep their text, whatever the target ("[talks](https://…)" → "talks"); images go
  whole, with the space before them ("a ![photo](x.jpg) b" → "a b"), alt text included: it
  describes a picture the corpus does not hold;
* HTML tags of known elements go ("<b>talks</b>" → "talks"); a tag that stood between two words
  becomes a space, a line-breaking one (br, p, div, li …) a newline where it stood alone between
  lines. Angle brackets around anything else stay: "<The Palace>" is a Korean title mark, "a < b"
  is maths. Entities are ftfy's business (repair/ftfy);
* punctuation doubled by a removed widget or empty field: ",," → ",", ";;" → ";". Not "..": it is
  a common way of writing an ellipsis ("Κοίτα με μια φορά..", "etc.."), nor "!!" or "?!".
"""

from __future__ import annotations

import unicodedata
from typing import Final

import regex

from curate.document import Edit

LINK_ACTION: Final = "unwrap_link"
LINK_RULE: Final = "repair.markdown_link"
IMAGE_ACTION: Final = "drop_image"
IMAGE_RULE: Final = "repair.markdown_image"
TAG_ACTION: Final = "drop_tag"
TAG_RULE: Final = "repair.html_tag"
PUNCT_ACTION: Final = "dedupe_punct"
PUNCT_RULE: Final = "repair.repeated_punct"

# A link: [text](target) with a target without spaces (or empty), not preceded by "!" (an image).
_LINK: Final = regex.compile(r"(?<!!)\[([^\[\]\n]+)\]\([^()\s]*\)")
_IMAGE: Final = regex.compile(r" ?!\[[^\[\]\n]*\]\([^()\s]*\)")
_ELEMENTS: Final = (
    "a|abbr|article|aside|b|big|blockquote|br|button|center|cite|code|del|div|em|figcaption|figure"
    "|font|footer|h[1-6]|header|hr|i|iframe|img|ins|label|li|mark|nav|ol|p|picture|q|s|section"
    "|small|source|span|strike|strong|sub|sup|table|tbody|td|th|thead|time|tr|tt|u|ul|wbr"
)
_TAG: Final = regex.compile(rf"</?(?:{_ELEMENTS})(?:\s+[^<>\n]*)?/?>", regex.IGNORECASE)
_BREAKING: Final = regex.compile(r"</?(?:br|p|div|li|h[1-6]|hr|tr|ul|ol|table)\b", regex.IGNORECASE)
_DOUBLED: Final = regex.compile(r"(?<=\p{L}\p{M}*)(?:,,+|;;+)(?=\s|$)")


def link_edits(text: str) -> list[Edit]:
    """`[text](target)` → `text`; `![alt](src)` → nothing."""
    if "](" not in text:
        return []
    edits = [Edit(m.start(), m.end(), "", IMAGE_ACTION, IMAGE_RULE) for m in _IMAGE.finditer(text)]
    taken = [(e.start, e.end) for e in edits]
    for m in _LINK.finditer(text):
        if not any(start < m.end() and m.start() < end for start, end in taken):
            edits.append(Edit(m.start(), m.end(), m.group(1), LINK_ACTION, LINK_RULE))
    return sorted(edits, key=lambda e: e.start)


def tag_edits(text: str) -> list[Edit]:
    """Drop the tags of known HTML elements, keeping the words they separated apart."""
    if "<" not in text:
        return []
    edits: list[Edit] = []
    last = 0
    for m in _TAG.finditer(text):
        if m.start() < last:
            continue
        start, end = m.span()
        before = text[start - 1] if start else "\n"
        after = text[end] if end < len(text) else "\n"
        replacement = ""
        if before == " " and (after in " \n" or _closes(after)):
            start -= 1  # "word <br/> word", "word <img> ." : the tag and the space before it
        elif _BREAKING.match(m.group()) and not before.isspace() and not after.isspace():
            replacement = " " if before.isalnum() and after.isalnum() else "\n"
        edits.append(Edit(start, end, replacement, TAG_ACTION, TAG_RULE))
        last = end
    return edits


def _closes(char: str) -> bool:
    """Punctuation that follows a word without a space: "." "," "?" "؟" "»" …"""
    category = unicodedata.category(char)
    return category in ("Pe", "Pf") or (category == "Po" and char not in "&#%*@/\\'\"¡¿")


def punct_edits(text: str) -> list[Edit]:
    """Doubled commas and semicolons after a word → one."""
    if ",," not in text and ";;" not in text:
        return []
    return [
        Edit(m.start(), m.end(), m.group()[0], PUNCT_ACTION, PUNCT_RULE)
        for m in _DOUBLED.finditer(text)
    ]
