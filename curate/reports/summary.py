"""summary.json (DESIGN.md "Reports" contract) and the terminal table printed from it.

The summary holds the contract counts in total and per input, the rules that fired most, the
languages seen, and the run's own fields (created, tool version, digests, parent …) as given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from curate.pipeline import Ledger
from curate.reports.provenance import InputInfo, counts_of, input_fields, report_name, sources_of

# Fields every summary has, even when the run did not supply them, so scripts can rely on the keys.
RUN_DEFAULTS: Final[Mapping[str, Any]] = {"parent": None, "created": None, "tool": None}
# The step whose events carry the detected language in detail["lang"].
LANGID_STEP: Final = "langid"
# Width of the source column of the terminal table; longer names keep their tail.
SOURCE_WIDTH: Final = 48
# The clusters section stays bounded on a crawl of millions: the largest clusters, a few ids each.
MAX_CLUSTERS: Final = 100
MAX_CLUSTER_IDS: Final = 20


def build_summary(
    *,
    ledger: Ledger,
    inputs: Sequence[InputInfo],
    version: str | None,
    run: Mapping[str, Any],
) -> dict[str, Any]:
    """What summary.json holds. Computed keys win over `run` keys of the same name."""
    entries = [entry for source in ledger.records.values() for entry in source if "events" in entry]
    return {
        **RUN_DEFAULTS,
        **run,
        "version": version,
        "counts": ledger.total.to_json(),
        "inputs": [_input_summary(item, ledger) for item in sources_of(ledger, inputs)],
        "top_rules": top_rules(entries),
        "languages": languages(entries),
        "duplicate_clusters": clusters(entries),
    }


def _input_summary(item: InputInfo | str, ledger: Ledger) -> dict[str, Any]:
    fields = input_fields(item)
    source = fields["source"]
    return {**fields, "counts": counts_of(ledger, source).to_json(), "report": report_name(source)}


def top_rules(entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """How often each (rule, step, action) fired over the given documents and how many characters
    it removed (net: removed text minus its replacement), most frequent first.

    Events without a rule id (a step's own bookkeeping) are not rules and are left out.
    """
    count: Counter[tuple[str, str, str]] = Counter()
    chars: Counter[tuple[str, str, str]] = Counter()
    for entry in entries:
        for event in entry.get("events") or ():
            if not event.get("rule"):
                continue
            key = (str(event["rule"]), str(event.get("step")), str(event.get("action")))
            count[key] += 1
            chars[key] += _chars_removed(event)
    ranked = sorted(count, key=lambda key: (-count[key], -chars[key], key))
    return [
        {"rule": key[0], "step": key[1], "action": key[2], "count": count[key], "chars": chars[key]}
        for key in ranked
    ]


def _chars_removed(event: Mapping[str, Any]) -> int:
    removed = len(event.get("text") or "") - len(event.get("replacement") or "")
    return max(removed, 0)


def languages(entries: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Documents per detected language, over kept and dropped documents, so a language filtered
    out by --lang still shows next to its lang_not_wanted count. The last langid event wins."""
    counts: Counter[str] = Counter()
    for entry in entries:
        lang = _language(entry.get("events") or ())
        if lang is not None:
            counts[lang] += 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _language(events: Iterable[Mapping[str, Any]]) -> str | None:
    lang = None
    for event in events:
        detail = event.get("detail") or {}
        if event.get("step") == LANGID_STEP and detail.get("lang"):
            lang = str(detail["lang"])
    return lang


def clusters(entries: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Duplicate clusters: documents joined by their dedup decisions (dropped -> the kept one it
    duplicates, which may live in an earlier version), grouped with a union-find. The largest
    MAX_CLUSTERS, each with its kept document and up to MAX_CLUSTER_IDS dropped ids."""
    parent: dict[tuple[str | None, str], tuple[str | None, str]] = {}
    members: list[tuple[tuple[str | None, str], tuple[str | None, str], float]] = []
    for entry in entries:
        detail = entry.get("detail") or {}
        if entry.get("outcome") != "dropped" or "duplicate_of" not in detail:
            continue
        kept = (detail.get("duplicate_version"), str(detail["duplicate_of"]))
        dropped: tuple[str | None, str] = (None, str(entry["id"]))
        _union(parent, kept, dropped)
        members.append((dropped, kept, float(detail.get("similarity") or 0.0)))
    groups: dict[tuple[str | None, str], list[tuple[str, tuple[str | None, str], float]]] = {}
    for dropped, kept, similarity in members:
        groups.setdefault(_find(parent, kept), []).append((dropped[1], kept, similarity))
    ranked = sorted(groups.values(), key=lambda group: (-len(group), group[0][0]))
    return {"count": len(groups), "dropped": len(members),
            "largest": [_cluster(group) for group in ranked[:MAX_CLUSTERS]]}


def _cluster(group: list[tuple[str, tuple[str | None, str], float]]) -> dict[str, Any]:
    kept = sorted({k for _, k, _ in group}, key=lambda k: (k[0] or "", k[1]))
    similarities = [s for _, _, s in group]
    return {"kept": [{"id": i, "version": v} for v, i in kept], "size": len(group) + len(kept),
            "dropped": [d for d, _, _ in group[:MAX_CLUSTER_IDS]],
            "more": max(0, len(group) - MAX_CLUSTER_IDS),
            "similarity": {"min": min(similarities), "max": max(similarities)}}


def _find(parent: dict[Any, Any], node: Any) -> Any:
    root = node
    while parent.get(root, root) != root:
        root = parent[root]
    while node != root:  # path compression
        parent[node], node = root, parent.get(node, node)
    return root


def _union(parent: dict[Any, Any], a: Any, b: Any) -> None:
    root_a, root_b = _find(parent, a), _find(parent, b)
    if root_a != root_b:
        parent[root_b] = root_a


def render_summary_table(summary: Mapping[str, Any]) -> str:
    """A plain-text table for the terminal: read/kept/dropped/failed per input and in total, then
    the reasons behind the dropped and failed totals."""
    header = ("source", "read", "kept", "dropped", "failed")
    rows = [_row(_printable(item["source"]), item["counts"]) for item in summary["inputs"]]
    rows.append(_row("total", summary["counts"]))
    width = max([len(header[0]), *(len(row[0]) for row in rows)])
    lines = [_format(header, width)] + [_format(row, width) for row in rows]
    lines.extend(_reason_lines(summary["counts"]))
    return "\n".join(lines) + "\n"


def _row(source: str, counts: Mapping[str, Any]) -> tuple[str, ...]:
    dropped = sum(counts["dropped"].values())
    failed = sum(counts["failed"].values())
    return (source, str(counts["read"]), str(counts["kept"]), str(dropped), str(failed))


def _format(row: Sequence[str], width: int) -> str:
    return "  ".join([row[0].ljust(width), *(cell.rjust(7) for cell in row[1:])]).rstrip()


def _reason_lines(counts: Mapping[str, Any]) -> list[str]:
    lines = []
    for outcome in ("dropped", "failed"):
        if counts[outcome]:
            reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(counts[outcome].items()))
            lines.append(f"{outcome}: {reasons}")
    return lines


def _printable(source: str) -> str:
    """The source as it can safely go to a terminal: control characters (a hostile name could carry
    escape sequences) shown escaped, long names cut to their tail."""
    text = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in source)
    if len(text) > SOURCE_WIDTH:
        text = "..." + text[-(SOURCE_WIDTH - 3) :]
    return text
