"""The texts `curate rules lint` runs every rule on, and what a rule does to ordinary prose.

Three kinds of probe, each run the way the strip step runs the rule's kind (a whole-line pattern
fullmatches a stripped line, a replace pattern finds every match in it) under the time limit:

- hostile probes: 20,000-character runs of one class, of words, of `[a](`, that make nested or
  overlapping quantifiers backtrack catastrophically;
- ordinary prose: the lines of `lint_prose.txt` (paragraphs in 14 languages, shipped with the
  package), one by one and joined into one long line, as a page without line breaks arrives;
- the sample crawl (`curate.sample`): the lines of its text files and of its HTML pages' extracted text.

A bounded repeat of overlapping word pieces such as `(\\w+\\s?){2,60}:` passes every hostile probe
in a millisecond and runs for seconds on a real sentence, so the real text is what finds it.

Then `prose_share` runs the rule alone through the step its kind belongs to (strip for line, block and
replace rules, with the block's start/end logic; extract for selectors) on the prose and says how
much of it the rule removes or rewrites: a furniture rule should leave ordinary prose alone.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from typing import Final

from curate.document import Document, Event
from curate.rules.kinds import BlockMatcher
from curate.rules.model import Rule, RuleSet
from curate.steps.strip import Strip, StripConfig

PROBE_CHARS: Final = 20_000
# Strings that make a backtracking engine explode on patterns with nested or overlapping
# quantifiers: long runs of one class, runs of words and separators, and unclosed link syntax.
# They are long because the regex package memoises some cases into "only" quadratic time, e.g.
# ^(a+)+$ takes ~0.25 s on 5,000 characters; at 20,000 such a pattern reliably overruns the limit
# while a linear one needs a few milliseconds.
PROBES: Final = tuple(
    head + unit * (PROBE_CHARS // len(unit)) + tail
    for head, unit, tail in (
        ("", "a", "!"),
        ("a", " ", "!"),
        ("", "word ", "!"),
        ("", "Word ", "!"),
        ("", "A", "!"),
        ("", "Aa Bb, ", "!"),
        ("", "1", "x"),
        ("By ", "Jane Doe, ", "!"),
        ("", "[a](", ""),
        ("", "a.", "!"),
        ("", "A/", "!"),
    )
)
PROSE_FILE: Final = "lint_prose.txt"
HOSTILE: Final = "hostile probe"
PROSE_LINE: Final = "ordinary prose line"
PROSE_PARAGRAPH: Final = "ordinary prose as one long line"
SAMPLE: Final = "sample crawl line"
_HTML: Final = (".html", ".htm")


@dataclass(frozen=True, slots=True)
class Probe:
    """One text a rule is run on: its kind (HOSTILE, PROSE_LINE...), where it comes from, the text."""

    kind: str
    where: str
    text: str

    def shown(self) -> str:
        head = self.text[:40] + ("..." if len(self.text) > 40 else "")
        return f"{self.kind} {head!r} ({self.where}, {len(self.text):,} chars)"


@functools.cache
def prose_text() -> str:
    """The shipped prose fixture: one paragraph a line, blank lines between."""
    return files("curate.checks").joinpath(PROSE_FILE).read_text(encoding="utf-8")


@functools.cache
def probes() -> tuple[Probe, ...]:
    """Every probe, hostile ones first (the cheapest to fail on), then prose, then the sample."""
    hostile = [Probe(HOSTILE, "lint's probes", text) for text in PROBES]
    return (*hostile, *_lines(PROSE_LINE, PROSE_FILE, prose_text()),
            Probe(PROSE_PARAGRAPH, PROSE_FILE, " ".join(prose_text().split("\n\n")).strip()),
            *(probe for name, text in sample_texts() for probe in _lines(SAMPLE, name, text)))


def _lines(kind: str, where: str, text: str) -> list[Probe]:
    """The non-blank lines of `text`, stripped as the strip step strips them."""
    return [Probe(kind, f"{where} line {number}", line.strip())
            for number, line in enumerate(text.split("\n"), 1) if line.strip()]


def first_timeout(rule: Rule, timeout: float) -> Probe | None:
    """The first probe on which one of the rule's patterns overruns `timeout` seconds, if any.
    No prefilter: every pattern meets every probe, as it would meet a line that has its words."""
    for probe in probes():
        try:
            rule.matcher.probe(probe.text, timeout)
        except TimeoutError:
            return probe
    return None


@functools.cache
def sample_texts() -> tuple[tuple[str, str], ...]:
    """(name, text) of the sample crawl's text files and of its pages as extracted without rules."""
    texts = [(name, body) for name, body in _sample() if not name.endswith(_HTML)]
    pages = [name for name, _ in _sample() if name.endswith(_HTML)]
    return (*texts, *zip(pages, _baseline()[: len(pages)], strict=True))


