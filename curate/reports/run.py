"""The reports of one run: staged beside the reports folder and renamed into place once whole
(reports/staging.py), for a version (`staged_reports`, `publish`) or a `--stdout` run
(`write_stream_reports`), and the run's fields that summary.json and the manifest share."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from curate.config import CleanConfig
from curate.errors import ReportError
from curate.inputs import InputFile, file_digest
from curate.pipeline import Ledger
from curate.reports import InputInfo, StagedReports, audit_stats, write_file_reports, write_summary
from curate.reports.learned import learned_entry, write_learned
from curate.rules.model import RuleSet
from curate.rules.spec import RuleSpec
from curate.timing import Timings
from curate.version import __version__

# The report folder of a `--stdout` run, which has no version.
STREAM_REPORTS: Final = "stdout"


def input_infos(files: Sequence[InputFile], follow_links: bool = False) -> list[InputInfo]:
    """The manifest's entry of every input; a refused link (outside its folder) is not even hashed."""
    infos = []
    for file in files:
        sha256, size = ("", 0) if file.refused and not follow_links else file_digest(file.path)
        infos.append(InputInfo(source=file.source, sha256=sha256, bytes=size))
    return infos


def staged_reports(reports: Path | None, version: str, ledger: Ledger, infos: Sequence[InputInfo],
                    run: dict[str, Any], learned: dict[str, Any] | None, timings: Timings,
                    lengths: Callable[[], dict[str, list[int]]]) -> StagedReports | None:
    """The version's reports, complete in their staging folder (None without `reports`); completes `run`
    with `learned` and `timing`. `timing.main.reports` is the time of learned.json, the per-input
    reports and the page's statistics: summary.json and index.html, written last, cannot hold their own."""
    if reports is None:
        if learned is not None:
            run["learned"] = learned_entry(learned)
        run["timing"] = timings.to_json()
        return None
    try:
        staged = StagedReports(Path(reports), version)
        with staged:
            with timings.timed("reports"):
                if learned is not None:
                    run["learned"] = write_learned(staged.folder, learned)
                write_file_reports(staged.folder, ledger, infos)
                stats = audit_stats(ledger, lengths())
            run["timing"] = timings.to_json()
            write_summary(staged.folder, ledger=ledger, inputs=infos, version=version, run=run, stats=stats)
    except ReportError as exc:
        raise ReportError(f"{exc}; nothing was committed, the store is as it was") from exc
    return staged


def publish(staged: StagedReports, version: str) -> Path:
    """Move the committed version's reports into place."""
    try:
        return staged.publish()
    except ReportError as exc:
        raise ReportError(f"{version} is committed, but its reports are not in place: {exc}. Its reports are "
                          f"in {staged.folder}; `curate report {version}` writes them again") from exc


def run_fields(config: CleanConfig, ruleset: RuleSet, *, store: Path | None, parent: str | None,
                started: float) -> dict[str, Any]:
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "tool": f"curate {__version__}",
        "config_digest": config.digest(),
        "rules_digest": ruleset.digest(),
        "rules": len(ruleset),
        "store": str(store) if store is not None else None,
        "parent": parent,
        "elapsed_seconds": round(time.monotonic() - started, 3),
    }


def write_stream_reports(files: Sequence[InputFile], config: CleanConfig, rules: RuleSpec, ledger: Ledger,
                         reports: Path, started: float, timings: Timings | None = None) -> Path:
    """Reports for a `--stdout` run, which commits no version: staged, then renamed to <reports>/stdout/
    (with the run's `timing` when `timings` recorded it; its `reports` as in `staged_reports`)."""
    run = run_fields(config, rules.load(), store=None, parent=None, started=started)
    with StagedReports(Path(reports), STREAM_REPORTS) as staged:
        with timings.timed("reports") if timings is not None else contextlib.nullcontext():
            infos = input_infos(files, config.read.follow_links)
            write_file_reports(staged.folder, ledger, infos)
            stats = audit_stats(ledger, None)
        if timings is not None:
            run["timing"] = timings.to_json()
        write_summary(staged.folder, ledger=ledger, inputs=infos, version=None, run=run, stats=stats)
    return staged.publish()
