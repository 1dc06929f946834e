"""Per-source learning: lines repeated across many documents of one source are removed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from curate import reasons
from curate.cli import main
from curate.config import CleanConfig
from curate.document import Document, Dropped, replay
from curate.reports.learned import learned_report
from curate.steps.learn import LEARN_RULE, LearnConfig, LearnRepeated, _has_letters, source_of
from curate.steps.strip import StripConfig

MakeDoc = Callable[..., Document]
TEMPLATE = ("Harbour Gazette, news from the quay since 1901", "© Harbour Gazette, all rights kept")
ARTICLES = [
    "The ferry to the islands will run twice a day from May, the port authority said on Monday.",
    "A new bakery opened on the quay, selling bread made with flour from the old mill upstream.",
    "Fishermen say the catch of sardines has doubled since the water temperature fell last winter.",
    "The town council voted to repaint the lighthouse in its original red and white stripes.",
    "Schoolchildren planted two hundred oak trees along the river path on Saturday morning.",
    "The harbour master retired after forty years and was given a model of his first tugboat.",
]


def site_pages(make_doc: MakeDoc, count: int = 10, source: str = "gazette.jsonl") -> list[Document]:
    return [
        make_doc(f"{TEMPLATE[0]}\n{ARTICLES[i % len(ARTICLES)]}\n{TEMPLATE[1]}", id=f"p{i}", source=source)
        for i in range(count)
    ]


def run(docs: list[Document], config: LearnConfig = LearnConfig()) -> tuple[list[Document | Dropped], LearnRepeated]:
    step = LearnRepeated(config)
    return list(step.run(docs)), step


def test_template_lines_of_a_source_are_removed(make_doc: MakeDoc) -> None:
    out, _ = run(site_pages(make_doc))
    assert [doc.text for doc in out] == [f"{ARTICLES[i % len(ARTICLES)]}\n" for i in range(10)]


def test_each_removal_is_an_event_that_replays(make_doc: MakeDoc) -> None:
    pages = site_pages(make_doc)
    out, _ = run(pages)
    doc = out[0]
    assert isinstance(doc, Document)
    events = [e for e in doc.provenance if e.step == "learn"]
    assert [(e.action, e.rule, e.detail["documents"]) for e in events] == [("drop_line", LEARN_RULE, 10)] * 2
    assert replay(pages[0].text, doc.provenance) == doc.text


def test_a_source_with_too_few_documents_is_left_alone(make_doc: MakeDoc) -> None:
    pages = site_pages(make_doc, count=9)
    out, step = run(pages)
    assert out == pages
    assert step.learned == {}


def test_lines_are_counted_per_source_not_across_sources(make_doc: MakeDoc) -> None:
    pages = [make_doc(f"{TEMPLATE[0]}\n{ARTICLES[i % 6]}", id=f"p{i}", source=f"file{i}.txt") for i in range(12)]
    out, _ = run(pages)
    assert out == pages


def test_output_keeps_input_order_across_interleaved_sources(make_doc: MakeDoc) -> None:
    a, b = site_pages(make_doc, source="a.jsonl"), site_pages(make_doc, source="b.jsonl")
    mixed = [doc for pair in zip(a, b, strict=True) for doc in pair]
    out, _ = run(mixed)
    assert [(d.source, d.id) for d in out] == [(d.source, d.id) for d in mixed]


def test_url_host_is_the_source_when_documents_carry_urls(make_doc: MakeDoc) -> None:
    doc = make_doc("x", url="https://www.example.org/news/1", source="crawl.jsonl")
    assert source_of(doc) == "example.org"
    assert source_of(make_doc("x", source="crawl.jsonl")) == "crawl.jsonl"


def test_a_line_in_too_small_a_share_of_a_big_source_stays(make_doc: MakeDoc) -> None:
    pages = [make_doc(f"Thank you.\n{ARTICLES[i % 6]} {i}", id=f"q{i}", source="big.jsonl") if i < 5
             else make_doc(f"{ARTICLES[i % 6]} {i}", id=f"q{i}", source="big.jsonl") for i in range(40)]
    out, _ = run(pages)
    assert out == pages


def test_zero_turns_learning_off(make_doc: MakeDoc) -> None:
    pages = site_pages(make_doc)
    out, _ = run(pages, LearnConfig(min_documents=0))
    assert out == pages


def test_a_page_of_nothing_but_template_is_dropped_as_empty(make_doc: MakeDoc) -> None:
    pages = site_pages(make_doc) + [make_doc(f"{TEMPLATE[0]}\n{TEMPLATE[1]}", id="bare", source="gazette.jsonl")]
    out, _ = run(pages)
    assert isinstance(out[-1], Dropped) and out[-1].reason == reasons.EMPTY


def test_learned_templates_are_reported_per_source(make_doc: MakeDoc) -> None:
    _, step = run(site_pages(make_doc))
    report = learned_report(step.learned, step.documents, 5)
    assert report["sources"]["gazette.jsonl"] == {
        "documents": 10,
        "lines": [{"text": text, "documents": 10} for text in sorted(TEMPLATE)],
    }


def test_learning_is_part_of_the_config_digest() -> None:
    on = CleanConfig()
    off = CleanConfig(strip=StripConfig(learn=LearnConfig(min_documents=0)))
    assert on.digest() != off.digest()


def test_clean_saves_learned_json_and_points_to_it_in_the_summary(tmp_path: Path) -> None:
    crawl = tmp_path / "gazette.jsonl"
    crawl.write_text("".join(json.dumps({"id": f"p{i}", "text": f"{TEMPLATE[0]}\n\n{article}\n\n{TEMPLATE[1]}"}) + "\n"
                             for i, article in enumerate(ARTICLES * 2)), encoding="utf-8")
    args = ["clean", str(crawl), "--store", str(tmp_path / "corpus"), "--reports", str(tmp_path / "reports"),
            "--workers", "1", "--learn-repeated", "5"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    folder = next((tmp_path / "reports").iterdir())
    learned = orjson.loads((folder / "learned.json").read_bytes())
    [(source, entry)] = learned["sources"].items()
    assert source.endswith("gazette.jsonl") and entry["documents"] == 12
    assert [line["text"] for line in entry["lines"]] == sorted(TEMPLATE)
    summary = orjson.loads((folder / "summary.json").read_bytes())
    assert summary["learned"] == {"file": "learned.json", "sources": 1, "lines": 2}


@pytest.mark.parametrize("text", ["", "ab", "abc", "  1 2 3 a b c", "é ü ß", "12345", "a1b2", "東京都", "—", "x" * 500])
@pytest.mark.parametrize("count", [0, 1, 3, 4])
def test_the_letter_test_stops_early_and_agrees_with_counting(text: str, count: int) -> None:
    assert _has_letters(text, count) == (sum(c.isalpha() for c in text) >= count)
