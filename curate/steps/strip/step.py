"""The strip step: remove page furniture (ads labels, bylines, captions, pitches…) by rule packs.

All edits are measured on the text as the step receives it, never overlap, and are applied in one
`apply_edits` call, so the events replay exactly. Line and block rules drop whole lines with their
newline (so two paragraphs are never glued), replace rules rewrite spans inside a line, and a
paragraph that repeats an earlier one keeps only its first copy. Blank-line tidying is left to the
repair step.

Each line meets only the rules whose required literal words it contains and whose shape it can
have (curate.rules.prefilter: one scan of the line, then a set lookup per rule; for whole-line rules
also its length, non-whitespace count, word count, first characters and punctuation); every rule
that could match still runs, with its timeout, so the edits are exactly those of asking every rule.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Final, NamedTuple, TypeVar

from curate.document import Document, Edit, apply_edits
from curate.pipeline import DocumentStep
from curate.rules.kinds import BlockMatcher, LineMatcher, Matcher, ReplaceMatcher
from curate.rules.model import Rule, RuleSet
from curate.rules.prefilter import Candidates, LineFacts, LiteralScan, candidates_for
from curate.steps.strip.learn import LearnConfig
from curate.steps.strip.text import (
    CAPTION_RULE,
    PAGE_RULE,
    PageTextConfig,
    caption_above,
    page_furniture,
)

REPEAT_RULE: Final = "strip.repeated_paragraph"
_TRAILING_PUNCTUATION: Final = ".!?…:;,"
_M = TypeVar("_M", bound=Matcher)


@dataclass(frozen=True)
class StripConfig:
    """How the strip step runs its rules.

    dedup_paragraphs: drop a paragraph whose normalised text repeats an earlier paragraph of the
        same document. On by default: a standfirst reprinted as the first body paragraph, or a
        caption printed twice, is the commonest repeat on news pages, and no rule can describe it.
    regex_timeout: seconds allowed per pattern call. 1.0 is hundreds of times what a sane pattern
        needs on a long line, and short enough that a hostile page fails its document promptly (the
        regex package raises TimeoutError, which the step base turns into a Failed record).
    min_repeat_words: paragraphs with fewer words are never treated as repeats. 6 keeps list items,
        short headings and labels such as "Tags" or "Share" (which may rightly repeat) out of it.
    text_heuristics: run the text-only heuristics of `strip/text` after the rules (whole-page dumps,
        a caption above a removed source/date block). On by default: they only act on texts that look
        like page dumps or next to furniture the rules removed, never on clean prose. Text the
        extract step took from HTML is not judged as a page dump (the extractor chose its article).
    page: thresholds of the whole-page-dump heuristic (see PageTextConfig).
    learn: per-source learning of repeated lines (`--learn-repeated N`), run by the `learn` stream
        step after the per-document steps; it lives here because it is stripping too, and so the
        run's config digest covers it.
    """

    dedup_paragraphs: bool = True
    regex_timeout: float = 1.0
    min_repeat_words: int = 6
    text_heuristics: bool = True
    page: PageTextConfig = PageTextConfig()
    learn: LearnConfig = LearnConfig()


class _Line(NamedTuple):
    start: int  # offset of the line's first character
    stop: int  # offset just past its content (before "\r\n" / "\n")
    end: int  # offset of the next line (just past the newline)


def _split_lines(text: str) -> tuple[list[_Line], list[str]]:
    """The text's lines ("\\n"-separated, a "\\r" before the "\\n" not part of the content; no
    line after a final newline) and each line's content stripped of surrounding whitespace."""
    lines: list[_Line] = []
    pieces = text.split("\n")
    if not pieces[-1]:  # the text ends with a newline (or is empty): no line after it
        pieces.pop()
    start = 0
    last = len(pieces) - 1
    for number, piece in enumerate(pieces):
        stop = start + len(piece)
        end = stop + 1 if number < last or stop < len(text) else stop
        lines.append(_Line(start, stop - 1 if piece.endswith("\r") else stop, end))
        start = end
    # strip() removes a trailing "\r" with the other whitespace, so the pieces serve as they are
    return lines, [piece.strip() for piece in pieces]


