"""The Dask engine: the per-document steps as Dask tasks over shards of documents, on a cluster.

`curate clean --engine dask [--scheduler ADDR]` connects to a running Dask scheduler, or starts a
`distributed.LocalCluster` of `--workers` single-threaded worker processes bound to 127.0.0.1 when
no address is given. `DaskSession` owns that client (and cluster) for one run;
`DaskEngine` is a drop-in for `LocalEngine` (same step factory, same `run(docs) -> outcomes` in
input order); `dask_dedup.DaskDedup` is the dedup step's Dask form.

How a run is shaped (research/reliability.md B11):

- Shards of `SHARD_SIZE` documents go to `_run_shard` tasks; at most `in_flight` shards (twice the
  cluster's worker threads) are outstanding, and results are consumed in input order, so client
  memory is bounded by the shards in flight and the corpus is byte-identical to the local engine's.
- Tasks write nothing: a shard's outcomes (documents, drops, failures) come back as the task's
  result and only the client commits the version. A task that runs twice (a retry, work stealing, a
  worker that died mid-task) computes the same outcomes and the duplicate is simply discarded.
- Task keys carry a per-run id and the shard number (Dask deduplicates pure calls by key).
- A worker process that dies while running a shard (killed, out of memory) makes the scheduler
  re-run the shard elsewhere; after `distributed.scheduler.allowed-failures` deaths it raises
  `KilledWorker`. The shard is then re-run one document at a time, so only the documents that kill
  their worker on their own fail (`worker_crashed`, as on the local engine); the run goes on.
- Each worker thread builds its steps once per run (cached under a per-run token), from the
  picklable configs, as local pool workers do. The session checks that every worker runs the
  client's curate version.
- The per-document time limit (`--time-limit`, as on the local engine): a task runs its documents
  in a thread of its own and watches it. A thread cannot be stopped, so when a document runs past
  the limit the task records the timeout in the scheduler's metadata (the run, the task key, the
  document's place in the shard, the step) and kills its worker process; the nanny starts a new one
  and the scheduler runs the shard again, which reads the record and fails that document as
  `step_timeout` without running it. One runaway document costs one limit and one worker restart. A
  worker started without a nanny (`dask worker --no-nanny`) is not restarted: the cluster shrinks.
  The watching thread needs the GIL to wake: C code that holds it and never returns holds the shard.

Rule files given with `--rules` must be readable at the same path on every worker.

Dask is an optional extra (`pip install 'curate[dask]'`); it is imported only when a session
starts, so curate works without it.
"""

from __future__ import annotations

import itertools
import os
import queue
import signal
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, ClassVar, Final, NoReturn

from curate import reasons
from curate.document import Document, Failed, Outcome
from curate.engines.worker import StepFactory, add_times, run_document, timeout_failure
from curate.errors import ConfigError
from curate.pipeline import DEFAULT_TIME_LIMIT, DocumentStep
from curate.timing import Timings
from curate.version import __version__

# Documents per task: large enough that Dask's per-task overhead (~1 ms plus the round trip) is
# noise against extracting a few dozen pages, small enough that a retried shard costs little.
SHARD_SIZE: Final = 32
# What a shard task returns: the step names, then per document its outcome and (CPU, wall) seconds
# per step run (engines/worker.py `run_document`).
ShardResult = tuple[list[str], list[tuple[Outcome, tuple[float, ...]]]]
INSTALL_HINT: Final = "the Dask engine needs the dask extra: pip install 'curate[dask]'"


def require_dask() -> Any:
    """The `distributed` module, or a ConfigError naming the extra to install."""
    try:
        import distributed
    except ImportError as exc:
        raise ConfigError(f"{INSTALL_HINT} ({exc})") from None
    return distributed


def patient_cluster_config() -> Any:
    """A `dask.config.set` context in which a LocalCluster waits 10 minutes for a lost worker.

    A worker stopped for a time limit is restarted by its nanny; the LocalCluster closes that nanny
    if the new worker has not registered within `distributed.deploy.lost-worker-timeout` (15 s by
    default), which a loaded machine can miss, leaving the cluster a worker short for the rest of the run.
    """
    import dask

    return dask.config.set({"distributed.deploy.lost-worker-timeout": "600s"})


