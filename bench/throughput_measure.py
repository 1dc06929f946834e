"""Run a command and measure its whole process tree: wall time, CPU time and peak memory.

Peak memory is the highest sum over the process and all its descendants, sampled every 0.2 s, of RSS
(pages shared copy-on-write by forked workers count once per process, so this overstates) and of PSS
(proportional set size from /proc/PID/smaps_rollup: each shared page split between its sharers, so the
sum is the memory the tree really holds). CPU time is user + system of every process of the tree: the last value
sampled per process, or the kernel's figure for waited-for children (RUSAGE_CHILDREN) when larger.
"""

from __future__ import annotations

import os
import resource
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

INTERVAL = 0.2


@dataclass
class Measured:
    wall: float
    cpu: float
    peak_rss_mb: float
    peak_pss_mb: float
    returncode: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]


def run_measured(command: list[str], log: Path, env: dict[str, str] | None = None,
                 cwd: Path | None = None) -> Measured:
    """Run `command` with stdout+stderr to `log`; raise if it fails."""
    load_before = os.getloadavg()
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seen: dict[int, float] = {}
    peak = peak_pss = 0
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        root = psutil.Process(proc.pid)
        while proc.poll() is None:
            total = total_pss = 0
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                tree = []
            for p in tree:
                try:
                    with p.oneshot():
                        total += p.memory_info().rss
                        total_pss += getattr(p.memory_full_info(), "pss", 0)
                        times = p.cpu_times()
                        cpu_seen[p.pid] = times.user + times.system
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            peak, peak_pss = max(peak, total), max(peak_pss, total_pss)
            time.sleep(INTERVAL)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    kernel_cpu = (usage.ru_utime - usage_before.ru_utime) + (usage.ru_stime - usage_before.ru_stime)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed with {proc.returncode}; see {log}:\n"
                           + log.read_text(errors="replace")[-3000:])
    return Measured(wall=wall, cpu=max(kernel_cpu, sum(cpu_seen.values())), peak_rss_mb=peak / 1e6,
                    peak_pss_mb=peak_pss / 1e6,
                    returncode=proc.returncode, load_before=load_before, load_after=os.getloadavg())
