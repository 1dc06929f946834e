from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterable, Iterator
from typing import ClassVar

from hypothesis import given
from hypothesis import strategies as st

from curate import reasons
from curate.document import Document, Dropped, Failed, Outcome
from curate.engines.local import LocalEngine
from curate.pipeline import DocumentStep, Ledger, run_steps


class DropShort(DocumentStep):
    name: ClassVar[str] = "test"

    def apply(self, doc: Document) -> Document | Dropped:
        if len(doc.text) < 3:
            return Dropped(doc, reasons.TOO_SHORT)
        if doc.text == "boom":
            raise RuntimeError("exploded")
        return doc


def _doc(i: int, text: str, source: str = "a.txt") -> Document:
    return Document(id=f"{source}#{i}", source=source, text=text)


def test_run_steps_yields_kept_and_accounts_for_the_rest() -> None:
    items: list[Document | Failed] = [
        _doc(1, "fine"), _doc(2, "no"), _doc(3, "boom"),
        Failed("a.txt", "4", reasons.BAD_JSON, "line 4 is not JSON"),
    ]
    ledger = Ledger()
    kept = list(run_steps(items, [DropShort()], ledger))
    assert [d.id for d in kept] == ["a.txt#1"]
    counts = ledger.per_source["a.txt"].to_json()
    assert counts == {"read": 4, "kept": 1, "dropped": {"too_short": 1},
                      "failed": {"bad_json": 1, "step_error": 1}}


def test_a_step_error_names_the_document_and_the_step() -> None:
    ledger = Ledger()
    list(run_steps([_doc(3, "boom")], [DropShort()], ledger))
    entry = ledger.records["a.txt"][0]
    assert entry["outcome"] == "failed" and entry["id"] == "a.txt#3"
    assert entry["message"] == "test: RuntimeError: exploded"


@given(st.lists(st.sampled_from(["ok text", "x", "boom", None]), max_size=30),
       st.sampled_from(["a", "b"]))
def test_read_equals_kept_plus_dropped_plus_failed(kinds: list[str | None], source: str) -> None:
    items: list[Document | Failed] = []
    for i, kind in enumerate(kinds):
        items.append(Failed(source, str(i), reasons.BAD_JSON, "bad") if kind is None else _doc(i, kind, source))
    ledger = Ledger()
    list(run_steps(items, [DropShort()], ledger))
    assert ledger.total.read == len(kinds)
    assert ledger.total.balanced
    assert all(counts.balanced for counts in ledger.per_source.values())


def _steps() -> list[DocumentStep]:
    return [DropShort()]


def test_local_engine_keeps_input_order_with_a_pool() -> None:
    docs = [_doc(i, f"text number {i}" if i % 5 else "x") for i in range(200)]
    serial: list[Outcome] = list(LocalEngine(_steps, workers=1).run(docs))
    pooled: list[Outcome] = list(LocalEngine(_steps, workers=2).run(docs))
    assert serial == pooled
    assert sum(isinstance(o, Dropped) for o in pooled) == 40


class CountingStep:
    name: ClassVar[str] = "count"

    def run(self, docs: Iterable[Document]) -> Iterator[Outcome]:
        yield from docs


def test_a_stream_step_passes_documents_through() -> None:
    ledger = Ledger()
    assert len(list(run_steps([_doc(1, "abc")], [CountingStep()], ledger))) == 1


class Sleepy(DocumentStep):
    """Sleeps on documents whose text is "slow", swallowing ordinary exceptions as some steps do."""

    name: ClassVar[str] = "sleepy"
    time_limit = 0.2

    def apply(self, doc: Document) -> Document | Dropped:
        if doc.text == "slow":
            try:
                time.sleep(5)
            except Exception:  # a step's own fallback must not swallow the time limit
                return doc
        return doc


def test_a_document_past_the_step_time_limit_fails_and_the_next_is_processed() -> None:
    ledger = Ledger()
    kept = list(run_steps([_doc(1, "slow"), _doc(2, "fine")], [Sleepy()], ledger))
    assert [d.id for d in kept] == ["a.txt#2"]
    [entry, _] = ledger.records["a.txt"]
    assert (entry["outcome"], entry["reason"], entry["id"]) == ("failed", reasons.STEP_TIMEOUT, "a.txt#1")
    assert entry["message"] == ("sleepy: took longer than 0.2 s on a.txt#1, the time limit per document; "
                                "the document was skipped")
    assert ledger.total.balanced


def test_the_alarm_is_disarmed_and_the_handler_restored_after_each_document() -> None:
    before = signal.getsignal(signal.SIGALRM)
    Sleepy().guarded(_doc(1, "slow"))
    Sleepy().guarded(_doc(2, "fine"))
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


def test_the_time_limit_can_be_set_per_instance_or_turned_off() -> None:
    step = Sleepy()
    step.time_limit = None
    start = _doc(1, "fine")
    assert step.guarded(start) is start and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_outside_the_main_thread_steps_run_without_an_alarm() -> None:
    class Brief(Sleepy):
        time_limit = 0.01

        def apply(self, doc: Document) -> Document | Dropped:
            time.sleep(0.05)
            return doc

    results: list[Outcome] = []
    worker = threading.Thread(target=lambda: results.append(Brief().guarded(_doc(1, "x"))))
    worker.start()
    worker.join()
    assert [type(r).__name__ for r in results] == ["Document"]


def test_reports_list_a_files_records_in_input_order_whatever_order_they_finish() -> None:
    ledger = Ledger()
    first, second = _doc(1, "first text"), _doc(2, "second text")
    ledger.read(first)
    ledger.failed(Failed("a.txt", "2", reasons.BAD_JSON, "bad"), counted_as_read=False)
    ledger.read(second)
    ledger.kept(second)  # finishes before the first one, as after a worker pool
    ledger.dropped(Dropped(first, reasons.TOO_SHORT))
    assert [e["position"] for e in ledger.records["a.txt"]] == [1, 2, 0]
    assert [e["outcome"] for e in ledger.in_input_order("a.txt")] == ["dropped", "failed", "kept"]
