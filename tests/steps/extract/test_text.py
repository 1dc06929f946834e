"""Text building of the extract step: the fast walk of blocks_of and snippet_of against a plain
reference that states the layout rules one call per piece of text (the implementation before the
walk was tuned), on generated markup."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from curate.steps.extract.step import parse_html
from curate.steps.extract.text import (
    Block,
    blocks_of,
    snippet_of,
    text_of,
)
from tests.oracles.extract_text import (
    reference_blocks,
    reference_furniture,
    shipped_rules,
)

TAGS = ["p", "div", "span", "a", "b", "li", "ul", "td", "tr", "table", "pre", "br", "h2", "section"]
WORDS = st.sampled_from(["word", "Two", " ", "  ", "\n", "\t", "\xa0", "\xad", "so\xadft", ",", "x y", "\n  \n"])
TEXT = st.lists(WORDS, max_size=4).map("".join)


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    """A run of text and elements, nested a few levels (parsed by lxml, which repairs the nesting)."""
    pieces = [draw(TEXT)]
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        tag = draw(st.sampled_from(TAGS))
        inner = "" if tag == "br" else draw(markup(depth + 1))
        pieces.append(f"<{tag}>{inner}</{tag}>" if tag != "br" else "<br>")
        pieces.append(draw(TEXT))
    return "".join(pieces)


def body_of(html: str) -> Any:
    root, _ = parse_html(f"<html><body>{html}</body></html>")
    body = root.find("body")
    return body if body is not None else root


def as_tuples(blocks: list[Block]) -> list[tuple[str, Any, int]]:
    return [(b.text, b.owner, b.link_chars) for b in blocks]


@settings(max_examples=200)
@given(markup())
def test_blocks_of_agrees_with_the_reference(html: str) -> None:
    body = body_of(html)
    assert as_tuples(blocks_of(body)) == as_tuples(reference_blocks(body))


@settings(max_examples=200)
@given(markup(), st.integers(0, 40))
def test_a_limited_walk_stops_where_the_reference_stops(html: str, limit: int) -> None:
    body = body_of(html)
    assert as_tuples(blocks_of(body, limit=limit)) == as_tuples(reference_blocks(body, limit))


@settings(max_examples=200)
@given(markup(), st.integers(0, 40))
def test_snippet_is_the_collapsed_limited_text(html: str, limit: int) -> None:
    body = body_of(html)
    for el in body.iter():
        assert snippet_of(el, limit) == " ".join(text_of(el, limit=limit).split())[:limit]


def test_whitespace_between_inline_elements_still_separates_words() -> None:
    assert text_of(body_of("<p><b>one</b> <i>two</i>\n<i>three</i></p>")) == "one two three"


def test_link_text_counts_only_visible_characters() -> None:
    [block] = blocks_of(body_of("<p>See <a>the  full\nstory</a> here</p>"))
    assert block.link_chars == len("thefullstory")


def test_the_page_never_holds_comments_or_processing_instructions() -> None:
    html = "<p>a<!-- c -->b<?php echo 1; ?>c<![CDATA[ d ]]>e</p><!--[if IE]><p>ie</p><![endif]-->"
    root, _ = parse_html(html)
    assert next(root.iter(etree.Comment, etree.ProcessingInstruction), None) is None
    assert text_of(root) == "abce"


# The furniture pass (one walk matching selectors and tag rules together, attribute answers
# remembered per signature) against a plain reference: every selector through lxml's CSS engine,
# every element asked every question.
FURNITURE_TAGS = ["div", "p", "span", "a", "nav", "header", "footer", "aside", "article", "section", "button",
                  "figcaption", "ins", "form", "li", "ul"]
ATTRIBUTES = st.lists(st.sampled_from([
    'class="share-bar"', 'class="byline x"', 'class="x"', 'class="related"', 'class="content"',
    'class="cookie-note"', 'class="adsbygoogle"', 'id="comments"', 'id="main"', 'id="div-gpt-ad-1"', "hidden",
    'style="display: none"', 'style="color: red"', 'rel="author"', 'rel="nofollow"', 'role="navigation"',
    'itemprop="author"', 'data-ad-slot="1"']), max_size=2, unique=True)
PROSE = st.sampled_from(["", "Short.", "Share on social media.", "The story goes on, sentence after sentence. " * 15])


@st.composite
def furnished(draw: st.DrawFn, depth: int = 0) -> str:
    pieces = [draw(PROSE)]
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        tag = draw(st.sampled_from(FURNITURE_TAGS))
        attributes = " ".join(draw(ATTRIBUTES))
        pieces.append(f"<{tag} {attributes}>{draw(furnished(depth + 1))}</{tag}>{draw(PROSE)}")
    return "".join(pieces)








@settings(max_examples=150)
@given(st.lists(furnished(), min_size=1, max_size=3))
def test_furniture_pass_agrees_with_the_reference(pages: list[str]) -> None:
    from curate.steps.extract import Extract, ExtractConfig

    step = Extract(ExtractConfig(), shipped_rules())
    for html in pages:  # several pages through one step: remembered answers carry over
        root, _ = parse_html(f"<html><body>{html}</body></html>")
        events = step._remove_furniture(root)
        expected_root, _ = parse_html(f"<html><body>{html}</body></html>")
        expected = reference_furniture(step, expected_root)
        assert [(e.rule, e.text, e.detail["tag"]) for e in events] == expected
        assert etree.tostring(root) == etree.tostring(expected_root)
