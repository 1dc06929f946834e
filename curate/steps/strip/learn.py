"""Per-source learning: lines that repeat across many documents of one source are its furniture.

A site's template ("Sign up for our daily briefing", "© Example Media", a menu the extractor kept)
prints the same lines on every page, while its articles do not share sentences. So, per source (the
URL host when documents carry `url`, else the input file), each distinct normalised line is counted
once per document, and a line held by at least `min_documents` documents (and by at least
`min_share` of the source's documents, in a source of at least `min_source_documents`) is removed from every document of that source, each removal
a `drop_line` event (step "learn", rule `learn.repeated`, detail: how many documents hold it).

Copies are one document. A crawl holds the same article many times (URLs that differ by a tracking
parameter, syndicated reprints, a page fetched twice), and every line of an article held by five copies
would look like template: all copies would lose the article, and dedup would have nothing left to keep.
So lines are counted once per copy group, not per document: a document's group is its two longest
lines when both are paragraphs (`copy_letters` letters or more: two different articles rarely share their
two longest paragraphs, while a reprint with other furniture keeps them), else its whole normalised text
(exact copies). A document of a group already counted adds nothing to the counts nor to the source's size.
And learning never removes a
document's only content: a document it would leave without text is kept unchanged, with a `keep_doc`
event (rule `learn.repeated`, detail: the lines it would have removed) so the report shows it; exact
copies among them are then dropped by dedup, which keeps one.

Design: the count needs every document of a source before any of them can be cut, and the stream
must keep its order, so the step makes two passes like the paragraph dedup step: documents are set
aside compressed on disk (`steps/spill.Spill`) while 64-bit hashes of their lines are counted (one
counter per source, one entry per distinct line), then read back in input order and cut. Memory is
the hash counters, not the texts. The learned lines (text and counts per source) are kept on the
step as `learned` for the version's reports (`reports/learned.py`).
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar, Final
from urllib.parse import urlsplit

import xxhash

from curate.document import Document, Dropped, Edit, Event, edited_or_dropped
from curate.steps.spill import Spill

LEARN_RULE: Final = "learn.repeated"
_TRAILING_PUNCTUATION: Final = ".!?…:;,"


@dataclass(frozen=True)
class LearnConfig:
    """When a line counts as a source's template.

    min_documents: a line must appear in at least this many documents of one source; 0 turns the
        step off. 5: a template line is on every page, while a sentence that five articles of one
        site share word for word is rare; below 5, two or three pages quoting one statement would
        lose it.
    min_source_documents: a source with fewer documents is never learned from. 10: in a handful
        of pages (a recrawl of five stories, a small test file) a shared line is as likely a shared
        headline or quote as a template, and there is too little evidence to tell.
    min_share: and in at least this share of the source's documents. 0.2: a menu of one section
        of a big site is on a fifth of its pages, while a common short reply ("Thank you.") in a
        large source stays.
    min_letters: lines with fewer letters are ignored (list bullets, lone numbers, "—"): they
        repeat everywhere and mean nothing.
    copy_letters: documents of a source whose two longest lines are the same, both with this many
        letters, are copies (counted once). 60: about a dozen words, a sentence of prose; most
        template lines are shorter, and a page needs two such lines to be grouped by them.
    """

    min_documents: int = 5
    min_source_documents: int = 10
    min_share: float = 0.2
    min_letters: int = 3
    copy_letters: int = 60


def source_of(doc: Document) -> str:
    """The source a document's template belongs to: its URL's host, else its input file."""
    if doc.url:
        host = urlsplit(doc.url).hostname
        if host:
            return host.removeprefix("www.")
    return doc.source


def normalise_line(line: str) -> str:
    """The form lines are compared in: spaces collapsed, case folded, end punctuation dropped.

    >>> normalise_line("  Sign up  for our Newsletter!")
    'sign up for our newsletter'
    """
    return " ".join(line.split()).casefold().rstrip(_TRAILING_PUNCTUATION)


@dataclass(frozen=True, slots=True)
class LearnedLine:
    """One learned template line of a source: its text (first seen) and how many documents hold it."""

    text: str
    documents: int


class LearnRepeated:
    """Removes, per source, the lines that repeat across many of its documents (two passes)."""

    name: ClassVar[str] = "learn"

    def __init__(self, config: LearnConfig) -> None:
        self.config = config
        self.learned: dict[str, list[LearnedLine]] = {}
        self.documents: Counter[str] = Counter()
        self.copies: dict[str, set[int]] = defaultdict(set)  # per source, the copy groups counted

    def run(self, docs: Iterable[Document]) -> Iterator[Document | Dropped]:
        if self.config.min_documents <= 0:
            yield from docs
            return
        counts: defaultdict[str, Counter[int]] = defaultdict(Counter)
        with Spill() as spill:
            for doc in docs:
                spill.write(doc)
                self._count(doc, counts)
            templates = {source: self._templates(source, counter) for source, counter in counts.items()}
            del counts
            seen: dict[str, dict[int, str]] = defaultdict(dict)
            for doc in spill.read():
                source = source_of(doc)
                yield self._apply(doc, templates.get(source, {}), seen[source])
        self.learned = {
            source: sorted((LearnedLine(texts[key], templates[source][key]) for key in texts),
                           key=lambda line: (-line.documents, line.text))
            for source, texts in seen.items() if texts
        }

    def _count(self, doc: Document, counts: defaultdict[str, Counter[int]]) -> None:
        """Count the document's lines in its source, unless a copy of it was counted already."""
        source = source_of(doc)
        self.documents[source] += 1
        lines = [(key, text) for _span, key, text in self._lines(doc.text)]
        group = self._copy_group(lines)
        if group in self.copies[source]:
            return
        self.copies[source].add(group)
        counts[source].update({key for key, _text in lines})

    def _copy_group(self, lines: list[tuple[int, str]]) -> int:
        """The document's copy group: the hash of its two longest lines if both are paragraphs, else
        the hash of all its counted lines (exact copies, template and all)."""
        longest = heapq.nlargest(2, lines, key=lambda line: (len(line[1]), line[0]))
        if len(longest) == 2 and all(_has_letters(text, self.config.copy_letters) for _key, text in longest):
            lines = sorted(longest)
        return xxhash.xxh3_64_intdigest(b"".join(key.to_bytes(8, "little") for key, _text in lines))

    def _templates(self, source: str, counter: Counter[int]) -> dict[int, int]:
        total = len(self.copies[source])
        if total < max(self.config.min_documents, self.config.min_source_documents):
            return {}
        needed = max(self.config.min_documents, self.config.min_share * total)
        return {key: count for key, count in counter.items() if count >= needed}

    def _lines(self, text: str) -> Iterator[tuple[tuple[int, int], int, str]]:
        """(span with newline, hash of the normalised line, the line) of every line worth counting."""
        start = 0
        for line in text.splitlines(keepends=True):
            normalised = normalise_line(line)
            if _has_letters(normalised, self.config.min_letters):
                key = xxhash.xxh3_64_intdigest(normalised.encode("utf-8"))
                yield (start, start + len(line)), key, line.strip()
            start += len(line)

    def _apply(self, doc: Document, templates: dict[int, int], seen: dict[int, str]) -> Document | Dropped:
        if not templates:
            return doc
        edits = []
        for (start, end), key, line in self._lines(doc.text):
            if key in templates:
                seen.setdefault(key, line)
                edits.append(Edit(start, end, "", "drop_line", LEARN_RULE, {"documents": templates[key]}))
        if not edits:
            return doc
        if _only_content(doc.text, edits):
            return doc.tagged(Event(step=self.name, action="keep_doc", rule=LEARN_RULE,
                                    detail={"lines": len(edits), "why": "would_empty"}))
        return edited_or_dropped(doc, edits, self.name, LEARN_RULE, "lines")


def _only_content(text: str, edits: list[Edit]) -> bool:
    """Whether the edits remove every line of the text that is not blank."""
    return not "".join(_kept_parts(text, edits)).strip()


def _kept_parts(text: str, edits: list[Edit]) -> Iterator[str]:
    start = 0
    for edit in edits:
        yield text[start:edit.start]
        start = edit.end
    yield text[start:]


def _has_letters(text: str, count: int) -> bool:
    """Whether `text` has at least `count` letters; stops at the `count`th (most lines have their
    first letters up front, so this reads a few characters where counting all read the line)."""
    if count <= 0:
        return True
    for char in text:
        if char.isalpha():
            count -= 1
            if count == 0:
                return True
    return False