class DaskSession:
    """A Dask client for one run: connected to `scheduler`, or to a LocalCluster it starts and stops."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        self.scheduler = scheduler
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.run_id = uuid.uuid4().hex[:12]  # in every task key, so runs never share a key
        self._client: Any = None
        self._cluster: Any = None
        self._config: Any = None
        self._tasks = itertools.count()

    def __enter__(self) -> DaskSession:
        distributed = require_dask()
        try:
            if self.scheduler:
                self._client = distributed.Client(self.scheduler, set_as_default=False)
            else:
                self._config = patient_cluster_config()
                self._config.__enter__()
                # Loopback only, the scheduler's HTTP port a free one: nothing listens on an outside
                # interface (CVE-2021-42343), and parallel runs never fight over port 8787.
                self._cluster = distributed.LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address=":0")
                self._client = distributed.Client(self._cluster, set_as_default=False)
            self._check_workers()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the client, then the cluster this session started (never an external one)."""
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._config is not None:
            self._config.__exit__(None, None, None)
            self._config = None

    @property
    def client(self) -> Any:
        if self._client is None:
            raise RuntimeError("the Dask session is not open (use it as a context manager)")
        return self._client

    @property
    def threads(self) -> int:
        """Worker threads in the cluster now (at least 1)."""
        nthreads: dict[str, int] = self.client.nthreads()
        return max(1, sum(nthreads.values()))

    def key(self, kind: str) -> str:
        """A task key unique to this run: `curate-<kind>-<run id>-<n>`."""
        return f"curate-{kind}-{self.run_id}-{next(self._tasks)}"

    def engine(self, factory: StepFactory, timings: Timings | None = None,
               time_limit: float | None = DEFAULT_TIME_LIMIT) -> DaskEngine:
        return DaskEngine(self, factory, timings=timings, time_limit=time_limit)

    def _check_workers(self) -> None:
        """Every worker must run this curate version, or outputs could differ by worker."""
        versions = self.client.run(_curate_version)
        wrong = sorted(f"{worker}: {version}" for worker, version in versions.items() if version != __version__)
        if wrong:
            raise ConfigError(f"Dask workers run another curate version than this client ({__version__}): "
                              + ", ".join(wrong))


def _curate_version() -> str:
    return __version__


class DaskEngine:
    """A composite step: the document steps of `factory`, run as Dask tasks over shards."""

    name: ClassVar[str] = "dask"

    def __init__(self, session: DaskSession, factory: StepFactory, shard_size: int = SHARD_SIZE,
                 timings: Timings | None = None, time_limit: float | None = DEFAULT_TIME_LIMIT) -> None:
        self.session = session
        self.factory = factory
        self.shard_size = shard_size
        self.timings = timings  # receives each step's seconds, as measured on the workers
        self.time_limit = time_limit if time_limit and time_limit > 0 else None  # seconds per document
        # Names this run's steps in each worker's cache, so a worker serving many runs never mixes them.
        self.token = uuid.uuid4().hex

    def run(self, docs: Iterable[Document]) -> Iterator[Outcome]:
        in_flight = 2 * self.session.threads
        pending: deque[tuple[list[Document], Any]] = deque()
        for shard in _shards(docs, self.shard_size):
            pending.append((shard, self._submit(shard)))
            if len(pending) >= in_flight:
                yield from self._collect(*pending.popleft())
        while pending:
            yield from self._collect(*pending.popleft())

    def _submit(self, shard: list[Document]) -> Any:
        return self.session.client.submit(_run_shard, self.token, self.factory, shard, self.time_limit,
                                          key=self.session.key("steps"))

    def _collect(self, shard: list[Document], future: Any) -> list[Outcome]:
        """The shard's outcomes; if its workers kept dying, each document tried on its own."""
        distributed = require_dask()
        try:
            return self._outcomes(future.result())
        except distributed.KilledWorker:
            return self._one_by_one(shard)
        finally:
            future.release()

    def _one_by_one(self, shard: list[Document]) -> list[Outcome]:
        """Each document of a shard whose workers kept dying, run alone, one after another: a worker
        that dies now dies of that document, and no other document shares its task or its worker."""
        distributed = require_dask()
        outcomes: list[Outcome] = []
        for doc in shard:
            future = self._submit([doc])
            try:
                outcomes.extend(self._outcomes(future.result()))
            except distributed.KilledWorker as exc:
                outcomes.append(_worker_died(doc, exc))
            finally:
                future.release()
        return outcomes

    def _outcomes(self, result: ShardResult) -> list[Outcome]:
        names, timed = result
        for _, times in timed:
            add_times(self.timings, names, times)
        return [outcome for outcome, _ in timed]


