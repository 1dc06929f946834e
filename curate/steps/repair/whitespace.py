"""The whitespace pass of `repair`: the stray whitespace that extraction and stripping leave behind.

Trailing whitespace on lines goes; runs of two or more blank lines become one blank line; blank lines
at the start go, and so does all whitespace after the last line with content (a document record ends
with its last character, like the JSON `text` of a record that was never a file); no-break
spaces inside a line become plain spaces (a run of whitespace containing one becomes a single space,
and at the start of a line, where it was HTML indentation, it goes). Other spacing, such as indentation
made of plain spaces or two spaces after a full stop, is left as written.

"Whitespace" is what `str.isspace` says, as for `str.rstrip`; a line is what `str.split("\\n")` gives.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Final

from curate.document import Edit

ACTION: Final = "normalize_whitespace"
RULE: Final = "repair.whitespace"
NBSP: Final = "\u00a0"
_SPACE_RUN: Final = re.compile(r"\s+")
# (re's \s is str.isspace's whitespace.)
_SPACE_BEFORE_NEWLINE: Final = re.compile(r"\s\n")


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # offset of the line's first character
    end: int  # offset of its "\n" (or of the end of the text)
    content_end: int  # offset just after its last non-whitespace character; == start if blank

    @property
    def blank(self) -> bool:
        return self.content_end == self.start


def whitespace_edits(text: str) -> list[Edit]:
    """The edits that normalise stray whitespace, each with its kind in `detail`."""
    if (NBSP not in text and not text[:1].isspace() and not text[-1:].isspace()
            and not _SPACE_BEFORE_NEWLINE.search(text)):
        # Nothing to do (most texts after the first round): a trailing space, a blank line (even
        # an empty one, "\n\n") or a leading or trailing one would show a whitespace character
        # before a "\n" or at an end.
        return []
    return _line_edits(text)


def _line_edits(text: str) -> list[Edit]:
    lines = _lines(text)
    has_nbsp = NBSP in text
    edits: list[Edit] = []
    for line in lines:
        if not line.blank and line.content_end < line.end:
            edits.append(_edit(line.content_end, line.end, "", "trailing_space"))
        if has_nbsp and NBSP in text[line.start : line.content_end]:
            edits.extend(_nbsp_edits(text, line))
    edits.extend(_blank_line_edits(text, lines))
    return edits


def _lines(text: str) -> list[_Line]:
    lines, start = [], 0
    for raw in text.split("\n"):
        end = start + len(raw)
        lines.append(_Line(start, end, start + len(raw.rstrip())))
        start = end + 1
    return lines


def _nbsp_edits(text: str, line: _Line) -> list[Edit]:
    """A whitespace run holding a no-break space → one space, or nothing at the start of the line."""
    edits = []
    for run in _SPACE_RUN.finditer(text, line.start, line.content_end):
        if NBSP in run.group():
            replacement = "" if run.start() == line.start else " "
            edits.append(_edit(run.start(), run.end(), replacement, "nbsp"))
    return edits


def _blank_line_edits(text: str, lines: list[_Line]) -> list[Edit]:
    """Leading blank lines go, runs of blank lines become one, trailing ones and the last newline go."""
    content = [i for i, line in enumerate(lines) if not line.blank]
    if not content:
        return [_edit(0, len(text), "", "leading")] if text else []
    first, last = lines[content[0]], lines[content[-1]]
    edits = [_edit(0, first.start, "", "leading")] if first.start > 0 else []
    for before, after in itertools.pairwise(content):
        gap = after - before - 1  # blank lines between two lines with content
        if gap >= 2:
            edits.append(_edit(lines[before].end, lines[after].start, "\n\n", "blank_lines"))
        elif gap == 1 and lines[before + 1].end > lines[before + 1].start:
            edits.append(
                _edit(lines[before + 1].start, lines[before + 1].end, "", "trailing_space")
            )
    if last.end < len(text):
        edits.append(_edit(last.end, len(text), "", "ending"))
    return edits


def _edit(start: int, end: int, replacement: str, kind: str) -> Edit:
    return Edit(start, end, replacement, ACTION, RULE, {"kind": kind})
