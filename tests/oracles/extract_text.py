"""The extract step's text building and furniture pass as first written (one call per piece of text,
every selector matched): the frozen reference the tuned walk in curate/steps/extract is checked against."""

from __future__ import annotations

import functools
from typing import Any

from lxml import etree

from curate.steps.extract.text import (
    CELL_TAGS,
    LINE_TAGS,
    PARAGRAPH_TAGS,
    Block,
    text_of,
)


class _Reference:
    """Every piece of text through `add`, every element edge through `end_line`/`end_paragraph`."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.pre = self.links = self.link_chars = self.size = 0

    def add(self, text: str) -> None:
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


def reference_blocks(root: Any, limit: int | None = None) -> list[Block]:
    out = _Reference()
    owners = [root]
    for action, el in etree.iterwalk(root, events=("start", "end")):
        if limit is not None and out.size > limit:
            break
        tag = el.tag
        if action == "start":
            if tag in PARAGRAPH_TAGS:
                out.end_paragraph(owners[-1])
                owners.append(el)
            elif tag in LINE_TAGS:
                out.end_line()
            out.pre += tag == "pre"
            out.links += tag == "a"
            if el.text:
                out.add(el.text)
            continue
        out.pre -= tag == "pre"
        out.links -= tag == "a"
        if tag in PARAGRAPH_TAGS:
            out.end_paragraph(owners.pop())
        elif tag in LINE_TAGS:
            out.end_line()
        elif tag in CELL_TAGS:
            out.add(" ")
        if el.tail and el is not root:
            out.add(el.tail)
    out.end_paragraph(owners[-1])
    return out.blocks


def reference_furniture(step: Any, root: Any) -> list[tuple[str, str, str]]:
    from lxml.cssselect import CSSSelector

    from curate.steps.extract.step import _drop_tree, _text_len

    etree.strip_elements(root, *step._quiet, with_tail=False)
    matched: dict[Any, str] = {}
    for rule, css in step_selectors():
        for el in CSSSelector(css)(root):
            matched.setdefault(el, rule)  # the first rule in rule-set order wins
    page_chars = _text_len(root)
    found, doomed = [], []
    walker = etree.iterwalk(root, events=("start",))
    for _, el in walker:
        rule = matched.get(el) or step._tag_rule(el)
        if rule is None or el is root:
            continue
        chars = _text_len(el)
        if el.tag in ("html", "body", "main", "article") or chars * 10 >= page_chars * 9 or (
                chars >= 500 and chars * 2 > page_chars):
            continue
        walker.skip_subtree()
        doomed.append(el)
        if snippet := " ".join(text_of(el, limit=200).split())[:200]:
            found.append((rule, snippet, el.tag))
    for el in doomed:
        _drop_tree(el)
    return found


@functools.cache
def shipped_rules() -> Any:
    from curate.rules import load_ruleset

    return load_ruleset()


def step_selectors() -> list[tuple[str, str]]:
    return shipped_rules().selectors()  # type: ignore[no-any-return]
