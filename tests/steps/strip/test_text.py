"""The strip step's text-only heuristics: whole-page dumps and captions above a source/date block."""

from __future__ import annotations

from collections.abc import Callable

from curate.document import Document, replay
from curate.rules import load_ruleset
from curate.steps.strip import Strip, StripConfig
from curate.steps.strip.text import (
    CAPTION_RULE,
    PAGE_RULE,
    PageTextConfig,
    caption_above,
    page_furniture,
)
from tests.oracles.strip_text import reference_page_furniture

MakeDoc = Callable[..., Document]
STRIP = Strip(StripConfig(), load_ruleset())
MENU = ["Home", "World", "Business", "Sport", "Culture", "Opinion", "Weather", "Video", "Podcasts", "Login"]
ARTICLE = [
    "The ferry to the islands will run twice a day from May, the port authority said on Monday, after a winter of complaints.",
    "Passengers had waited for hours on the quay in January when one of the two boats was taken out of service for repairs.",
    "The authority said it had bought a third boat from a company in the north and that it would be ready by the summer.",
]
FOOTER = ["About", "Contact", "Jobs", "Newsletters", "Archive", "Sitemap"]


def dump() -> list[str]:
    return MENU + ["Ferry timetable doubled"] + ARTICLE + FOOTER


def test_a_page_dump_keeps_its_article_only() -> None:
    lines = dump()
    dropped = set(page_furniture(lines, PageTextConfig()))
    assert [line for i, line in enumerate(lines) if i not in dropped] == ARTICLE


def test_page_dump_removals_are_events_that_replay(make_doc: MakeDoc) -> None:
    doc = make_doc("\n".join(dump()))
    out = STRIP.apply(doc)
    assert out.text == "\n".join(ARTICLE) + "\n"
    assert {e.rule for e in out.provenance} <= {PAGE_RULE, "navigation.page_label", "legal.footer_links"}
    assert replay(doc.text, out.provenance) == out.text


def test_a_text_with_few_short_lines_is_no_dump() -> None:
    lines = ["Ferry timetable doubled", *ARTICLE * 4, "Contact"]
    assert page_furniture(lines, PageTextConfig()) == []


def test_a_language_without_stop_words_is_never_judged() -> None:
    lines = ["홈", "세계", "경제", "스포츠", "문화", "날씨", "영상", "로그인", "검색", "메뉴", "기사", "더보기",
             "서울시는 월요일 새로운 버스 노선을 발표했다 시민들은 출퇴근 시간이 줄어들 것으로 기대한다"]
    assert page_furniture(lines, PageTextConfig()) == []


def test_an_article_in_another_language_than_the_menu_is_kept() -> None:
    article = ["El ferry a las islas saldrá dos veces al día desde mayo, según dijo el lunes la autoridad del puerto."] * 3
    lines = MENU + article + FOOTER
    dropped = set(page_furniture(lines, PageTextConfig()))
    assert [line for i, line in enumerate(lines) if i not in dropped] == article


def test_caption_above_a_removed_source_and_date_block_goes() -> None:
    lines = ["Headline", "", "Residents warm themselves by fires amid the power cuts.", "ARA", "29/01/2026", "", "Body."]
    removed = [None, None, None, "metadata", "metadata", None, None]
    assert caption_above(lines, removed) == [2]


def test_a_paragraph_line_above_a_date_block_is_not_a_caption() -> None:
    lines = ["The council met in the morning.", "It voted to rebuild the bridge.", "29/01/2026"]
    assert caption_above(lines, [None, None, "metadata"]) == []


def test_two_sentences_above_a_date_block_are_not_a_caption() -> None:
    lines = ["", "The council met. It voted to rebuild the bridge.", "29/01/2026"]
    assert caption_above(lines, [None, None, "metadata"]) == []


def test_a_sentence_above_a_kept_line_is_not_a_caption() -> None:
    lines = ["", "Residents warm themselves by fires amid the power cuts.", "The cuts began on Monday."]
    assert caption_above(lines, [None, None, None]) == []


def test_the_seed_caption_is_removed_by_strip(make_doc: MakeDoc) -> None:
    caption = "Residents of Kyiv warm themselves with fires on the ground amid supply cuts caused by Russian bombing."
    text = f"Trump claims a pause\n\nZelensky is confident.\n\n{caption}\nARA\n29/01/2026\n2 min\n\nThe body of the article."
    out = STRIP.apply(make_doc(text))
    assert caption not in out.text.split("\n")
    assert any(e.rule == CAPTION_RULE for e in out.provenance)


def test_heuristics_can_be_turned_off(make_doc: MakeDoc) -> None:
    strip = Strip(StripConfig(text_heuristics=False, dedup_paragraphs=False), load_ruleset(include_defaults=False))
    doc = make_doc("\n".join(dump()))
    assert strip.apply(doc).text == doc.text


def test_text_the_extractor_took_from_html_is_not_judged_as_a_dump(make_doc: MakeDoc) -> None:
    strip = Strip(StripConfig(), load_ruleset(include_defaults=False))
    doc = make_doc("\n".join(dump()), meta={"extract_root": "body"})
    assert strip.apply(doc).text == doc.text




def test_the_early_gate_judges_every_text_as_the_full_reading_does() -> None:
    """The dump gate stops reading once the short-line share is out of reach; on random mixes of
    menus, prose, blank and removed lines (near the 50% share, where stopping early matters) it
    must answer exactly as reading every line does."""
    import random

    rng = random.Random(9)
    pool = MENU + FOOTER + ARTICLE + ["", "  ", "Ferry timetable doubled", "5 6 7 8 9 10",
                                      "l'homme qu’il a vu hier au port de la ville", "Tags"]
    dumps = 0
    for _ in range(3000):
        lines = [rng.choice(pool) for _ in range(rng.randint(0, 40))]
        removed = [rng.choice([None] * 8 + ["navigation", "comments", "byline"]) for _ in lines]
        config = PageTextConfig(min_lines=rng.choice([0, 6, 12]), min_bad_share=rng.choice([0.0, 0.3, 0.5, 0.8]),
                                short_words=rng.choice([0, 1, 6, 12]))
        expected = reference_page_furniture(lines, config, removed)
        assert page_furniture(lines, config, removed) == expected
        dumps += bool(expected)
    assert dumps > 100
