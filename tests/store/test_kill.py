"""A killed or concurrent `curate clean` never corrupts the store (DESIGN.md "Versioned store").

Real subprocesses: `curate clean` is SIGKILLed at seeded random moments of its run, twenty times;
after each kill every earlier version is byte-identical (manifest and every object it names), the
whole store verifies, and the next run is not blocked by the dead run's lock (flock dies with its
process). Two runs started together either both commit, one after the other, or the second fails
naming the lock.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson

from curate.store import Store, verify
from curate.store.gc import referenced_paths

KILLS = 20
SEED = 20240508
WORDS = ("harbour", "ferry", "council", "budget", "winter", "service", "evening", "station", "library",
         "museum", "river", "bridge", "market", "school", "hospital", "tram", "festival", "garden")


def _crawl(folder: Path, run: int, documents: int = 12) -> Path:
    """A small JSONL crawl whose documents are new in every run, so every commit writes objects."""
    rng = random.Random(run)
    path = folder / f"crawl-{run:02d}.jsonl"
    with path.open("wb") as handle:
        for n in range(documents):
            words = [rng.choice(WORDS) for _ in range(120)]
            text = f"Report {run} number {n}. " + " ".join(words) + "."
            handle.write(orjson.dumps({"id": f"r{run}-{n}", "text": text}) + b"\n")
    return path


def _start(crawl: Path, store: Path, reports: Path, stderr: Path) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "curate", "clean", str(crawl), "--store", str(store),
            "--reports", str(reports), "--workers", "1"]
    with stderr.open("wb") as err:
        return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, "CI": "1"})


def _snapshot(store: Store) -> dict[str, bytes]:
    """Every complete version's manifest and every object any manifest names, by relative path."""
    files = {f"versions/{v}/manifest.json": store.layout.manifest(v).read_bytes() for v in store.versions()}
    files.update({path: (store.root / path).read_bytes() for path in referenced_paths(store.layout)})
    return files


def _unchanged(store: Store, before: dict[str, bytes]) -> list[str]:
    return [path for path, data in before.items()
            if not (store.root / path).is_file() or (store.root / path).read_bytes() != data]


def _timed_first_run(tmp_path: Path, store: Store) -> tuple[float, float]:
    """Run one clean to completion; seconds it took and seconds until its version appeared."""
    started = time.monotonic()
    process = _start(_crawl(tmp_path, 0), store.root, tmp_path / "reports", tmp_path / "err-0")
    commit_at = None
    while process.poll() is None:
        if commit_at is None and store.versions():
            commit_at = time.monotonic() - started
        time.sleep(0.005)
    assert process.returncode == 0, (tmp_path / "err-0").read_text()
    full_run = time.monotonic() - started
    return full_run, commit_at if commit_at is not None else full_run


def test_random_kills_leave_earlier_versions_intact(tmp_path: Path) -> None:
    store_path, reports = tmp_path / "corpus", tmp_path / "reports"
    store = Store(store_path)
    full_run, commit_at = _timed_first_run(tmp_path, store)
    rng = random.Random(SEED)
    for run in range(1, KILLS + 1):
        before = _snapshot(store)
        err = tmp_path / f"err-{run}"
        process = _start(_crawl(tmp_path, run), store_path, reports, err)
        # half the kills anywhere in a run, half around the moment the version was published, where
        # objects are written and the manifest is being renamed into place
        moment = rng.uniform(0.0, full_run) if run % 2 else commit_at + rng.uniform(-0.6, 0.02)
        time.sleep(max(moment, 0.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert b"locked" not in err.read_bytes(), f"run {run} was blocked by a dead run's lock"
        assert _unchanged(store, before) == [], f"kill {run} changed an earlier version"
        assert verify(store) == [], f"kill {run} left a store that does not verify"
    last = _start(_crawl(tmp_path, KILLS + 1), store_path, reports, tmp_path / "err-last")
    assert last.wait() == 0, (tmp_path / "err-last").read_text()
    assert verify(store) == []


def test_two_concurrent_runs_commit_in_turn_or_the_second_fails_clearly(tmp_path: Path) -> None:
    store_path, reports = tmp_path / "corpus", tmp_path / "reports"
    runs = [_start(_crawl(tmp_path, n), store_path, reports, tmp_path / f"err-{n}") for n in (1, 2)]
    codes = [process.wait() for process in runs]
    for n, code in zip((1, 2), codes):
        message = (tmp_path / f"err-{n}").read_text()
        assert code == 0 or (code == 1 and "is locked by another curate run" in message), message
    store = Store(store_path)
    assert len(store.versions()) == codes.count(0) >= 1
    assert verify(store) == []
