"""The learned content model against the shipped extract step, by folds split by site (issue 19).

    python bench/content_model.py ../shared/data [--folds 5] [--write-model PATH]

Every block of the three development sets (aeb-dev, trafilatura-eval-dev, wcxb-dev) is labelled
(curate.train.labels) and described (curate.steps.extract.features). Folds are grouped by site (the
page's host), pooled over the three sets, so no site is in both a training and a validation fold.
Printed for each set, by that set's own metric (AEB shingle F1/P/R; trafilatura-eval snippet
F1/accuracy; WCXB mean word F1, overall and by page type):

    step        the extract step as shipped (Extract(ExtractConfig(), shipped rules)), extract only
    cv          the learned classifier, out of fold: each page judged by a model that never saw its site
    in-sample   the learned classifier trained on all pages, judging the pages it was fitted on
    oracle      the blocks the labels call positive: the ceiling these labels allow
    trafilatura its extract() (tables kept, comments off), when it is installed

Training weighs every page the same (`--per-block`: every block; per page scored better out of fold
on all three sets). A learned text is the kept blocks (probability >= 0.5) joined as the step joins them; a page where
the model keeps nothing keeps its most probable block (never empty).
Needs the train extra: pip install 'curate[train]'.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from common import aeb_scores, read_set, snippet_scores, wcxb_scores

from curate.document import Document
from curate.rules.spec import RuleSpec
from curate.steps.extract import Extract, ExtractConfig
from curate.steps.extract.features import FEATURE_NAMES
from curate.steps.extract.trees import TreeModel
from curate.train.dataset import Page, kept_text, labelled_page, training_rows
from curate.train.labels import POSITIVE
from curate.train.model import TrainConfig, dumps, export, fit

SETS = ("aeb-dev", "trafilatura-eval-dev", "wcxb-dev")
Record = dict[str, Any]


def load(data: Path, step: Extract, limit: int | None, cache: Path | None
         ) -> tuple[list[Record], list[Page], list[str]]:
    """Each set's records (without html), labelled pages and the step's output texts (read from
    `cache` when it exists: the step's outputs do not change between model experiments)."""
    cached = json.loads(cache.read_text(encoding="utf-8")) if cache and cache.exists() else None
    records, pages, outputs = [], [], []
    for name in SETS:
        for i, record in enumerate(read_set(data / f"{name}.jsonl.gz")):
            if limit is not None and i >= limit:
                break
            pages.append(labelled_page(step, name, record))
            outputs.append(cached[len(outputs)] if cached else _step_text(step, record["html"]))
            records.append({k: v for k, v in record.items() if k != "html"} | {"set": name})
    if cache and not cached:
        cache.write_text(json.dumps(outputs), encoding="utf-8")
    return records, pages, outputs


def _step_text(step: Extract, html: str) -> str:
    try:
        return step.apply(Document(id="page", source="bench", text="", html=html)).text
    except Exception:  # noqa: BLE001 - a crash is an empty output (the benchmarks' rule)
        return ""


def texts(pages: Sequence[Page], keeps: Sequence[Sequence[bool]]) -> list[str]:
    return [kept_text(page.blocks, keep) for page, keep in zip(pages, keeps)]


def decide(probabilities: np.ndarray) -> list[bool]:
    """Keep blocks of probability >= 0.5; if none, the most probable one (never empty)."""
    keep = probabilities >= 0.5
    if len(keep) and not keep.any():
        keep[int(np.argmax(probabilities))] = True
    return [bool(k) for k in keep]


def folds_of(pages: Sequence[Page], folds: int) -> list[int]:
    """Each page's validation fold, grouped by host (sklearn's GroupKFold, balanced by block count)."""
    from sklearn.model_selection import GroupKFold

    sizes = np.array([len(page.blocks) for page in pages])
    index = np.repeat(np.arange(len(pages)), np.maximum(1, sizes))
    hosts = [pages[i].host for i in index]
    fold = [0] * len(pages)
    for number, (_, valid) in enumerate(GroupKFold(n_splits=folds).split(index, groups=hosts)):
        for i in set(index[valid].tolist()):
            fold[i] = number
    return fold


def cross_validated(pages: Sequence[Page], folds: int, config: TrainConfig, per_page: bool
                    ) -> list[list[bool]]:
    fold = folds_of(pages, folds)
    keeps: list[list[bool]] = [[] for _ in pages]
    for number in range(folds):
        train_pages = [p for p, f in zip(pages, fold) if f != number]
        assert not {p.host for p in train_pages} & {p.host for p, f in zip(pages, fold) if f == number}
        rows, labels, weights = training_rows(train_pages, per_page=per_page)
        _, model = fit(rows, labels, FEATURE_NAMES, weights, config=config)
        for i, page in enumerate(pages):
            if fold[i] == number:
                keeps[i] = decide(model.probability(page.rows))
        print(f"  fold {number}: {len(train_pages)} training pages, {len(rows)} blocks", flush=True)
    return keeps


def scores(records: Sequence[Record], outputs: Sequence[str], name: str) -> dict[str, float]:
    chosen = [(r, o) for r, o in zip(records, outputs) if r["set"] == name]
    if name == "aeb-dev":
        return aeb_scores([(o, r["expected"]) for r, o in chosen])
    if name == "wcxb-dev":
        return wcxb_scores([(o, r["expected"], r["page_type"]) for r, o in chosen])
    return snippet_scores([(o, r["with"], r["without"]) for r, o in chosen])


def report(records: Sequence[Record], rows: list[tuple[str, Sequence[str]]]) -> None:
    for name in SETS:
        table = [(label, scores(records, outputs, name)) for label, outputs in rows]
        keys = list(table[0][1])
        print(f"\n{name} ({sum(r['set'] == name for r in records)} pages)")
        print(f"{'':12}" + "".join(f"{k.removeprefix('f1:')[:9]:>10}" for k in keys))
        for label, s in table:
            print(f"{label:12}" + "".join(f"{s[k]:10.3f}" for k in keys))


def label_noise(records: Sequence[Record], pages: Sequence[Page], oracle: Sequence[str]) -> None:
    """The labels per set, and how often keeping exactly the positive blocks scores a page well
    (page F1 for AEB and WCXB, every snippet right for trafilatura-eval)."""
    print("\nlabels (positive / negative / unlabelled blocks) and the oracle's pages")
    for name in SETS:
        chosen = [(r, p, o) for r, p, o in zip(records, pages, oracle) if r["set"] == name]
        counts = [sum(int((p.labels == v).sum()) for _, p, _ in chosen) for v in (1, 0, -1)]
        page_scores = [scores([r], [o], name)["accuracy" if name == SETS[1] else "f1"] for r, _, o in chosen]
        at = {level: sum(s >= level for s in page_scores) / len(page_scores) for level in (0.8, 0.9, 0.95, 1.0)}
        print(f"{name:22} {counts[0]:7} / {counts[1]:7} / {counts[2]:6}   oracle page score >= "
              + ", ".join(f"{level}: {share:.1%}" for level, share in at.items()))


def trafilatura_outputs(data: Path, limit: int | None) -> list[str] | None:
    try:
        import trafilatura
    except ImportError:
        print("trafilatura is not installed: its figures are skipped (pip install 'curate[bench]')")
        return None
    run: Callable[[str], str] = lambda html: trafilatura.extract(  # noqa: E731
        html, include_comments=False, include_tables=True) or ""
    return [run(r["html"]) for name in SETS
            for i, r in enumerate(read_set(data / f"{name}.jsonl.gz")) if limit is None or i < limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the folder of the development sets")
    parser.add_argument("--folds", type=int, default=5, help="site-grouped folds (0: no cross-validation)")
    parser.add_argument("--trees", type=int, default=TrainConfig().trees)
    parser.add_argument("--per-block", action="store_true",
                        help="weigh each block the same in training (default: each page the same)")
    parser.add_argument("--step-cache", type=Path, help="JSON file of the step's outputs (made if missing)")
    parser.add_argument("--limit", type=int, help="at most this many pages of each set (quick runs)")
    parser.add_argument("--write-model", type=Path, help="write the model trained on all pages here")
    args = parser.parse_args()
    config = TrainConfig(trees=args.trees)
    started = time.perf_counter()
    records, pages, step_outputs = load(args.data, Extract(ExtractConfig(), RuleSpec().load()), args.limit,
                                         args.step_cache)
    labelled = sum(int((p.labels >= 0).sum()) for p in pages)
    print(f"{len(pages)} pages, {sum(len(p.blocks) for p in pages)} blocks ({labelled} labelled), "
          f"{len({p.host for p in pages})} sites, {len(FEATURE_NAMES)} features; "
          f"{time.perf_counter() - started:.0f} s")
    cv = cross_validated(pages, args.folds, config, not args.per_block) if args.folds > 1 else None
    rows, labels, weights = training_rows(pages, per_page=not args.per_block)
    booster, model = fit(rows, labels, FEATURE_NAMES, weights, config=config)
    in_sample = [decide(model.probability(p.rows)) for p in pages]
    oracle = [[bool(label == POSITIVE) for label in p.labels] for p in pages]
    rows: list[tuple[str, Sequence[str]]] = [("step", step_outputs), ("in-sample", texts(pages, in_sample)),
                                             ("oracle", texts(pages, oracle))]
    if cv is not None:
        rows.insert(1, ("cv", texts(pages, cv)))
    if (peer := trafilatura_outputs(args.data, args.limit)) is not None:
        rows.append(("trafilatura", peer))
    report(records, rows)
    label_noise(records, pages, texts(pages, oracle))
    if args.write_model:
        args.write_model.write_text(dumps(export(booster, FEATURE_NAMES)), encoding="utf-8")
        loaded = time.perf_counter()
        TreeModel.load(args.write_model)
        print(f"\nmodel: {args.write_model} ({args.write_model.stat().st_size / 1e6:.2f} MB, "
              f"{len(model.roots)} trees, loads in {time.perf_counter() - loaded:.3f} s)")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
