"""The local engine against the Dask engine, in the same run, on bench_clean.py's input.

    python bench/dask_engine.py ../shared/data [--workers 2]

Writes the HTML records of aeb-dev and trafilatura-eval-dev (468 pages) to a temporary JSONL file,
cleans them into a fresh store with the local engine, then with `--engine dask` on a LocalCluster of
as many worker processes (its start-up timed apart), and checks that both stores hold the same
objects. CPU seconds include the worker processes (reaped children), so they stay meaningful on a
busy machine where wall-clock rates do not.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import orjson
from common import dev_pages

from curate.config import CleanConfig
from curate.engines.dask import DaskSession
from curate.inputs import resolve_inputs
from curate.rules.spec import RuleSpec
from curate.runner import clean_to_store


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _objects(store: Path) -> dict[str, bytes]:
    return {p.relative_to(store).as_posix(): p.read_bytes() for p in (store / "objects").rglob("*") if p.is_file()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path, nargs="?", default=Path("../shared/data"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    records = dev_pages(args.data)
    megabytes = sum(len(r["html"].encode()) for r in records) / 1e6
    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        crawl = Path(tmp) / "pages.jsonl"
        crawl.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
        files = resolve_inputs([str(crawl)])
        cpu, wall = _cpu(), time.perf_counter()
        clean_to_store(files, CleanConfig(), RuleSpec(), store=Path(tmp) / "local", reports=Path(tmp) / "r1",
                       workers=args.workers)
        rows.append(("local engine", time.perf_counter() - wall, _cpu() - cpu))
        cpu, wall = _cpu(), time.perf_counter()
        with DaskSession(workers=args.workers) as session:
            started = time.perf_counter() - wall
            clean_to_store(files, CleanConfig(), RuleSpec(), store=Path(tmp) / "dask", reports=Path(tmp) / "r2",
                           dask=session)
            ran = time.perf_counter() - wall - started
        rows.append(("dask engine (LocalCluster), all", time.perf_counter() - wall, _cpu() - cpu))
        same = _objects(Path(tmp) / "local") == _objects(Path(tmp) / "dask")
    print(f"{len(records)} pages, {megabytes:.1f} MB of HTML, {args.workers} workers; identical stores: {same}")
    print(f"{'run':34} {'seconds':>8} {'pages/s':>8} {'cpu s':>7}")
    for name, seconds, cpu_seconds in rows:
        print(f"{name:34} {seconds:8.2f} {len(records) / seconds:8.1f} {cpu_seconds:7.1f}")
    print(f"{'  of which cluster start':34} {started:8.2f}")
    print(f"{'  of which the clean':34} {ran:8.2f} {len(records) / ran:8.1f}")


if __name__ == "__main__":
    main()
