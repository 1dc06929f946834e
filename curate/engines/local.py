"""The local engine: per-document steps in supervised worker processes, results in input order.

Order is kept so the corpus is byte-identical whatever the worker count. Documents run in worker
processes watched by this one (engines/supervised.py), which is what makes the per-document time
limit hold for any step, C code included, and a crashing worker cost one document.

Small runs, whose documents all fit in the first look-ahead batch, use one worker; a run of one
worker with no time limit runs in this process (nothing to supervise, nothing to gain from a
second process).
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import ClassVar

from curate.document import Document, Outcome
from curate.engines.supervised import SupervisedPool
from curate.engines.worker import FollowUp, StepFactory, add_times, run_document
from curate.pipeline import DEFAULT_TIME_LIMIT, DocumentStep, Step
from curate.timing import Timings

__all__ = ["LocalEngine", "StepFactory", "apply_all", "supervise"]

# Below this many documents one worker does the job: a second one would mostly sit idle.
_ONE_WORKER_BELOW = 64


def apply_all(steps: Sequence[DocumentStep], doc: Document) -> Outcome:
    """Run one document through the steps until one drops or fails it (no time limit)."""
    return run_document(steps, doc)[0]


class LocalEngine:
    """A composite step: the document steps of `factory`, run in `workers` processes.

    `time_limit` is the seconds one document may take through all the steps (None or 0: no limit);
    past it the document fails as `step_timeout`. `timings`, when given, receives the CPU and wall
    seconds each step spent, summed over the workers. `follow_up`: work for a later step done in
    the worker processes (worker.FollowUp); not done when the steps run in this process.
    """

    name: ClassVar[str] = "local"

    def __init__(self, factory: StepFactory, workers: int | None = None,
                 time_limit: float | None = DEFAULT_TIME_LIMIT, timings: Timings | None = None,
                 follow_up: FollowUp | None = None) -> None:
        self.factory = factory
        self.follow_up = follow_up
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.time_limit = time_limit if time_limit and time_limit > 0 else None
        self.timings = timings

    def run(self, docs: Iterable[Document]) -> Iterator[Outcome]:
        docs = iter(docs)
        head = list(itertools.islice(docs, _ONE_WORKER_BELOW))
        if not head:
            return
        workers = self.workers if len(head) == _ONE_WORKER_BELOW else 1
        stream = itertools.chain(head, docs)
        if workers == 1 and self.time_limit is None:
            yield from self._in_process(stream)
        else:
            pool = SupervisedPool(self.factory, workers, self.time_limit, self.timings, follow_up=self.follow_up)
            yield from pool.run(stream)

    def _in_process(self, docs: Iterator[Document]) -> Iterator[Outcome]:
        steps = self.factory()
        names = [step.name for step in steps]
        for doc in docs:
            outcome, times = run_document(steps, doc)
            add_times(self.timings, names, times)
            yield outcome


def supervise(steps: Sequence[Step], *, workers: int | None = 1,
              time_limit: float | None = DEFAULT_TIME_LIMIT) -> list[Step]:
    """`steps` with each run of consecutive per-document steps put in one LocalEngine, so that they
    get the time limit and crash isolation of `clean` (the one-step commands' steps, already built:
    a forked worker inherits them as they are)."""
    chained: list[Step] = []
    group: list[DocumentStep] = []
    for step in [*steps, None]:
        if isinstance(step, DocumentStep):
            group.append(step)
            continue
        if group:
            chained.append(LocalEngine(functools.partial(tuple, group), workers, time_limit))
            group = []
        if step is not None:
            chained.append(step)
    return chained
