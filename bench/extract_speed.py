"""CPU cost of the extract step alone, per page, and a byte-identity check of its output.

    python bench/extract_speed.py ../shared/data --save /tmp/extract-before.jsonl.gz
    python bench/extract_speed.py ../shared/data --check /tmp/extract-before.jsonl.gz --repeat 3
    python bench/extract_speed.py ../shared/data --profile 30   # cProfile, top 30 by own time

Pages: the 468 dev pages (aeb-dev, trafilatura-eval-dev) and, when the throughput benchmark has
built it, a sample of its 100 MB crawl (read with curate's own reader, as `clean` reads it). The step
is built as `curate clean` builds it (runner.document_steps with the default config and rules).
Times are this process's CPU time (steady on a shared machine), best of `--repeat` passes after one
untimed warm-up pass; per-phase times come from one extra pass that times each phase of
Extract.apply through its module functions. --save writes every page's text, title, meta and events;
--check compares against such a file and counts identical pages.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import pstats
import sys
import time
from pathlib import Path
from typing import Any

from common import dev_pages

from curate.config import CleanConfig
from curate.document import Document
from curate.inputs import read_inputs
from curate.inputs.discover import discover
from curate.rules.spec import RuleSpec
from curate.runner import document_steps
from curate.steps.extract import Extract

CRAWL = Path("/tmp/curate-throughput/crawl-100mb-s0/html")


def pages(data: Path, crawl: Path, crawl_pages: int) -> list[Document]:
    docs = [Document(id=r["id"], source="dev", text="", html=r["html"]) for r in dev_pages(data)]
    if crawl.is_dir() and crawl_pages:
        crawled = [d for d in read_inputs(discover([crawl])) if isinstance(d, Document) and d.html]
        docs += crawled[:crawl_pages]
    return docs


def output(doc: Document) -> dict[str, Any]:
    return doc.to_json(provenance=True, html=True)  # text, title, meta, events (and html, if left)


def run(step: Extract, docs: list[Document]) -> tuple[list[Document], float]:
    started = time.process_time()
    outs = [step.apply(doc) for doc in docs]
    return outs, time.process_time() - started


PHASES = ("parse_html", "page_title", "_remove_furniture", "blocks_of", "choose_blocks", "_first_h1")


def phase_times(step: Extract, docs: list[Document]) -> dict[str, float]:
    """CPU seconds per phase of Extract.apply: its module functions, wrapped with a clock for one pass."""
    import curate.steps.extract.step as module

    spent = dict.fromkeys(PHASES, 0.0)
    originals = {name: getattr(module, name, None) or getattr(Extract, name) for name in PHASES}

    def clocked(name: str, func: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - started
        return wrapper

    for name, func in originals.items():
        setattr(module if hasattr(module, name) else Extract, name, clocked(name, func))
    try:
        _, total = run(step, docs)
    finally:
        for name, func in originals.items():
            setattr(module if hasattr(module, name) else Extract, name, func)
    spent["rest"] = total - sum(spent.values())
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path)
    parser.add_argument("--crawl", type=Path, default=CRAWL)
    parser.add_argument("--crawl-pages", type=int, default=468)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (0: only --save/--check)")
    parser.add_argument("--save", type=Path)
    parser.add_argument("--check", type=Path)
    parser.add_argument("--profile", type=int, default=0, help="print the top N functions by own time")
    args = parser.parse_args()

    step = next(s for s in document_steps(CleanConfig(), RuleSpec()) if isinstance(s, Extract))
    docs = pages(args.data, args.crawl, args.crawl_pages)
    groups = {"dev": [d for d in docs if d.source == "dev"], "crawl": [d for d in docs if d.source != "dev"]}
    outs, _ = run(step, docs)  # warm-up; also the output checked below

    if args.profile:
        profiler = cProfile.Profile(time.process_time)  # CPU time: steady when the machine is shared
        profiler.enable()
        run(step, docs)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
        return 0

    if args.repeat:
        print(f"{'pages':<8}{'n':>6}{'best ms/page':>14}{'all passes (ms/page)':>40}")
    for name, group in groups.items():
        if not group or not args.repeat:
            continue
        times = [run(step, group)[1] for _ in range(args.repeat)]
        per_page = [1000 * t / len(group) for t in times]
        print(f"{name:<8}{len(group):>6}{min(per_page):>14.2f}{'  '.join(f'{t:.2f}' for t in per_page):>40}")

    for name, group in groups.items():
        if group and args.repeat:
            spent = phase_times(step, group)
            print(f"{name} phases (ms/page): " + "  ".join(f"{k} {1000 * v / len(group):.2f}" for k, v in spent.items()))

    records = [output(d) for d in outs]
    if args.save:
        with gzip.open(args.save, "wt", encoding="utf-8") as f:
            for record in records:
                f.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"saved {len(records)} outputs to {args.save}")
    if args.check:
        with gzip.open(args.check, "rt", encoding="utf-8") as f:
            saved = [json.loads(line) for line in f]
        now = [json.loads(json.dumps(r, ensure_ascii=False, sort_keys=True)) for r in records]
        same = sum(a == b for a, b in zip(saved, now))
        print(f"identical: {same}/{len(saved)}" + ("" if len(saved) == len(now) else f" (now {len(now)} pages)"))
        for a, b in zip(saved, now):
            if a != b:
                fields = [k for k in a if a[k] != b.get(k)]
                print(f"  differs: {a['id']} {fields}")
        return 0 if same == len(saved) == len(now) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
