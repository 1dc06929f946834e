"""Steps and the one place that counts (DESIGN.md: read = kept + dropped + failed).

A step turns documents into outcomes. `run_steps` chains steps lazily, hands every Dropped and Failed
to the Ledger, and yields the documents that survive all steps. Steps never count or write files.
With `unique_ids`, a document whose id was already read in the run fails as `duplicate_id` before
any step sees it (`RunIds`): in this process, in input order, so every engine fails the same ones.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Protocol

import xxhash

from curate import reasons
from curate.document import Document, Dropped, Failed, JSONValue, Outcome
from curate.timing import Timings

log = logging.getLogger(__name__)


class Step(Protocol):
    name: ClassVar[str]

    def run(self, docs: Iterable[Document]) -> Iterator[Outcome]: ...


# Seconds one document may spend in the per-document steps (the engine enforces it by killing the
# worker process: engines/supervised.py). Every step handles a normal page in well under a second;
# thirty means something is stuck (a pathological page, a runaway loop), not slow.
DEFAULT_TIME_LIMIT: Final = 30.0


class DocumentStep(ABC):
    """A step that looks at one document at a time (extract, strip, repair, langid, filter).

    The per-document time limit is not the step's business: a step may be stuck in C code that no
    signal interrupts, so the engine runs steps in worker processes and kills one that overruns.
    """

    name: ClassVar[str]

    def run(self, docs: Iterable[Document]) -> Iterator[Outcome]:
        for doc in docs:
            yield self.guarded(doc)

    def guarded(self, doc: Document) -> Outcome:
        """`apply`, with any error on this one document turned into a Failed naming it."""
        try:
            return self.apply(doc)
        except TimeoutError as exc:  # the regex package raises this when a pattern runs too long
            return document_failure(doc, reasons.RULE_TIMEOUT, f"{self.name}: {exc}")
        except Exception as exc:  # one bad document must not end the run; it is reported instead
            log.debug("step %s failed on %s", self.name, doc.id, exc_info=True)
            return document_failure(doc, reasons.STEP_ERROR, f"{self.name}: {type(exc).__name__}: {exc}")

    @abstractmethod
    def apply(self, doc: Document) -> Document | Dropped: ...


def document_failure(doc: Document, reason: str, message: str) -> Failed:
    """A Failed for `doc`, naming its file and record (line number or offset) when the reader gave one."""
    record = doc.meta.get("record")
    return Failed(doc.source, str(record) if record is not None else doc.id, reason, message, doc.id)


def record_place(source: str, record: JSONValue = None, kind: JSONValue = None) -> str:
    """How a message names a record of `source`, by its reader's kind (`meta.format`).

    >>> record_place("a.jsonl", 12, "jsonl"), record_place("c.warc", 512, "warc"), record_place("p.html")
    ('a.jsonl:12', 'c.warc at byte 512', 'p.html')
    """
    if record is None:
        return source
    return {"jsonl": f"{source}:{record}", "warc": f"{source} at byte {record}",
            "parquet": f"{source} row {record}"}.get(str(kind), f"{source} record {record}")


def document_place(doc: Document) -> str:
    """Where `doc` was read: its file and, when its reader gave one, its record."""
    return record_place(doc.source, doc.meta.get("record"), doc.meta.get("format"))


# A first place is packed into one int: the number of its (source, kind) above these bits, the record
# number + 1 in them (0: no record, or one that is not a number below 2**44: the file alone is named).
_RECORD_BITS: Final = 44


class RunIds:
    """Every id a run has read, as a 128-bit xxh3 key, with where its first document was read.

    A dict entry, its key and its packed place: ~122 bytes a document read (docs/store.md "Counts"). Ids are not
    kept, so two different ids with one key would look like one; at 128 bits the chance is about
    n^2 / 2^129 for n documents (1e-21 at a billion), where 64 bits would give 3% at a billion.
    """

    def __init__(self) -> None:
        self._first: dict[int, int] = {}
        self._kinds: list[tuple[str, JSONValue]] = []  # (source, meta.format) by number
        self._kind_numbers: dict[tuple[str, JSONValue], int] = {}

    def repeated(self, doc: Document) -> str | None:
        """Where `doc`'s id was first read in this run; None (and the id is remembered) if it was not."""
        key = xxhash.xxh3_128_intdigest(doc.id.encode("utf-8", "surrogatepass"))
        first = self._first.get(key)
        if first is not None:
            return self._place(first)
        self._first[key] = self._pack(doc)
        return None

    def _pack(self, doc: Document) -> int:
        kind = (doc.source, doc.meta.get("format"))
        number = self._kind_numbers.setdefault(kind, len(self._kinds))
        if number == len(self._kinds):
            self._kinds.append(kind)
        record = doc.meta.get("record")
        if isinstance(record, bool) or not isinstance(record, int) or not 0 <= record < (1 << _RECORD_BITS) - 1:
            record = -1
        return number << _RECORD_BITS | (record + 1)

    def _place(self, packed: int) -> str:
        source, kind = self._kinds[packed >> _RECORD_BITS]
        record = packed & ((1 << _RECORD_BITS) - 1)
        return record_place(source, record - 1 if record else None, kind)


