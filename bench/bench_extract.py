"""Main-content extraction quality and speed: curate vs trafilatura, side by side.

    python bench/bench_extract.py ../shared/data

Scores curate's HTML path (extract + strip + repair, one process) and trafilatura's `extract()` on the
article-extraction benchmark (aeb-dev) and trafilatura's own snippet set (trafilatura-eval-dev), each
by that set's published method (shared/data/README.md). trafilatura is optional: `pip install trafilatura`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from common import aeb_scores, read_set, snippet_scores, timed

from curate.config import CleanConfig
from curate.document import Document
from curate.engines.local import apply_all
from curate.runner import RuleSpec, document_steps


def curate_extractor() -> Callable[[str], str]:
    steps = [s for s in document_steps(CleanConfig(), RuleSpec()) if s.name in ("extract", "strip", "repair")]

    def run(html: str) -> str:
        outcome = apply_all(steps, Document(id="x", source="bench", text="", html=html))
        return outcome.text if isinstance(outcome, Document) else ""

    return run


def trafilatura_extractor() -> Callable[[str], str] | None:
    try:
        import trafilatura
    except ImportError:
        return None
    return lambda html: trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def main(data: Path) -> None:
    aeb = list(read_set(data / "aeb-dev.jsonl.gz"))
    snip = list(read_set(data / "trafilatura-eval-dev.jsonl.gz"))
    rows = []
    for name, make in (("curate", curate_extractor), ("trafilatura", trafilatura_extractor)):
        extract = make()
        if extract is None:
            print(f"{name}: not installed, skipped", file=sys.stderr)
            continue
        aeb_out, aeb_time = timed(lambda: [extract(r["html"]) for r in aeb])  # noqa: B023 (called at once)
        snip_out, snip_time = timed(lambda: [extract(r["html"]) for r in snip])  # noqa: B023
        a = aeb_scores(list(zip(aeb_out, (r["expected"] for r in aeb))))
        s = snippet_scores([(t, r["with"], r["without"]) for t, r in zip(snip_out, snip)])
        rows.append((name, a, len(aeb) / aeb_time, s, len(snip) / snip_time))
    print(f"{'extractor':12} {'aeb F1':>7} {'P':>6} {'R':>6} {'pages/s':>8} | {'snip F1':>7} {'P':>6} {'R':>6} {'acc':>6} {'pages/s':>8}")
    for name, a, a_rate, s, s_rate in rows:
        print(f"{name:12} {a['f1']:7.3f} {a['precision']:6.3f} {a['recall']:6.3f} {a_rate:8.1f} | "
              f"{s['f1']:7.3f} {s['precision']:6.3f} {s['recall']:6.3f} {s['accuracy']:6.3f} {s_rate:8.1f}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
