"""Audit statistics per input source, from a run's Ledger (and, when known, kept documents' lengths).

What `curate audit` and every version's index.html show per source: documents and outcomes, the
share of text removed as furniture (extract and strip events), the rules that fired most, the
languages, the duplicate rate (dedup's drops), the broken-text rate (documents where ftfy repaired
something) and the length distribution of the kept documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from curate import reasons
from curate.pipeline import Ledger

# Steps whose removals are page furniture (navigation, ads, bylines …), not repairs of the text.
FURNITURE_STEPS: Final = frozenset({"extract", "strip"})
# Rules of the repair step that are ftfy's: a document where one fired had broken text.
BROKEN_TEXT_RULE_PREFIX: Final = "ftfy."
DUPLICATE_REASONS: Final = frozenset({reasons.EXACT_DUPLICATE, reasons.NEAR_DUPLICATE})
# Rules (those that edited text, so not language tags) listed per source; the JSON reports have all.
TOP_PER_SOURCE: Final = 3


@dataclass(frozen=True)
class SourceStats:
    """The audit numbers of one source (or of the whole run, source "total").

    Rates are fractions in [0, 1], None when there is nothing to divide by; `furniture_share` and
    `lengths` need the kept documents' lengths and are None / empty without them."""

    source: str
    read: int
    kept: int
    dropped: int
    failed: int
    furniture_share: float | None
    duplicate_rate: float | None
    broken_rate: float | None
    top_rules: tuple[tuple[str, int], ...]
    languages: tuple[tuple[str, int], ...]
    lengths: tuple[int, ...] = field(default=(), repr=False)

    @property
    def median_length(self) -> int | None:
        if not self.lengths:
            return None
        ordered = sorted(self.lengths)
        return ordered[len(ordered) // 2]


@dataclass(frozen=True)
class AuditStats:
    """Per-source statistics in input order, and the total over all sources."""

    sources: tuple[SourceStats, ...]
    total: SourceStats
    lengths_known: bool


def audit_stats(ledger: Ledger, lengths: Mapping[str, Sequence[int]] | None = None) -> AuditStats:
    """The statistics of a run. `lengths` maps a source to the character counts of its kept
    documents (without it, furniture share and length distribution are unknown)."""
    sources = tuple(
        source_stats(source, ledger, None if lengths is None else lengths.get(source, ()))
        for source in ledger.per_source
    )
    everything = [entry for entries in ledger.records.values() for entry in entries]
    all_lengths = None if lengths is None else [n for values in lengths.values() for n in values]
    total = _stats("total", ledger.total.to_json(), everything, all_lengths)
    return AuditStats(sources=sources, total=total, lengths_known=lengths is not None)


def source_stats(source: str, ledger: Ledger, lengths: Sequence[int] | None) -> SourceStats:
    return _stats(source, ledger.per_source[source].to_json(), ledger.records.get(source, ()), lengths)


def _stats(source: str, counts: Mapping[str, Any], entries: Sequence[Mapping[str, Any]],
           lengths: Sequence[int] | None) -> SourceStats:
    judged = [entry for entry in entries if "events" in entry]  # kept and dropped, not failed
    kept = [entry for entry in judged if entry.get("outcome") == "kept"]
    read = int(counts["read"])
    duplicates = sum(n for reason, n in counts["dropped"].items() if reason in DUPLICATE_REASONS)
    broken = sum(1 for entry in judged if _has_broken_text(entry["events"]))
    return SourceStats(
        source=source, read=read, kept=int(counts["kept"]), dropped=sum(counts["dropped"].values()),
        failed=sum(counts["failed"].values()),
        furniture_share=_furniture_share(kept, lengths),
        duplicate_rate=_ratio(duplicates, read),
        broken_rate=_ratio(broken, len(judged)),
        top_rules=_top(Counter(str(e["rule"]) for entry in judged for e in entry["events"]
                               if e.get("rule") and e.get("span") is not None)),
        languages=_top(Counter(lang for entry in judged if (lang := _language(entry["events"]))), None),
        lengths=tuple(lengths or ()),
    )


def _furniture_share(kept: Sequence[Mapping[str, Any]], lengths: Sequence[int] | None) -> float | None:
    """Furniture characters over the text before cleaning (final length + everything removed),
    over the kept documents."""
    if lengths is None or not kept:
        return None
    furniture = removed = 0
    for entry in kept:
        for event in entry["events"]:
            net = _net_removed(event)
            removed += net
            if event.get("step") in FURNITURE_STEPS:
                furniture += max(net, 0)
    return _ratio(furniture, sum(lengths) + removed)


def _net_removed(event: Mapping[str, Any]) -> int:
    return len(event.get("text") or "") - len(event.get("replacement") or "")


def _has_broken_text(events: Iterable[Mapping[str, Any]]) -> bool:
    return any(str(event.get("rule") or "").startswith(BROKEN_TEXT_RULE_PREFIX) for event in events)


def _language(events: Iterable[Mapping[str, Any]]) -> str | None:
    lang = None
    for event in events:
        detail = event.get("detail") or {}
        if event.get("step") == "langid" and detail.get("lang"):
            lang = str(detail["lang"])
    return lang


def _top(counter: Counter[str], limit: int | None = TOP_PER_SOURCE) -> tuple[tuple[str, int], ...]:
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return tuple(ranked if limit is None else ranked[:limit])


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def version_lengths(store: Path, version: str) -> dict[str, list[int]]:
    """The character counts of the documents `version` added (its shards that its parent does not
    have), by source: what a version's page needs beyond its ledger."""
    from curate.store import Store  # the store is only needed for a version's page

    opened = Store(store)
    manifest = opened.manifest(version)
    inherited: set[str] = set()
    if manifest.get("parent"):
        inherited = {str(s["path"]) for s in opened.manifest(str(manifest["parent"]))["shards"]}
    return shard_lengths(store, [s for s in manifest["shards"] if str(s["path"]) not in inherited])


def shard_lengths(store: Path, shards: Iterable[Mapping[str, Any]]) -> dict[str, list[int]]:
    """The character counts of the documents in `shards` (manifest entries of `store`), by source."""
    from curate.store.layout import read_shard

    lengths: dict[str, list[int]] = {}
    for shard in shards:
        for record in read_shard(store / str(shard["path"])):
            lengths.setdefault(str(record.get("source")), []).append(len(str(record.get("text") or "")))
    return lengths
