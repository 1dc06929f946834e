"""build_summary: contract counts per input and in total, rules fired, languages, run fields."""

from __future__ import annotations

from typing import Any

from curate import reasons
from curate.pipeline import Ledger
from curate.reports import InputInfo, build_summary, render_summary_table

A = "crawl/a.jsonl"
B = "crawl/b.html"
EMPTY = "crawl/empty.txt"


def _summary(ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]) -> dict[str, Any]:
    return build_summary(ledger=ledger, inputs=inputs, version="v0003", run=run)


def _balanced(counts: dict[str, Any]) -> bool:
    dropped = sum(counts["dropped"].values())
    failed = sum(counts["failed"].values())
    return bool(counts["read"] == counts["kept"] + dropped + failed)


def test_total_counts_equal_the_ledger_total(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    summary = _summary(ledger, inputs, run)
    assert summary["counts"] == {
        "read": 5,
        "kept": 2,
        "dropped": {reasons.NEAR_DUPLICATE: 1, reasons.TOO_SHORT: 1},
        "failed": {reasons.BAD_JSON: 1},
    }
    assert summary["counts"] == ledger.total.to_json()


def test_counts_balance_in_total_and_per_input(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    summary = _summary(ledger, inputs, run)
    assert _balanced(summary["counts"])
    assert all(_balanced(item["counts"]) for item in summary["inputs"])


def test_per_input_counts_equal_the_ledger(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    by_source = {item["source"]: item["counts"] for item in _summary(ledger, inputs, run)["inputs"]}
    assert by_source[A] == ledger.per_source[A].to_json()
    assert by_source[B] == ledger.per_source[B].to_json()


def test_input_without_documents_is_listed_with_zero_counts(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    item = _summary(ledger, inputs, run)["inputs"][2]
    assert (item["source"], item["sha256"], item["bytes"]) == (EMPTY, "e" * 64, 0)
    assert item["counts"] == {"read": 0, "kept": 0, "dropped": {}, "failed": {}}


def test_ledger_source_missing_from_inputs_is_listed_without_hash(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    sources = [item["source"] for item in _summary(ledger, inputs[1:], run)["inputs"]]
    assert sources == [B, EMPTY, A]
    item = _summary(ledger, inputs[1:], run)["inputs"][2]
    assert (item["sha256"], item["bytes"]) == (None, None)


def test_each_input_names_its_report(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    reports = [item["report"] for item in _summary(ledger, inputs, run)["inputs"]]
    assert all(name.startswith("files/") and name.endswith(".json") for name in reports)
    assert len(set(reports)) == 3


def test_top_rules_count_firings_and_chars_removed(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    rules = {rule["rule"]: rule for rule in _summary(ledger, inputs, run)["top_rules"]}
    assert rules["ads.placeholder"] == {
        "rule": "ads.placeholder",
        "step": "strip",
        "action": "drop_line",
        "count": 2,
        "chars": 28,
    }
    assert (rules["links.anchor"]["count"], rules["links.anchor"]["chars"]) == (1, 5)


def test_top_rules_are_most_frequent_first(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    counts = [rule["count"] for rule in _summary(ledger, inputs, run)["top_rules"]]
    assert counts == sorted(counts, reverse=True)
    assert _summary(ledger, inputs, run)["top_rules"][0]["rule"] == "langid.langdetect"


def test_languages_come_from_langid_events(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    assert _summary(ledger, inputs, run)["languages"] == {"en": 2, "de": 1}


def test_run_fields_are_included(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    summary = _summary(ledger, inputs, run)
    assert summary["created"] == run["created"]
    assert summary["config_digest"] == "c0ffee"
    assert summary["version"] == "v0003"


def test_computed_fields_win_over_run_fields(ledger: Ledger, inputs: list[InputInfo]) -> None:
    summary = _summary(ledger, inputs, {"counts": "bogus", "version": "v9"})
    assert summary["counts"] == ledger.total.to_json()
    assert summary["version"] == "v0003"


def test_contract_keys_exist_without_run_fields(ledger: Ledger, inputs: list[InputInfo]) -> None:
    summary = _summary(ledger, inputs, {})
    assert {
        "version",
        "parent",
        "created",
        "tool",
        "counts",
        "inputs",
        "top_rules",
        "languages",
    } <= summary.keys()


def test_table_has_a_row_per_input_and_a_total(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    lines = render_summary_table(_summary(ledger, inputs, run)).splitlines()
    assert lines[0].split() == ["source", "read", "kept", "dropped", "failed"]
    assert lines[1].split() == [A, "3", "1", "1", "1"]
    assert lines[3].split() == [EMPTY, "0", "0", "0", "0"]
    assert lines[4].split() == ["total", "5", "2", "2", "1"]


def test_table_lists_reasons_behind_the_totals(
    ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    text = render_summary_table(_summary(ledger, inputs, run))
    assert "dropped: near_duplicate 1, too_short 1\n" in text
    assert "failed: bad_json 1\n" in text


def test_table_escapes_control_characters_in_source_names(run: dict[str, Any]) -> None:
    hostile = "evil\x1b[31m.txt"
    summary = build_summary(
        ledger=Ledger(), inputs=[InputInfo(hostile, "0" * 64, 1)], version=None, run=run
    )
    text = render_summary_table(summary)
    assert "\x1b" not in text
    assert "evil\\x1b[31m.txt" in text
