"""The extract step: HTML page -> main-content text, with every removed element recorded as an event.

lxml.html parses (about ten times faster than a bs4 tree); bs4 with Python's html.parser is only the
fallback for markup lxml rejects or reads as empty. Furniture is removed by tag (nav, header, footer...)
and by the `selector` rules of the rule set. Text is then built so that block elements always end a
paragraph and inline elements join as a browser shows them, and an <article>/<main> element holding
most of the text is preferred over the whole body. The text replaces `html` on the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, ClassVar, Final

from bs4 import BeautifulSoup
from lxml import etree

from curate.document import Document, Event, JSONValue
from curate.pipeline import DocumentStep
from curate.steps.extract.score import Choice, Drop, MainContentConfig, choose_blocks
from curate.steps.extract.selectors import SelectorMatcher
from curate.steps.extract.text import (
    CELL_TAGS,
    LINE_TAGS,
    PARAGRAPH_TAGS,
    Block,
    blocks_of,
    snippet_of,
    text_of,
)

__all__ = ["CELL_TAGS", "LINE_TAGS", "PARAGRAPH_TAGS", "Extract", "ExtractConfig", "page_title",
           "parse_html", "text_of"]

if TYPE_CHECKING:
    from curate.rules import RuleSet

_VOID_TAGS: Final = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"])
_HIDDEN_STYLE: Final = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TAG: Final = re.compile(r"<[^>]*>")
# libxml2 silently drops everything after </body> or </html>; HTML5 parsers put it in the body.
_END_BODY: Final = re.compile(r"</(?:body|html)\s*>", re.I)
# lxml (libxml2) silently drops subtrees nested deeper than this even with huge_tree; pages that hit
# it are re-parsed with deeper elements unwrapped (see _flatten).
_FLATTEN_DEPTH: Final = 200
_TEXT_LEN: Final = etree.XPath("string-length(normalize-space(.))")  # compiled once, not per call
_STRING: Final = etree.XPath("string(.)")  # el.xpath() would compile its expression on every call
_OG_TITLES: Final = etree.XPath("//meta[@property='og:title']/@content")


@dataclass(frozen=True)
class ExtractConfig:
    """How the extract step turns a page into text.

    drop_tags: elements removed with their content. Scripts and styles are code; nav, header, footer,
        aside, form, button and iframe are page furniture on nearly every site (trafilatura and
        resiliparse drop the same set), so removing them by tag needs no rule.
    quiet_tags: dropped tags whose content is code, not prose: removed without an event, to keep
        provenance reports small.
    keep_header_inside: a <header> inside one of these is kept; in an <article> it usually holds the
        headline and byline, while the page's own <header> is logo and menu.
    drop_hidden: remove elements marked `hidden` or styled display:none / visibility:hidden; a reader
        never sees them (collapsed cookie banners, mobile menus).
    keep_page_wrappers: never drop (by tag, selector or hidden style) an element that holds most of
        the page: <body>, <main>, <article>, or anything with 90% of the page text, or over half of it
        and at least 500 characters. Some frameworks (ASP.NET WebForms) wrap the whole page in a <form>, unclosed
        markup leaves a <header> holding the body, and a wrapper's class may name a widget
        ("has-share-bar"); dropping such an element would empty the page.
    keep_title: set `title` (when the document has none) from <title>, else og:title, else the first <h1>.
    prefer_main: keep only the main content: the paragraphs the scorer of extract/score judges to be
        the article (block length, link and stop-word density, the best-scoring container and its
        class/id hints). Off, every paragraph of the furniture-free body is kept.
    main: the scorer's settings (see MainContentConfig for each and why its default).
    event_text_chars: a dropped element's text is recorded in its event cut to this length.
    """

    drop_tags: tuple[str, ...] = ("script", "style", "noscript", "template", "svg", "iframe", "form",
                                  "button", "nav", "header", "footer", "aside")
    quiet_tags: tuple[str, ...] = ("script", "style", "noscript", "template", "svg")
    keep_header_inside: tuple[str, ...] = ("article",)
    drop_hidden: bool = True
    keep_page_wrappers: bool = True
    keep_title: bool = True
    prefer_main: bool = True
    main: MainContentConfig = field(default_factory=MainContentConfig)
    event_text_chars: int = 200
    drop_headline: bool = True


class Extract(DocumentStep):
    """HTML -> text. A document without `html` passes through unchanged.

    >>> doc = Document("d", "p.html", "", html="<p>a</p><p>b<b>c</b></p><nav>Home</nav>")
    >>> Extract(ExtractConfig()).apply(doc).text
    'a\\n\\nbc'
    """

    name: ClassVar[str] = "extract"

    def __init__(self, config: ExtractConfig = ExtractConfig(), ruleset: RuleSet | None = None) -> None:
        self.config = config
        self._selectors = SelectorMatcher(ruleset.selectors() if ruleset is not None else [])
        # <title> is never body text: it goes to the `title` field, so it is removed without an event
        self._drop = frozenset(config.drop_tags) | {"title"}
        self._quiet = frozenset(config.quiet_tags) | {"title"}
        # Tags that a tag rule or selector names, and the attributes the hidden rule reads: the walk in
        # _remove_furniture asks the rules about an element only when it has one of them or could
        # match a selector by its class, id or attributes.
        self._suspect_tags = self._drop | self._selectors.tags
        self._hiding = frozenset(["hidden", "style"] if config.drop_hidden else [])

    def apply(self, doc: Document) -> Document:
        if doc.html is None:
            return doc
        root, warnings = parse_html(doc.html)
        title = page_title(root) if self.config.keep_title and doc.title is None else None
        events = self._remove_furniture(root)
        body = root.find("body")
        blocks = blocks_of(body if body is not None else root)
        choice = (choose_blocks(blocks, self.config.main) if self.config.prefer_main
                  else Choice([None] * len(blocks), "body"))
        if self.config.drop_headline and (title or doc.title):
            _drop_headline(blocks, choice.verdicts, title or doc.title or "")
        events += self._block_events(blocks, choice.verdicts)
        text = "\n\n".join(block.text for block, drop in zip(blocks, choice.verdicts) if drop is None)
        kept = choice.root
        if title is None and self.config.keep_title and doc.title is None:
            title = _first_h1(root)
        meta: dict[str, JSONValue] = {**doc.meta, "extracted_chars": len(text), "extract_root": kept}
        if warnings:
            meta["extract_warnings"] = warnings
        return doc.edited(text, *events).tagged(html=None, title=title or doc.title, meta=meta)

    def page_blocks(self, html: str) -> list[Block]:
        """The blocks `apply` scores (furniture removed), for the content model's features
        (extract/features) and its training labels (curate.train.labels)."""
        root, _ = parse_html(html)
        self._remove_furniture(root)
        body = root.find("body")
        return blocks_of(body if body is not None else root)

    def _remove_furniture(self, root: Any) -> list[Event]:
        """Remove dropped elements (outermost only) and return an event for each that held text."""
        # Code first, without events: its text must not count as page text in the sizes below.
        etree.strip_elements(root, *self._quiet, with_tail=False)
        complex_matches = self._selectors.complex_matches(root)
        page_chars = _text_len(root)
        events: list[Event] = []
        doomed: list[Any] = []
        # One walk both matches selectors and applies the tag rules, and it never enters a dropped
        # element. Most elements are ruled out by their tag and attribute names alone (see __init__).
        tags, hiding, selectors = self._suspect_tags, self._hiding, self._selectors
        any_element = selectors.matches_any_element
        walker = etree.iterwalk(root, events=("start",))
        next(walker)  # the root itself is never dropped
        for _, el in walker:
            if el.tag in tags or (complex_matches and el in complex_matches):
                rule = selectors.rule_of(el, complex_matches) or self._tag_rule(el)
            else:  # only a selector or the hidden rule can drop it, both by its attributes
                names = el.keys()
                if not names and not any_element:
                    continue
                rule = selectors.rule_of(el, complex_matches, names)
                if rule is None and not hiding.isdisjoint(names):
                    rule = self._tag_rule(el)
            if rule is None:
                continue
            if self.config.keep_page_wrappers and _holds_the_page(el, page_chars):
                continue
            walker.skip_subtree()
            doomed.append(el)
            if snippet := snippet_of(el, self.config.event_text_chars):
                events.append(Event(step=self.name, action="drop_element", rule=rule, text=snippet,
                                    detail={"tag": str(el.tag)}))
        for el in doomed:
            _drop_tree(el)
        return events

    def _tag_rule(self, el: Any) -> str | None:
        tag = el.tag
        if tag in self._drop:
            if tag == "header" and _inside(el, self.config.keep_header_inside):
                return None
            return "extract.tag"
        if self.config.drop_hidden and (el.get("hidden") is not None
                                        or ((style := el.get("style")) and _HIDDEN_STYLE.search(style))):
            return "extract.hidden"
        return None

    def _block_events(self, blocks: list[Block], verdicts: list[Drop | None]) -> list[Event]:
        """One event per run of consecutive blocks dropped for the same reason (a menu of twenty
        links is one event, not twenty)."""
        events: list[Event] = []
        run: list[Block] = []
        for i, (block, drop) in enumerate(zip(blocks, verdicts)):
            if drop is None:
                continue
            run.append(block)
            following = verdicts[i + 1] if i + 1 < len(verdicts) else None
            if following is None or following.rule != drop.rule or following.why != drop.why:
                events.append(self._drop_event(run, drop))
                run = []
        return events

    def _drop_event(self, run: list[Block], drop: Drop) -> Event:
        limit = self.config.event_text_chars
        text = _collapse(" ".join(block.text[:limit] for block in run))[:limit]
        detail: dict[str, JSONValue] = {"tag": str(run[0].owner.tag), "why": drop.why, "blocks": len(run)}
        if drop.score:
            detail["score"] = drop.score
        return Event(step=self.name, action="drop_block", rule=drop.rule, text=text, detail=detail)


def parse_html(html: str) -> tuple[Any, list[str]]:
    """An lxml tree of the page (never None) and warnings about how it had to be read."""
    warnings: list[str] = []
    root, deep = _lxml_parse(html)
    if deep:
        warnings.append("nesting_flattened")  # else libxml2 would drop the deep part without a word
        root, _ = _lxml_parse(_flatten(html, _FLATTEN_DEPTH))
    if root is None or (not _has_text(root) and _TAG.sub("", html).strip()):
        warnings.append("bs4_fallback")
        root = _soup_parse(html)
    # No comments or processing instructions to strip: every tree comes from _lxml_parse, whose
    # parser drops them (remove_comments, remove_pis; libxml2 reads <?...?> in HTML as a comment).
    return root, warnings


def _lxml_parse(html: str) -> tuple[Any, bool]:
    """(root or None if lxml refuses, whether libxml2 hit its nesting limit)."""
    # Encoded bytes with an explicit encoding: the page is already decoded (curate.inputs.encoding), so
    # a <meta charset> or <?xml encoding?> in it must not be applied a second time.
    # The plain etree parser is libxml2's HTML parser, as lxml.html's is, without lxml.html's Python
    # element-class lookup, which took a sixth of the step's time. collect_ids=False: libxml2 need
    # not index id attributes for XPath's id(), which nothing here calls (7% of the parse).
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True,
                              collect_ids=False)
    try:
        root = etree.fromstring(_END_BODY.sub("", html).encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, False
    deep = any("Excessive depth" in entry.message for entry in parser.error_log)
    return root, deep


def _soup_parse(html: str) -> Any:
    """Parse with bs4's forgiving html.parser, then hand its repaired markup to lxml inside a body.

    bs4's tree is not used directly: it is ten times slower to walk, and lxml.html.soupparser loses
    text at the top level of the soup.
    """
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(["html", "head", "body"]):
        tag.unwrap()
    root, _ = _lxml_parse(f"<html><body>{soup}</body></html>")
    return root if root is not None else etree.fromstring("<html><body></body></html>", etree.HTMLParser())


class _Flattener(HTMLParser):
    """Re-emit a page with elements deeper than `max_depth` unwrapped (their text kept)."""

    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=False)
        self.max_depth, self.depth, self.out = max_depth, 0, [""]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            self.out.append(self.get_starttag_text() or "")
            return
        self.depth += 1
        self._tag(self.get_starttag_text() or "", tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID_TAGS:
            self._tag(f"</{tag}>", tag)
            self.depth = max(0, self.depth - 1)

    def _tag(self, markup: str, tag: str) -> None:
        if self.depth <= self.max_depth:
            self.out.append(markup)
        elif tag in PARAGRAPH_TAGS or tag in LINE_TAGS:
            self.out.append("<br>")  # the element is gone, but its text must not glue to the next

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")


def _flatten(html: str, max_depth: int) -> str:
    flattener = _Flattener(max_depth)
    flattener.feed(html)
    flattener.close()
    return "".join(flattener.out)


def page_title(root: Any) -> str | None:
    """<title>, else og:title, whitespace collapsed; None when neither has text."""
    title = next(root.iterdescendants("title"), None)  # root.find(".//title"), without ElementPath
    if title is not None and (text := _collapse(str(_STRING(title)))):
        return text
    for content in _OG_TITLES(root):
        if text := _collapse(str(content)):
            return text
    return None


def _drop_headline(blocks: list[Block], verdicts: list[Drop | None], title: str) -> None:
    """The first kept block, when it is a heading that repeats the page title, goes to `title` only."""
    first = next((i for i, drop in enumerate(verdicts) if drop is None), None)
    if first is None or blocks[first].owner.tag not in ("h1", "h2"):
        return
    text = _collapse(blocks[first].text)
    if text and (text in title or title in text) and any(v is None for v in verdicts[first + 1:]):
        verdicts[first] = Drop("extract.headline", "the page title, kept as title", 0.0)


def _first_h1(root: Any) -> str | None:
    for h1 in root.iter("h1"):
        if text := _collapse(str(_STRING(h1))):
            return text
    return None


def _holds_the_page(el: Any, page_chars: int) -> bool:
    """True for the page's own containers: <body>, <main>, <article>, or an element holding most of
    a page's worth of text (90% of it, or over half and at least 500 characters). See
    `keep_page_wrappers`."""
    if el.tag in ("html", "body", "main", "article"):
        return True
    if not len(el) and len(el.text or "") * 2 <= page_chars and len(el.text or "") * 10 < page_chars * 9:
        return False  # a leaf's own text bounds its size: no need to measure it (most dropped elements)
    chars = _text_len(el)
    return chars * 10 >= page_chars * 9 or (chars >= 500 and chars * 2 > page_chars)


def _inside(el: Any, tags: tuple[str, ...]) -> bool:
    return any(ancestor.tag in tags for ancestor in el.iterancestors())


def _text_len(el: Any) -> int:
    """Characters of whitespace-collapsed text under an element: a cheap size for comparing elements."""
    return int(_TEXT_LEN(el))


def _has_text(el: Any) -> bool:
    """Whether `_text_len(el)` is not 0, without building the whole text: XPath's normalize-space
    strips exactly space, tab, CR and LF, so any other character in any text node counts."""
    return any(text.strip(" \t\r\n") for text in el.itertext())


def _drop_tree(el: Any) -> None:
    """Remove an element and its content but keep its tail text, which belongs to the parent."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _collapse(text: str) -> str:
    return " ".join(text.split())
