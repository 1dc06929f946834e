"""What runs in a worker process: a document through the steps (`run_document`, in the local engine's
supervised workers and in the dask engine's alike), and a supervised worker's life (`worker_main`):
batches read from its task pipe, one result per document sent back, the document and step it is on
written where the main process can read them (engines/supervised.py, the main process's side).

The task pipe's wire format is defined here: each batch a pickle of [(number, document), ...]
behind an 8-byte length (`FRAME`).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import signal
import struct
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, ClassVar, Final, Protocol

from curate import reasons
from curate.document import Document, Failed, Outcome
from curate.pipeline import DocumentStep, document_failure
from curate.timing import Timings

StepFactory = Callable[[], Sequence[DocumentStep]]


class FollowUp(Protocol):
    """Work for a later main-process step done in the workers, while every core is busy anyway
    (steps/dedup/relay.py): `compute` runs in the worker on each document the steps kept (its time
    is timed as a worker step named `name`; an error makes the value None), and `receive` in the
    main process with that value as the engine emits the document, in output order."""

    name: ClassVar[str]

    def compute(self, doc: Document) -> Any: ...

    def receive(self, doc: Document, value: Any) -> None: ...


# Pipes start at 64 KiB on Linux; a larger one takes a whole batch in one write (best effort).
PIPE_BYTES: Final = 1 << 20
FRAME: Final = struct.Struct("!Q")
NO_STEP: Final = -1  # the step index a worker's state holds between steps
_PR_SET_PDEATHSIG: Final = 1  # linux/prctl.h


def run_document(steps: Sequence[DocumentStep], doc: Document,
                 state: Any = None) -> tuple[Outcome, tuple[float, ...]]:
    """One document through the steps until one drops or fails it; with (CPU, wall) seconds per step
    run, flattened. `state`, when given, is told the index of the step running."""
    times: list[float] = []
    outcome: Outcome = doc
    # One clock reading between two steps ends the first and starts the second: a CPU clock is a
    # system call, and one of these per step instead of two is noticeable in a busy worker.
    cpu, wall = time.process_time(), time.perf_counter()
    for index, step in enumerate(steps):
        if state is not None:
            state[1] = index
        outcome = step.guarded(doc)
        now_cpu, now_wall = time.process_time(), time.perf_counter()
        times += (now_cpu - cpu, now_wall - wall)
        cpu, wall = now_cpu, now_wall
        if not isinstance(outcome, Document):
            break
        doc = outcome
    return outcome, tuple(times)


def add_times(timings: Timings | None, names: Sequence[str], times: tuple[float, ...]) -> None:
    if timings is not None:
        for index in range(0, len(times), 2):
            timings.add_worker(names[index // 2], times[index], times[index + 1])


def timeout_failure(doc: Document, step: str | None, limit: float) -> Failed:
    """A document that ran past the time limit in `step` (None: not known), its worker process stopped."""
    return document_failure(
        doc, reasons.STEP_TIMEOUT,
        f"{step or 'a step'}: took longer than {limit:g} s on {doc.id}, the time limit per document; "
        "its worker process was stopped and the document skipped")


def worker_main(steps: Sequence[DocumentStep] | StepFactory, tasks: Connection, results: Connection,
                state: Any, inherited: Sequence[int], parent: int, follow_up: FollowUp | None) -> None:
    """A worker's life: read batches until the task pipe closes, send one result per document."""
    _die_with(parent)
    for fd in inherited:  # the main process's ends of every pipe: an open copy would hide its EOF
        with contextlib.suppress(OSError):
            os.close(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    # What the fork inherited (the built steps, their rules and language profiles) lives as long as
    # the worker: out of the collector's reach, its full collections stay small and leave the
    # shared pages unwritten (no copy-on-write; the gc module's advice for fork without exec).
    gc.freeze()
    if callable(steps):
        steps = steps()
    fd = tasks.fileno()
    while (payload := _read_frame(fd)) is not None:
        for seq, doc in pickle.loads(payload):
            state[0], state[1] = seq, NO_STEP
            outcome, times = run_document(steps, doc, state)
            value = None
            if follow_up is not None and isinstance(outcome, Document):
                state[1] = len(steps)  # a time limit hit here names the follow-up
                value, times = _follow_up(follow_up, outcome, times)
            results.send_bytes(pickle.dumps((seq, outcome, times, value), pickle.HIGHEST_PROTOCOL))


def _follow_up(follow_up: FollowUp, doc: Document, times: tuple[float, ...]) -> tuple[Any, tuple[float, ...]]:
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        value = follow_up.compute(doc)
    except Exception:  # the main-process step does the work itself instead
        value = None
    return value, (*times, time.process_time() - cpu, time.perf_counter() - wall)


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when the main process dies (Linux): a main process killed
    mid-run must not leave a worker stuck on a document that never ends."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker ends at its next read of the task pipe
        return
    if os.getppid() != parent:  # the main process died before the request was made
        os._exit(1)


def _read_frame(fd: int) -> bytes | None:
    header = _read_exactly(fd, FRAME.size)
    if header is None:
        return None
    return _read_exactly(fd, FRAME.unpack(header)[0])


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, PIPE_BYTES))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
