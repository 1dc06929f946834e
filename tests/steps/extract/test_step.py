"""The extract step: HTML -> text with block boundaries kept, furniture removed and recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from curate.document import Document
from curate.errors import RuleError
from curate.steps.extract import Extract, ExtractConfig

DATA = Path(__file__).parents[2] / "data"
SAMPLE = Path(__file__).parents[3] / "curate" / "sample"
MakeDoc = Callable[..., Document]


@dataclass
class FakeRuleSet:
    """Stands in for curate.rules.RuleSet: only `.selectors()` is used by the step."""

    pairs: list[tuple[str, str]]

    def selectors(self) -> list[tuple[str, str]]:
        return self.pairs


def extract(html: str, ruleset: Any = None, config: ExtractConfig = ExtractConfig(), **fields: Any) -> Document:
    doc = Document(id="d", source="page.html", text="", html=html, **fields)
    return Extract(config, ruleset).apply(doc)


def test_document_without_html_passes_through(make_doc: MakeDoc) -> None:
    doc = make_doc("plain text")
    assert Extract(ExtractConfig()).apply(doc) is doc


def test_paragraphs_never_glue() -> None:
    assert extract("<p>a</p><p>b</p>").text == "a\n\nb"


def test_text_after_a_block_starts_a_new_paragraph() -> None:
    assert extract("<div>x</div>y").text == "x\n\ny"


def test_inline_elements_join_without_inserted_spaces() -> None:
    assert extract("<p><b>Hel</b>lo <i>wor</i>ld</p>").text == "Hello world"


def test_whitespace_inside_a_paragraph_collapses() -> None:
    assert extract("<p>  one\n   two\t three  </p>").text == "one two three"


def test_list_items_are_lines_of_one_paragraph() -> None:
    assert extract("<p>Intro</p><ul><li>first</li><li>second</li></ul>").text == "Intro\n\nfirst\nsecond"


def test_br_is_a_line_break() -> None:
    assert extract("<p>line one<br>line two</p>").text == "line one\nline two"


def test_headings_are_their_own_paragraph() -> None:
    assert extract("<h2>Heading</h2>Body text").text == "Heading\n\nBody text"


def test_table_cells_are_spaced_and_rows_are_lines() -> None:
    assert extract("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>").text == "a b\nc"


def test_pre_keeps_its_line_breaks() -> None:
    assert extract("<pre>x = 1\ny = 2</pre>").text == "x = 1\ny = 2"


def test_furniture_tags_are_dropped_and_recorded() -> None:
    out = extract("<nav>Home News</nav><p>Story.</p><footer>© Paper</footer>")
    assert out.text == "Story."
    assert [(e.rule, e.action, e.text, dict(e.detail)) for e in out.provenance] == [
        ("extract.tag", "drop_element", "Home News", {"tag": "nav"}),
        ("extract.tag", "drop_element", "© Paper", {"tag": "footer"}),
    ]


def test_scripts_and_styles_are_dropped_without_events() -> None:
    out = extract("<style>p{}</style><p>Text</p><script>var x = 1;</script>")
    assert out.text == "Text" and out.provenance == ()


def test_dropped_element_keeps_the_text_after_it() -> None:
    assert extract("<p>before <button>Click</button> after</p>").text == "before after"


def test_event_text_is_cut_to_the_configured_length() -> None:
    page = f"<aside>{'word ' * 100}</aside><p>{'Body text. ' * 100}</p>"
    out = extract(page, config=ExtractConfig(event_text_chars=20))
    assert out.provenance[0].text == "word word word word "[:20]


def test_header_inside_article_is_kept_page_header_dropped() -> None:
    html = "<header>Logo Menu</header><article><header><h1>Headline</h1></header><p>Body.</p></article>"
    assert extract(html, config=ExtractConfig(prefer_main=False)).text == "Headline\n\nBody."


def test_hidden_elements_are_dropped() -> None:
    html = '<div hidden>Cookie text</div><div style="display: none">Menu</div><p>Shown</p>'
    out = extract(html)
    assert out.text == "Shown" and {e.rule for e in out.provenance} == {"extract.hidden"}


def test_form_wrapping_the_whole_page_is_kept() -> None:
    assert extract("<form><p>All the page text is inside this form.</p></form>").text.startswith("All the")


def test_selector_rules_drop_matching_elements_with_their_rule_id() -> None:
    rules = FakeRuleSet([("ads.slot", "div.ad-slot, [data-ad-unit]")])
    out = extract('<p>Story.</p><div class="ad-slot">ADVERTISEMENT</div><p>More.</p>', rules)
    assert out.text == "Story.\n\nMore."
    [event] = out.provenance
    assert (event.rule, event.text, dict(event.detail)) == ("ads.slot", "ADVERTISEMENT", {"tag": "div"})


def test_invalid_selector_fails_at_construction_naming_the_rule() -> None:
    with pytest.raises(RuleError, match="bad.rule"):
        Extract(ExtractConfig(), FakeRuleSet([("bad.rule", "div[[")]))


def test_title_comes_from_the_title_element() -> None:
    assert extract("<title> The  title </title><p>x</p>").title == "The title"


def test_title_falls_back_to_og_title_then_h1() -> None:
    assert extract('<meta property="og:title" content="OG"><p>x</p>').title == "OG"
    assert extract("<h1>Heading</h1><p>x</p>").title == "Heading"


def test_existing_title_is_kept() -> None:
    assert extract("<title>Page</title><p>x</p>", title="Given").title == "Given"


def test_article_with_most_text_is_preferred_and_the_rest_recorded() -> None:
    story = "This is the story text, and it goes on for a while. " * 20
    html = f"<div>Cookie notice</div><article><p>{story}</p></article><div>Related links</div>"
    out = extract(html)
    assert out.text == story.strip() and out.meta["extract_root"] == "article"
    assert [(e.rule, e.action, e.text) for e in out.provenance] == [
        ("extract.main_content", "drop_block", "Cookie notice"),
        ("extract.main_content", "drop_block", "Related links"),
    ]


def test_a_short_teaser_article_is_not_preferred_over_the_body_text() -> None:
    body = "The body text of the page is here, and it is the story. " * 10
    out = extract(f"<article><p>Teaser</p></article><p>{body}</p>")
    assert out.text == body.strip() and out.meta["extract_root"] != "article"


def test_result_has_no_html_and_counts_extracted_chars() -> None:
    out = extract("<p>abc</p>")
    assert out.html is None and out.meta["extracted_chars"] == 3


@pytest.mark.parametrize("html", ["", "   \n ", "<html></html>", "<body></body>", "<!-- only -->"])
def test_empty_pages_give_empty_text(html: str) -> None:
    assert extract(html).text == ""


def test_page_with_only_body_and_no_html_element() -> None:
    assert extract("<body><p>Just a body</p></body>").text == "Just a body"
    assert extract("bare text, no tags").text == "bare text, no tags"


def test_broken_markup_keeps_all_text_in_order() -> None:
    html = (DATA / "html" / "broken_markup.html").read_text()
    out = extract(html)
    assert out.text.split("\n\n") == ["Unclosed paragraph bold both italic?", "second block",
                                      "third & fourth end"]


def test_deeply_nested_page_loses_no_text() -> None:
    depth = 3000
    html = "<body>" + "<div>" * depth + "DEEP" + "</div>" * depth + "<p>after</p></body>"
    out = extract(html)
    assert "DEEP" in out.text and "after" in out.text
    assert "nesting_flattened" in out.meta["extract_warnings"]


def test_page_declaring_a_charset_is_not_decoded_twice() -> None:
    out = extract('<meta charset="windows-1252"><p>café €</p>')
    assert out.text == "café €"


def test_sample_article_keeps_story_and_drops_menu() -> None:
    html = (SAMPLE / "005_harbour_ferries.html").read_text(encoding="utf-8")
    out = extract(html)
    assert "Harbour city trials night ferries as bridge repairs begin" in out.text
    assert "forty minutes around the bay" in out.text
    assert "Privacy policy" not in out.text and "Business" not in out.text
    assert out.meta["extract_root"] == "article"


def test_text_after_the_end_of_html_is_kept() -> None:
    assert extract("<p>a</p></body></html> tail text").text == "a\n\ntail text"


def test_title_element_is_not_body_text() -> None:
    out = extract("<title>Only a title</title>")
    assert (out.text, out.title) == ("", "Only a title")


def test_bs4_fallback_when_lxml_gives_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from curate.steps.extract import step as module

    real = module._lxml_parse
    calls: list[str] = []

    def refuse_first(html: str) -> tuple[Any, bool]:
        calls.append(html)
        return (None, False) if len(calls) == 1 else real(html)

    monkeypatch.setattr(module, "_lxml_parse", refuse_first)
    out = extract("<p>Rescued <b>text</b></p>")
    assert out.text == "Rescued text" and out.meta["extract_warnings"] == ["bs4_fallback"]


def test_a_selector_matching_the_page_wrapper_does_not_remove_the_article() -> None:
    class Rules:
        def selectors(self) -> list[tuple[str, str]]:
            return [("share.widget", '[class*="share"]')]

    html = ('<html><body><div class="page has-share-bar"><p>' + "Real article text. " * 30 + '</p>'
            '<div class="share-bar">Share on Facebook</div></div></body></html>')
    doc = Extract(ExtractConfig(), Rules()).apply(Document(id="p", source="p.html", text="", html=html))  # type: ignore[arg-type]
    assert "Real article text." in doc.text
    assert "Share on Facebook" not in doc.text
    assert [e.rule for e in doc.provenance if e.action == "drop_element"] == ["share.widget"]


def test_python_selector_matching_agrees_with_lxml_cssselect() -> None:
    from lxml.cssselect import CSSSelector

    from curate.rules import load_ruleset
    from curate.steps.extract.selectors import SelectorMatcher

    page = (
        '<html><body><div class="cookie-banner x">c</div><ins class="adsbygoogle"></ins>'
        '<div id="div-gpt-ad-1">a</div><p class="byline">By A</p><a rel="author">A</a>'
        '<figure><figcaption>cap</figcaption></figure><ul class="related"><li>r</li></ul>'
        '<div class="unrelated-note">keep</div><span itemprop="author">B</span><p>text</p>'
        '<nav role="navigation">n</nav><div class="share-bar-top">s</div></body></html>'
    )
    root = etree.fromstring(page, etree.HTMLParser())
    selectors = load_ruleset().selectors()
    expected = {el for _, css in selectors for el in CSSSelector(css)(root)}
    assert set(SelectorMatcher(selectors).match(root)) == expected
    assert len(expected) >= 10


def test_complex_selectors_fall_back_to_the_css_engine() -> None:
    from curate.steps.extract.selectors import SelectorMatcher

    root = etree.fromstring("<html><body><div class='a'><p>x</p></div><p>y</p></body></html>", etree.HTMLParser())
    matched = SelectorMatcher([("r.child", "div.a > p")]).match(root)
    assert [el.text for el in matched] == ["x"]


def test_an_unclosed_header_that_swallows_the_page_is_kept() -> None:
    body = "<p>" + "The story itself, sentence after sentence. " * 20 + "</p>"
    out = extract(f"<html><body><header><div>Logo</div>{body}</body></html>",
                  config=ExtractConfig(prefer_main=False))  # the furniture pass alone
    assert out.text.startswith("Logo\n\nThe story itself")


def test_script_text_does_not_count_as_page_text() -> None:
    script = "<script>" + "var x = 1;" * 500 + "</script>"
    out = extract(f"<html><body>{script}<aside>Related: other stories</aside><p>Short story.</p></body></html>")
    assert out.text == "Short story."


def test_selector_answers_remembered_per_signature_still_read_tested_attributes() -> None:
    """Two links alike but for the attribute a selector tests: only one is dropped, on every page."""
    step = Extract(ExtractConfig(prefer_main=False), FakeRuleSet([("byline.rel", 'a[rel="author"]')]))
    html = '<p>By <a rel="author" href="/a">Ann</a> and <a rel="nofollow" href="/b">Bob</a>.</p>'
    for _ in range(2):  # the second page is answered from what the first taught the matcher
        out = step.apply(Document(id="p", source="p.html", text="", html=html))
        assert out.text == "By and Bob."
        assert [e.text for e in out.provenance if e.action == "drop_element"] == ["Ann"]


def test_simple_and_css_engine_selectors_on_one_element_take_the_first_rule() -> None:
    from curate.steps.extract.selectors import SelectorMatcher

    root = etree.fromstring("<html><body><div class='a'><p class='x'>t</p></div></body></html>", etree.HTMLParser())
    for selectors, rule in (([("r.css", "div.a > p"), ("r.simple", "p.x")], "r.css"),
                            ([("r.simple", "p.x"), ("r.css", "div.a > p")], "r.simple")):
        matched = SelectorMatcher(selectors).match(root)
        assert [(el.tag, r) for el, r in matched.items()] == [("p", rule)]


def test_a_dropped_leaf_holding_the_whole_page_is_kept() -> None:
    text = "The whole story in one wrapper, sentence after sentence. " * 12
    out = extract(f"<html><body><form>{text}</form></body></html>", config=ExtractConfig(prefer_main=False))
    assert out.text == text.strip()
    short = extract(f"<html><body><p>{text}</p><button>Subscribe now</button></body></html>",
                    config=ExtractConfig(prefer_main=False))
    assert short.text == text.strip()
