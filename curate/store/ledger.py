"""The ledger object: what a version's reports are made of, stored so that they can be written again
(`curate report`).

A version's manifest names it under `ledger`: {"path", "sha256", "bytes", "entries", "run"}. The
object (`objects/<ab>/<sha256>.ledger.jsonl.zst`) is JSON lines, sorted keys, compressed like a
shard (store/layout.py), and so byte-identical for the same run whatever the engine or workers:

    {"format": 1, "inputs": [{"source", "sha256", "bytes"}, ...], "learned": {...} or null}
    {"source": "crawl/a.jsonl", "counts": {"read": ..., ...}, "entries": 3}     one per input, then
    {"id": "a1", "outcome": "kept", "events": [...], ...}                       its entries

The entries are what the provenance reports list (Ledger.records), in the ledger's own order;
`learned` is learned.json. The run's own fields (created, tool, digests, parent, timing, store),
which differ from run to run, are the manifest entry's `run`, not part of the object.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Final

import orjson
import zstandard

from curate.pipeline import Counts, Ledger
from curate.store.layout import ZSTD_LEVEL, without_surrogates

LEDGER_SUFFIX: Final = ".ledger.jsonl.zst"
LEDGER_FORMAT: Final = 1
_OPTIONS: Final = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE


@dataclass(frozen=True)
class StoredLedger:
    """A decoded ledger object: the Ledger, the inputs (source, sha256, bytes), learned.json's
    content (None when learning was off) and, from the manifest, the run's own fields."""

    ledger: Ledger
    inputs: list[dict[str, Any]]
    learned: dict[str, Any] | None
    run: dict[str, Any] = field(default_factory=dict)

    @property
    def entries(self) -> int:
        return sum(len(entries) for entries in self.ledger.records.values())


def encode_ledger(ledger: Ledger, inputs: Sequence[Mapping[str, Any]], learned: Mapping[str, Any] | None) -> bytes:
    """The object's bytes; the same ledger always gives the same bytes."""
    compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_content_size=True, threads=0)
    return compressor.compress(b"".join(_lines(ledger, inputs, learned)))


def _lines(ledger: Ledger, inputs: Sequence[Mapping[str, Any]], learned: Mapping[str, Any] | None) -> Iterator[bytes]:
    yield _dumps({"format": LEDGER_FORMAT, "inputs": list(inputs), "learned": learned})
    for source, counts in ledger.per_source.items():
        entries = ledger.records.get(source, [])
        yield _dumps({"source": source, "counts": counts.to_json(), "entries": len(entries)})
        yield from (_dumps(entry) for entry in entries)


def _dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value, default=_default, option=_OPTIONS)
    except orjson.JSONEncodeError:  # a lone surrogate: stored as U+FFFD, as in a shard
        return orjson.dumps(without_surrogates(_plain(value)), option=_OPTIONS)


def _default(value: Any) -> Any:
    """What orjson cannot write itself: read-only mappings (event detail), sets, paths (as the reports do)."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, PurePath):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in a ledger: {value!r}")


def _plain(value: Any) -> Any:
    """`value` with every mapping a dict and every sequence a list, all the way down."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (set, frozenset, PurePath)):
        return _plain(_default(value))
    return value


def decode_ledger(data: bytes) -> StoredLedger:
    """The ledger of an object's bytes; ValueError (zstd or JSON errors included) if they are not one."""
    lines = iter(zstandard.ZstdDecompressor().decompress(data).splitlines())
    header = orjson.loads(next(lines, b"null"))
    if not isinstance(header, dict) or header.get("format") != LEDGER_FORMAT:
        raise ValueError(f"not a ledger object of format {LEDGER_FORMAT}")
    ledger = Ledger()
    for line in lines:
        head = orjson.loads(line)
        source = str(head["source"])
        ledger.per_source[source] = _counts(head["counts"])
        ledger.records[source] = [orjson.loads(next(lines)) for _ in range(int(head["entries"]))]
    return StoredLedger(ledger=ledger, inputs=list(header["inputs"]), learned=header["learned"])


def _counts(data: Mapping[str, Any]) -> Counts:
    return Counts(read=int(data["read"]), kept=int(data["kept"]),
                  dropped=Counter(data["dropped"]), failed=Counter(data["failed"]))
