"""`curate why DOC_ID`: a document's history, read back from the provenance reports.

Every run writes reports/<version>/files/*.json (DESIGN.md "Reports"); a document appears in the
report of its input file, in each version whose run read it, with its events and outcome.
`find_history` collects those entries, `render_history` prints them as text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import orjson

# Removed or inserted text longer than this is cut in the printed history (the report has it all).
TEXT_SHOWN: Final = 60


@dataclass(frozen=True)
class Sighting:
    """One appearance of the document: the report folder (a version, or "stdout"), its input
    file's source and the report's entry (id, outcome, reason, detail, events)."""

    run: str
    source: str
    report: Path
    entry: Mapping[str, Any]


def report_runs(reports: Path, version: str | None = None) -> list[Path]:
    """The report folders to search: one version's, or every folder holding a summary.json,
    versions in order."""
    if version is not None:
        return [reports / version] if (reports / version / "files").is_dir() else []
    if not reports.is_dir():
        return []
    # A dot folder is a staging folder (reports/staging.py): never a run's reports.
    runs = [p for p in reports.iterdir() if not p.name.startswith(".") and (p / "files").is_dir()]
    return sorted(runs, key=lambda p: (not p.name.startswith("v"), p.name))


def find_history(doc_id: str, reports: Path, version: str | None = None) -> list[Sighting]:
    """Every entry for `doc_id` (or a document kept under that output id) in the reports."""
    needle = orjson.dumps(doc_id)  # a cheap byte test skips files that cannot mention the id
    found: list[Sighting] = []
    for run in report_runs(reports, version):
        for path in sorted((run / "files").glob("*.json")):
            data = path.read_bytes()
            if needle not in data:
                continue
            report = orjson.loads(data)
            found.extend(Sighting(run.name, str(report.get("source")), path, entry)
                         for entry in _entries(report, doc_id))
    return found


def _entries(report: Mapping[str, Any], doc_id: str) -> Iterator[Mapping[str, Any]]:
    for entry in report.get("documents") or ():
        if entry.get("id") == doc_id or entry.get("output_id") == doc_id:
            yield entry


def render_history(doc_id: str, sightings: Sequence[Sighting]) -> str:
    """The history as text: per run, the outcome line, then one line per event."""
    lines = []
    for sighting in sightings:
        entry = sighting.entry
        lines.append(f"{sighting.run}  {sighting.source}  {doc_id}: {outcome_text(entry)}")
        lines.extend(f"  {event_text(event)}" for event in entry.get("events") or ())
        lines.append(f"  report: {sighting.report}")
    return "\n".join(lines) + "\n"


def outcome_text(entry: Mapping[str, Any]) -> str:
    """'kept', 'dropped: near_duplicate (duplicate_of=a1, similarity=0.91)', 'failed: bad_json: …'."""
    outcome = str(entry.get("outcome"))
    if outcome == "kept":
        return "kept"
    text = f"{outcome}: {entry.get('reason')}"
    detail = entry.get("detail") or {}
    if detail:
        text += " (" + ", ".join(f"{k}={v}" for k, v in sorted(detail.items())) + ")"
    if entry.get("message"):
        text += f": {entry['message']}"
    return text


def event_text(event: Mapping[str, Any]) -> str:
    """One event: step, action, rule, span and what was removed or inserted."""
    parts = [f"{event.get('step')}/{event.get('action')}"]
    if event.get("rule"):
        parts.append(str(event["rule"]))
    if event.get("span") is not None:
        start, end = event["span"]
        parts.append(f"[{start}:{end}]")
    if event.get("text"):
        parts.append(f"removed {_quote(str(event['text']))}")
    if event.get("replacement"):
        parts.append(f"inserted {_quote(str(event['replacement']))}")
    detail = event.get("detail") or {}
    if detail:
        parts.append(" ".join(f"{k}={v}" for k, v in sorted(detail.items())))
    return "  ".join(parts)


def _quote(text: str) -> str:
    shown = text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 3] + "..."
    return repr(shown)
