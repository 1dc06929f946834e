"""Build the throughput benchmark's crawl: the dev pages replicated with seeded variations.

Every dev page (aeb-dev and trafilatura-eval-dev, 468 pages, 70 MB of HTML) appears once verbatim,
then again as numbered copies until the crawl holds the asked number of megabytes of HTML. A copy is:

- **exact** (15%): byte for byte an earlier copy of the same page (exact-duplicate work);
- **near** (25%): up to 3% of the words of its long text runs replaced by other words of the same page,
  sometimes two neighbouring paragraphs swapped (a near duplicate: Jaccard of word 5-grams mostly above
  0.8, so MinHash dedup must find it);
- **varied** (60%): paragraphs shuffled and 35% of the words replaced (a new document that keeps its
  page's language, boilerplate and layout; far below any near-duplicate threshold).

Words are edited only in text runs of 8 words or more outside <script>, <style> and comments, so menus
and markup stay intact. The text crawl holds the same documents (same ids, same kinds and edit rates) as
text: the page's hand-made expected body for aeb-dev, trafilatura's extraction (computed once, cached)
for trafilatura-eval-dev. Each copy is a pure function of (seed, page, copy), so an exact copy is built
by regenerating its original and nothing but the base pages is held in memory.

Both crawls are written as zstd JSONL shards (`{"id", "url", "html"}` / `{"id", "url", "text"}`), the
documents spread over the shards in a seeded random order; datatrove's JsonlReader reads them too.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import multiprocessing
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import zstandard

SHARDS = 8
EXACT, NEAR, VARIED = "exact", "near", "varied"
_PROTECTED = re.compile(r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->)", re.S | re.I)
_TEXT_RUN = re.compile(r">([^<]+)<")
_PARAGRAPH = re.compile(r"(<p\b[^>]*>)((?:(?!<p\b|</?div\b|<script\b|<style\b).){20,4000}?)(</p\s*>)",
                        re.S | re.I)
_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"^\w{2,}$")


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str
    text: str
    html_vocab: tuple[str, ...]
    text_vocab: tuple[str, ...]


def _traf_text(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def load_pages(data: Path, cache: Path) -> list[Page]:
    """The dev pages with a text for each (aeb-dev's expected body; trafilatura for the others)."""
    records = []
    for name in ("aeb-dev.jsonl.gz", "trafilatura-eval-dev.jsonl.gz"):
        with gzip.open(data / name, "rt", encoding="utf-8") as stream:
            records.extend(json.loads(line) for line in stream)
    texts_file = cache / "base-texts.json"
    if texts_file.exists():
        texts = json.loads(texts_file.read_text())
    else:
        missing = [r["html"] for r in records if not r.get("expected")]
        with multiprocessing.get_context("fork").Pool(2) as pool:
            extracted = iter(pool.map(_traf_text, missing, chunksize=4))
        texts = {r["id"]: r.get("expected") or next(extracted) for r in records}
        cache.mkdir(parents=True, exist_ok=True)
        texts_file.write_text(json.dumps(texts))
    pages = []
    for r in records:
        html, text = r["html"], texts[r["id"]]
        pages.append(Page(r["id"], r["url"], html, text, _vocab(_html_runs(html)), _vocab([text])))
    return pages


def _html_runs(html: str) -> list[str]:
    return [m.group(1) for i, piece in enumerate(_PROTECTED.split(html)) if i % 2 == 0
            for m in _TEXT_RUN.finditer(piece)]


def _vocab(runs: list[str]) -> tuple[str, ...]:
    words = sorted({t for run in runs for t in run.split() if _WORD.match(t)})
    return tuple(words) or ("lorem",)


def _edit_words(run: str, rate: float, vocab: tuple[str, ...], rng: random.Random) -> str:
    if rate <= 0 or len(run.split()) < 8:
        return run

    def swap(m: re.Match[str]) -> str:
        token = m.group(0)
        if "&" in token or rng.random() >= rate:
            return token
        return rng.choice(vocab)

    return _TOKEN.sub(swap, run)


def _shuffle_paragraphs(html: str, rng: random.Random, full: bool) -> str:
    matches = list(_PARAGRAPH.finditer(html))
    if len(matches) < 2:
        return html
    inner = [m.group(2) for m in matches]
    if full:
        rng.shuffle(inner)
    else:
        i = rng.randrange(len(inner) - 1)
        inner[i], inner[i + 1] = inner[i + 1], inner[i]
    out, last = [], 0
    for m, body in zip(matches, inner):
        out.append(html[last:m.start(2)])
        out.append(body)
        last = m.end(2)
    out.append(html[last:])
    return "".join(out)


def _vary_html(html: str, rate: float, vocab: tuple[str, ...], rng: random.Random) -> str:
    pieces = _PROTECTED.split(html)
    for i in range(0, len(pieces), 2):
        pieces[i] = _TEXT_RUN.sub(lambda m: ">" + _edit_words(m.group(1), rate, vocab, rng) + "<", pieces[i])
    return "".join(pieces)


def _vary_text(text: str, rate: float, vocab: tuple[str, ...], rng: random.Random, shuffle: str) -> str:
    paragraphs = [p for p in text.split("\n") if p.strip()]
    if shuffle == "full":
        rng.shuffle(paragraphs)
    elif shuffle == "swap" and len(paragraphs) >= 2:
        i = rng.randrange(len(paragraphs) - 1)
        paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    return "\n\n".join(_edit_words(p, rate, vocab, rng) for p in paragraphs)


def copy_kind(seed: int, page: Page, copy: int) -> tuple[str, float, int]:
    """(kind, word edit rate, the copy an exact duplicate repeats) of one copy of a page."""
    if copy == 0:
        return "original", 0.0, 0
    rng = random.Random(f"{seed}:kind:{page.id}:{copy}")
    draw = rng.random()
    if draw < 0.15:
        return EXACT, 0.0, rng.randrange(copy)
    if draw < 0.40:
        return NEAR, rng.uniform(0.0, 0.03), 0
    return VARIED, 0.35, 0


def variant(seed: int, page: Page, copy: int) -> tuple[str, str, str, float]:
    """(html, text, kind, edit rate) of one copy of a page."""
    kind, rate, repeats = copy_kind(seed, page, copy)
    if kind == "original":
        return page.html, page.text, kind, rate
    if kind == EXACT:
        html, text, _, _ = variant(seed, page, repeats)
        return html, text, kind, rate
    swap = "swap" if kind == NEAR and random.Random(f"{seed}:swap:{page.id}:{copy}").random() < 0.3 else (
        "full" if kind == VARIED else "none")
    html_rng = random.Random(f"{seed}:html:{page.id}:{copy}")
    html = page.html if swap == "none" else _shuffle_paragraphs(page.html, html_rng, full=swap == "full")
    html = _vary_html(html, rate, page.html_vocab, html_rng)
    text = _vary_text(page.text, rate, page.text_vocab, random.Random(f"{seed}:text:{page.id}:{copy}"), swap)
    return html, text, kind, rate


def plan(seed: int, pages: list[Page], size_mb: float) -> list[tuple[int, int]]:
    """(page index, copy) of every document, until the originals' HTML sizes add up to size_mb."""
    sizes = [len(p.html.encode("utf-8")) for p in pages]
    order = list(range(len(pages)))
    docs, total, copy = [], 0, 0
    while total < size_mb * 1e6:
        random.Random(f"{seed}:round:{copy}").shuffle(order)
        for index in order:
            docs.append((index, copy))
            total += sizes[index]
            if total >= size_mb * 1e6:
                break
        copy += 1
    random.Random(f"{seed}:order").shuffle(docs)
    return docs


def _records(seed: int, pages: list[Page], docs: list[tuple[int, int]]) -> Iterator[tuple[dict[str, Any], dict[str, Any], str]]:
    for index, copy in docs:
        page = pages[index]
        html, text, kind, _ = variant(seed, page, copy)
        doc_id = f"{page.id}#{copy}"
        url = page.url + ("&" if "?" in page.url else "?") + f"copy={copy}" if copy else page.url
        yield {"id": doc_id, "url": url, "html": html}, {"id": doc_id, "url": url, "text": text}, kind


def build(data: Path, work: Path, size_mb: float, seed: int = 0) -> dict[str, Any]:
    """Write (or reuse) work/crawl-<size>mb-s<seed>/{html,text}/*.jsonl.zst; returns the crawl's stats."""
    folder = work / f"crawl-{size_mb:g}mb-s{seed}"
    stats_file = folder / "stats.json"
    if stats_file.exists():
        stats: dict[str, Any] = json.loads(stats_file.read_text())
        return stats
    pages = load_pages(data, work)
    docs = plan(seed, pages, size_mb)
    for kind in ("html", "text"):
        (folder / kind).mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    html_bytes = text_bytes = 0
    with contextlib.ExitStack() as stack:
        # one compressor per open stream: a ZstdCompressor drives a single stream at a time
        writers = {(kind, n): stack.enter_context(zstandard.ZstdCompressor(level=3).stream_writer(
                       stack.enter_context(open(folder / kind / f"part-{n:02d}.jsonl.zst", "wb"))))
                   for kind in ("html", "text") for n in range(SHARDS)}
        for n, (html_rec, text_rec, kind) in enumerate(_records(seed, pages, docs)):
            shard = n % SHARDS
            writers["html", shard].write(orjson.dumps(html_rec) + b"\n")
            writers["text", shard].write(orjson.dumps(text_rec) + b"\n")
            html_bytes += len(html_rec["html"].encode("utf-8"))
            text_bytes += len(text_rec["text"].encode("utf-8"))
            counts[kind] = counts.get(kind, 0) + 1
    stats = {"docs": len(docs), "kinds": counts, "html_mb": html_bytes / 1e6, "text_mb": text_bytes / 1e6,
             "html_file_mb": sum(f.stat().st_size for f in (folder / "html").iterdir()) / 1e6,
             "text_file_mb": sum(f.stat().st_size for f in (folder / "text").iterdir()) / 1e6,
             "shards": SHARDS, "seed": seed, "base_pages": len(pages)}
    stats_file.write_text(json.dumps(stats, indent=2))
    return stats
