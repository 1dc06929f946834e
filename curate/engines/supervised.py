"""Worker processes watched by the main process: a time limit per document that holds for any step,
and a worker that dies costing only the document it was on (issue 10, research/reliability.md).

A signal (SIGALRM) cannot stop C code that never returns to Python (lxml on a pathological page, a
`regex` match) and reaches only a main thread; a thread cannot be stopped at all. A process can
always be killed, so every document runs in a worker process and the main process supervises:

- Each worker has a task pipe (batches of documents in), a result pipe (one message per finished
  document out, so the main process always knows which documents are done) and a small shared
  array in which it writes the number of the document and the index of the step it is in.
- The main process never blocks on a worker: batches are written without blocking as the pipe has
  room, and it waits on all result pipes and process sentinels at once, up to the next deadline.
- A document's clock starts when the worker can start it: the later of its batch being written
  and the worker's previous result arriving. Past the limit the worker is killed (SIGKILL), its
  document fails as `step_timeout` naming the step, and the rest of its batch goes to a new worker.
- A worker that dies by itself (a segfault in C code, the OOM killer, `os._exit`) fails the
  document it was on as `worker_crashed`, and the same happens with the rest of its batch.

This module is the main process's side (`SupervisedPool`); what runs in a worker, and the task
pipe's frames, are in engines/worker.py.

Results are put back in input order, so the output is the same whatever the worker count and
whichever workers were replaced. At most `window` documents are between the reader and the output
at any time, so memory stays flat however long the input is.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import pickle
import select
import signal
import time
from collections import deque
from collections.abc import Iterator, Sequence
from multiprocessing.context import BaseContext
from typing import Any, Final

from curate import reasons
from curate.document import Document, Failed, Outcome
from curate.engines.worker import (
    FRAME,
    NO_STEP,
    PIPE_BYTES,
    FollowUp,
    StepFactory,
    add_times,
    timeout_failure,
    worker_main,
)
from curate.pipeline import DocumentStep, document_failure
from curate.timing import Timings

# A batch is this many documents or this many characters of text and HTML, whichever comes first:
# big enough that a pipe message costs little per document, small enough that a killed worker's
# batch is cheap to hand to its successor.
BATCH_DOCUMENTS: Final = 16
BATCH_CHARS: Final = 1 << 20
# Documents read but not yet yielded, per worker: enough that a worker always has its next batch
# queued; and the most characters of text and HTML those may hold (the documents' size bounds memory,
# not their number, when pages are large).
WINDOW_PER_WORKER: Final = 4 * BATCH_DOCUMENTS
WINDOW_CHARS_PER_WORKER: Final = 16 * BATCH_CHARS
# Seconds a worker gets to exit after its task pipe is closed at the end of a run.
_EXIT_GRACE: Final = 5.0


class _Worker:
    """The main process's handle on one worker: its pipes, its documents in order, its clock."""

    def __init__(self, context: BaseContext, steps: Sequence[DocumentStep] | StepFactory,
                 inherited: list[int], follow_up: FollowUp | None) -> None:
        task_reader, self.tasks = context.Pipe(duplex=False)
        self.results, result_writer = context.Pipe(duplex=False)
        self.state: Any = context.RawArray("q", [-1, NO_STEP])
        own = [self.tasks.fileno(), self.results.fileno()]
        forked = context.get_start_method() == "fork"
        self.process: Any = context.Process(  # type: ignore[attr-defined]
            target=worker_main, daemon=True,
            args=(steps, task_reader, result_writer, self.state, inherited + own if forked else [], os.getpid(),
                  follow_up))
        self.process.start()
        task_reader.close()
        result_writer.close()
        os.set_blocking(self.tasks.fileno(), False)
        with contextlib.suppress(OSError, AttributeError):  # F_SETPIPE_SZ is Linux only
            import fcntl

            fcntl.fcntl(self.tasks.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self.queue: deque[int] = deque()  # documents given to it and not yet returned, in order
        self.outbox = bytearray()  # frames not yet written to its task pipe
        self.unsent: deque[tuple[int, list[int]]] = deque()  # (end of frame in outbox, its documents)
        self.sent_at: dict[int, float] = {}  # document -> when its batch was fully written
        self.last_result = time.monotonic()

    @property
    def fds(self) -> list[int]:
        """The main process's ends of its pipes that are still open."""
        return [end.fileno() for end in (self.tasks, self.results) if not end.closed]

    def give(self, batch: list[tuple[int, Document]]) -> None:
        payload = pickle.dumps(batch, pickle.HIGHEST_PROTOCOL)
        self.outbox += FRAME.pack(len(payload))
        self.outbox += payload
        self.unsent.append((len(self.outbox), [seq for seq, _ in batch]))
        self.queue.extend(seq for seq, _ in batch)

    def flush(self) -> None:
        """Write what the task pipe takes now, without blocking."""
        try:
            written = os.write(self.tasks.fileno(), self.outbox)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # the worker is gone; its death is handled when its sentinel fires
            return
        del self.outbox[:written]
        now = time.monotonic()
        unsent: deque[tuple[int, list[int]]] = deque()
        for end, seqs in self.unsent:
            if end <= written:
                self.sent_at.update(dict.fromkeys(seqs, now))
            else:
                unsent.append((end - written, seqs))
        self.unsent = unsent

    def started(self) -> float | None:
        """When the worker could start its first unfinished document (None: not handed over yet)."""
        if not self.queue or self.queue[0] not in self.sent_at:
            return None
        return max(self.sent_at[self.queue[0]], self.last_result)

    def receive(self) -> Iterator[tuple[int, Outcome, tuple[float, ...], Any]]:
        """Every result waiting in the result pipe (all of them once the worker is dead)."""
        while True:
            try:
                if not self.results.poll(0):
                    return
                seq, outcome, times, value = pickle.loads(self.results.recv_bytes())
            except (EOFError, OSError):
                return
            self.queue.popleft()
            self.sent_at.pop(seq, None)
            self.last_result = time.monotonic()
            yield seq, outcome, times, value

    def stop(self, *, kill: bool) -> None:
        """Close its task pipe (a finished worker exits on EOF); kill it if asked or if it lingers.
        Its result pipe stays open: what it sent before it died can still be read."""
        with contextlib.suppress(OSError):
            self.tasks.close()
        if kill and self.process.is_alive():
            self.process.kill()
        self.process.join(None if kill else _EXIT_GRACE)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.results.close()
        self.process.close()


class SupervisedPool:
    """Documents through the steps in `workers` supervised processes; outcomes in input order."""

    def __init__(self, factory: StepFactory, workers: int, time_limit: float | None,
                 timings: Timings | None = None, *, window_chars: int = WINDOW_CHARS_PER_WORKER,
                 follow_up: FollowUp | None = None) -> None:
        self.workers = workers
        self.window_chars = window_chars * workers
        self.time_limit = time_limit if time_limit and time_limit > 0 else None
        self.timings = timings
        self.context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        # With fork the steps are built once, here, and every worker (a replacement too) starts
        # with them for the price of a fork; with spawn each worker builds its own.
        built = factory()
        self.follow_up = follow_up
        self.names = [step.name for step in built] + ([follow_up.name] if follow_up is not None else [])
        self.steps: Sequence[DocumentStep] | StepFactory = \
            built if self.context.get_start_method() == "fork" else factory
        self.pool: list[_Worker] = []
        self.done: dict[int, tuple[Outcome, Any]] = {}  # finished documents (and follow-up values) waiting
        self.running: dict[int, Document] = {}  # handed out and not finished, to hand out again
        self.again: deque[int] = deque()  # documents of a replaced worker, to run again first
        self.in_flight = 0  # characters of the documents in `running`

    def _start(self) -> _Worker:
        inherited = [fd for worker in self.pool for fd in worker.fds]
        return _Worker(self.context, self.steps, inherited, self.follow_up)

    def run(self, docs: Iterator[Document]) -> Iterator[Outcome]:
        self.pool = []
        for _ in range(self.workers):
            self.pool.append(self._start())
        finished = False
        try:
            yield from self._loop(docs)
            finished = True
        finally:
            for worker in self.pool:
                worker.stop(kill=not finished)
                worker.close()

    def _loop(self, docs: Iterator[Document]) -> Iterator[Outcome]:
        numbered = zip(itertools.count(), docs, strict=False)
        window = WINDOW_PER_WORKER * self.workers
        next_out = 0
        read = 0
        exhausted = False
        while True:
            while next_out in self.done:
                outcome, value = self.done.pop(next_out)
                next_out += 1
                if self.follow_up is not None and isinstance(outcome, Document):
                    self.follow_up.receive(outcome, value)
                yield outcome
            if exhausted and next_out == read:
                return
            for worker in self.pool:
                if len(worker.queue) >= BATCH_DOCUMENTS:
                    continue
                batch: list[tuple[int, Document]] = []
                chars = 0
                while len(batch) < BATCH_DOCUMENTS and chars < BATCH_CHARS:
                    if self.again:
                        seq = self.again.popleft()
                        doc = self.running[seq]
                    elif exhausted or read - next_out >= window or self.in_flight >= self.window_chars:
                        break
                    else:
                        item = next(numbered, None)
                        if item is None:
                            exhausted = True
                            break
                        seq, doc = item
                        read += 1
                        self.running[seq] = doc
                        self.in_flight += _chars(doc)
                    batch.append((seq, doc))
                    chars += _chars(doc)
                if batch:
                    worker.give(batch)
            if any(worker.queue for worker in self.pool):
                self._wait()

    def _wait(self) -> None:
        """Write pending batches, collect results, replace dead or overdue workers."""
        poller = select.poll()
        for worker in self.pool:
            if worker.outbox:
                worker.flush()
            if worker.outbox:
                poller.register(worker.tasks.fileno(), select.POLLOUT)
            poller.register(worker.results.fileno(), select.POLLIN)
            poller.register(worker.process.sentinel, select.POLLIN)
        poller.poll(self._timeout())
        now = time.monotonic()
        for index, worker in enumerate(self.pool):
            self._collect(worker)
            if not worker.process.is_alive():
                self.pool[index] = self._replace(worker, overdue=None)
                continue
            started = worker.started()
            if self.time_limit is not None and started is not None and now - started > self.time_limit:
                self.pool[index] = self._replace(worker, overdue=worker.queue[0])

    def _timeout(self) -> int | None:
        """Milliseconds until the earliest deadline (None: wait for an event)."""
        if self.time_limit is None:
            return None
        starts = [s for s in (worker.started() for worker in self.pool) if s is not None]
        if not starts:
            return None
        return max(0, int((min(starts) + self.time_limit - time.monotonic()) * 1000) + 1)

    def _collect(self, worker: _Worker) -> None:
        for seq, outcome, times, value in worker.receive():
            self.in_flight -= _chars(self.running.pop(seq))
            self.done[seq] = outcome, value
            add_times(self.timings, self.names, times)

    def _replace(self, worker: _Worker, overdue: int | None) -> _Worker:
        """Stop `worker`, keep what it finished, fail the document it was stuck on or died in, hand
        the rest of its documents to a new worker."""
        worker.stop(kill=True)
        self._collect(worker)
        exitcode = worker.process.exitcode
        worker.close()
        state_seq, step_index = worker.state[0], worker.state[1]
        lost = list(worker.queue)
        # Killed for a document that finished in the meantime: nothing failed, all is run again.
        if lost and (overdue is None or overdue == lost[0]):
            seq = lost.pop(0)
            doc = self.running.pop(seq)
            self.in_flight -= _chars(doc)
            step = self.names[step_index] if state_seq == seq and 0 <= step_index < len(self.names) else None
            self.done[seq] = self._failure(doc, step, exitcode, overdue is not None), None
        self.again = deque(sorted([*self.again, *lost]))
        return self._start()

    def _failure(self, doc: Document, step: str | None, exitcode: int | None, overdue: bool) -> Failed:
        where = step or "a step"
        if overdue and self.time_limit is not None:
            return timeout_failure(doc, step, self.time_limit)
        return document_failure(
            doc, reasons.WORKER_CRASHED,
            f"{where}: the worker process died on {doc.id} ({_how(exitcode)}); the document was skipped")



def _chars(doc: Document) -> int:
    return len(doc.text) + len(doc.html or "")


def _how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"
