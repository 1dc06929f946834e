"""The local engine's supervised workers: a time limit that stops any step, crashes that cost one
document, nothing lost or repeated, input order kept, bounded read-ahead, no process left behind."""

from __future__ import annotations

import ctypes
import faulthandler
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from curate import reasons
from curate.document import Document, Dropped, Failed, Outcome
from curate.engines.local import LocalEngine, supervise
from curate.engines.supervised import BATCH_DOCUMENTS, WINDOW_PER_WORKER, SupervisedPool
from curate.pipeline import DocumentStep, Ledger, run_steps
from curate.timing import Timings

LIMIT = 0.5
DOCUMENTS = 100  # enough that two workers are started (small runs use one)


class Passing(DocumentStep):
    name: ClassVar[str] = "first"

    def apply(self, doc: Document) -> Document | Dropped:
        return doc


class Hostile(DocumentStep):
    """Misbehaves on the document whose text names a behaviour; passes every other one."""

    name: ClassVar[str] = "hostile"

    def apply(self, doc: Document) -> Document | Dropped:
        if doc.text == "sleep":
            time.sleep(60)
        elif doc.text == "backtrack":  # stdlib re never returns to Python (nor checks signals) mid-match
            re.match(r"(x+x+)+y", "x" * 64)
        elif doc.text == "loop":
            while True:
                pass
        elif doc.text == "exit":
            os._exit(3)
        elif doc.text == "segfault":
            faulthandler.disable()  # pytest's crash dump, inherited by the worker, is noise here
            ctypes.string_at(0)
        elif doc.text == "short":
            return Dropped(doc, reasons.TOO_SHORT)
        return doc


def _steps() -> list[DocumentStep]:
    return [Passing(), Hostile()]


def _docs(bad: dict[int, str], count: int = DOCUMENTS) -> list[Document]:
    return [Document(id=f"crawl.jsonl#{i}", source="crawl.jsonl", text=bad.get(i, f"page {i} text"),
                     meta={"record": i + 1})
            for i in range(count)]


def _id(outcome: Outcome) -> str | None:
    if isinstance(outcome, Failed):
        return outcome.document_id
    return outcome.id if isinstance(outcome, Document) else outcome.document.id


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize(("behaviour", "reason", "how"), [
    ("sleep", reasons.STEP_TIMEOUT, "took longer than 0.5 s on crawl.jsonl#37"),
    ("backtrack", reasons.STEP_TIMEOUT, "took longer than 0.5 s on crawl.jsonl#37"),
    ("loop", reasons.STEP_TIMEOUT, "took longer than 0.5 s on crawl.jsonl#37"),
    ("exit", reasons.WORKER_CRASHED, "the worker process died on crawl.jsonl#37 (exit code 3)"),
    ("segfault", reasons.WORKER_CRASHED, "the worker process died on crawl.jsonl#37 (killed by SIGSEGV)"),
])
def test_a_hostile_document_fails_alone_and_every_other_one_is_kept_in_order(
        workers: int, behaviour: str, reason: str, how: str) -> None:
    docs = _docs({37: behaviour})
    started = time.monotonic()
    outcomes = list(LocalEngine(_steps, workers, time_limit=LIMIT).run(docs))
    assert time.monotonic() - started < 20
    assert [_id(o) for o in outcomes] == [d.id for d in docs]
    failed = [o for o in outcomes if isinstance(o, Failed)]
    assert len(failed) == 1
    [failure] = failed
    assert (failure.source, failure.record, failure.reason) == ("crawl.jsonl", "38", reason)
    assert failure.message.startswith(f"hostile: {how}")
    assert all(isinstance(o, Document) for o in outcomes if o is not failure)
    assert not multiprocessing.active_children()


