"""End-to-end speed of `curate clean` on real HTML pages, with trafilatura's extraction alone as the peer.

    python bench/bench_clean.py ../shared/data [--workers 2]

Writes the HTML records of aeb-dev and trafilatura-eval-dev (468 pages) to a temporary JSONL file and
times (1) the whole curate pipeline into a fresh store (extract, strip, repair, langid, filter, dedup,
commit, reports) and (2) trafilatura `extract()` alone over the same pages in a pool of the same size.
The peer does less work (no repair, language ID, dedup or store), so it is an upper bound for it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
from pathlib import Path

import orjson
from common import dev_pages, timed

from curate.config import CleanConfig
from curate.inputs import resolve_inputs
from curate.rules.spec import RuleSpec
from curate.runner import clean_to_store


def _traf(html: str) -> int:
    import trafilatura

    return len(trafilatura.extract(html, include_comments=False, include_tables=True) or "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path, nargs="?", default=Path("../shared/data"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    records = dev_pages(args.data)
    megabytes = sum(len(r["html"].encode()) for r in records) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        crawl = Path(tmp) / "pages.jsonl"
        crawl.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
        result, seconds = timed(lambda: clean_to_store(
            resolve_inputs([str(crawl)]), CleanConfig(), RuleSpec(), store=Path(tmp) / "corpus",
            reports=Path(tmp) / "reports", workers=args.workers))
        rows = [("curate clean (whole pipeline)", seconds)]
        try:
            import trafilatura  # noqa: F401

            with multiprocessing.get_context("fork").Pool(args.workers) as pool:
                _, peer = timed(lambda: pool.map(_traf, [r["html"] for r in records], chunksize=4))
            rows.append(("trafilatura extract() only", peer))
        except ImportError:
            print("trafilatura not installed: peer skipped")
    print(f"{len(records)} pages, {megabytes:.1f} MB of HTML, {args.workers} workers; "
          f"curate counts {result.ledger.total.to_json()}")
    print(f"{'run':32} {'seconds':>8} {'pages/s':>8} {'MB/s':>6}")
    for name, secs in rows:
        print(f"{name:32} {secs:8.2f} {len(records) / secs:8.1f} {megabytes / secs:6.2f}")


if __name__ == "__main__":
    main()
