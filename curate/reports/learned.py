"""`learned.json`: the template lines per-source learning removed, saved with the version's reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from curate.reports import write_json
from curate.reports.staging import report_errors

if TYPE_CHECKING:
    from curate.steps.strip.learn import LearnedLine

LEARNED_FILE: Final = "learned.json"


def learned_report(learned: Mapping[str, Sequence[LearnedLine]], documents: Mapping[str, int],
                   min_documents: int) -> dict[str, Any]:
    """The report: per source (sorted), its document count and its learned lines, most frequent first."""
    return {
        "min_documents": min_documents,
        "sources": {
            source: {
                "documents": int(documents.get(source, 0)),
                "lines": [{"text": line.text, "documents": line.documents} for line in lines],
            }
            for source, lines in sorted(learned.items())
        },
    }


def write_learned(directory: Path, report: Mapping[str, Any]) -> dict[str, Any]:
    """Write `learned.json` into `directory`; returns the summary entry that points to it."""
    with report_errors(directory):
        directory.mkdir(parents=True, exist_ok=True)
    write_json(directory / LEARNED_FILE, report)
    return learned_entry(report)


def learned_entry(report: Mapping[str, Any]) -> dict[str, Any]:
    """The summary's `learned`: the file, how many sources and lines it lists."""
    sources = report["sources"]
    return {
        "file": LEARNED_FILE,
        "sources": len(sources),
        "lines": sum(len(entry["lines"]) for entry in sources.values()),
    }
