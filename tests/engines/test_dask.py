"""The Dask engine against the local one, on a real `distributed.LocalCluster` of 2 worker processes.

Its corpus versions must be byte-identical to the local engine's (shards, index arrays, manifests but
for the time of creation, provenance reports), with duplicates dropped by the same decisions, and a
worker dying mid-run must change nothing. One cluster serves the module; the CLI test starts its own
(the path a user without a scheduler takes) and checks that no process outlives it.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest
from click.testing import CliRunner

from curate import reasons
from curate.cli import main
from curate.config import CleanConfig
from curate.document import Document, Dropped, Outcome
from curate.engines.dask import DaskEngine, DaskSession, patient_cluster_config
from curate.engines.dask_dedup import DaskDedup
from curate.engines.local import LocalEngine
from curate.pipeline import DocumentStep
from curate.rules.spec import RuleSpec
from curate.runner import document_steps
from curate.steps.dedup.fingerprint import DedupConfig, DedupIndex
from curate.steps.dedup.step import Dedup
from curate.store import Store

distributed = pytest.importorskip("distributed")
psutil = pytest.importorskip("psutil")

WORDS = ["harbour", "ferry", "bridge", "council", "river", "stone", "market", "night", "crossing", "repairs",
         "engineers", "trial", "budget", "tunnel", "vote", "mayor", "station", "cable", "rail", "strike"]


def _article(i: int) -> str:
    paragraphs = [" ".join(WORDS[(i * 7 + p * 3 + k * (1 + i % 5)) % len(WORDS)] for k in range(30 + p + i % 11))
                  for p in range(4)]
    return ".\n\n".join(paragraphs) + "."


def _crawl_lines(start: int, count: int) -> list[str]:
    """Articles with exact and near duplicates (one word changed) among them, and one HTML page."""
    lines = []
    for i in range(start, start + count):
        text = _article(i)
        if i % 9 == 4:
            text = _article(i - 3)  # an exact copy of an earlier article
        elif i % 7 == 5:
            text = _article(i - 2).replace("river", "canal", 1)  # a near duplicate
        lines.append(orjson.dumps({"id": f"d{i}", "url": f"https://news{i % 3}.example/{i}", "text": text}).decode())
    page = f"<html><head><title>Page {start}</title></head><body><nav>Home | News</nav><article><p>{_article(start + 500)}" \
           f"</p></article><footer>All rights reserved</footer></body></html>"
    lines.append(orjson.dumps({"id": f"page{start}", "html": page}).decode())
    lines.append("{not json")  # a record the reader fails: counted the same on both engines
    return lines


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    # Workers import this module to run the test steps below: spawned processes (restarted ones too)
    # start with this process's sys.path, so the repository root on it lets them find `tests.…`.
    root = str(Path(__file__).resolve().parents[2])
    sys.path.insert(0, root)
    try:
        with patient_cluster_config(), distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0") as local:
            yield local
    finally:
        sys.path.remove(root)


@pytest.fixture
def session(cluster: Any) -> Iterator[DaskSession]:
    with DaskSession(cluster.scheduler_address) as opened:
        yield opened


def _store_bytes(store: Path, reports: Path) -> dict[str, Any]:
    """Every object, every manifest without its creation time and its run's own fields (times, paths),
    every provenance report."""
    found: dict[str, Any] = {p.relative_to(store).as_posix(): p.read_bytes()
                             for p in (store / "objects").rglob("*") if p.is_file()}
    for path in sorted((store / "versions").glob("v*/manifest.json")):
        manifest = orjson.loads(path.read_bytes())
        manifest.pop("created")
        manifest["ledger"].pop("run")
        found[path.relative_to(store).as_posix()] = manifest
    for path in sorted(reports.glob("v*/files/*.json")):
        found[path.relative_to(reports).as_posix()] = path.read_bytes()
    return found


def _worker_processes() -> set[int]:
    """Child processes, but for multiprocessing's resource tracker (one per interpreter, for its life)."""
    return {p.pid for p in psutil.Process().children(recursive=True)
            if "resource_tracker" not in " ".join(p.cmdline())}


