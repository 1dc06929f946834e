from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import ClassVar

from hypothesis import given
from hypothesis import strategies as st

from curate import reasons
from curate.document import Document, Dropped, Failed, Outcome
from curate.engines.local import LocalEngine
from curate.engines.timing import Timings
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


class Busy:
    """A stream step that spends `seconds` of CPU on each document it passes on."""

    name: ClassVar[str] = "busy"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def run(self, docs: Iterable[Document]) -> Iterator[Outcome]:
        for doc in docs:
            until = time.thread_time() + self.seconds
            while time.thread_time() < until:
                pass
            yield doc


def _slow_reader(count: int, seconds: float) -> Iterator[Document]:
    for i in range(count):
        until = time.thread_time() + seconds
        while time.thread_time() < until:
            pass
        yield _doc(i, "some text")


def test_timings_give_each_stage_of_the_chain_its_own_share() -> None:
    timings = Timings()
    kept = list(run_steps(_slow_reader(4, 0.02), [Busy(0.01), CountingStep(), Busy(0.03)], Ledger(), timings))
    assert len(kept) == 4
    main = timings.main_steps()
    assert set(main) == {"read", "busy", "count"}
    # Reading took 4 x 0.02 s; both Busy steps report as "busy": 4 x (0.01 + 0.03) s, reading not included.
    assert 0.08 <= main["read"].cpu < 0.14
    assert 0.16 <= main["busy"].cpu < 0.22
    assert main["count"].cpu < 0.03


def test_a_step_that_raises_a_timeout_error_fails_the_document_as_a_rule_timeout() -> None:
    class SlowRule(DocumentStep):
        name: ClassVar[str] = "slowrule"

        def apply(self, doc: Document) -> Document | Dropped:
            raise TimeoutError("regex time out")

    outcome = SlowRule().guarded(_doc(1, "x"))
    assert isinstance(outcome, Failed) and outcome.reason == reasons.RULE_TIMEOUT
    assert outcome.message == "slowrule: regex time out"


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
