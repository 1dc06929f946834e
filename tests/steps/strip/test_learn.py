"""Per-source learning: lines repeated across many documents of one source are removed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from curate.cli import main
from curate.config import CleanConfig
from curate.document import Document, Dropped, Event, replay
from curate.reports.learned import learned_report
from curate.steps.strip import StripConfig
from curate.steps.strip.learn import LEARN_RULE, LearnConfig, LearnRepeated, _has_letters, source_of
from curate.store import Store

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


def article(i: int) -> str:
    """The i-th distinct article of the site (copies of one article count once: see the copy tests)."""
    return ARTICLES[i % len(ARTICLES)] + (f" Update {i // len(ARTICLES)}." if i >= len(ARTICLES) else "")


def site_pages(make_doc: MakeDoc, count: int = 10, source: str = "gazette.jsonl") -> list[Document]:
    return [
        make_doc(f"{TEMPLATE[0]}\n{article(i)}\n{TEMPLATE[1]}", id=f"p{i}", source=source)
        for i in range(count)
    ]


def run(docs: list[Document], config: LearnConfig = LearnConfig()) -> tuple[list[Document | Dropped], LearnRepeated]:
    step = LearnRepeated(config)
    return list(step.run(docs)), step


def test_template_lines_of_a_source_are_removed(make_doc: MakeDoc) -> None:
    out, _ = run(site_pages(make_doc))
    assert [doc.text for doc in out] == [f"{article(i)}\n" for i in range(10)]


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


def test_a_page_learning_would_empty_is_kept_with_an_event(make_doc: MakeDoc) -> None:
    bare = make_doc(f"{TEMPLATE[0]}\n{TEMPLATE[1]}", id="bare", source="gazette.jsonl")
    out, _ = run([*site_pages(make_doc), bare])
    assert out[-1] == bare.tagged(Event(step="learn", action="keep_doc", rule=LEARN_RULE,
                                        detail={"lines": 2, "why": "would_empty"}))
    assert all(isinstance(doc, Document) and doc.text == f"{article(i)}\n" for i, doc in enumerate(out[:-1]))


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
    crawl.write_text("".join(json.dumps({"id": f"p{i}", "text": f"{TEMPLATE[0]}\n\n{body}\n\n{TEMPLATE[1]}"}) + "\n"
                             for i, body in enumerate(map(article, range(12)))), encoding="utf-8")
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


# Faults a real crawl brings (issue 25): copies of one article must not look like template.
PROSE = [line for line in (Path(__file__).parents[2] / "data" / "clean_prose" / "prose.txt").read_text(
    encoding="utf-8").splitlines() if len(line) > 80]


def pair(i: int) -> int:
    """The second paragraph of article i: the next one, then (past the prose's end) one further on."""
    return (i + 1 + 2 * (i // len(PROSE))) % len(PROSE)


def host_crawl(path: Path, copies: int, distinct: int = 20) -> Path:
    """One host: `distinct` articles of two prose paragraphs each, and `copies` identical copies of one
    more article whose URLs differ by a tracking parameter; every page carries the site's template."""
    def page(n: int, body: str, url: str) -> str:
        text = f"{TEMPLATE[0]}\n\n{body}\n\n{TEMPLATE[1]}"
        return json.dumps({"id": f"page-{n}", "url": url, "text": text}) + "\n"

    bodies = [f"{PROSE[i % len(PROSE)]}\n\n{PROSE[pair(i)]}" for i in range(distinct)]
    repeated = f"{PROSE[5]} {PROSE[9]}\n\n{PROSE[12]}"
    lines = [page(i, body, f"https://gazette.example/a/{i}") for i, body in enumerate(bodies)]
    lines += [page(distinct + k, repeated, f"https://gazette.example/story?utm_source=s{k}") for k in range(copies)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def clean_crawl(tmp_path: Path, crawl: Path) -> tuple[list[dict[str, object]], dict[str, object]]:
    store = tmp_path / "corpus"
    args = ["clean", str(crawl), "--store", str(store), "--reports", str(tmp_path / "reports"), "--workers", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    records = list(Store(store).iter_records("v0001"))
    counts = Store(store).manifest("v0001")["counts"]
    return records, counts


@pytest.mark.parametrize("copies", [5, 3000])
def test_fault_learning_keeps_one_copy_of_a_repeated_article(tmp_path: Path, copies: int) -> None:
    crawl = host_crawl(tmp_path / "host.jsonl", copies)
    records, counts = clean_crawl(tmp_path, crawl)
    texts = [str(r["text"]) for r in records]
    for i in range(20):  # every distinct article is kept whole
        assert sum(PROSE[i % len(PROSE)] in t and PROSE[pair(i)] in t for t in texts) == 1
    assert sum(PROSE[9] in t and PROSE[12] in t for t in texts) == 1  # exactly one copy of the repeated one
    assert counts == {"read": 20 + copies, "kept": 21, "dropped": {"exact_duplicate": copies - 1}, "failed": {}}
    assert not any(TEMPLATE[0] in t for t in texts)  # and the template is still learned and removed


def test_fault_near_copies_of_an_article_keep_their_body(make_doc: MakeDoc) -> None:
    """Reprints of one article, each with other furniture (a related link), on a host of 30 pages: the
    article's lines are held by 6 pages, yet they are one copy group, so no page loses the article."""
    body = f"{PROSE[3]}\n{PROSE[4]}"
    reprints = [make_doc(f"{TEMPLATE[0]}\n{body}\nRelated: story number {k}", id=f"r{k}", source="s")
                for k in range(6)]
    pages = [*site_pages(make_doc, count=24, source="s"), *reprints]
    out, _ = run(pages)
    kept = out[24:]
    assert all(isinstance(doc, Document) and body in doc.text and TEMPLATE[0] not in doc.text for doc in kept)


def test_copies_count_once_toward_a_sources_size(make_doc: MakeDoc) -> None:
    """Nine distinct pages and many copies of one are still a source too small to learn from."""
    pages = site_pages(make_doc, count=9) + [site_pages(make_doc, count=1)[0]] * 30
    out, step = run(pages)
    assert out == pages
    assert step.learned == {} and len(step.copies["gazette.jsonl"]) == 9