def test_cli_dask_versions_are_byte_identical_to_local_and_leave_no_process(tmp_path: Path, cluster: Any) -> None:
    """The first version on a cluster the command starts (and must stop), the second on `--scheduler`."""
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(_crawl_lines(0, 40)) + "\n", encoding="utf-8")
    # The second crawl repeats part of the first: dropped against the parent version's index.
    second.write_text("\n".join(_crawl_lines(30, 30)) + "\n", encoding="utf-8")
    before = _worker_processes()
    results = {}
    for engine in ("local", "dask"):
        store, reports = tmp_path / f"store-{engine}", tmp_path / f"reports-{engine}"
        for crawl, scheduler in ((first, []), (second, ["--scheduler", cluster.scheduler_address])):
            args = ["clean", str(crawl), "--store", str(store), "--reports", str(reports), "--workers", "2",
                    "--engine", engine, *(scheduler if engine == "dask" else [])]
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 1, result.output  # 1: the bad JSON line failed
            assert "bad_json" in result.stderr
        results[engine] = _store_bytes(store, reports)
    assert results["dask"] == results["local"]
    counts = orjson.loads((tmp_path / "store-dask/versions/v0002/manifest.json").read_bytes())["counts"]
    assert counts["dropped"]["near_duplicate"] and counts["dropped"]["exact_duplicate"]
    assert len([k for k in results["dask"] if k.endswith(".jsonl.zst")]) >= 2
    assert _worker_processes() <= before  # the cluster the first dask run started is gone


def _outcome_json(outcome: Outcome) -> dict[str, Any]:
    if isinstance(outcome, Document):
        return {"kept": outcome.to_json(provenance=True, html=True)}
    if isinstance(outcome, Dropped):
        return {"dropped": outcome.reason, "detail": dict(outcome.detail),
                "doc": outcome.document.to_json(provenance=True, html=True)}
    return {"failed": outcome.reason, "message": outcome.message, "record": outcome.record, "id": outcome.document_id}


def _docs(count: int) -> list[Document]:
    return [Document(id=f"d{i}", source="crawl.jsonl", text=_article(i), meta={"record": i}) for i in range(count)]


class FailOn(DocumentStep):
    """Raises on one document: the engine must turn it into the same Failed as the local engine."""

    name = "fail_on"

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id

    def apply(self, doc: Document) -> Document:
        if doc.id == self.doc_id:
            raise ValueError(f"cannot handle {doc.id}")
        return doc


class KillWorker(DocumentStep):
    """Kills the worker process running it on one document: the first time only, or every time."""

    name = "kill_worker"

    def __init__(self, doc_id: str, marker: Path | None) -> None:
        self.doc_id, self.marker = doc_id, marker

    def apply(self, doc: Document) -> Document:
        if doc.id == self.doc_id and (self.marker is None or not self.marker.exists()):
            if self.marker is not None:
                self.marker.touch()
            os._exit(1)  # a real death: no cleanup, no exception the engine could catch
        return doc


class Stall(DocumentStep):
    """Never finishes on one document within the test: sleeping (the GIL released) or spinning in
    Python code (the GIL taken back every switch interval)."""

    name = "stall"

    def __init__(self, doc_id: str, spin: bool) -> None:
        self.doc_id, self.spin = doc_id, spin

    def apply(self, doc: Document) -> Document:
        if doc.id == self.doc_id:
            end = time.monotonic() + 120
            while time.monotonic() < end:
                if not self.spin:
                    time.sleep(1)
        return doc


def _steps_with(extra: Sequence[DocumentStep], config: CleanConfig, rules: RuleSpec) -> list[DocumentStep]:
    return [*extra, *document_steps(config, rules)]