def test_several_hostile_documents_in_one_batch_each_fail_alone() -> None:
    bad = {3: "exit", 4: "loop", 5: "exit", 50: "short", 70: "segfault", 71: "sleep", 99: "exit"}
    docs = _docs(bad)
    outcomes = list(LocalEngine(_steps, 2, time_limit=LIMIT).run(docs))
    assert [_id(o) for o in outcomes] == [d.id for d in docs]
    kinds = {i: type(o).__name__ for i, o in enumerate(outcomes) if not isinstance(o, Document)}
    assert kinds == {3: "Failed", 4: "Failed", 5: "Failed", 50: "Dropped", 70: "Failed", 71: "Failed",
                     99: "Failed"}
    failures = {i: o.reason for i, o in enumerate(outcomes) if isinstance(o, Failed)}
    assert failures == {3: reasons.WORKER_CRASHED, 4: reasons.STEP_TIMEOUT, 5: reasons.WORKER_CRASHED,
                        70: reasons.WORKER_CRASHED, 71: reasons.STEP_TIMEOUT, 99: reasons.WORKER_CRASHED}


def test_the_timeout_names_the_step_the_document_was_in() -> None:
    class Stuck(Hostile):
        name: ClassVar[str] = "stuck"

    outcomes = list(LocalEngine(lambda: [Passing(), Stuck(), Passing()], 1, time_limit=LIMIT)
                    .run(_docs({2: "loop"}, count=5)))
    failure = outcomes[2]
    assert isinstance(failure, Failed) and failure.message.startswith("stuck: took longer than 0.5 s")


def test_without_a_time_limit_one_worker_runs_in_this_process_with_the_same_outcomes() -> None:
    docs = _docs({10: "short"})
    here = list(LocalEngine(_steps, 1, time_limit=None).run(docs))
    supervised = list(LocalEngine(_steps, 2, time_limit=LIMIT).run(docs))
    assert here == supervised
    assert isinstance(here[10], Dropped)


def _counting(docs: list[Document], seen: list[int]) -> Iterator[Document]:
    for doc in docs:
        seen.append(1)
        yield doc


def test_read_ahead_is_bounded_however_long_the_input() -> None:
    seen: list[int] = []
    outcomes = LocalEngine(_steps, 2, time_limit=LIMIT).run(_counting(_docs({}, count=2000), seen))
    first = next(outcomes)
    assert _id(first) == "crawl.jsonl#0"
    for _ in range(500):
        next(outcomes)
    # Documents read but not yet handed on: never more than the window plus one batch per worker.
    assert len(seen) - 501 <= 2 * WINDOW_PER_WORKER + 2 * BATCH_DOCUMENTS
    outcomes.close()  # stopping early stops the workers
    assert not multiprocessing.active_children()


def test_worker_step_times_are_summed_per_step() -> None:
    timings = Timings()
    list(LocalEngine(_steps, 2, time_limit=LIMIT, timings=timings).run(_docs({5: "short", 6: "exit"})))
    workers = timings.to_json()["workers"]
    assert set(workers) == {"first", "hostile"}
    # The crashed document is not timed (its worker died with it); every other one is, once per step.
    assert workers["first"]["documents"] == DOCUMENTS - 1
    assert workers["hostile"]["documents"] == DOCUMENTS - 1
    assert workers["first"]["wall_seconds"] >= 0


def test_an_empty_input_starts_no_worker() -> None:
    assert list(LocalEngine(_steps, 2, time_limit=LIMIT).run([])) == []
    assert not multiprocessing.active_children()


_BUFFERED_OUTPUT = """
import os, sys
from curate.document import Document
from curate.engines.local import LocalEngine
from curate.pipeline import DocumentStep

class ExitOn(DocumentStep):
    name = "exit_on"
    def apply(self, doc):
        if doc.text == "exit":
            os._exit(3)
        return doc

sys.stdout.write("written before the run\\n")  # still in this process's buffer when workers fork
docs = [Document(id=str(i), source="s", text="exit" if i in (70, 90) else "ok") for i in range(100)]
outcomes = list(LocalEngine(lambda: [ExitOn()], 2, time_limit=5).run(docs))
sys.stdout.write(f"{len(outcomes)} outcomes\\n")
"""


