"""The whitespace pass of `repair`: the stray whitespace that extraction and stripping leave behind.

Trailing whitespace on lines goes; runs of two or more blank lines become one blank line; blank lines
at the start go, and at the end the text keeps at most its final newline; no-break spaces inside a
line become plain spaces (a run of spaces containing one becomes a single space, and at the start of
a line, where it was HTML indentation, it goes). Other spacing, such as indentation made of plain
spaces or two spaces after a full stop, is left as written.
"""

from __future__ import annotations

from typing import Final

import regex

from curate.document import Edit

ACTION: Final = "normalize_whitespace"
RULE: Final = "repair.whitespace"

_WS: Final = r"[^\S\n]"  # horizontal whitespace: anything Python calls whitespace except the newline
# One pass, first alternative that matches wins. Lookbehinds make every run start matching only at its
# first character and possessive quantifiers stop backtracking, so long runs stay linear.
_PATTERN: Final = regex.compile(
    r"(?=\s)"  # every alternative starts on whitespace: lets the scan skip the rest quickly
    rf"(?:(?P<leading>\A(?:{_WS}*+\n)++)"
    rf"|(?P<ending>(?<=\S){_WS}*+(?:\n{_WS}*+)++\Z)"
    rf"|(?P<blank_lines>\n(?:{_WS}*+\n){{2,}}+)"
    rf"|(?P<trailing_space>(?<!{_WS}){_WS}++(?=\n|\Z))"
    rf"|(?P<nbsp>(?<!{_WS})(?={_WS}*?\u00a0){_WS}++))"
)


def whitespace_edits(text: str) -> list[Edit]:
    """The edits that normalise stray whitespace, each with its kind in `detail`."""
    edits: list[Edit] = []
    for match in _PATTERN.finditer(text):
        kind = match.lastgroup or ""
        replacement = _replacement(text, match, kind)
        edits.append(Edit(match.start(), match.end(), replacement, ACTION, RULE, {"kind": kind}))
    return edits


def _replacement(text: str, match: regex.Match[str], kind: str) -> str:
    if kind == "ending":
        return "\n"  # keep the final newline that ends the last line; drop the blank lines after it
    if kind == "blank_lines":
        return "\n\n"
    if kind == "nbsp" and match.start() > 0 and text[match.start() - 1] != "\n":
        return " "
    return ""
