"""write_reports: the report folder on disk, complete and deterministic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from curate import reasons
from curate.pipeline import Ledger
from curate.reports import InputInfo, report_name, write_reports

A = "crawl/a.jsonl"


def _write(directory: Path, ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]) -> Path:
    return write_reports(directory, ledger=ledger, inputs=inputs, version="v0003", run=run)


def _load(path: Path) -> Any:
    return orjson.loads(path.read_bytes())


def _all_files(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()
    }


def test_writes_summary_index_and_one_report_per_input(
    tmp_path: Path, ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    out = _write(tmp_path / "v0003", ledger, inputs, run)
    expected = {"summary.json", "index.html", *(report_name(info.source) for info in inputs)}
    assert set(_all_files(out)) == expected


def test_summary_on_disk_balances(
    tmp_path: Path, ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    summary = _load(_write(tmp_path, ledger, inputs, run) / "summary.json")
    counts = summary["counts"]
    assert counts == ledger.total.to_json()
    assert counts["read"] == counts["kept"] + sum(counts["dropped"].values()) + sum(
        counts["failed"].values()
    )


def test_file_report_lists_outcomes_and_events(
    tmp_path: Path, ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    report = _load(_write(tmp_path, ledger, inputs, run) / report_name(A))
    kept, dropped, failed = report["documents"]
    assert (kept["outcome"], kept["output_id"]) == ("kept", "a1")
    assert [event["rule"] for event in kept["events"]] == ["ads.placeholder", "langid.langdetect"]
    assert (dropped["reason"], dropped["detail"]) == (
        reasons.NEAR_DUPLICATE,
        {"duplicate_of": "a1", "similarity": 0.91},
    )
    assert (failed["reason"], failed["record"], failed["message"]) == (
        reasons.BAD_JSON,
        "3",
        "line 3 is not JSON",
    )


def test_every_summary_report_link_exists(
    tmp_path: Path, ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    out = _write(tmp_path, ledger, inputs, run)
    for item in _load(out / "summary.json")["inputs"]:
        assert (out / item["report"]).is_file()


def test_two_writes_of_one_ledger_are_identical(
    tmp_path: Path, ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    first = _all_files(_write(tmp_path / "one", ledger, inputs, run))
    second = _all_files(_write(tmp_path / "two", ledger, inputs, run))
    assert first == second


def test_run_fields_change_only_the_summary_and_page(
    tmp_path: Path, ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    first = _all_files(_write(tmp_path / "one", ledger, inputs, run))
    later = {**run, "created": "2025-01-01T00:00:00Z", "elapsed_seconds": 9.0}
    second = _all_files(_write(tmp_path / "two", ledger, inputs, later))
    changed = {name for name in first if first[name] != second[name]}
    assert changed == {"summary.json", "index.html"}
    assert _without(first["summary.json"], run) == _without(second["summary.json"], run)


def _without(data: bytes, run: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in orjson.loads(data).items() if key not in run}


def test_json_is_indented_with_sorted_keys(
    tmp_path: Path, ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    text = (_write(tmp_path, ledger, inputs, run) / "summary.json").read_text(encoding="utf-8")
    assert text.startswith('{\n  "config_digest"')
    assert text.endswith("}\n")


def test_rewrite_leaves_no_temporary_files(
    tmp_path: Path, ledger: Ledger, inputs: list[InputInfo], run: dict[str, Any]
) -> None:
    _write(tmp_path, ledger, inputs, run)
    _write(tmp_path, ledger, inputs, run)
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_hostile_source_report_stays_inside_files(tmp_path: Path, run: dict[str, Any]) -> None:
    hostile = "../../../etc/passwd"
    _write(tmp_path / "out", Ledger(), [InputInfo(hostile, "0" * 64, 1)], run)
    (written,) = (tmp_path / "out" / "files").iterdir()
    assert written.name.endswith(".json")
    assert not (tmp_path / "etc").exists()
