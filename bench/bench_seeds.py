"""Every check of shared/seeds/expected.json against `curate clean --stdout --no-dedup`.

    python bench/bench_seeds.py [../shared/seeds]

Prints one line per check (PASS/FAIL, required or desired) and the totals.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from curate.config import CleanConfig
from curate.inputs import discover
from curate.pipeline import Ledger
from curate.rules.spec import RuleSpec
from curate.runner import clean_documents


def check(text: str, kind: str, value: str) -> bool:
    if kind in ("remove", "remove_desired"):
        return value not in text.split("\n")
    if kind in ("must_contain", "desired"):
        return value in text
    if kind == "must_not_contain":
        return value not in text
    if kind == "exactly_once":
        return text.count(value) == 1
    raise ValueError(kind)


def main(seeds: Path) -> None:
    expected = json.loads((seeds / "expected.json").read_text(encoding="utf-8"))["files"]
    docs = clean_documents(discover([str(seeds / "articles")]), CleanConfig(dedup_enabled=False), RuleSpec(),
                           Ledger(), workers=1)
    texts = {Path(d.source).name: d.text for d in docs}
    totals = {"required": [0, 0], "desired": [0, 0]}
    for name, spec in sorted(expected.items()):
        for kind in ("remove", "must_contain", "must_not_contain", "exactly_once", "remove_desired", "desired"):
            for value in spec.get(kind, []):
                value = value[1] if kind == "desired" else value
                level = "desired" if kind in ("remove_desired", "desired") else "required"
                ok = check(texts.get(name, ""), kind, value)
                totals[level][0] += ok
                totals[level][1] += 1
                if not ok or level == "desired":
                    print(f"{'PASS' if ok else 'FAIL'} {level:8} {name[:3]} {kind}: {value[:70]!r}")
    for level, (passed, count) in totals.items():
        print(f"{level}: {passed}/{count} checks pass")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds"))