def normalise_paragraph(text: str) -> str:
    """The form repeated paragraphs are compared in.

    >>> normalise_paragraph("  The  Call for a pause.")
    'the call for a pause'
    """
    return " ".join(text.split()).casefold().rstrip(_TRAILING_PUNCTUATION)


class Strip(DocumentStep):
    """Drop furniture lines and blocks, rewrite remnants, and drop repeated paragraphs."""

    name: ClassVar[str] = "strip"

    def __init__(self, config: StripConfig, ruleset: RuleSet) -> None:
        self.config = config
        self.ruleset = ruleset
        self._by_lang: dict[str | None, tuple[tuple[Rule, ...], LiteralScan, _ByKind]] = {}
        # Documents reach strip before langid, so most have no language yet: build that rule list
        # (and parse its patterns for the prefilter) now, once, rather than in every worker.
        self._rules(None)

    def apply(self, doc: Document) -> Document:
        # The main-content extractor already chose the article of an HTML page; judging its text
        # again as a page dump only loses short paragraphs (measured on both extraction sets).
        from_html = "extract_root" in doc.meta
        rules, scan, by_kind = self._rules(doc.lang)
        edits = _Planner(doc.text, rules, self.config, page_dump=not from_html, scan=scan,
                         by_kind=by_kind).plan()
        if not edits:
            return doc
        text, events = apply_edits(doc.text, edits, self.name)
        return doc.edited(text, *events)

    def _rules(self, lang: str | None) -> tuple[tuple[Rule, ...], LiteralScan, _ByKind]:
        """The rules for a language, their literal scanner and kinds, made once per language."""
        found = self._by_lang.get(lang)
        if found is None:
            rules = tuple(
                rule
                for rule in self.ruleset.rules
                if rule.kind != "selector" and rule.applies_to(lang)
            )
            found = self._by_lang[lang] = (rules, _scan(rules), _by_kind(rules))
        return found


class _ByKind(NamedTuple):
    """A rule list's line, block and replace rules, with the ids' categories (made once per list)."""

    blocks: list[tuple[Rule, BlockMatcher]]
    lines: list[tuple[Rule, LineMatcher]]
    replaces: list[tuple[Rule, ReplaceMatcher]]
    category_of: dict[str, str]


@functools.lru_cache(maxsize=64)
def _by_kind(rules: tuple[Rule, ...]) -> _ByKind:
    def of(kind: type[_M]) -> list[tuple[Rule, _M]]:
        return [(rule, rule.matcher) for rule in rules if isinstance(rule.matcher, kind)]

    return _ByKind(of(BlockMatcher), of(LineMatcher), of(ReplaceMatcher),
                   {rule.id: rule.category for rule in rules})


@functools.lru_cache(maxsize=64)
def _scan(rules: tuple[Rule, ...]) -> LiteralScan:
    """One scanner per rule list (the rules a language gets), built on first use."""
    return LiteralScan([rule.matcher.pattern if isinstance(rule.matcher, (LineMatcher, ReplaceMatcher))
                        else rule.matcher.start for rule in rules
                        if isinstance(rule.matcher, (LineMatcher, ReplaceMatcher, BlockMatcher))])


