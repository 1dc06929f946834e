"""Dedup benchmark: duplicate decisions after a full clean, signature throughput, index size at 1M.

    cd bench && ../.venv/bin/python dedup.py ../../shared/data [--million] [--no-quality]

1. Quality. From aeb-dev, each article body (>= 120 words) is published COPIES times, each copy
   wrapped in a different site's furniture (header, navigation, byline, share bar, related links,
   newsletter pitch, cookie banner, footer) and edited like a real syndication: the original, one
   sentence changed, the end truncated, a different headline (`variants` says how much; the
   "hard edits" run replaces a whole sentence and cuts the whole last paragraph). Negatives: the
   other articles, and held-out articles that quote one sentence of a published article. All pages
   go through `curate clean` (extract, strip, repair, langid, filter, dedup) into a fresh store;
   pairwise precision and recall of "same cluster" against the labels.
2. Throughput, one core, same shingle lists: curate's batched signatures, text-dedup-style numpy
   (sha1 per shingle, one (shingles x permutations) matrix per document, mod the Mersenne prime),
   and datasketch `MinHash.update` once per shingle.
3. `--million`: index of 1,000,000 synthetic documents: bytes per document of the stored arrays,
   peak RSS building the live index, RSS of the stored index memory-mapped after 20,000 queries.
"""

from __future__ import annotations

import hashlib
import random
import re
import resource
import struct
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
from common import read_set

from curate.config import CleanConfig
from curate.rules.spec import RuleSpec
from curate.runner import clean_to_store
from curate.steps.dedup.fingerprint import DedupConfig, DedupIndex
from curate.steps.dedup.minhash import Signer, normalise, shingles

COPIES = 4
SITES = [
    ("Daily Ledger", "News|World|Business|Sport|Opinion"),
    ("Metro Times", "Home|Local|Politics|Culture|Weather"),
    ("The Courier Online", "Latest|Markets|Tech|Science|Podcasts"),
    ("Gazette Digital", "Front page|Regions|Economy|Life|Video"),
]


def page(site: int, headline: str, body: list[str], rng: random.Random) -> str:
    name, menu = SITES[site % len(SITES)]
    nav = "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in menu.split("|"))
    related = "".join(f'<li><a href="/r{rng.randint(1, 999)}">{h}</a></li>' for h in
                      ("Markets rally as rates hold", "Ten things to do this weekend", "Opinion: the long view"))
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return (f"<html><head><title>{headline} | {name}</title></head><body>"
            f'<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>'
            f"<header><a href='/'>{name}</a><nav><ul>{nav}</ul></nav></header>"
            f"<main><article><h1>{headline}</h1><p class='byline'>By Staff Reporter | {name}</p>"
            f"<div class='share'>Share on Facebook Share on Twitter Email</div>{paragraphs}"
            f"<div class='newsletter'>Sign up for our daily newsletter</div></article>"
            f"<aside><h3>Related stories</h3><ul>{related}</ul></aside></main>"
            f"<footer><p>&copy; 2024 {name}. All rights reserved.</p><a href='/privacy'>Privacy policy</a>"
            f"</footer></body></html>")


def title_of(html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.S | re.I)
    return " ".join(match.group(1).split())[:120] if match else "Untitled"