def _shards(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(docs)
    while shard := list(itertools.islice(it, size)):
        yield shard


def _worker_died(doc: Document, exc: BaseException) -> Failed:
    record = doc.meta.get("record")
    return Failed(doc.source, str(record) if record is not None else doc.id, reasons.WORKER_CRASHED,
                  f"dask: every worker that ran {doc.id} died ({type(exc).__name__}); the document was skipped",
                  doc.id)


# Worker side. Steps are built once per worker thread and run: steps hold compiled rules
# and loaded models, so building them per task would dominate, and a thread-local cache never hands
# one step object to two threads at once.
_cache = threading.local()


def _steps_for(token: str, factory: StepFactory) -> Sequence[DocumentStep]:
    built: dict[str, Sequence[DocumentStep]] = getattr(_cache, "steps", None) or {}
    if token not in built:
        built = {token: factory()}  # one run's steps at a time: a new run's configs replace them
        _cache.steps = built
    return built[token]


def _run_shard(token: str, factory: StepFactory, docs: list[Document],
               time_limit: float | None = None) -> ShardResult:
    """A task: the step names and each document's outcome and step times, in order. Pure but for
    the timeout records it leaves in the scheduler's metadata, so a rerun is harmless."""
    steps = _steps_for(token, factory)
    names = [step.name for step in steps]
    if time_limit is None:
        return names, [run_document(steps, doc) for doc in docs]
    return names, _ShardWatch(token, names, time_limit).run(steps, docs)


# The scheduler metadata under which a task records the documents that ran out of time:
# [_TIMEOUTS, run token, task key, place in the shard] -> [step name, time limit].
_TIMEOUTS: Final = "curate-timeouts"
_UNKNOWN_STEP: Final = -1


class _ShardWatch:
    """Runs a shard's documents in a thread of its own and stops the worker process when one of them
    runs past the time limit (a thread cannot be stopped); documents an earlier attempt of the same
    task timed out on are failed without running."""

    def __init__(self, token: str, names: list[str], time_limit: float) -> None:
        distributed = require_dask()
        self.names, self.time_limit = names, time_limit
        self.client = distributed.get_client()
        self.where = [_TIMEOUTS, token, str(distributed.get_worker().get_current_task())]
        self.events: queue.SimpleQueue[tuple[str, int, Any]] = queue.SimpleQueue()
        self.step = [0, _UNKNOWN_STEP]  # run_document's state: [unused, index of the step running]

    def run(self, steps: Sequence[DocumentStep], docs: list[Document]) -> list[tuple[Outcome, tuple[float, ...]]]:
        timed_out: dict[str, list[Any]] = self.client.get_metadata(self.where, default={})
        results: list[tuple[Outcome, tuple[float, ...]]] = []
        runner = threading.Thread(target=self._work, args=(steps, docs, timed_out), daemon=True,
                                  name="curate-shard")
        runner.start()
        deadline: float | None = None
        while len(results) < len(docs):
            try:
                event, place, value = self.events.get(
                    timeout=None if deadline is None else max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self._stop_worker(len(results))
            if event == "start":
                deadline = value + self.time_limit
            elif event == "done":
                results.append(value)
                deadline = None
            else:  # the runner itself broke (not a step: steps turn their errors into outcomes)
                raise value
        runner.join()
        return results

    def _work(self, steps: Sequence[DocumentStep], docs: list[Document], timed_out: dict[str, list[Any]]) -> None:
        try:
            for place, doc in enumerate(docs):
                if str(place) in timed_out:
                    step, limit = timed_out[str(place)]
                    self.events.put(("done", place, (timeout_failure(doc, step, limit), ())))
                    continue
                self.step[1] = _UNKNOWN_STEP
                self.events.put(("start", place, time.monotonic()))
                self.events.put(("done", place, run_document(steps, doc, self.step)))
        except BaseException as exc:
            self.events.put(("error", -1, exc))

    def _stop_worker(self, place: int) -> NoReturn:
        """Record the timeout where the task's next attempt will read it, then kill this worker process."""
        index = self.step[1]
        step = self.names[index] if 0 <= index < len(self.names) else None
        self.client.set_metadata([*self.where, str(place)], [step, self.time_limit])
        os.kill(os.getpid(), signal.SIGKILL)
        os._exit(1)  # not reached: SIGKILL cannot be caught

