"""The reports of a run (DESIGN.md "Reports" contract): summary.json, files/*.json, index.html.

`write_reports` turns a run's Ledger and the list of its inputs into a report folder. JSON is
written with sorted keys and every file atomically, so two writes of the same ledger give the same
bytes and a reader never sees half a file; whole folders are staged and renamed (reports/staging.py).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any, Final

import orjson

from curate.pipeline import Ledger
from curate.reports.html import render_index
from curate.reports.provenance import InputInfo, file_reports, report_name
from curate.reports.staging import StagedReports, report_errors
from curate.reports.stats import AuditStats, audit_stats, version_lengths
from curate.reports.summary import build_summary, render_summary_table

__all__ = [
    "AuditStats",
    "InputInfo",
    "StagedReports",
    "audit_stats",
    "build_summary",
    "render_index",
    "render_summary_table",
    "report_name",
    "write_file_reports",
    "write_reports",
    "write_summary",
]

_JSON_OPTIONS: Final = (
    orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE
)


def write_reports(
    directory: Path,
    *,
    ledger: Ledger,
    inputs: Sequence[InputInfo],
    version: str | None,
    run: Mapping[str, Any],
    lengths: Mapping[str, list[int]] | None = None,
) -> Path:
    """Write summary.json, one files/<slug>-<hash>.json per input and index.html into `directory`.

    Every input in `inputs` gets a report, even with no documents; so does every ledger source
    missing from `inputs` (with null sha256/bytes). `run` adds its fields to summary.json.
    `lengths`: the characters of the version's new documents by source, for the page's audit
    (default: read from the version in `run["store"]`). Returns `directory`.
    """
    write_file_reports(directory, ledger, inputs)
    if lengths is None and run.get("store") and version:
        lengths = version_lengths(Path(run["store"]), version)
    write_summary(directory, ledger=ledger, inputs=inputs, version=version, run=run,
                  stats=audit_stats(ledger, lengths))
    return directory


def write_file_reports(directory: Path, ledger: Ledger, inputs: Sequence[InputInfo]) -> None:
    """The per-input provenance reports, files/<slug>-<hash>.json (the bulk of a report folder)."""
    with report_errors(directory / "files"):
        (directory / "files").mkdir(parents=True, exist_ok=True)
    for name, report in file_reports(ledger, inputs).items():
        write_json(directory / name, report)


def write_summary(directory: Path, *, ledger: Ledger, inputs: Sequence[InputInfo], version: str | None,
                  run: Mapping[str, Any], stats: AuditStats) -> dict[str, Any]:
    """index.html and summary.json, both from one summary (written once); returns it."""
    summary = build_summary(ledger=ledger, inputs=inputs, version=version, run=run)
    write_atomic(directory / "index.html", render_index(summary, stats).encode("utf-8"))
    write_json(directory / "summary.json", summary)
    return summary


def write_json(path: Path, data: Any) -> None:
    """Indented JSON with sorted keys, written atomically."""
    write_atomic(path, orjson.dumps(data, default=_json_default, option=_JSON_OPTIONS))


def _json_default(value: Any) -> Any:
    """What orjson cannot serialise itself: read-only mappings (event detail), sets, paths."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, PurePath):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to a report: {value!r}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`; an OSError (disk full,
    file too large, a file in the way) becomes a ReportError naming `path`.

    No fsync: reports can be regenerated from the store (`curate report`), and a large crawl has
    thousands of them.
    """
    with report_errors(path):
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:32]}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