def variants(body: list[str], headline: str, other_sentence: str, hard: bool) -> list[tuple[str, list[str]]]:
    """The copies of one article. Default edits are a wire desk's: five words of one sentence in the
    middle changed (a corrected figure, a new attribution), the last sentence cut. `hard`: the whole
    sentence replaced by another article's and the whole last paragraph cut."""
    middle = len(body) // 2
    changed, truncated = list(body), list(body)
    if hard:
        sentences = re.split(r"(?<=[.!?])\s+", changed[middle])
        changed[middle] = " ".join([other_sentence, *sentences[1:]])
        truncated = body[:-1] if len(body) > 3 else body
    else:
        words = changed[middle].split()
        start = max(0, len(words) // 2 - 2)
        words[start : start + 5] = other_sentence.split()[:5]
        changed[middle] = " ".join(words)
        last = re.split(r"(?<=[.!?])\s+", truncated[-1])
        truncated[-1] = " ".join(last[:-1]) if len(last) > 1 else truncated[-1]
        if len(last) == 1 and len(truncated) > 3:
            truncated = truncated[:-1]
    return [(headline, body), (headline, changed), (headline, truncated),
            ("Update: " + headline.split("|")[0] + " - what we know", body)]


def build_set(data: Path, hard: bool = False) -> tuple[list[dict[str, str]], dict[str, str]]:
    rng = random.Random(7)
    articles = [r for r in read_set(data / "aeb-dev.jsonl.gz") if len(r["expected"].split()) >= 120]
    held_out, published = articles[:10], articles[10:]
    records, label = [], {}
    for n, art in enumerate(published):
        body = [p.strip() for p in art["expected"].split("\n") if p.strip()]
        donor = published[(n + 1) % len(published)]["expected"]
        other = re.split(r"(?<=[.!?])\s+", donor.strip())[0]
        for copy, (headline, text) in enumerate(variants(body, title_of(art["html"]), other, hard)):
            doc_id = f"a{n}-c{copy}"
            records.append({"id": doc_id, "html": page(copy + n, headline, text, rng)})
            label[doc_id] = f"a{n}"
    for n, art in enumerate(held_out):  # share only a quote with a published article
        body = [p.strip() for p in art["expected"].split("\n") if p.strip()]
        quoted = re.split(r"(?<=[.!?])\s+", published[n]["expected"].strip())[0]
        body.insert(1, f'"{quoted}" the report said.')
        doc_id = f"q{n}"
        records.append({"id": doc_id, "html": page(n, title_of(art["html"]), body, rng)})
        label[doc_id] = doc_id
    rng.shuffle(records)
    return records, label


def quality(data: Path, hard: bool = False) -> dict[str, Any]:
    records, label = build_set(data, hard)
    with tempfile.TemporaryDirectory() as tmp:
        crawl = Path(tmp) / "crawl.jsonl"
        import orjson
        crawl.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
        from curate.inputs import discover
        result = clean_to_store(discover([crawl]), CleanConfig(), RuleSpec(), store=Path(tmp) / "s",
                                reports=None, workers=2)
    predicted = {doc_id: doc_id for doc_id in label}
    for entries in result.ledger.records.values():
        for entry in entries:
            detail = entry.get("detail") or {}
            if "duplicate_of" in detail:
                predicted[entry["id"]] = str(detail["duplicate_of"])
    pred_pairs = {frozenset(p) for p in combinations(label, 2) if predicted[p[0]] == predicted[p[1]] or
                  predicted[p[0]] == p[1] or predicted[p[1]] == p[0]}
    true_pairs = {frozenset(p) for p in combinations(label, 2) if label[p[0]] == label[p[1]]}
    hit = len(pred_pairs & true_pairs)
    return {"documents": len(label), "groups": len(set(label.values())), "true_pairs": len(true_pairs),
            "predicted_pairs": len(pred_pairs), "precision": hit / max(1, len(pred_pairs)),
            "recall": hit / max(1, len(true_pairs)), "counts": result.ledger.total.to_json()}


MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)


