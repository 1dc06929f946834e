"""The accounting identity read = kept + dropped + failed holds for any mix of good and bad inputs,
per input file and in total, in summary.json and in the manifest (issue 10 "Accounting").

Each example is a real `clean_to_store` run (one worker) over a generated folder: JSONL files mixing
good records, lines that are not JSON, JSON that is not an object, records with empty, missing or
non-string text, deep nesting and 5000-digit numbers; text and HTML pages, some empty; and files of
random binary bytes. Beyond the identity: every input file is accounted for, a JSONL file reads one
record per non-blank line, a page file reads one, the totals are the sums of the files, the kept
count is exactly the number of records stored in the version, and each failure names its file and
record.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curate.config import CleanConfig
from curate.inputs import discover
from curate.rules.spec import RuleSpec
from curate.runner import clean_to_store
from curate.store import Store

WORDS = ["harbour", "ferry", "council", "budget", "winter", "service", "evening", "station", "library",
         "museum", "river", "bridge", "market", "school", "tram", "festival", "garden", "timetable"]
prose = st.lists(st.sampled_from(WORDS), min_size=0, max_size=60).map(lambda w: " ".join(w).capitalize() + ".")
good_line = prose.map(lambda text: json.dumps({"text": text}))
bad_lines = st.sampled_from([
    "{not json", "[1, 2, 3]", '"a string"', "null", '{"text": ""}', '{"text": "   "}', '{"title": "no text"}',
    '{"text": 42}', '{"text": null}', '{"html": ""}', '{"text": "x"}', "{" * 5000, '{"n": ' + "9" * 5000 + "}",
    '{"text": "NaN follows", "score": NaN}', '\ufeff{"text": "a BOM inside a line"}', "   ",
])
jsonl_file = st.lists(st.one_of(good_line, bad_lines), min_size=0, max_size=8)
page_file = st.one_of(prose, st.just(""), prose.map(lambda t: f"<html><body><article><p>{t}</p></article></body></html>"))
binary_file = st.binary(min_size=1, max_size=300).map(lambda b: b"\x00\x01" + b)
inputs = st.lists(st.one_of(
    jsonl_file.map(lambda lines: ("jsonl", "\n".join(lines).encode("utf-8"))),
    page_file.map(lambda text: ("txt", text.encode("utf-8"))),
    page_file.map(lambda text: ("html", text.encode("utf-8"))),
    binary_file.map(lambda data: ("txt", data)),
    binary_file.map(lambda data: ("jsonl", data)),
    binary_file.map(lambda data: ("html", data)),
), min_size=1, max_size=6)


def _balanced(counts: dict[str, Any]) -> bool:
    return bool(counts["read"] == counts["kept"] + sum(counts["dropped"].values()) + sum(counts["failed"].values()))


def _expected_reads(kind: str, data: bytes) -> int | None:
    """Records a file must count as read, where that is certain: one per page file; one per non-blank
    line of a JSONL file that is text (binary JSONL is one failure, or as many lines as it splits in)."""
    if kind != "jsonl":
        return 1
    if b"\x00" in data:
        return None
    return sum(1 for line in data.split(b"\n") if line.strip())


@settings(max_examples=6, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=inputs)
def test_every_input_is_accounted_for(files: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        crawl = root / "crawl"
        crawl.mkdir()
        expected = {}
        for number, (kind, data) in enumerate(files):
            (crawl / f"f{number:02d}.{kind}").write_bytes(data)
            expected[f"crawl/f{number:02d}.{kind}"] = _expected_reads(kind, data)
        found = discover([crawl])
        result = clean_to_store(found, CleanConfig(), RuleSpec(), store=root / "corpus", reports=root / "reports",
                                workers=1, time_limit=None)  # in-process: the accounting is the same
        summary = orjson.loads((root / "reports" / result.version / "summary.json").read_bytes())  # type: ignore[operator]
        manifest = Store(root / "corpus").manifest(str(result.version))
        reports = {Path(entry["source"]).name: orjson.loads((root / "reports" / str(result.version) /
                                                             entry["report"]).read_bytes())
                   for entry in summary["inputs"]}

    by_source = {Path(entry["source"]).name: entry["counts"] for entry in summary["inputs"]}
    in_manifest = {Path(entry["path"]).name: entry["counts"] for entry in manifest["inputs"]}
    assert set(by_source) == set(in_manifest) == {Path(name).name for name in expected}
    assert by_source == in_manifest
    for name, want in expected.items():
        counts = by_source[Path(name).name]
        assert _balanced(counts), (name, counts)
        if want is not None:
            assert counts["read"] == want, (name, counts)
    total = summary["counts"]
    assert _balanced(total) and total == manifest["counts"]
    for key in ("read", "kept"):
        assert total[key] == sum(c[key] for c in by_source.values())
    for bucket in ("dropped", "failed"):
        assert sum(total[bucket].values()) == sum(sum(c[bucket].values()) for c in by_source.values())
    assert total["kept"] == manifest["documents"]  # kept means stored, one for one
    assert result.ledger.failures == sum(total["failed"].values())
    for name, report in reports.items():  # each failure names its file, its record and a reason
        failures = [entry for entry in _entries(report) if entry.get("outcome") == "failed"]
        assert len(failures) == sum(by_source[name]["failed"].values())
        for entry in failures:
            assert entry["reason"] and name in entry["message"], entry
            if name.endswith(".jsonl") and entry["reason"] == "bad_json":
                assert entry["record"] is not None, entry


def _entries(report: Any) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = report["documents"]
    return documents
