"""Main-content extraction: curate, trafilatura and jusText side by side on one data file.

    python bench/extraction.py ../shared/data/aeb-dev.jsonl.gz
    python bench/extraction.py ../shared/data/trafilatura-eval-dev.jsonl.gz

A file of {"id", "html", "expected"} records is scored by the article-extraction benchmark's method (word
4-gram shingles, per-page normalised counts, mean precision and mean recall, F1 of the means); a file of
{"id", "html", "with", "without"} records by the trafilatura evaluation's method (snippets as substrings,
counts pooled over pages; accuracy = (TP + TN) / all snippets). See shared/data/README.md. Every extractor
runs in this one process (one core) over the same pages; pages/s is over wall time, cpu p/s over this
process's CPU time (steadier when other work shares the machine). With --warm, every extractor first
makes one untimed pass, so one-time loading (curate loads a language's word list the first time it
meets that language) is not counted as a per-page cost.

curate runs its HTML path: extract, strip and repair with the shipped rules (`--steps` to change).
Peers are optional (`pip install 'curate[bench]'`): trafilatura `extract()` with tables kept and comments
off; jusText 3 with the stoplist of the page's `<html lang>` (English when unknown or not available).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import aeb_scores, cpu_timed, justext_stoplist, page_lang, read_set, snippet_scores

from curate.config import CleanConfig
from curate.document import Document
from curate.engines.local import apply_all
from curate.rules.spec import RuleSpec
from curate.runner import document_steps

Extractor = Callable[[str], str]


def curate_extractor(steps: tuple[str, ...]) -> Extractor:
    chosen = [s for s in document_steps(CleanConfig(), RuleSpec()) if s.name in steps]

    def run(html: str) -> str:
        outcome = apply_all(chosen, Document(id="page", source="bench", text="", html=html))
        return outcome.text if isinstance(outcome, Document) else ""

    return run


def trafilatura_extractor() -> Extractor | None:
    try:
        import trafilatura
    except ImportError:
        return None
    return lambda html: trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def justext_extractor() -> Extractor | None:
    try:
        import justext
    except ImportError:
        return None

    def run(html: str) -> str:
        stoplist = justext_stoplist(page_lang(html))
        paragraphs = justext.justext(html.encode("utf-8"), stoplist, encoding="utf-8")
        return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


def score(records: list[dict[str, Any]], outputs: list[str]) -> dict[str, float]:
    if "expected" in records[0]:
        return aeb_scores([(out, r["expected"]) for out, r in zip(outputs, records)])
    return snippet_scores([(out, r["with"], r["without"]) for out, r in zip(outputs, records)])


def safe(extract: Extractor) -> Extractor:
    """A crash counts as an empty output (both benchmarks' rule)."""
    def run(html: str) -> str:
        try:
            return extract(html)
        except Exception:  # noqa: BLE001 - a benchmark must finish; the crash is the score
            return ""
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a .jsonl.gz benchmark file")
    parser.add_argument("--steps", default="extract,strip,repair", help="curate steps to run")
    parser.add_argument("--warm", action="store_true",
                        help="time a second pass over the pages (steady state, after one-time loading)")
    args = parser.parse_args()
    records = list(read_set(args.data))
    extractors: list[tuple[str, Extractor | None]] = [
        ("curate", curate_extractor(tuple(args.steps.split(",")))),
        ("trafilatura", trafilatura_extractor()),
        ("jusText", justext_extractor()),
    ]
    snippets = "expected" not in records[0]
    print(f"{args.data.name}: {len(records)} pages, "
          f"{'snippet method' if snippets else 'article-extraction-benchmark method'}")
    print(f"{'extractor':12} {'F1':>6} {'prec':>6} {'recall':>6} {'acc':>6} {'pages/s':>8} {'cpu p/s':>8}")
    for name, extract in extractors:
        if extract is None:
            print(f"{name:12} not installed (pip install 'curate[bench]')", file=sys.stderr)
            continue
        run = safe(extract)
        if args.warm:
            for r in records:  # one untimed pass: lazy loads (word lists, profiles) are not per-page costs
                run(r["html"])
        outputs, seconds, cpu = cpu_timed(lambda: [run(r["html"]) for r in records])  # noqa: B023 (called at once)
        s = score(records, outputs)
        print(f"{name:12} {s['f1']:6.3f} {s['precision']:6.3f} {s['recall']:6.3f} {s['accuracy']:6.3f} "
              f"{len(records) / seconds:8.1f} {len(records) / cpu:8.1f}")


if __name__ == "__main__":
    main()
