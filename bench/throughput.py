"""End-to-end throughput of `curate clean` against a datatrove pipeline doing the same job (issue 9).

    python bench/throughput.py ../shared/data [--size-mb 250 500] [--kinds html text] [--workers 2]
    python bench/throughput.py ../shared/data --quick          # a 20 MB smoke run
    python bench/throughput.py ../shared/data --profile-only   # where curate spends its time

Builds (seeded, cached under --work) a crawl of --size-mb megabytes of HTML from the 468 dev pages with
seeded variations, and the same documents as text (see throughput_crawl.py), as 8 zstd JSONL shards.
Then, per size and kind, in the same run on the same files, each as its own process tree:

- `curate clean DIR --store S --reports R --workers N` (defaults: extract, strip, repair, langdetect,
  filter, exact + MinHash dedup, a committed store version, reports);
- datatrove (throughput_peer.py): JsonlReader → Trafilatura (HTML only) → py3langid filter → JsonlWriter,
  then MinhashDedupSignature → Buckets → Cluster → Filter → JsonlWriter, LocalPipelineExecutor, N workers.

For each: wall seconds, CPU seconds of the whole process tree, peak RSS of the tree (sum over its
processes, sampled every 0.2 s), MB/s and docs/s (MB = 10^6 bytes of HTML, or of text for the text
crawl), documents kept, and each tool's own time per step. The ratio column is datatrove ÷ curate for
times (above 1: curate is faster) and curate ÷ datatrove for rates. The machine may be shared: load
averages before/after each run are printed, and CPU seconds are the steadier figure.

With --profile (or --profile-only), also samples `curate clean` (main process and workers) with py-spy
on the first size's crawls and prints the share of samples per step and the functions they land in.
Results are also written as JSON to WORK/results-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from throughput_crawl import build
from throughput_measure import Measured, run_measured

BENCH = Path(__file__).resolve().parent


def _find_summary(reports: Path) -> dict[str, Any]:
    found = sorted(reports.rglob("summary.json"))
    return json.loads(found[-1].read_text()) if found else {}


def _curate_steps(summary: dict[str, Any]) -> dict[str, tuple[float | None, float | None]]:
    """curate's own (CPU, wall) seconds per step from summary.json's `timing`: {group: {step: {...}}}
    (per-document steps summed over the workers, and the main process's own steps)."""
    run = summary.get("run") if isinstance(summary.get("run"), dict) else {}
    timing = summary.get("timing", run.get("timing"))
    steps: dict[str, tuple[float | None, float | None]] = {}
    if not isinstance(timing, dict):
        return steps
    for group, entries in timing.items():
        if not isinstance(entries, dict):
            continue
        for name, entry in entries.items():
            if isinstance(entry, dict):
                steps[f"{group}: {name}"] = (entry.get("cpu_seconds"), entry.get("wall_seconds"))
            elif isinstance(entry, int | float):
                steps[f"{group}: {name}"] = (None, float(entry))
    return steps


def run_curate(input_dir: Path, out: Path, workers: int) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    curate = Path(sys.executable).parent / "curate"
    measured = run_measured([str(curate), "clean", str(input_dir), "--store", str(out / "store"),
                             "--reports", str(out / "reports"), "--workers", str(workers)], out / "log.txt")
    summary = _find_summary(out / "reports")
    counts = summary.get("counts", {})
    return {"measured": measured, "read": counts.get("read"), "kept": counts.get("kept"),
            "steps": _curate_steps(summary), "summary_keys": sorted(summary),
            "duplicates": summary.get("duplicate_clusters", {}).get("dropped"),
            "elapsed_seconds": summary.get("elapsed_seconds")}


def run_peer(input_dir: Path, out: Path, kind: str, workers: int) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    log = out / "log.txt"
    measured = run_measured([sys.executable, str(BENCH / "throughput_peer.py"), str(input_dir), str(out / "run"),
                             "--kind", kind, "--workers", str(workers)], log)
    result: dict[str, Any] = {}
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("PEER-RESULT "):
            result = json.loads(line[len("PEER-RESULT "):])
    steps: dict[str, float] = {}
    read = kept = timeouts = None
    for stage, stage_steps in result.get("steps", {}).items():
        for step in stage_steps:
            name = step["name"].split(":")[-1].strip()
            steps[f"{stage}: {name}"] = step["seconds"]
            counts = step["counts"]
            # the reader counts files; the first step after it counts the documents read
            if stage == "extract+langid+write" and read is None and "READER" not in step["name"]:
                read = counts.get("total")
            timeouts = counts.get("timeout", timeouts)
            if stage == "minhash filter+write" and "WRITER" in step["name"]:
                kept = counts.get("total")
    return {"measured": measured, "read": read, "kept": kept, "steps": steps,
            "stage_wall": result.get("stage_wall", {}), "timeouts": timeouts or 0}


def _ratio(peer: float | None, ours: float | None) -> str:
    return f"{peer / ours:.2f}x" if peer and ours else "-"


def print_run(size: float, kind: str, megabytes: float, ours: dict[str, Any], peer: dict[str, Any] | None) -> None:
    m: Measured = ours["measured"]
    p: Measured | None = peer["measured"] if peer else None
    print(f"\n## {kind} crawl from {size:g} MB of HTML: {ours['read']} docs, {megabytes:.1f} MB of {kind}")
    print(f"load average before/after: curate {m.load_before[0]:.1f}/{m.load_after[0]:.1f}"
          + (f", datatrove {p.load_before[0]:.1f}/{p.load_after[0]:.1f}" if p else ""))
    print(f"| {'metric':30} | {'curate':>10} | {'datatrove':>10} | {'ratio':>7} |")
    print(f"|{'-' * 32}|{'-' * 12}|{'-' * 12}|{'-' * 9}|")

    def row(name: str, a: float | None, b: float | None, fmt: str, ratio: str) -> None:
        def cell(value: float | None) -> str:
            return format(value, fmt) if value is not None else "-"

        print(f"| {name:30} | {cell(a):>10} | {cell(b):>10} | {ratio:>7} |")

    docs = ours["read"] or 0
    row("wall seconds", m.wall, p.wall if p else None, ".1f", _ratio(p.wall if p else None, m.wall))
    row("CPU seconds (process tree)", m.cpu, p.cpu if p else None, ".1f", _ratio(p.cpu if p else None, m.cpu))
    row("MB/s (wall)", megabytes / m.wall, megabytes / p.wall if p else None, ".2f",
        _ratio(p.wall if p else None, m.wall))
    row("docs/s (wall)", docs / m.wall, docs / p.wall if p else None, ".1f", _ratio(p.wall if p else None, m.wall))
    row("MB per CPU-second", megabytes / m.cpu, megabytes / p.cpu if p else None, ".2f",
        _ratio(p.cpu if p else None, m.cpu))
    row("docs per CPU-second", docs / m.cpu, docs / p.cpu if p else None, ".1f",
        _ratio(p.cpu if p else None, m.cpu))
    row("peak RSS of tree, MB", m.peak_rss_mb, p.peak_rss_mb if p else None, ".0f", "")
    row("peak PSS of tree, MB", m.peak_pss_mb, p.peak_pss_mb if p else None, ".0f", "")
    row("documents read", ours["read"], peer["read"] if peer else None, "d", "")
    row("documents kept", ours["kept"], peer["kept"] if peer else None, "d", "")
    if peer and peer["timeouts"]:
        print(f"(datatrove: {peer['timeouts']} pages hit trafilatura's 5 s timeout and were dropped)")
    print("\ntime per step (each tool's own accounting; datatrove sums over its tasks)")
    if ours["steps"]:
        for name, (cpu, wall) in ours["steps"].items():
            cpu_text = f"{cpu:8.2f}" if cpu is not None else "       -"
            wall_text = f"{wall:8.2f}" if wall is not None else "       -"
            print(f"  curate    {name:45} CPU {cpu_text} s, wall {wall_text} s")
    else:
        print(f"  curate    summary.json has no per-step timing yet (keys: {', '.join(ours['summary_keys'])});"
              f" elapsed_seconds {ours['elapsed_seconds']}")
    if peer:
        for name, seconds in peer["stage_wall"].items():
            print(f"  datatrove stage wall  {name:35} {seconds:8.2f} s")
        for name, seconds in peer["steps"].items():
            print(f"  datatrove step        {name:35} {seconds:8.2f} s")


# The curate modules a sample is charged to: the innermost frame in one of them names the step (the
# innermost, because the stream steps are chained generators: dedup's frame encloses learn's and the
# engine's, and the per-document steps call helpers of their own such as steps/extract_text).
_STEP_MODULES = ("curate/steps/", "curate/inputs/", "curate/store/", "curate/reports/", "curate/rules/",
                 "curate/engines/", "curate/outputs")


def profile_curate(input_dir: Path, out: Path, workers: int, top: int = 8) -> dict[str, Any]:
    """Sample `curate clean` and all its worker processes with py-spy (100 Hz, busy threads only);
    print the share of samples per step and, per step, the functions where the samples land."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    py_spy = Path(sys.executable).parent / "py-spy"
    curate = Path(sys.executable).parent / "curate"
    raw = out / "py-spy.txt"
    run_measured([str(py_spy), "record", "--subprocesses", "-r", "100", "-f", "raw", "-o", str(raw), "--",
                  str(curate), "clean", str(input_dir), "--store", str(out / "store"),
                  "--reports", str(out / "reports"), "--workers", str(workers)], out / "log.txt")
    return summarise_profile(raw, f"curate clean --workers {workers} on {input_dir}", top)


def summarise_profile(raw: Path, title: str, top: int = 8) -> dict[str, Any]:
    """Print the share of py-spy samples per step and, per step, the functions they land in."""
    per_step: dict[str, int] = defaultdict(int)
    leaves: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        total += count
        step = "other (imports, engine, main loop)"
        for frame in reversed(frames):
            location = frame.rsplit("(", 1)[-1]
            if any(m in location for m in _STEP_MODULES):
                step = location.split("curate/", 1)[1].split(":", 1)[0].removesuffix(".py")
                break
        func, _, location = frames[-1].rpartition(" (")
        per_step[step] += count
        leaves[step][f"{func} ({_module_of(location.split(':', 1)[0])})"] += count
    print(f"\n## py-spy profile of {title} ({total} samples at 100 Hz over the main process and the"
          " workers; a sample is charged to the innermost curate module on its stack, then to the function"
          " it was in)")
    for step, count in sorted(per_step.items(), key=lambda kv: -kv[1])[:20]:
        print(f"{100 * count / max(1, total):5.1f}%  {step}")
        for leaf_name, leaf_count in sorted(leaves[step].items(), key=lambda kv: -kv[1])[:top]:
            if leaf_count * 500 >= total:  # skip functions under 0.2%
                print(f"         {100 * leaf_count / max(1, total):5.1f}%  {leaf_name}")
    return {"samples": total, "per_step": dict(per_step),
            "leaves": {k: dict(sorted(v.items(), key=lambda kv: -kv[1])[:top]) for k, v in leaves.items()}}


def _module_of(filename: str) -> str:
    """A short name for a source file: py-spy already shortens paths to the part below sys.path."""
    path = filename.replace("\\", "/")
    for marker in ("site-packages/", "/lib/python3"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, nargs="?", default=Path("../shared/data"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/curate-throughput"))
    parser.add_argument("--size-mb", type=float, nargs="+", default=[250.0, 500.0])
    parser.add_argument("--kinds", nargs="+", choices=("html", "text"), default=["html", "text"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="a 20 MB smoke run")
    parser.add_argument("--no-peer", action="store_true", help="time curate only")
    parser.add_argument("--profile", action="store_true", help="also sample curate with py-spy")
    parser.add_argument("--profile-only", action="store_true")
    args = parser.parse_args()
    sizes = [20.0] if args.quick else args.size_mb
    args.work.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    print(f"{os.cpu_count()} CPUs, {args.workers} workers; load average {os.getloadavg()}; work {args.work}")
    for size in sizes:
        started = time.perf_counter()
        crawl = build(args.data, args.work, size, args.seed)
        folder = args.work / f"crawl-{size:g}mb-s{args.seed}"
        print(f"crawl {folder} ({time.perf_counter() - started:.0f} s to build or load): {crawl}")
        if args.profile_only:
            continue
        for kind in args.kinds:
            megabytes = crawl["html_mb"] if kind == "html" else crawl["text_mb"]
            ours = run_curate(folder / kind, args.work / "runs" / f"curate-{kind}-{size:g}", args.workers)
            peer = None if args.no_peer else run_peer(folder / kind, args.work / "runs" / f"datatrove-{kind}-{size:g}",
                                                      kind, args.workers)
            print_run(size, kind, megabytes, ours, peer)
            results.append({"size_mb": size, "kind": kind, "megabytes": megabytes, "crawl": crawl,
                            "curate": {**ours, "measured": vars(ours["measured"])},
                            "datatrove": {**peer, "measured": vars(peer["measured"])} if peer else None})
    profiles = {}
    if args.profile or args.profile_only:
        folder = args.work / f"crawl-{sizes[0]:g}mb-s{args.seed}"
        for kind in args.kinds:
            profiles[kind] = profile_curate(folder / kind, args.work / "runs" / f"profile-{kind}", args.workers)
    out = args.work / f"results-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps({"runs": results, "profiles": profiles}, indent=1, default=str))
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