def test_workers_never_repeat_what_the_main_process_had_buffered_for_stdout() -> None:
    """A worker forked (or re-forked after a crash) mid-run must not flush a copy of the main process's
    stdout buffer (the JSONL of `clean --stdout`) when it exits (multiprocessing flushes before forking)."""
    result = subprocess.run([sys.executable, "-c", _BUFFERED_OUTPUT], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "written before the run\n100 outcomes\n"


def test_read_ahead_is_bounded_by_the_size_of_the_documents_too() -> None:
    seen: list[int] = []
    docs = [Document(id=str(i), source="big", text="word " * 2000) for i in range(300)]  # 10,000 chars each
    pool = SupervisedPool(_steps, 2, LIMIT, window_chars=50_000)
    outcomes = pool.run(_counting(docs, seen))
    for _ in range(100):
        next(outcomes)
        # In flight: at most 2 x 50,000 characters, plus the document that crossed the line.
        assert pool.in_flight <= 2 * 50_000 + 10_000
        assert len(seen) - 100 <= 11
    outcomes.close()


def test_supervise_gives_built_steps_the_time_limit_and_keeps_stream_steps_as_they_are() -> None:
    class Stream:
        name: ClassVar[str] = "stream"

        def run(self, docs: Iterable[Document]) -> Iterator[Outcome]:
            yield from docs

    stream = Stream()
    chained = supervise([Passing(), Hostile(), stream, Passing()], time_limit=LIMIT)
    assert [type(step).__name__ for step in chained] == ["LocalEngine", "Stream", "LocalEngine"]
    ledger = Ledger()
    kept = list(run_steps(_docs({1: "loop", 2: "exit"}, count=5), chained, ledger))
    assert [d.id for d in kept] == ["crawl.jsonl#0", "crawl.jsonl#3", "crawl.jsonl#4"]
    assert ledger.total.failed == {reasons.STEP_TIMEOUT: 1, reasons.WORKER_CRASHED: 1}


_KILLED_MID_RUN = """
import sys, time
from curate.document import Document
from curate.engines.local import LocalEngine
from curate.pipeline import DocumentStep

class Forever(DocumentStep):
    name = "forever"
    def apply(self, doc):
        while True:
            pass

outcomes = LocalEngine(lambda: [Forever()], 2, time_limit=None).run(
    [Document(id=str(i), source="s", text="x") for i in range(100)])
next(outcomes, None)
"""


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads a process's children from /proc (Linux)")
def test_workers_die_with_a_main_process_that_is_killed() -> None:
    main = subprocess.Popen([sys.executable, "-c", _KILLED_MID_RUN])
    try:
        deadline = time.monotonic() + 30
        workers: list[str] = []
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            workers = Path(f"/proc/{main.pid}/task/{main.pid}/children").read_text().split()
        assert len(workers) == 2
    finally:
        main.kill()
        main.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(int(pid)) for pid in workers):
        time.sleep(0.1)
    survivors = [int(pid) for pid in workers if _alive(int(pid))]
    for pid in survivors:  # leave no spinning orphan behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert survivors == []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


class FreezeCount(DocumentStep):
    """Tags each document with how many objects its worker's collector has set aside for good."""

    name: ClassVar[str] = "freeze"

    def apply(self, doc: Document) -> Document | Dropped:
        import gc

        return doc.tagged(meta={"frozen": gc.get_freeze_count()})


def test_workers_keep_what_the_fork_gave_them_out_of_the_collector() -> None:
    """The built steps a worker inherits are never traversed by its collections (no copy-on-write of
    their pages, small full collections); the main process's collector is left as it was."""
    import gc

    before = gc.get_freeze_count()
    outcomes = list(SupervisedPool(lambda: [FreezeCount()], 2, LIMIT).run(iter(_docs({}))))
    assert len(outcomes) == DOCUMENTS
    assert all(isinstance(o, Document) and o.meta["frozen"] > 1000 for o in outcomes)
    assert gc.get_freeze_count() == before
