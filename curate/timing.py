"""Where a run's time goes: CPU and wall seconds per step, for summary.json's `timing` (issue 9).

Two kinds of step share one `Timings`:

- `workers`: the per-document steps (extract, strip, repair, langid, filter, and `fingerprint`, the
  dedup work done in the workers: engines/worker.FollowUp), timed around each document in
  whichever process ran it and summed over all workers; with two workers their wall
  seconds add up to about twice the run's elapsed time when both are busy all along.
- `main`: what the main process spends itself: reading and decoding inputs (`read`), handing
  documents to the workers and waiting for them (the engine, e.g. `local`), the stream steps
  (`learn`, `dedup`), adding documents to the store (`write`), `commit`, and writing `reports`.

Stream steps are chained generators, so timing one `next()` also times the steps upstream of it.
`clock` records each stage's inclusive time and `to_json` subtracts the stage before it, which
leaves each step its own share.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class StepTime:
    """Seconds one step took, summed over the documents (or calls) counted in `documents`."""

    cpu: float = 0.0
    wall: float = 0.0
    documents: int = 0

    def add(self, cpu: float, wall: float, documents: int = 0) -> None:
        self.cpu += cpu
        self.wall += wall
        self.documents += documents

    def to_json(self, *, documents: bool) -> dict[str, Any]:
        entry: dict[str, Any] = {"cpu_seconds": round(self.cpu, 3), "wall_seconds": round(self.wall, 3)}
        if documents:
            entry["documents"] = self.documents
        return entry


class Timings:
    """Per-step CPU and wall seconds of one run, in the main process and over its workers."""

    def __init__(self) -> None:
        self.workers: dict[str, StepTime] = {}
        self.main: dict[str, StepTime] = {}
        # Stages of a generator chain, upstream first: name and inclusive time (see `clock`).
        self._chain: list[tuple[str, StepTime]] = []

    def add_worker(self, name: str, cpu: float, wall: float, documents: int = 1) -> None:
        self.workers.setdefault(name, StepTime()).add(cpu, wall, documents)

    def add_main(self, name: str, cpu: float, wall: float) -> None:
        self.main.setdefault(name, StepTime()).add(cpu, wall)

    @contextlib.contextmanager
    def timed(self, name: str) -> Iterator[None]:
        """Time a block of the main process under `name` (CPU of this thread only)."""
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            yield
        finally:
            self.add_main(name, time.thread_time() - cpu, time.perf_counter() - wall)

    def clock(self, name: str, items: Iterable[T]) -> Iterator[T]:
        """`items`, timing every `next()`; call once per stage of a chain, from upstream down (the
        order of the calls, not of the first `next()`, which comes from downstream)."""
        spent = StepTime()
        self._chain.append((name, spent))
        return self._clocked(iter(items), spent)

    @staticmethod
    def _clocked(iterator: Iterator[T], spent: StepTime) -> Iterator[T]:
        while True:
            cpu, wall = time.thread_time(), time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                spent.add(time.thread_time() - cpu, time.perf_counter() - wall)
            yield item

    def main_steps(self) -> dict[str, StepTime]:
        """Main-process seconds per step: the chain's stages made exclusive, then the timed blocks."""
        steps: dict[str, StepTime] = {}
        upstream = StepTime()
        for name, inclusive in self._chain:
            own = steps.setdefault(name, StepTime())
            own.add(max(0.0, inclusive.cpu - upstream.cpu), max(0.0, inclusive.wall - upstream.wall))
            upstream = inclusive
        for name, spent in self.main.items():
            steps.setdefault(name, StepTime()).add(spent.cpu, spent.wall)
        return steps

    def to_json(self) -> dict[str, Any]:
        return {
            "main": {name: t.to_json(documents=False) for name, t in self.main_steps().items()},
            "workers": {name: t.to_json(documents=True) for name, t in self.workers.items()},
        }
