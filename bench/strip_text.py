"""Text mode: curate's strip + repair against jusText on the whole visible text of each page.

    python bench/strip_text.py ../shared/data/aeb-dev.jsonl.gz

For each {"id", "html", "expected"} record the page's full visible text is built as a naive scraper
would save it: lxml parse, <script>/<style>/<noscript>/<template> and comments removed and NOTHING else
(no main-content scoring, navigation and footers stay), every block on its own line. That text goes
through curate's `strip` and `repair` steps only (shipped rules, the same code as `curate strip |
curate repair`); jusText 3 classifies the same lines (each wrapped in <p>, with the stoplist of the
page's `<html lang>`, English when unknown). Both are scored by the article-extraction benchmark's
method (bench/common.py: aeb_scores); pages/s is wall time over all pages on one core.
"""

from __future__ import annotations

import argparse
import html as html_lib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import aeb_scores, justext_stoplist, page_lang, read_set, timed
from lxml import etree

from curate.config import CleanConfig
from curate.document import Document
from curate.engines.local import apply_all
from curate.rules.spec import RuleSpec
from curate.runner import document_steps
from curate.steps.extract.text import blocks_of

Cleaner = Callable[[list[str], str | None], str]
_INVISIBLE = ("script", "style", "noscript", "template")


def visible_lines(page: str) -> list[str]:
    """Every line of the page's visible text: each block and each list item or row on its own line."""
    root = etree.fromstring(page.encode("utf-8"), etree.HTMLParser(encoding="utf-8", remove_comments=True))
    if root is None:
        return []
    for element in list(root.iter(*_INVISIBLE)):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    body = root.find("body")
    lines: list[str] = []
    for block in blocks_of(body if body is not None else root):
        lines.extend(line for line in block.text.split("\n") if line.strip())
    return lines



def curate_cleaner() -> Cleaner:
    steps = [s for s in document_steps(CleanConfig(), RuleSpec()) if s.name in ("strip", "repair")]

    def run(lines: list[str], lang: str | None) -> str:
        doc = Document(id="page", source="bench", text="\n".join(lines))
        outcome = apply_all(steps, doc)
        return outcome.text if isinstance(outcome, Document) else ""

    return run


def justext_cleaner() -> Cleaner | None:
    try:
        import justext
    except ImportError:
        return None

    def run(lines: list[str], lang: str | None) -> str:
        stoplist = justext_stoplist(lang)
        page = "<html><body>" + "".join(f"<p>{html_lib.escape(line)}</p>" for line in lines) + "</body></html>"
        paragraphs = justext.justext(page.encode("utf-8"), stoplist, encoding="utf-8")
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


def safe(clean: Cleaner) -> Cleaner:
    """A crash counts as an empty output (the benchmark's rule)."""
    def run(lines: list[str], lang: str | None) -> str:
        try:
            return clean(lines, lang)
        except Exception:  # noqa: BLE001 - a benchmark must finish; the crash is the score
            return ""
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a .jsonl.gz file of {id, html, expected} records")
    args = parser.parse_args()
    records: list[dict[str, Any]] = list(read_set(args.data))
    inputs = [(visible_lines(r["html"]), page_lang(r["html"])) for r in records]
    cleaners: list[tuple[str, Cleaner | None]] = [
        ("full text", lambda lines, _lang: "\n".join(lines)),
        ("curate", curate_cleaner()),
        ("jusText", justext_cleaner()),
    ]
    print(f"{args.data.name}: {len(records)} pages, full visible text, article-extraction-benchmark method")
    print(f"{'cleaner':12} {'F1':>6} {'prec':>6} {'recall':>6} {'acc':>6} {'pages/s':>8}")
    for name, clean in cleaners:
        if clean is None:
            print(f"{name:12} not installed (pip install 'curate[bench]')", file=sys.stderr)
            continue
        run = safe(clean)
        outputs, seconds = timed(lambda: [run(lines, lang) for lines, lang in inputs])  # noqa: B023
        s = aeb_scores([(out, r["expected"]) for out, r in zip(outputs, records, strict=True)])
        print(f"{name:12} {s['f1']:6.3f} {s['precision']:6.3f} {s['recall']:6.3f} {s['accuracy']:6.3f} "
              f"{len(records) / seconds:8.1f}")


if __name__ == "__main__":
    main()
