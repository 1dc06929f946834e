"""The strip step: text and events, replay, repeats, time limits, and the seed articles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curate import reasons
from curate.document import Document, Failed, replay
from curate.rules import load_ruleset
from curate.rules.model import RuleSet
from curate.steps.strip import Strip, StripConfig

MakeDoc = Callable[..., Document]
DEFAULTS = load_ruleset()
STRIP = Strip(StripConfig(), DEFAULTS)

# Seed checks that belong to the repair step (glued words, a no-break space), not to strip.
REPAIR_MUST_CONTAIN = {"energy crisis caused", "If they can, due to", "Mayor Vitaly Klitschko"}
REPAIR_MUST_NOT_CONTAIN = {
    "BarcelonaUS",
    "UkraineThe",
    "can,due",
    "crisiscaused",
    "Mayor\u00a0Vitaly",
}
KNOWN_FAILURES: set[tuple[str, str]] = set()  # desired removals strip does not meet yet


def user_rules(tmp_path: Path, body: str) -> RuleSet:
    path = tmp_path / "user.yaml"
    path.write_text("pack: user\ndescription: Test rules.\nrules:\n" + body, encoding="utf-8")
    return load_ruleset([path], include_defaults=False)


def events(doc: Document) -> list[tuple[Any, ...]]:
    return [(e.rule, e.action, e.span, e.text, e.replacement) for e in doc.provenance]


def test_drop_line_text_and_event(make_doc: MakeDoc) -> None:
    doc = STRIP.apply(make_doc("Title\nADVERTISEMENT\nBody text.\n"))
    assert doc.text == "Title\nBody text.\n"
    assert events(doc) == [("ads.placeholder", "drop_line", (6, 20), "ADVERTISEMENT\n", None)]
    assert doc.provenance[0].step == "strip"


def test_last_line_without_newline_is_dropped_cleanly(make_doc: MakeDoc) -> None:
    doc = STRIP.apply(make_doc("Body text.\nADVERTISEMENT"))
    assert doc.text == "Body text.\n"


def test_drop_block_event(make_doc: MakeDoc) -> None:
    doc = STRIP.apply(
        make_doc("Body text.\nWhat's Included?\n\n- One\n- Two\n\nMore prose here.\n")
    )
    assert doc.text == "Body text.\n\nMore prose here.\n"
    assert events(doc) == [
        (
            "subscription.included_list",
            "drop_block",
            (11, 41),
            "What's Included?\n\n- One\n- Two\n",
            None,
        )
    ]


def test_replace_event_keeps_anchor_text(make_doc: MakeDoc) -> None:
    doc = STRIP.apply(make_doc("Talks during [trilateral meetings](#) ended."))
    assert doc.text == "Talks during trilateral meetings ended."
    assert events(doc) == [
        (
            "markup.markdown_link",
            "replace",
            (13, 37),
            "[trilateral meetings](#)",
            "trilateral meetings",
        )
    ]


def test_events_replay_to_the_output(make_doc: MakeDoc) -> None:
    text = "AP\nPublished 29.01.26, 11:48 PM\nSee [a](#) and [b](#).\nADVERTISEMENT\nEnd [c](#).\n"
    doc = STRIP.apply(make_doc(text))
    assert doc.text == "See a and b.\nEnd c.\n"
    assert replay(text, doc.provenance) == doc.text


def test_paragraphs_are_never_glued(make_doc: MakeDoc) -> None:
    doc = STRIP.apply(
        make_doc("First paragraph ends here.\nADVERTISEMENT\nSecond paragraph starts.")
    )
    assert doc.text == "First paragraph ends here.\nSecond paragraph starts."


def test_crlf_lines_are_dropped_with_their_line_break(make_doc: MakeDoc) -> None:
    doc = STRIP.apply(make_doc("One.\r\nADVERTISEMENT\r\nTwo.\r\n"))
    assert doc.text == "One.\r\nTwo.\r\n"


def test_repeated_paragraph_keeps_the_first_copy(make_doc: MakeDoc) -> None:
    para = "The call for a pause comes as the country faces a harsh winter"
    text = f"{para}\n\nBody.\n\n{para.upper()}.\n"
    doc = STRIP.apply(make_doc(text))
    assert doc.text == f"{para}\n\nBody.\n\n"
    start = text.index(para.upper())
    assert events(doc) == [
        ("strip.repeated_paragraph", "drop_repeat", (start, len(text)), text[start:], None)
    ]
    assert doc.provenance[0].detail == {"first_line": 1}


def test_short_repeated_lines_are_kept(make_doc: MakeDoc) -> None:
    text = "- Cancel anytime.\nProse.\n- Cancel anytime.\n"
    assert STRIP.apply(make_doc(text)).text == text


def test_repeat_detection_can_be_turned_off(make_doc: MakeDoc) -> None:
    text = "One two three four five six seven.\nOne two three four five six seven.\n"
    assert Strip(StripConfig(dedup_paragraphs=False), DEFAULTS).apply(make_doc(text)).text == text


def test_untouched_document_is_returned_as_is(make_doc: MakeDoc) -> None:
    doc = make_doc("Nothing to strip here.\n")
    assert STRIP.apply(doc) is doc


def test_lang_rules_apply_only_to_their_languages(make_doc: MakeDoc, tmp_path: Path) -> None:
    rules = user_rules(
        tmp_path,
        "  - {id: user.werbung, description: d, category: ad, kind: line,"
        " pattern: 'REKLAME', lang: [de]}\n",
    )
    step = Strip(StripConfig(), rules)
    assert step.apply(make_doc("REKLAME\n", lang="en")).text == "REKLAME\n"
    assert step.apply(make_doc("REKLAME\n", lang="de")).text == ""
    assert step.apply(make_doc("REKLAME\n")).text == ""


def test_selector_rules_are_ignored(make_doc: MakeDoc, tmp_path: Path) -> None:
    rules = user_rules(
        tmp_path,
        "  - {id: user.nav, description: d, category: navigation, kind: selector, selector: nav}\n",
    )
    assert Strip(StripConfig(), rules).apply(make_doc("nav\n")).text == "nav\n"


def test_catastrophic_pattern_raises_timeout(make_doc: MakeDoc, tmp_path: Path) -> None:
    rules = user_rules(
        tmp_path,
        "  - {id: user.bad, description: d, category: other, kind: line, pattern: '(a|aa)+$'}\n",
    )
    step = Strip(StripConfig(regex_timeout=0.05), rules)
    with pytest.raises(TimeoutError):
        step.apply(make_doc("a" * 60 + "b\n"))


def test_timeout_becomes_a_failed_record(make_doc: MakeDoc, tmp_path: Path) -> None:
    rules = user_rules(
        tmp_path,
        "  - {id: user.bad, description: d, category: other, kind: line, pattern: '(a|aa)+$'}\n",
    )
    outcome = Strip(StripConfig(regex_timeout=0.05), rules).guarded(make_doc("a" * 60 + "b\n"))
    assert isinstance(outcome, Failed) and outcome.reason == reasons.RULE_TIMEOUT


# The seed articles (tests/data/seeds): what strip is responsible for.


def stripped_seed(seed_dir: Path, name: str, make_doc: MakeDoc) -> tuple[str, Document]:
    text = (seed_dir / name).read_text(encoding="utf-8")
    return text, STRIP.apply(make_doc(text, id=name))


def seed_checks(kind: str) -> list[tuple[str, str]]:
    import json

    data = json.loads(
        (Path(__file__).parents[2] / "data/seeds/expected.json").read_text(encoding="utf-8")
    )
    return [(name, item) for name, spec in data["files"].items() for item in spec.get(kind, [])]


def seed_id(case: str) -> str:
    return case[:30]


@pytest.mark.parametrize(("name", "line"), seed_checks("remove"), ids=seed_id)
def test_seed_remove_lines_are_gone(
    name: str, line: str, seed_dir: Path, make_doc: MakeDoc
) -> None:
    _, doc = stripped_seed(seed_dir, name, make_doc)
    assert line not in [kept.strip() for kept in doc.text.splitlines()]


@pytest.mark.parametrize(
    ("name", "line"),
    [
        pytest.param(n, s, marks=pytest.mark.xfail(strict=True))
        if (n, s) in KNOWN_FAILURES
        else (n, s)
        for n, s in seed_checks("remove_desired")
    ],
    ids=seed_id,
)
def test_seed_desired_removals(name: str, line: str, seed_dir: Path, make_doc: MakeDoc) -> None:
    _, doc = stripped_seed(seed_dir, name, make_doc)
    assert line not in [kept.strip() for kept in doc.text.splitlines()]


@pytest.mark.parametrize(
    ("name", "needle"),
    [c for c in seed_checks("must_contain") if c[1] not in REPAIR_MUST_CONTAIN],
    ids=seed_id,
)
def test_seed_must_contain(name: str, needle: str, seed_dir: Path, make_doc: MakeDoc) -> None:
    _, doc = stripped_seed(seed_dir, name, make_doc)
    assert needle in doc.text


@pytest.mark.parametrize(
    ("name", "needle"),
    [c for c in seed_checks("must_not_contain") if c[1] not in REPAIR_MUST_NOT_CONTAIN],
    ids=seed_id,
)
def test_seed_must_not_contain(name: str, needle: str, seed_dir: Path, make_doc: MakeDoc) -> None:
    _, doc = stripped_seed(seed_dir, name, make_doc)
    assert needle not in doc.text


@pytest.mark.parametrize(("name", "needle"), seed_checks("exactly_once"), ids=seed_id)
def test_seed_exactly_once(name: str, needle: str, seed_dir: Path, make_doc: MakeDoc) -> None:
    _, doc = stripped_seed(seed_dir, name, make_doc)
    assert doc.text.count(needle) == 1


def test_clean_seed_article_is_unchanged(seed_dir: Path, make_doc: MakeDoc) -> None:
    text, doc = stripped_seed(seed_dir, "001_9a64b4751db7aac9.txt", make_doc)
    assert doc.text == text and doc.provenance == ()


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in (Path(__file__).parents[2] / "data/seeds/articles").glob("*.txt")),
)
def test_seed_events_replay(name: str, seed_dir: Path, make_doc: MakeDoc) -> None:
    text, doc = stripped_seed(seed_dir, name, make_doc)
    assert replay(text, doc.provenance) == doc.text


LINES = [
    "ADVERTISEMENT",
    "By Jane Doe",
    "29/01/2026",
    "Share this article",
    "Tags",
    "",
    "The council met on Tuesday to discuss the budget for next year.",
    "Residents said the water supply had been restored by the evening.",
    "By the end of the week, the roads were open again.",
    "What's Included?",
    "- Cancel anytime.",
]


@given(st.lists(st.sampled_from(LINES), max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_strip_replays_and_never_glues_lines(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    doc = STRIP.apply(Document(id="p", source="p", text=text))
    assert replay(text, doc.provenance) == doc.text
    assert set(doc.text.split(newline)) <= set(lines) | {""}


def test_lines_are_split_as_a_find_loop_splits_them() -> None:
    """_split_lines (one str.split) against the newline-by-newline loop it replaced: "\\r\\n" and
    "\\n" end a line, no line follows a final newline, and a lone "\\r" or other line breaks stay."""
    import random

    from curate.steps.strip.step import _Line, _split_lines

    def reference(text: str) -> tuple[list[_Line], list[str]]:
        lines, start = [], 0
        while start < len(text):
            newline = text.find("\n", start)
            end = len(text) if newline < 0 else newline + 1
            stop = end - (1 if newline >= 0 else 0)
            if stop > start and text[stop - 1] == "\r":
                stop -= 1
            lines.append(_Line(start, stop, end))
            start = end
        return lines, [text[line.start : line.stop].strip() for line in lines]

    rng = random.Random(3)
    for _ in range(20000):
        text = "".join(rng.choice("ab \r\n\t\u2028\x85") for _ in range(rng.randint(0, 12)))
        assert _split_lines(text) == reference(text), repr(text)
