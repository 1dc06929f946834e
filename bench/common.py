"""Helpers the benchmarks share: reading the shared benchmark sets and timing a callable."""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

WORD = re.compile(r"\w+")


def read_set(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            yield json.loads(line)


def dev_pages(data: Path) -> list[dict[str, Any]]:
    """The 468 HTML dev pages (aeb-dev and trafilatura-eval-dev) as crawl records: id, url, html."""
    return [{"id": r["id"], "url": r["url"], "html": r["html"]}
            for name in ("aeb-dev.jsonl.gz", "trafilatura-eval-dev.jsonl.gz") for r in read_set(data / name)]


def timed(func: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = func()
    return result, time.perf_counter() - started


def cpu_timed(func: Callable[[], Any]) -> tuple[Any, float, float]:
    """Result, wall seconds and CPU seconds of this process (CPU time is steadier on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = func()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = WORD.findall(text)
    if len(tokens) < size:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def aeb_scores(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """The article-extraction-benchmark method (shared/data/README.md): 4-token shingle multisets,
    per-page precision/recall over normalised counts, means over pages, F1 of the means."""
    precisions, recalls, exact = [], [], 0
    for predicted, expected in pairs:
        p, e = _shingles(predicted), _shingles(expected)
        tp = sum((p & e).values())
        fp = sum((p - e).values())
        fn = sum((e - p).values())
        total = tp + fp + fn
        if p and total:
            precisions.append((tp / total) / ((tp + fp) / total) if tp + fp else 0.0)
        if e:
            recalls.append(tp / (tp + fn) if tp + fn else 0.0)
        exact += WORD.findall(predicted) == WORD.findall(expected)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall, "accuracy": exact / max(1, len(pairs))}


def snippet_scores(results: list[tuple[str, list[str], list[str]]]) -> dict[str, float]:
    """The trafilatura evaluation method: with/without snippets as substrings, pooled over pages."""
    tp = fn = fp = tn = 0
    for text, with_, without in results:
        flat = " ".join(text.split())
        for snippet in with_:
            if " ".join(snippet.split()) in flat:
                tp += 1
            else:
                fn += 1
        for snippet in without:
            if " ".join(snippet.split()) in flat:
                fp += 1
            else:
                tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": precision, "recall": recall, "accuracy": (tp + tn) / max(1, tp + tn + fp + fn),
            "f1": 2 * tp / max(1, 2 * tp + fp + fn)}


_PAGE_LANG = re.compile(r"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", re.I)
_JUSTEXT_NAMES = {"en": "English", "de": "German", "es": "Spanish", "fr": "French", "it": "Italian",
                  "pt": "Portuguese", "pl": "Polish", "ru": "Russian", "nl": "Dutch", "id": "Indonesian",
                  "cs": "Czech", "sv": "Swedish", "da": "Danish", "fi": "Finnish", "tr": "Turkish",
                  "hu": "Hungarian", "ro": "Romanian", "uk": "Ukrainian", "el": "Greek", "ca": "Catalan"}


def page_lang(page: str) -> str | None:
    """The two-letter code of the page's `<html lang>`, if it declares one."""
    match = _PAGE_LANG.search(page[:5000])
    return match.group(1).lower() if match else None


def justext_stoplist(lang: str | None) -> Any:
    """jusText's stoplist for a language code; English when unknown or not available (as it is run
    in the published comparisons)."""
    import justext

    name = _JUSTEXT_NAMES.get(lang or "en", "English")
    return justext.get_stoplist(name if name in justext.get_stoplists() else "English")


def _word_f1(predicted: str, expected: str) -> tuple[float, float, float]:
    p, e = Counter(WORD.findall(predicted.lower())), Counter(WORD.findall(expected.lower()))
    shared = sum((p & e).values())
    if not shared:
        return 0.0, 0.0, 0.0
    precision, recall = shared / sum(p.values()), shared / sum(e.values())
    return 2 * precision * recall / (precision + recall), precision, recall


def wcxb_scores(results: list[tuple[str, str, str]]) -> dict[str, float]:
    """The WCXB method: lowercased `\\w+` token multisets, page F1/P/R, means over pages; by page
    type as "f1:<type>". results: (predicted, expected, page_type)."""
    by_type: dict[str, list[tuple[float, float, float]]] = {}
    for predicted, expected, page_type in results:
        by_type.setdefault(page_type, []).append(_word_f1(predicted, expected))
    every = [s for scores in by_type.values() for s in scores]
    out = {name: sum(s[i] for s in every) / max(1, len(every))
           for i, name in enumerate(("f1", "precision", "recall"))}
    out.update({f"f1:{t}": sum(s[0] for s in scores) / len(scores) for t, scores in sorted(by_type.items())})
    return out