@dataclass
class Counts:
    """The contract counts of one input file or of a whole run."""

    read: int = 0
    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "read": self.read,
            "kept": self.kept,
            "dropped": dict(sorted(self.dropped.items())),
            "failed": dict(sorted(self.failed.items())),
        }

    def add(self, other: Counts) -> None:
        self.read += other.read
        self.kept += other.kept
        self.dropped.update(other.dropped)
        self.failed.update(other.failed)

    @property
    def balanced(self) -> bool:
        return self.read == self.kept + sum(self.dropped.values()) + sum(self.failed.values())


class Ledger:
    """Counts every outcome per input file and keeps, per file, what its provenance report lists."""

    def __init__(self, *, keep_records: bool = True) -> None:
        self.keep_records = keep_records
        self.per_source: dict[str, Counts] = {}
        self.records: dict[str, list[dict[str, Any]]] = {}
        # (source, id) -> positions in the file of documents read but not yet settled. Outcomes arrive
        # in the order documents finish (a reader's failure at once, a document after the worker pool),
        # so each entry carries its position and the reports list them in input order.
        self._pending: dict[tuple[str, str], list[int]] = {}

    def _counts(self, source: str) -> Counts:
        counts = self.per_source.get(source)
        if counts is None:
            counts = self.per_source[source] = Counts()
            self.records[source] = []
        return counts

    def read(self, doc: Document) -> None:
        counts = self._counts(doc.source)
        if self.keep_records:
            self._pending.setdefault((doc.source, doc.id), []).append(counts.read)
        counts.read += 1

    def _position(self, source: str, doc_id: str | None) -> int | None:
        key = (source, doc_id or "")
        waiting = self._pending.get(key)
        if not waiting:
            return None
        position = waiting.pop(0)
        if not waiting:
            del self._pending[key]
        return position

    def kept(self, doc: Document) -> None:
        self._counts(doc.source).kept += 1
        self._record(doc.source, {"id": doc.id, "outcome": "kept", "output_id": doc.id}, doc)

    def dropped(self, item: Dropped) -> None:
        doc = item.document
        self._counts(doc.source).dropped[item.reason] += 1
        entry = {"id": doc.id, "outcome": "dropped", "reason": item.reason, "detail": dict(item.detail)}
        self._record(doc.source, entry, doc)

    def failed(self, item: Failed, *, counted_as_read: bool = True) -> None:
        counts = self._counts(item.source)
        entry: dict[str, Any] = {"id": item.document_id, "record": item.record, "outcome": "failed",
                                 "reason": item.reason, "message": item.message}
        if not counted_as_read:  # a record the reader could not make a document of
            entry["position"] = counts.read
            counts.read += 1
        counts.failed[item.reason] += 1
        self._record(item.source, entry, None)

    def _record(self, source: str, entry: dict[str, Any], doc: Document | None) -> None:
        if not self.keep_records:
            return
        if "position" not in entry:
            entry["position"] = self._position(source, entry.get("id"))
        if doc is not None:
            entry["events"] = [event.to_json() for event in doc.provenance]
        self.records[source].append(entry)

    def in_input_order(self, source: str) -> list[dict[str, Any]]:
        """The entries of one input file in the order its records were read."""
        entries = self.records.get(source, [])
        return sorted(entries, key=lambda e: (e.get("position") is None, e.get("position") or 0))

    @property
    def total(self) -> Counts:
        total = Counts()
        for counts in self.per_source.values():
            total.add(counts)
        return total

    @property
    def failures(self) -> int:
        return sum(self.total.failed.values())


def run_steps(items: Iterable[Document | Failed], steps: Iterable[Step], ledger: Ledger,
              timings: Timings | None = None, *, unique_ids: bool = False) -> Iterator[Document]:
    """Run documents through the steps in order; yield the kept ones, account for the rest.

    With `timings`, the time this process spends reading `items` and in each step is recorded. With
    `unique_ids`, a document whose id an earlier one of `items` had fails as `duplicate_id`."""
    stream: Iterator[Any] = _admit(items, ledger, RunIds() if unique_ids else None)
    if timings is not None:
        stream = timings.clock("read", stream)
    for step in steps:
        stream = _settle(step.run(stream), ledger)
        if timings is not None:
            stream = timings.clock(step.name, stream)
    for doc in stream:
        ledger.kept(doc)
        yield doc


def _admit(items: Iterable[Document | Failed], ledger: Ledger, ids: RunIds | None) -> Iterator[Document]:
    """Count what the readers produced: documents as read, unreadable records and repeated ids as read
    and failed (a repeated id is failed here, before it is read, so it takes its own report position)."""
    for item in items:
        if isinstance(item, Failed):
            ledger.failed(item, counted_as_read=False)
            continue
        first = ids.repeated(item) if ids is not None else None
        if first is not None:
            ledger.failed(_repeated_id(item, first), counted_as_read=False)
        else:
            ledger.read(item)
            yield item


def _repeated_id(doc: Document, first: str) -> Failed:
    return document_failure(doc, reasons.DUPLICATE_ID,
                            f"{document_place(doc)}: id {doc.id!r} was already read at {first}; a version holds "
                            "each id once, so this later record is left out: give every record its own id "
                            "(--id-field names the field that holds it) or remove the copy")


def _settle(outcomes: Iterable[Outcome], ledger: Ledger) -> Iterator[Document]:
    for outcome in outcomes:
        if isinstance(outcome, Document):
            yield outcome
        elif isinstance(outcome, Dropped):
            ledger.dropped(outcome)
        else:
            ledger.failed(outcome)
