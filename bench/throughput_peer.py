"""The peer of bench/throughput.py: a datatrove pipeline doing curate clean's job, run as its own process.

    python bench/throughput_peer.py INPUT_DIR OUT_DIR --kind html|text [--workers 2]

Stage 1: JsonlReader → Trafilatura(favour_precision, timeout 5 s; HTML only) → a py3langid language
filter → JsonlWriter (zstd). Then datatrove's MinHash dedup as its docs run it: MinhashDedupSignature
(word 5-grams, 14 buckets × 8 hashes) → MinhashDedupBuckets (one task per bucket) → MinhashDedupCluster
(one task) → MinhashDedupFilter → JsonlWriter (zstd). Every stage runs on a LocalPipelineExecutor with
`--workers` processes; stages 1, signature and filter have as many tasks as workers.

Why the substitutions (see /work/shared/research/performance.md, "Install problems"):
- datatrove's LanguageFilter needs fastText's lid.176 model, a download at run time (impossible here).
  The filter below uses py3langid (its model ships in the wheel) and keeps, like LanguageFilter with no
  language list, every document whose best language scores above 0.65.
- datatrove 0.10.1 passes `str` to `xxhash.xxh64_intdigest`, which xxhash ≥ 4 rejects; the signature
  step gets a hash function that encodes first, as xxhash 3.x did internally.
Prints one JSON line with datatrove's own per-stage and per-step seconds (from each stage's stats.json).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import xxhash
from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter

LANG_THRESHOLD = 0.65


def xxhash64_encoded(data: str | bytes) -> int:
    return xxhash.xxh64_intdigest(data.encode("utf-8") if isinstance(data, str) else data)


class Py3LangidFilter(BaseFilter):
    """Document-level language ID with py3langid; drops documents whose best score ≤ threshold."""

    name = "🌍 py3langid"

    def __init__(self, threshold: float = LANG_THRESHOLD) -> None:
        super().__init__()
        self.threshold = threshold
        self._identifier: Any = None

    def filter(self, doc: Document) -> bool:
        if self._identifier is None:  # loaded in the worker, not pickled with the step
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        lang, score = self._identifier.classify(doc.text)
        doc.metadata["language"] = lang
        doc.metadata["language_score"] = float(score)
        return bool(score > self.threshold)


def _stage_stats(logs: Path) -> list[dict[str, Any]]:
    """Per step of one stage: name, total seconds over all tasks and its plain counters (documents in,
    forwarded, dropped, timeouts ...), from datatrove's merged stats.json."""
    stats_file = logs / "stats.json"
    if not stats_file.exists():
        return []
    steps = []
    for step in json.loads(stats_file.read_text()):
        times = step.get("time_stats")
        seconds = times.get("total", 0.0) if isinstance(times, dict) else 0.0
        counts = {k: v for k, v in step.get("stats", {}).items() if isinstance(v, int | float)}
        steps.append({"name": step.get("name", "?"), "seconds": round(float(seconds), 2), "counts": counts})
    return steps


def main() -> None:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter

    parser = argparse.ArgumentParser()
    parser.add_argument("input", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--kind", choices=("html", "text"), required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    out, workers = args.out, args.workers
    config = MinhashConfig()  # 5-grams, 14 buckets x 8 hashes, 64-bit xxhash
    reader = JsonlReader(str(args.input), compression="zstd", text_key=args.kind, id_key="id",
                         glob_pattern="*.jsonl.zst")
    extract = [Trafilatura(favour_precision=True, timeout=5.0)] if args.kind == "html" else []
    signature = MinhashDedupSignature(output_folder=str(out / "signatures"), config=config)
    signature._hash_func = xxhash64_encoded
    stages = {
        "extract+langid+write": LocalPipelineExecutor(
            [reader, *extract, Py3LangidFilter(), JsonlWriter(str(out / "filtered"), compression="zstd")],
            tasks=workers, workers=workers, logging_dir=str(out / "logs/1-filter")),
        "minhash signatures": LocalPipelineExecutor(
            [JsonlReader(str(out / "filtered"), compression="zstd"), signature],
            tasks=workers, workers=workers, logging_dir=str(out / "logs/2-signatures")),
        "minhash buckets": LocalPipelineExecutor(
            [MinhashDedupBuckets(input_folder=str(out / "signatures"), output_folder=str(out / "buckets"),
                                 config=config)],
            tasks=config.num_buckets, workers=workers, logging_dir=str(out / "logs/3-buckets")),
        "minhash cluster": LocalPipelineExecutor(
            [MinhashDedupCluster(input_folder=str(out / "buckets"), output_folder=str(out / "remove_ids"),
                                 config=config)],
            tasks=1, workers=1, logging_dir=str(out / "logs/4-cluster")),
        "minhash filter+write": LocalPipelineExecutor(
            [JsonlReader(str(out / "filtered"), compression="zstd"),
             MinhashDedupFilter(input_folder=str(out / "remove_ids")),
             JsonlWriter(str(out / "deduped"), compression="zstd")],
            tasks=workers, workers=workers, logging_dir=str(out / "logs/5-dedup-filter")),
    }
    walls: dict[str, float] = {}
    for name, executor in stages.items():
        started = time.perf_counter()
        executor.run()
        walls[name] = round(time.perf_counter() - started, 2)
    steps = {name: _stage_stats(Path(executor.logging_dir.path)) for name, executor in stages.items()}
    print("PEER-RESULT " + json.dumps({"stage_wall": walls, "steps": steps}))


if __name__ == "__main__":
    main()
