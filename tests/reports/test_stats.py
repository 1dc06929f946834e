"""Audit statistics per source, their matplotlib charts, and the page that shows them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from curate import reasons
from curate.document import Document, Dropped, Event
from curate.pipeline import Ledger
from curate.reports import InputInfo, build_summary, render_index, write_reports
from curate.reports.charts import audit_charts
from curate.reports.stats import audit_stats
from curate.reports.why import find_history, render_history

A = "crawl/a.jsonl"
HOSTILE = "<script>alert(1)</script>$x^2$.html"


def _by_source(ledger: Ledger, lengths: dict[str, list[int]] | None = None) -> dict[str, Any]:
    return {s.source: s for s in audit_stats(ledger, lengths).sources}


def test_duplicate_rate_counts_dedup_drops_over_documents_read(ledger: Ledger) -> None:
    assert _by_source(ledger)[A].duplicate_rate == pytest.approx(1 / 3)


def test_furniture_share_is_removed_furniture_over_the_text_before_cleaning(ledger: Ledger) -> None:
    # a1 is kept with 10 characters; strip removed a 14-character ad line from it
    assert _by_source(ledger, {A: [10]})[A].furniture_share == pytest.approx(14 / 24)


def test_furniture_share_is_unknown_without_lengths(ledger: Ledger) -> None:
    assert _by_source(ledger)[A].furniture_share is None


def test_broken_rate_counts_documents_ftfy_repaired() -> None:
    ledger = Ledger()
    fixed = Event("repair", "fix", rule="ftfy.fix_text", span=(0, 2), text="Ã©", replacement="é")
    for doc in (Document("1", A, "café", provenance=(fixed,)), Document("2", A, "tea")):
        ledger.read(doc)
        ledger.kept(doc)
    assert _by_source(ledger)[A].broken_rate == 0.5
    assert _by_source(ledger)[A].top_rules == (("ftfy.fix_text", 1),)


def test_languages_and_top_rules_per_source(ledger: Ledger) -> None:
    stats = _by_source(ledger)["crawl/b.html"]
    assert stats.languages == (("de", 1),)
    assert stats.top_rules == (("ads.placeholder", 1), ("links.anchor", 1))


def test_charts_are_self_contained_and_deterministic(ledger: Ledger) -> None:
    stats = audit_stats(ledger, {A: [10], "crawl/b.html": [7]})
    charts = audit_charts(stats)
    assert set(charts) == {"outcomes", "rates", "furniture", "languages", "lengths"}
    for svg in charts.values():
        assert svg.startswith('<svg class="plot"')
        for marker in ("<script", "<img", "src=", "url(", "@import", "<?xml"):
            assert marker not in svg
    assert audit_charts(stats) == charts


def test_hostile_source_names_are_escaped_in_charts_and_table() -> None:
    ledger = Ledger()
    doc = Document("1", HOSTILE, "some text")
    ledger.read(doc)
    ledger.kept(doc)
    summary = build_summary(ledger=ledger, inputs=[], version=None, run={})
    page = render_index(summary, audit_stats(ledger, {HOSTILE: [9]}))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;$x^2$.html" in page


def test_page_with_stats_has_a_table_row_per_source_and_total(ledger: Ledger, inputs: list[InputInfo],
                                                               run: dict[str, Any]) -> None:
    summary = build_summary(ledger=ledger, inputs=inputs, version="v0003", run=run)
    page = render_index(summary, audit_stats(ledger, {A: [10]}))
    assert '<td class="source">crawl/a.jsonl</td>' in page
    assert '<td class="source">total</td>' in page
    assert "58.3%" in page  # a.jsonl's furniture share


def test_why_finds_a_document_in_written_reports(ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any],
                                                 tmp_path: Path) -> None:
    write_reports(tmp_path / "v0003", ledger=ledger, inputs=inputs, version="v0003", run=run)
    sightings = find_history("a2", tmp_path)
    assert [(s.run, s.source, s.entry["reason"]) for s in sightings] == [("v0003", A, reasons.NEAR_DUPLICATE)]
    text = render_history("a2", sightings)
    assert text.splitlines()[0] == (f"v0003  {A}  a2: dropped: near_duplicate "
                                    "(duplicate_of=a1, similarity=0.91)")


def test_dropped_documents_are_kept_out_of_lengths() -> None:
    ledger = Ledger()
    doc = Document("1", A, "x")
    ledger.read(doc)
    ledger.dropped(Dropped(doc, reasons.TOO_SHORT, {"words": 1}))
    stats = audit_stats(ledger, {})
    assert stats.total.lengths == () and stats.total.median_length is None
