"""Text building for the extract step: an lxml tree -> paragraphs ("blocks"), as a browser lays them out.

Block elements always end a paragraph, list items and table rows end a line, inline elements join
without inserted spaces, and whitespace inside a line collapses to one space. Each paragraph is a
`Block` that remembers the element holding it and how much of its text sits inside links, so the
main-content scorer (extract/score) can judge it without walking the tree again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from lxml import etree

# Elements whose end starts a new paragraph (a blank line in the text).
PARAGRAPH_TAGS: Final = frozenset(
    ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section", "article", "main",
     "figure", "figcaption", "header", "footer", "aside", "nav", "ul", "ol", "dl", "table", "thead",
     "tbody", "tfoot", "caption", "address", "hr", "details", "summary", "fieldset", "legend", "center",
     "body", "html", "form", "menu"]
)
# Elements that end a line but not the paragraph: list items, table rows, definition terms.
LINE_TAGS: Final = frozenset(["li", "tr", "dt", "dd", "br", "option"])
CELL_TAGS: Final = frozenset({"td", "th"})
_BOUNDARY_TAGS: Final = PARAGRAPH_TAGS | LINE_TAGS


@dataclass(slots=True)
class Block:
    """One paragraph of the page text.

    owner: the innermost paragraph element around the text (a <p>, <h2>, <ul>, <table>, a <div> with
        text of its own ...). link_chars: non-space characters of the text inside <a> elements.
    """

    text: str
    owner: Any
    link_chars: int

    @property
    def chars(self) -> int:
        """Non-space characters: indentation and line breaks must not dilute densities."""
        return len(self.text) - self.text.count(" ") - self.text.count("\n")


class _Builder:
    """Collects text into lines and paragraphs; whitespace inside a line collapses to one space.

    `parts` and `lines` stay the same list objects for the builder's life (emptied, never replaced),
    so the walk in `blocks_of` can append plain text to `parts` itself, without a call per piece.
    """

    __slots__ = ("blocks", "lines", "parts", "pre", "links", "link_chars", "size")

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.pre = 0  # inside <pre>: source line breaks are kept
        self.links = 0  # inside <a>: text counts as link text
        self.link_chars = 0
        self.size = 0  # characters added so far, spaces included

    def add(self, text: str) -> None:
        if "\xad" in text:  # a soft hyphen is invisible unless the line breaks there
            text = text.replace("\xad", "")
        self.size += len(text)
        if self.links:
            self.link_chars += len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\r")
        if not self.pre:
            self.parts.append(text)
            return
        first, *rest = text.split("\n")
        self.parts.append(first)
        for piece in rest:
            self.end_line()
            self.parts.append(piece)

    def end_line(self) -> None:
        if not self.parts:  # most block edges close nothing: no text since the last one
            return
        line = " ".join("".join(self.parts).split())
        self.parts.clear()
        if line:
            self.lines.append(line)

    def end_paragraph(self, owner: Any) -> None:
        self.end_line()
        if self.lines:
            self.blocks.append(Block("\n".join(self.lines), owner, self.link_chars))
            self.lines.clear()
        self.link_chars = 0

    def plain(self) -> bool:
        """Whether text can go straight into `parts`: outside <pre> and links, and no size to keep."""
        return not (self.pre or self.links)


# What each tag does to the text, as bit flags in one lookup (the walk below asks for every element).
_PARAGRAPH, _LINE, _CELL, _PRE, _LINK = 1, 2, 4, 8, 16
_KIND: Final[dict[str, int]] = {
    **{tag: _LINE for tag in LINE_TAGS}, **{tag: _CELL for tag in CELL_TAGS},
    **{tag: _PARAGRAPH for tag in PARAGRAPH_TAGS}, "pre": _PARAGRAPH | _PRE, "a": _LINK,
}


def blocks_of(root: Any, *, limit: int | None = None) -> list[Block]:
    """The paragraphs of an element in reading order; with `limit`, stops soon after that many characters."""
    out = _Builder()
    owners: list[Any] = [root]  # open paragraph elements: text belongs to the innermost
    kinds = _KIND
    add, parts, lines = out.add, out.parts, out.lines
    bounded = limit is not None
    # Text goes straight into `parts` while `direct` holds (the common case: no <pre>, no link, no
    # size limit to track, no soft hyphen in it); else through `add`, which does the bookkeeping.
    # Whitespace that would start a line is left out there: the line drops it anyway, and the
    # paragraph edges around it then have nothing to flush (pages indent their markup).
    direct = not bounded
    # iterwalk reports elements only (no comments or processing instructions): tags are strings.
    for action, el in etree.iterwalk(root, events=("start", "end")):
        if bounded and out.size > limit:  # type: ignore[operator]  # bounded: limit is an int
            break
        kind = kinds.get(el.tag, 0)
        if action == "start":
            if kind:
                if kind & _PARAGRAPH:
                    if parts or lines or out.link_chars:
                        out.end_paragraph(owners[-1])
                    owners.append(el)
                elif kind & _LINE and parts:
                    out.end_line()
                if kind & (_PRE | _LINK):
                    if kind & _PRE:
                        out.pre += 1
                    else:
                        out.links += 1
                    direct = False
            if text := el.text:
                if not direct or "\xad" in text:
                    add(text)
                elif parts or not text.isspace():
                    parts.append(text)
            continue
        if kind:
            if kind & (_PRE | _LINK):
                if kind & _PRE:
                    out.pre -= 1
                else:
                    out.links -= 1
                direct = not bounded and out.plain()
            if kind & _PARAGRAPH:
                owner = owners.pop()
                if parts or lines or out.link_chars:
                    out.end_paragraph(owner)
            elif kind & _LINE:
                if parts:
                    out.end_line()
            elif kind & _CELL:
                add(" ")
        if (tail := el.tail) and el is not root:
            if not direct or "\xad" in tail:
                add(tail)
            elif parts or not tail.isspace():
                parts.append(tail)
    out.end_paragraph(owners[-1])
    return out.blocks


def text_of(root: Any, *, limit: int | None = None) -> str:
    """The text of an element: paragraphs separated by a blank line, list items and rows on lines.

    >>> html = "<div><p>a</p><p>b</p><b>Hel</b>lo<ul><li>x</li><li>y</li></ul></div>"
    >>> text_of(etree.fromstring(html, etree.HTMLParser()))
    'a\\n\\nb\\n\\nHello\\n\\nx\\ny'

    With `limit`, stops soon after that many characters (for event snippets of big elements).
    """
    return "\n\n".join(block.text for block in blocks_of(root, limit=limit))


def snippet_of(root: Any, limit: int) -> str:
    """`" ".join(text_of(root, limit=limit).split())[:limit]`, the short text an event records,
    built without lines and blocks: with all whitespace collapsed, every paragraph or line boundary
    is just a space. Stops at the same point as `text_of` (its size counts the same characters)."""
    pieces: list[str] = []
    size = 0
    boundary, cell = _BOUNDARY_TAGS, CELL_TAGS
    for action, el in etree.iterwalk(root, events=("start", "end")):  # elements only (see blocks_of)
        if size > limit:
            break
        tag = el.tag
        if tag in boundary:
            pieces.append(" ")
        elif tag in cell and action == "end":
            pieces.append(" ")
            size += 1
        if text := (el.text if action == "start" else el.tail if el is not root else None):
            if "\xad" in text:
                text = text.replace("\xad", "")
            pieces.append(text)
            size += len(text)
    return " ".join("".join(pieces).split())[:limit]
