"""Per-source learning on sites with copies (issue 25): what it removes, what it must keep.

The dev sets hold almost no host with ten pages, so sites are built: each site has 20 distinct
articles (the hand-made bodies of aeb-dev and the main content of wcxb-dev articles, real prose in
several languages) and a template of four lines printed on every page. On top, per scenario:

- `plain`: nothing else;
- `exact5`: one more article fetched 5 times (URLs differing by a tracking parameter);
- `near5`: one more article reprinted 5 times, each reprint with a related link of its own;
- `exact3000`: one more article 3,000 times (on two sites).

For every scenario: the share of article words kept after learning (mean over pages, word multisets),
the share of template lines removed, pages dropped as empty, pages that lost more than half of their
article, and after exact dedup (keep first) whether exactly one copy of the repeated article remains
with its body. `python bench/learn.py ../shared/data`.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from common import WORD, read_set

from curate.document import Document, Dropped
from curate.steps.strip.learn import LearnConfig, LearnRepeated

TEMPLATE = ("Home | World | Business | Sport | Culture | Opinion",
            "Sign up for our daily newsletter and get the top stories in your inbox every morning.",
            "Share this article",
            "© {site} Media Group. All rights reserved.")
# name: (copies of the repeated article, reprints with furniture of their own, sites)
SCENARIOS = {"plain": (0, False, None), "exact5": (5, False, None), "near5": (5, True, None),
             "exact3000": (3000, False, 2)}


def articles(data: Path) -> list[str]:
    bodies = [r["expected"] for r in read_set(data / "aeb-dev.jsonl.gz")]
    bodies += [r["expected"] for r in read_set(data / "wcxb-dev.jsonl.gz") if r.get("page_type") == "article"]
    return [b for b in bodies if len(WORD.findall(b)) >= 50]


def page(site: int, n: int, body: str, related: str | None = None) -> Document:
    lines = [TEMPLATE[0], TEMPLATE[1], body, *([related] if related else []), TEMPLATE[2],
             TEMPLATE[3].format(site=f"Site{site}")]
    return Document(text="\n\n".join(lines), id=f"s{site}-{n}", source="crawl.jsonl",
                    url=f"https://site{site}.example/a/{n}?utm_source={n}")


def sites(bodies: list[str], copies: int, near: bool) -> Iterator[tuple[Document, str]]:
    """(page, its article) for every page of every site."""
    per_site = 21
    for site in range(len(bodies) // per_site):
        own = bodies[site * per_site:(site + 1) * per_site]
        for n, body in enumerate(own[:20]):
            yield page(site, n, body), body
        for k in range(copies):
            yield page(site, 20 + k, own[20], f"Related: story {k} of the week" if near else None), own[20]


def words(text: str) -> Counter[str]:
    return Counter(WORD.findall(text))


def run(bodies: list[str], copies: int, near: bool, limit: int | None) -> dict[str, Any]:
    bodies = bodies[:limit * 21] if limit else bodies
    pairs = list(sites(bodies, copies, near))
    out = list(LearnRepeated(LearnConfig()).run(doc for doc, _ in pairs))
    kept, template_left, template_total, empty, lost = [], 0, 0, 0, 0
    survivors: dict[str, list[str]] = {}
    for (doc, body), result in zip(pairs, out, strict=True):
        text = result.document.text if isinstance(result, Dropped) else result.text
        empty += isinstance(result, Dropped)
        expected = words(body)
        share = sum((words(text) & expected).values()) / sum(expected.values())
        kept.append(share)
        lost += share < 0.5
        lines = set(text.splitlines())
        template_total += 4
        template_left += sum(line in lines for line in doc.text.splitlines() if line.startswith(("Home |", "Sign up",
                                                                                             "Share this", "©")))
        if not isinstance(result, Dropped):
            survivors.setdefault(" ".join(text.split()), []).append(body)
    one_copy = _one_copy_kept(survivors, bodies, copies)
    return {"pages": len(pairs), "article_words_kept": sum(kept) / len(kept),
            "template_removed": 1 - template_left / template_total, "empty": empty, "lost_half": lost,
            "one_copy_kept": one_copy}


def _one_copy_kept(survivors: dict[str, list[str]], bodies: list[str], copies: int) -> str:
    """After exact dedup (one page per distinct text): per site, how many pages hold the repeated article
    with its body (90% of its words); the table shows sites with at least one, and the mean."""
    if not copies:
        return "-"
    sites_ = len(bodies) // 21
    repeated = {bodies[s * 21 + 20]: s for s in range(sites_)}
    held = Counter(repeated[body] for text, holders in survivors.items() for body in {holders[0]}
                   if body in repeated and _holds(text, body))
    return f"{sum(1 for s in range(sites_) if held[s])}/{sites_} (mean {sum(held.values()) / sites_:.1f})"


def _holds(text: str, body: str) -> bool:
    expected = words(body)
    return sum((words(text) & expected).values()) / sum(expected.values()) >= 0.9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path)
    parser.add_argument("--json", type=Path, help="also write the table as JSON")
    args = parser.parse_args()
    bodies = articles(args.data)
    results = {name: run(bodies, *scenario) for name, scenario in SCENARIOS.items()}
    print(f"{len(bodies)} articles, {len(bodies) // 21} sites of 20 distinct articles + the repeated one")
    print("| scenario | pages | article words kept | template lines removed | dropped empty | lost > half | "
          "sites keeping the repeated article after exact dedup (copies) |\n|---|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['pages']} | {r['article_words_kept']:.4f} | {r['template_removed']:.4f} | {r['empty']} | "
              f"{r['lost_half']} | {r['one_copy_kept']} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