def _outcomes(engine: DaskEngine | LocalEngine, docs: list[Document]) -> list[dict[str, Any]]:
    return [_outcome_json(o) for o in engine.run(docs)]


def test_a_failing_document_is_accounted_as_on_the_local_engine(session: DaskSession) -> None:
    factory = functools.partial(_steps_with, [FailOn("d13")], CleanConfig(), RuleSpec())
    local = _outcomes(LocalEngine(factory, 1), _docs(24))
    dask = _outcomes(DaskEngine(session, factory, shard_size=4), _docs(24))
    assert dask == local
    assert local[13]["failed"] == reasons.STEP_ERROR and "cannot handle d13" in local[13]["message"]


def test_a_worker_killed_mid_run_changes_nothing(session: DaskSession, tmp_path: Path) -> None:
    plain = functools.partial(_steps_with, [], CleanConfig(), RuleSpec())
    killing = functools.partial(_steps_with, [KillWorker("d13", tmp_path / "killed")], CleanConfig(), RuleSpec())
    dask = _outcomes(DaskEngine(session, killing, shard_size=4), _docs(24))
    assert (tmp_path / "killed").exists()  # a worker did die running d13's shard, which was run again
    assert dask == _outcomes(LocalEngine(plain, 1), _docs(24))


def test_a_document_that_kills_every_worker_fails_alone(session: DaskSession, cluster: Any) -> None:
    factory = functools.partial(_steps_with, [KillWorker("d5", None)], CleanConfig(), RuleSpec())
    allowed = cluster.scheduler.allowed_failures
    cluster.scheduler.allowed_failures = 0  # KilledWorker at the first death, to keep the test short
    try:
        dask = _outcomes(DaskEngine(session, factory, shard_size=4), _docs(8))
    finally:
        cluster.scheduler.allowed_failures = allowed
    plain = functools.partial(_steps_with, [], CleanConfig(), RuleSpec())
    local = _outcomes(LocalEngine(plain, 1), _docs(8))
    assert dask[5]["failed"] == reasons.WORKER_CRASHED and "died" in dask[5]["message"], dask[5]
    assert dask[:5] + dask[6:] == local[:5] + local[6:]


@pytest.mark.parametrize("spin", [False, True], ids=["sleeping", "spinning"])
def test_a_document_past_the_time_limit_fails_as_on_the_local_engine(session: DaskSession, spin: bool) -> None:
    """The worker running it is stopped, the shard runs again without it, every other document is kept."""
    factory = functools.partial(_steps_with, [Stall("d6", spin)], CleanConfig(), RuleSpec())
    started = time.monotonic()
    dask = _outcomes(DaskEngine(session, factory, shard_size=4, time_limit=1.0), _docs(12))
    assert time.monotonic() - started < 60  # not the 120 s the step would take
    local = _outcomes(LocalEngine(factory, 1, time_limit=1.0), _docs(12))
    assert dask[6]["failed"] == reasons.STEP_TIMEOUT, dask[6]
    assert dask[6]["message"].startswith("stall: took longer than 1 s on d6"), dask[6]
    assert dask == local
    session.client.wait_for_workers(2, timeout=60)  # the nanny started a new worker for the stopped one


def test_without_a_time_limit_a_shard_runs_in_the_task_thread(session: DaskSession) -> None:
    factory = functools.partial(_steps_with, [FailOn("d2")], CleanConfig(), RuleSpec())
    dask = _outcomes(DaskEngine(session, factory, shard_size=4, time_limit=None), _docs(8))
    assert dask == _outcomes(LocalEngine(factory, 1, time_limit=None), _docs(8))