class _Planner:
    """Works out the edits for one text: blocks first, then lines, then replacements, then repeats.

    Each line is claimed at most once (by the first block or line rule that matches it, in rule
    order), which is what keeps the edits non-overlapping.
    """

    def __init__(
        self,
        text: str,
        rules: Sequence[Rule],
        config: StripConfig,
        *,
        page_dump: bool = True,
        scan: LiteralScan | None = None,
        by_kind: _ByKind | None = None,
    ) -> None:
        self.text, self.rules, self.config, self.page_dump = text, rules, config, page_dump
        self.by_kind = by_kind if by_kind is not None else _by_kind(tuple(rules))
        self.lines, self.stripped = _split_lines(text)
        # The rules' required literals found in each line, computed when a line is first asked
        # about: a rule whose literals a line lacks is not run on it (curate.rules.prefilter).
        self.scan = scan if scan is not None else _scan(tuple(rules))
        self._present: list[frozenset[str] | None] = [None] * len(self.lines)
        self._scanned = [False] * len(self.lines)
        self._facts: list[LineFacts | None] = [None] * len(self.lines)
        self.claimed = [False] * len(self.lines)
        self.categories: list[str | None] = [None] * len(self.lines)  # of the rule that removed it
        self.category_of = self.by_kind.category_of
        self.drops: list[Edit] = []
        self.replaces: dict[int, list[Edit]] = {}

    def plan(self) -> list[Edit]:
        self._blocks()
        self._line_rules()
        if self.config.text_heuristics:
            self._captions()
        self._replacements()
        if self.config.dedup_paragraphs:
            self._repeats()
        if self.config.text_heuristics and self.page_dump:
            self._page_dump()
        return self.drops + [edit for edits in self.replaces.values() for edit in edits]

    def present(self, index: int) -> frozenset[str] | None:
        """The rules' required literals that occur in line `index` (stripped); None when the line
        was not scanned (too long), so every rule runs on it."""
        if not self._scanned[index]:
            self._present[index] = self.scan.present(self.stripped[index])
            self._scanned[index] = True
        return self._present[index]

    def candidates(self, candidates: Candidates, index: int) -> list[int]:
        """The patterns of `candidates` that may fullmatch line `index` (stripped)."""
        facts = self._facts[index]
        if facts is None:
            facts = self._facts[index] = LineFacts(self.stripped[index])
        return candidates.of(self.stripped[index], self.present(index), facts=facts)

    def _free(self, index: int) -> bool:
        """A non-blank line no rule has claimed yet."""
        return bool(self.stripped[index]) and not self.claimed[index]

    def _drop(self, first: int, last: int, action: str, rule: str, **detail: object) -> None:
        self.drops.append(
            Edit(self.lines[first].start, self.lines[last].end, "", action, rule, detail)
        )
        for index in range(first, last + 1):
            self.claimed[index] = True
            self.categories[index] = self.category_of.get(rule, "other")

    def _blocks(self) -> None:
        timeout = self.config.regex_timeout
        blocks = self.by_kind.blocks
        if not blocks:
            return
        candidates = candidates_for(tuple(matcher.start for _, matcher in blocks))
        # where each block rule may start, read off every line once (the prefilter is pure, so
        # asking before earlier blocks claimed lines changes no answer, only skips the rule calls)
        starts: list[list[int]] = [[] for _ in blocks]
        for index, line in enumerate(self.stripped):
            if line:
                for number in self.candidates(candidates, index):
                    starts[number].append(index)
        for number, (rule, matcher) in enumerate(blocks):
            try:
                self._block_rule(rule, matcher, starts[number], timeout)
            except TimeoutError as exc:
                raise _named(rule, exc) from exc

    def _block_rule(self, rule: Rule, matcher: BlockMatcher, starts: list[int], timeout: float) -> None:
        """Drop each block of `rule` that starts at one of the lines `starts` (ascending) on a line
        no rule has claimed, and whose lines are all unclaimed; a dropped block's lines are not
        tried again as starts."""
        after = -1  # the last line of the block this rule dropped last
        for index in starts:
            if index <= after or self.claimed[index]:
                continue
            if not matcher.starts(self.stripped[index], timeout):
                continue
            last = matcher.extent(self.stripped, index, timeout)
            if last is not None and not any(self.claimed[index : last + 1]):
                self._drop(index, last, "drop_block", rule.id)
                after = last

    def _line_rules(self) -> None:
        matchers = self.by_kind.lines
        if not matchers:
            return
        candidates = candidates_for(tuple(matcher.pattern for _, matcher in matchers))
        timeout = self.config.regex_timeout
        for index, content in enumerate(self.stripped):
            if not self._free(index):
                continue
            for number in self.candidates(candidates, index):
                rule, matcher = matchers[number]
                try:
                    matched = matcher.matches(content, timeout)
                except TimeoutError as exc:
                    raise _named(rule, exc) from exc
                if matched:
                    self._drop(index, index, "drop_line", rule.id)
                    break

    def _captions(self) -> None:
        """A lone caption sentence right above a byline/credit/date block the rules removed."""
        for index in caption_above(self.stripped, self.categories):
            self._drop(index, index, "drop_line", CAPTION_RULE)

    def _page_dump(self) -> None:
        """Menus, footers and teasers of a whole-page text dump (strip/text.page_furniture)."""
        for index in page_furniture(self.stripped, self.config.page, self.categories):
            self.replaces.pop(index, None)
            self._drop(index, index, "drop_line", PAGE_RULE)

    def _replacements(self) -> None:
        matchers = self.by_kind.replaces
        if not matchers:
            return
        candidates = candidates_for(tuple(matcher.pattern for _, matcher in matchers))
        for index, line in enumerate(self.lines):
            if self._free(index):
                edits = self._line_replacements(index, line, matchers, candidates)
                if edits:
                    self.replaces[index] = edits

    def _line_replacements(
        self, index: int, line: _Line, matchers: list[tuple[Rule, ReplaceMatcher]], candidates: Candidates
    ) -> list[Edit]:
        content = self.text[line.start : line.stop]
        present = self.present(index)
        if content != self.stripped[index]:
            present = self.scan.present_around(present, content)
        taken: list[tuple[int, int]] = []
        edits: list[Edit] = []
        for number in candidates.of(content, present, whole=False):
            rule, matcher = matchers[number]
            try:  # the candidates passed the literal test already: no `present` for spans
                spans = matcher.spans(content, self.config.regex_timeout)
            except TimeoutError as exc:
                raise _named(rule, exc) from exc
            for start, end, new in spans:
                if any(start < b and a < end for a, b in taken):  # an earlier rule already owns it
                    continue
                taken.append((start, end))
                edits.append(Edit(line.start + start, line.start + end, new, "replace", rule.id))
        return edits

    def _current(self, index: int) -> str:
        """The line's text after its replacements, which is what a reader would compare."""
        line = self.lines[index]
        edits = self.replaces.get(index)
        if not edits:
            return self.text[line.start : line.stop]
        pieces: list[str] = []
        cursor = line.start
        for edit in sorted(edits, key=lambda e: e.start):
            pieces += [self.text[cursor : edit.start], edit.replacement]
            cursor = edit.end
        pieces.append(self.text[cursor : line.stop])
        return "".join(pieces)

    def _repeats(self) -> None:
        first_seen: dict[str, int] = {}
        for index in range(len(self.lines)):
            if not self._free(index):
                continue
            current = self._current(index)
            # fewer than min_repeat_words words: splitting stops once there are that many
            if len(current.split(None, self.config.min_repeat_words - 1)) < self.config.min_repeat_words:
                continue
            key = normalise_paragraph(current)
            if key in first_seen:
                self.replaces.pop(index, None)
                self._drop(index, index, "drop_repeat", REPEAT_RULE, first_line=first_seen[key] + 1)
            else:
                first_seen[key] = index


def _named(rule: Rule, exc: TimeoutError) -> TimeoutError:
    """A pattern that runs out of time says which rule it is: the step reports it as rule_timeout with
    this message, and the user can find the rule to fix or disable."""
    return TimeoutError(f"rule {rule.id}: {exc}")