def prose_share(rule: Rule, timeout: float) -> tuple[int, int]:
    """What the rule alone does to ordinary prose, run by the step its kind belongs to: for line,
    block and replace rules (lines of the prose fixture the strip step drops or rewrites, non-blank
    lines); for a selector (characters it removes, characters the extract step takes without it)
    over the sample pages and the prose as a page. TimeoutError if a pattern overruns `timeout`."""
    if rule.kind == "selector":
        without = sum(map(len, _baseline()))
        return without - sum(map(len, _extracted(RuleSet((rule,))))), without
    config = StripConfig(dedup_paragraphs=False, regex_timeout=timeout, text_heuristics=False)
    text = prose_text()
    after = Strip(config, RuleSet((rule,))).apply(Document(id="prose", source=PROSE_FILE, text=text))
    content = {number for number, line in enumerate(text.split("\n")) if line.strip()}
    return len(touched_lines(text, after.provenance) & content), len(content)


def prose_starts(rule: Rule, timeout: float) -> int:
    """How many lines of the prose fixture a block rule's start pattern matches (0 for other kinds)."""
    matcher = rule.matcher
    if not isinstance(matcher, BlockMatcher):
        return 0
    lines = [line.strip() for line in prose_text().split("\n")]
    return sum(1 for line in lines if line and matcher.starts(line, timeout))


def touched_lines(text: str, events: tuple[Event, ...]) -> set[int]:
    """Indices of the lines of `text` that the (sequential) events remove or rewrite any of.

    >>> sorted(touched_lines("a\\nbb\\nc", (Event("strip", "drop_line", span=(2, 5), text="bb\\n"),)))
    [1]
    """
    touched: set[int] = set()
    shift = 0  # how far the earlier events moved offsets: an event's span is in the text they left
    for event in events:
        if event.span is None or event.text is None:
            continue
        start = event.span[0] - shift
        end = start + max(len(event.text), 1)
        touched.update(range(text.count("\n", 0, start), text.count("\n", 0, end - 1) + 1))
        shift += len(event.replacement or "") - len(event.text)
    return touched


def prose_page() -> str:
    """The prose fixture as an HTML article, one <p> a paragraph."""
    paragraphs = (f"<p>{escape(p.strip())}</p>" for p in prose_text().split("\n\n") if p.strip())
    return f"<html><body><article>{''.join(paragraphs)}</article></body></html>"


@functools.cache
def _sample() -> tuple[tuple[str, str], ...]:
    """(name, content) of every file of the sample crawl, in name order."""
    return tuple((f"sample/{path.name}", path.read_bytes().decode("utf-8", errors="replace"))
                 for path in sorted(files("curate.sample").iterdir(), key=lambda p: p.name)
                 if path.name.endswith((".txt", *_HTML)))


def _pages() -> tuple[tuple[str, str], ...]:
    """(name, HTML) of the sample crawl's pages, then the prose page."""
    pages = tuple((name, body) for name, body in _sample() if name.endswith(_HTML))
    return (*pages, ("prose page", prose_page()))


@functools.cache
def _baseline() -> tuple[str, ...]:
    return _extracted(RuleSet())


def _extracted(ruleset: RuleSet) -> tuple[str, ...]:
    """The text the extract step takes from each of `_pages()` with the rules of `ruleset`."""
    from curate.steps.extract.step import (  # lxml and the scorer only when needed
        Extract,
        ExtractConfig,
    )

    step = Extract(ExtractConfig(), ruleset)
    return tuple(step.apply(Document(id=name, source=name, text="", html=html)).text
                 for name, html in _pages())