def _dedup_docs() -> list[Document]:
    docs = []
    for i in range(300):
        text = _article(i)
        if i % 9 == 4:
            text = _article(i - 3)
        elif i % 7 == 5:
            text = _article(i - 2).replace("river", "canal", 1)
        elif i % 13 == 0:
            text = "Read more"  # short: exact matching only
        docs.append(Document(id=f"n{i}", source="crawl.jsonl", text=text, meta={"date": f"2024-01-{i % 28 + 1:02d}"}))
    return docs


@pytest.mark.parametrize("keep", ["first", "longest", "newest"])
def test_dask_dedup_makes_the_local_decisions(session: DaskSession, keep: str) -> None:
    config = DedupConfig(keep=keep, batch=64)
    parent = DedupIndex.from_texts(config, [(f"old{i}", _article(i + 290)) for i in range(20)], version="v0001")
    indexes = [DedupIndex(config, parent.parts) for _ in range(2)]
    local = [_outcome_json(o) for o in Dedup(config, indexes[0]).run(_dedup_docs())]
    dask_step = DaskDedup(session, config, indexes[1])
    dask = [_outcome_json(o) for o in dask_step.run(_dedup_docs())]
    assert dask == local
    reasons_seen = {o.get("dropped") for o in local}
    assert {reasons.EXACT_DUPLICATE, reasons.NEAR_DUPLICATE} <= reasons_seen
    assert any(o.get("detail", {}).get("duplicate_version") == "v0001" for o in local)
    local_arrays, dask_arrays = indexes[0].new_part_arrays(), indexes[1].new_part_arrays()
    assert local_arrays.keys() == dask_arrays.keys()
    assert all(np.array_equal(local_arrays[k], dask_arrays[k]) for k in local_arrays)
    assert 0 < dask_step.shared_keys < 17 * 300  # only keys of two or more documents reached the client


def test_engine_dask_without_dask_installed_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now raises ImportError
    result = CliRunner().invoke(main, ["clean", "--engine", "dask", "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "pip install 'curate[dask]'" in result.output
    assert not (tmp_path / "s").exists()


def test_scheduler_without_engine_dask_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["clean", "--scheduler", "tcp://127.0.0.1:1", "--store", str(tmp_path / "s")])
    assert result.exit_code == 2 and "--engine dask" in result.output


def test_fault_duplicate_ids_fail_the_same_records_on_dask(tmp_path: Path, cluster: Any) -> None:
    """Ids repeated in the run (decided as the client reads) and ids the parent holds with a changed
    text (decided with dedup, on the client): the same failures, the same version, as locally."""
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    lines = _crawl_lines(0, 40)[:-1]  # without the bad JSON line
    again = orjson.dumps({"id": "d7", "text": _article(900)}).decode()  # d7 repeated in the run
    first.write_text("\n".join([*lines[:20], again, *lines[20:]]) + "\n", encoding="utf-8")
    changed = [orjson.dumps({"id": f"d{i}", "text": _article(1000 + i)}).decode() for i in (2, 3)]  # in the parent
    second.write_text("\n".join([*_crawl_lines(40, 10)[:-1], *changed]) + "\n", encoding="utf-8")
    results = {}
    for engine in ("local", "dask"):
        store, reports = tmp_path / f"store-{engine}", tmp_path / f"reports-{engine}"
        for crawl in (first, second):
            args = ["clean", str(crawl), "--store", str(store), "--reports", str(reports), "--workers", "2",
                    "--engine", engine, *(["--scheduler", cluster.scheduler_address] if engine == "dask" else [])]
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 1, result.output
        results[engine] = _store_bytes(store, reports)
        for version in ("v0001", "v0002"):
            ids = [r["id"] for r in Store(store).iter_records(version)]
            assert len(ids) == len(set(ids)), f"{engine} {version} holds an id twice"
    assert results["dask"] == results["local"]
    for version, failed in (("v0001", 1), ("v0002", 2)):
        counts = results["dask"][f"versions/{version}/manifest.json"]["counts"]
        assert counts["failed"] == {reasons.DUPLICATE_ID: failed}
