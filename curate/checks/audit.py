"""`curate audit`: what a crawl would become, without committing anything.

The pipeline runs as `curate clean --stdout` does (curate.runner.clean_documents, every outcome in
a Ledger, dedup within the crawl only); the kept documents are counted, measured and discarded.
The result is the same page a committed version gets (index.html with the per-source audit) and
a terminal summary.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from curate.config import CleanConfig
from curate.inputs import InputFile
from curate.pipeline import Ledger
from curate.reports import build_summary, render_index, write_atomic
from curate.reports.html import percent
from curate.reports.run import input_infos
from curate.reports.staging import report_errors
from curate.reports.stats import AuditStats, SourceStats, audit_stats
from curate.rules.spec import RuleSpec
from curate.runner import clean_documents
from curate.version import __version__

# Width of the source column of the terminal summary; longer names keep their tail.
SOURCE_WIDTH: Final = 40


@dataclass(frozen=True)
class Audit:
    """An audited crawl: the run's ledger, its summary (as summary.json would hold it) and the
    per-source statistics."""

    ledger: Ledger
    summary: dict[str, Any]
    stats: AuditStats


def run_audit(files: Sequence[InputFile], config: CleanConfig, rules: RuleSpec, *,
              workers: int | None = None) -> Audit:
    """Clean `files` in memory and measure the outcome; nothing is written."""
    started = time.monotonic()
    ledger = Ledger()
    lengths: dict[str, list[int]] = {}
    for doc in clean_documents(files, config, rules, ledger, workers=workers):
        lengths.setdefault(doc.source, []).append(len(doc.text))
    run = {"tool": f"curate {__version__}", "audit": True, "config_digest": config.digest(),
           "rules_digest": rules.load().digest(), "elapsed_seconds": round(time.monotonic() - started, 3)}
    summary = build_summary(ledger=ledger, inputs=input_infos(files), version=None, run=run)
    return Audit(ledger=ledger, summary=summary, stats=audit_stats(ledger, lengths))


def write_audit_page(audit: Audit, path: Path) -> Path:
    """The self-contained HTML page of the audit, written atomically to `path`."""
    with report_errors(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, render_index(audit.summary, audit.stats).encode("utf-8"))
    return path


def render_audit_table(stats: AuditStats) -> str:
    """The terminal summary: one line per source and the total."""
    header = ("source", "docs", "kept", "furniture", "dupes", "broken", "median", "top rule")
    rows = [_row(item) for item in (*stats.sources, stats.total)]
    width = max(len(header[0]), *(len(row[0]) for row in rows))
    lines = [_format(header, width)] + [_format(row, width) for row in rows]
    if stats.total.languages:
        lines.append("languages: " + ", ".join(f"{lang} {n}" for lang, n in stats.total.languages))
    return "\n".join(lines) + "\n"


def _row(item: SourceStats) -> tuple[str, ...]:
    median = item.median_length
    return (_printable(item.source), str(item.read), str(item.kept), percent(item.furniture_share),
            percent(item.duplicate_rate), percent(item.broken_rate), "-" if median is None else str(median),
            item.top_rules[0][0] if item.top_rules else "-")


def _format(row: Sequence[str], width: int) -> str:
    return "  ".join([row[0].ljust(width), *(cell.rjust(9) for cell in row[1:-1]), row[-1]]).rstrip()


def _printable(source: str) -> str:
    """Control characters escaped (a hostile name could carry terminal escapes), long names cut."""
    text = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in source)
    return text if len(text) <= SOURCE_WIDTH else "..." + text[-(SOURCE_WIDTH - 3):]