def text_dedup_signature(items: list[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """text-dedup's embed_func: sha1 (first 4 bytes) per shingle, affine mod the Mersenne prime."""
    hv = np.array([struct.unpack("<I", hashlib.sha1(s.encode("utf-8")).digest()[:4])[0] for s in items],
                  dtype=np.uint64)
    return np.bitwise_and((hv[:, None] * a + b) % MERSENNE, MAX_HASH).min(axis=0)


def throughput(data: Path) -> dict[str, float]:
    from datasketch import MinHash
    texts = [r["expected"] for r in read_set(data / "aeb-dev.jsonl.gz")]
    docs = [shingles(normalise(t), 5) for t in texts] * 4
    signer = Signer(128, 1)
    gen = np.random.RandomState(1)
    a = gen.randint(1, int(MERSENNE), 128, dtype=np.uint64)
    b = gen.randint(0, int(MERSENNE), 128, dtype=np.uint64)
    out = {}
    started = time.perf_counter()
    for start in range(0, len(docs), 256):
        signer.signatures(docs[start : start + 256])
    out["curate batched"] = len(docs) / (time.perf_counter() - started)
    started = time.perf_counter()
    index = DedupIndex(DedupConfig())
    for start in range(0, len(texts) * 4, 256):
        index.fingerprints((texts * 4)[start : start + 256])
    out["curate fingerprint (incl. normalise, shingle)"] = len(docs) / (time.perf_counter() - started)
    started = time.perf_counter()
    for items in docs:
        text_dedup_signature(items, a, b)
    out["text-dedup numpy"] = len(docs) / (time.perf_counter() - started)
    subset = docs[: len(docs) // 4]
    started = time.perf_counter()
    for items in subset:
        m = MinHash(128, seed=1)
        for item in items:
            m.update(item.encode("utf-8"))
    out["datasketch update per shingle"] = len(subset) / (time.perf_counter() - started)
    out["words per doc"] = float(np.mean([len(t.split()) for t in texts]))
    return out


def million(mode: str, n: int = 1_000_000) -> dict[str, float]:
    """Run in a child process so each figure has its own peak RSS."""
    from curate.steps.dedup.index import Part
    config = DedupConfig()
    params = config.index_params()
    rng = np.random.default_rng(1)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if mode == "live":
        index = DedupIndex(config)
        chunk = 10_000
        for start in range(0, n, chunk):
            sigs = rng.integers(0, 2**32, (chunk, 128), dtype=np.uint32)
            lookup = params.lookup_keys(rng.integers(0, 2**63, chunk, dtype=np.uint64), sigs)
            for i in range(chunk):
                index.live.add(f"doc-{start + i:07d}", int(lookup[i, 0]), sigs[i], lookup[i])
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        arrays = index.live.arrays()
        size = sum(a.nbytes for a in arrays.values())
        with tempfile.TemporaryDirectory(dir=".") as tmp:
            for name, array in arrays.items():
                np.save(Path(tmp) / f"{name}.npy", array, allow_pickle=False)
        return {"live_peak_rss_bytes_per_doc": (peak - base) / n, "stored_bytes_per_doc": size / n,
                **{f"stored_{k}_bytes_per_doc": v.nbytes / n for k, v in arrays.items()}}
    with tempfile.TemporaryDirectory(dir=".") as tmp:
        index = DedupIndex(config)
        sigs = rng.integers(0, 2**32, (n, 128), dtype=np.uint32)
        lookup = params.lookup_keys(rng.integers(0, 2**63, n, dtype=np.uint64), sigs)
        rows = np.repeat(np.arange(n, dtype=np.int64), lookup.shape[1])
        order = np.lexsort((rows, lookup.ravel()))
        ids = "".join(f"doc-{i:07d}" for i in range(n)).encode()
        arrays = {"keys": lookup.ravel()[order], "rows": rows[order].astype(np.uint32), "exact": lookup[:, 0].copy(),
                  "signatures": sigs, "ids": np.frombuffer(ids, np.uint8),
                  "id_offsets": np.arange(0, 11 * (n + 1), 11, dtype=np.uint64)}
        for name, array in arrays.items():
            np.save(Path(tmp) / f"{name}.npy", array, allow_pickle=False)
        del arrays, sigs, lookup, rows, order
        queries = rng.integers(0, 2**32, (20_000, 128), dtype=np.uint32)
        queries[:1000] = np.load(Path(tmp) / "signatures.npy", mmap_mode="r")[:1000]
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        import os
        rss0 = int(Path(f"/proc/{os.getpid()}/statm").read_text().split()[1]) * 4096
        loaded = {name: np.load(Path(tmp) / f"{name}.npy", mmap_mode="r", allow_pickle=False)
                  for name in ("keys", "rows", "exact", "signatures", "ids", "id_offsets")}
        part = Part.from_arrays(params, params, loaded, version="v0001", entry={})
        index = DedupIndex(config, [part])
        from curate.steps.dedup.fingerprint import Fingerprint
        started = time.perf_counter()
        found = 0
        q_lookup = params.lookup_keys(np.zeros(len(queries), np.uint64), queries)
        for i in range(len(queries)):
            fp = Fingerprint(0, queries[i], q_lookup[i], 100)
            found += index.match(fp) is not None
        elapsed = time.perf_counter() - started
        rss1 = int(Path(f"/proc/{os.getpid()}/statm").read_text().split()[1]) * 4096
        return {"stored_query_rss_bytes_per_doc": (rss1 - rss0) / n, "queries_per_s": len(queries) / elapsed,
                "found_of_1000_planted": found}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(million(sys.argv[2]))
        return
    data = Path(sys.argv[1] if len(sys.argv) > 1 else "../../shared/data")
    if "--no-quality" not in sys.argv:
        print("quality after clean:", quality(data), flush=True)
        print("quality after clean, hard edits:", quality(data, hard=True), flush=True)
    print("signatures (docs/s, one core):")
    for name, value in throughput(data).items():
        print(f"  {name:48s} {value:10.1f}", flush=True)
    if "--million" in sys.argv:
        for mode in ("live", "stored"):
            child = subprocess.run([sys.executable, __file__, "--child", mode], capture_output=True, text=True)
            print(f"1M {mode}:", child.stdout.strip() or child.stderr[-2000:])


if __name__ == "__main__":
    main()
