"""Text building for the extract step: an lxml tree -> paragraphs ("blocks"), as a browser lays them out.

Block elements always end a paragraph, list items and table rows end a line, inline elements join
without inserted spaces, and whitespace inside a line collapses to one space. Each paragraph is a
`Block` that remembers the element holding it and how much of its text sits inside links, so the
main-content scorer (extract_score) can judge it without walking the tree again.
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
    """Collects text into lines and paragraphs; whitespace inside a line collapses to one space."""

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
            self.link_chars += len(text) - sum(text.count(c) for c in " \n\t\r")
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
        self.parts = []
        if line:
            self.lines.append(line)

    def end_paragraph(self, owner: Any) -> None:
        self.end_line()
        if self.lines:
            self.blocks.append(Block("\n".join(self.lines), owner, self.link_chars))
            self.lines = []
        self.link_chars = 0


def blocks_of(root: Any, *, limit: int | None = None) -> list[Block]:
    """The paragraphs of an element in reading order; with `limit`, stops soon after that many characters."""
    out = _Builder()
    owners: list[Any] = [root]  # open paragraph elements: text belongs to the innermost
    paragraph, line, cell = PARAGRAPH_TAGS, LINE_TAGS, CELL_TAGS  # locals: this loop is hot
    add = out.add
    bounded = limit is not None
    for action, el in etree.iterwalk(root, events=("start", "end")):
        if bounded and out.size > limit:  # type: ignore[operator]  # bounded: limit is an int
            break
        tag = el.tag
        if not isinstance(tag, str):
            tag = ""
        if action == "start":
            if tag in paragraph:
                out.end_paragraph(owners[-1])
                owners.append(el)
            elif tag in line:
                out.end_line()
            if tag == "pre":
                out.pre += 1
            elif tag == "a":
                out.links += 1
            if tag and (text := el.text):
                add(text)
            continue
        if tag == "pre":
            out.pre -= 1
        elif tag == "a":
            out.links -= 1
        if tag in paragraph:
            out.end_paragraph(owners.pop())
        elif tag in line:
            out.end_line()
        elif tag in cell:
            add(" ")
        if (tail := el.tail) and el is not root:
            add(tail)
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
