"""The main-content scorer: which paragraphs of a page are the article, and the events for the rest."""

from __future__ import annotations

from typing import Any

from lxml import etree

from curate.document import Document
from curate.steps.extract import Extract, ExtractConfig
from curate.steps.extract.score import MainContentConfig, choose_blocks
from curate.steps.extract.text import blocks_of

PARA = ("The council met on Tuesday evening to discuss the new ferry timetable, and the members "
        "agreed that the late crossings should run for a trial period of three months, which the "
        "operator had asked for since the spring.")
PARA_2 = ("Residents on the east side of the bay said that the change would make it easier to get home "
          "after a late shift, and the harbour master said that the crews were ready for it.")
MENU = "<ul>" + "".join(f"<li><a href='/{w}'>{w}</a></li>" for w in
                        ("Home", "News", "Sport", "Weather", "Business", "Culture")) + "</ul>"


def extract(html: str, **fields: Any) -> Document:
    return Extract(ExtractConfig()).apply(Document(id="d", source="p.html", text="", html=html, **fields))


def article(*inner: str) -> str:
    return f"<html><body><div class='menu'>{MENU}</div><div class='story'>{''.join(inner)}</div></body></html>"


def test_link_heavy_menu_block_is_dropped_with_its_link_density() -> None:
    html = f"<html><body><div class='story'><p>{PARA}</p>{MENU}<p>{PARA_2}</p></div></body></html>"
    out = extract(html)
    assert "Weather" not in out.text
    [event] = [e for e in out.provenance if e.rule == "extract.link_density"]
    assert event.action == "drop_block" and event.detail["why"] == "link density 1.00"


def test_article_paragraphs_are_kept_and_the_menu_outside_them_dropped() -> None:
    out = extract(article(f"<p>{PARA}</p>", f"<p>{PARA_2}</p>"))
    assert out.text == f"{PARA}\n\n{PARA_2}"
    assert {e.rule for e in out.provenance} == {"extract.main_content"}


def test_short_paragraph_between_good_ones_is_kept() -> None:
    out = extract(article(f"<p>{PARA}</p>", "<p>It was a close vote.</p>", f"<p>{PARA_2}</p>"))
    assert "It was a close vote." in out.text.split("\n\n")


def test_comment_section_after_the_article_is_dropped() -> None:
    comment = ("I think that this is a very good idea and that the council should have done it years "
               "ago, because the buses stop far too early in the evening for anyone who works late.")
    html = article(f"<p>{PARA}</p>", f"<p>{PARA_2}</p>",
                   f"<div class='comments-area'><h3>3 comments</h3><p>{comment}</p><p>{comment}</p></div>")
    out = extract(html)
    assert comment not in out.text and "3 comments" not in out.text
    assert any(e.rule == "extract.boilerplate_block" and "comment" in str(e.detail["why"])
               for e in out.provenance)


def test_headings_and_a_table_inside_the_article_are_kept() -> None:
    table = "<table><tr><th>Route</th><th>Last boat</th></tr><tr><td>East pier</td><td>23:15</td></tr></table>"
    out = extract(article(f"<p>{PARA}</p>", "<h2>The new times</h2>", table, f"<p>{PARA_2}</p>"))
    assert "The new times" in out.text.split("\n\n")
    assert "Route Last boat\nEast pier 23:15" in out.text


def test_a_heading_that_only_introduces_a_dropped_link_list_goes_too() -> None:
    out = extract(article(f"<p>{PARA}</p>", f"<p>{PARA_2}</p>", "<h3>Read also:</h3>", MENU))
    assert "Read also:" not in out.text


def test_page_without_a_clear_article_keeps_its_body_text() -> None:
    out = extract(f"<html><body><p>Opening hours</p><p>Mon to Fri 9 to 5</p>{MENU}</body></html>")
    assert out.text.startswith("Opening hours\n\nMon to Fri 9 to 5") and "Weather" in out.text
    assert out.meta["extract_root"] == "body"


def test_standfirst_just_before_the_body_joins_the_article() -> None:
    html = article(f"<div class='lead'><p>{PARA}</p></div><div class='date'>19 May</div>",
                   f"<div class='body'><p>{PARA_2}</p><p>{PARA_2} Again.</p><p>{PARA_2} Once more.</p></div>")
    out = extract(html)
    assert out.text.startswith(PARA) and "19 May" not in out.text


def test_headline_repeating_the_title_goes_to_title_only() -> None:
    out = extract(f"<title>Ferries run late</title>{article('<h1>Ferries run late</h1>', f'<p>{PARA}</p>')}")
    assert out.title == "Ferries run late" and out.text == PARA


def test_consecutive_dropped_blocks_make_one_event() -> None:
    html = (f"<html><body><div><a href='/a'>Home</a></div><div><a href='/b'>News</a></div>"
            f"<div class='story'><p>{PARA}</p><p>{PARA_2}</p></div></body></html>")
    events = [e for e in extract(html).provenance if e.rule == "extract.main_content"]
    assert len(events) == 1 and events[0].detail["blocks"] == 2 and events[0].text == "Home News"


def test_stop_word_density_uses_the_page_language() -> None:
    german = ("Der Gemeinderat hat am Dienstag beschlossen, dass die Fähre in den nächsten drei Monaten "
              "auch am späten Abend fahren soll, und die Anwohner haben sich darüber sehr gefreut.")
    root = etree.fromstring(f"<html><body><div><p>{german}</p><p>{german}</p></div></body></html>",
                            etree.HTMLParser())
    choice = choose_blocks(blocks_of(root.find("body")), MainContentConfig())
    assert choice.verdicts == [None, None] and choice.root == "div"


def test_soft_hyphens_are_removed_from_the_text() -> None:
    assert extract("<p>Mit\xadtel\xadal\xadter</p>").text == "Mittelalter"
