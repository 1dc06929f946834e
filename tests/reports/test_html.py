"""index.html: self-contained, shows the version and counts, escapes hostile input."""

from __future__ import annotations

from typing import Any

from curate.pipeline import Ledger
from curate.reports import InputInfo, build_summary, render_index

HOSTILE = "<script>alert(1)</script>.html"


def _page(ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]) -> str:
    return render_index(build_summary(ledger=ledger, inputs=inputs, version="v0003", run=run))


def test_title_names_the_version(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    assert "<title>curate report v0003</title>" in _page(ledger, inputs, run)


def test_hostile_source_name_is_escaped(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    page = _page(ledger, [*inputs, InputInfo(HOSTILE, "0" * 64, 1)], run)
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.html" in page


def test_page_makes_no_external_requests(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    page = _page(ledger, inputs, run)
    for marker in ("<script", "<link", "<img", "src=", "@import", "url("):
        assert marker not in page


def test_outcome_chart_has_a_bar_per_reason(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    page = _page(ledger, inputs, run)
    assert page.count('<rect class="kept"') == 1
    assert page.count('<rect class="dropped"') == 2
    assert page.count('<rect class="failed"') == 1
    assert ">dropped: near_duplicate<" in page


def test_rule_chart_has_a_bar_per_rule(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    page = _page(ledger, inputs, run)
    assert page.count('<rect class="rule"') == 3
    assert ">ads.placeholder<" in page


def test_source_table_links_each_report(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    summary = build_summary(ledger=ledger, inputs=inputs, version="v0003", run=run)
    page = render_index(summary)
    for item in summary["inputs"]:
        assert f'<a href="{item["report"]}">' in page


def test_languages_table_lists_each_language(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    page = _page(ledger, inputs, run)
    assert '<tr><td>en</td><td class="n">2</td></tr>' in page


def test_empty_run_renders(run: dict[str, Any]) -> None:
    page = render_index(build_summary(ledger=Ledger(), inputs=[], version=None, run=run))
    assert "<title>curate report</title>" in page
    assert "No documents were read." in page
