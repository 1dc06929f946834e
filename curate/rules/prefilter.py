"""A cheap test that rules a pattern out before the regex engine is asked: its required literals.

The strip step runs every line rule on every line. With the `regex` package a call that carries a
`timeout` costs about 3 µs before any matching starts, and ~50 rules times ~30 lines a page made
that overhead most of strip's time. Nearly every rule names words ("advertisement", "published",
"©"): a line that contains none of the words a pattern cannot match without is not worth a call.

`required_literals` reads the pattern's parse tree (the regex package's own parser, so its syntax is
understood exactly) and returns a set of strings one of which every match must contain, or None when
it cannot tell (a pattern made only of classes such as `\\p{Lu}+`, or a construct it does not know).
The test is made on case-folded text (`fold`), so it holds for case-insensitive patterns too; a
character whose case variants do not fold alike (the dotted İ) ends a literal there. The filter can
only say "no match possible" when that is certain: every other line still goes to the pattern, with
its timeout.

A pattern with no required literal may still need a digit (a date or time line: `\\d{1,2}/\\d{4}`);
its requirement is then the marker `DIGIT`, which `LiteralScan.present` reports for a line holding a
digit. Most lines of prose hold none, and the date patterns are among the costliest to run.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Final

import regex
from regex import _regex, _regex_core

Literals = frozenset[str]
_IGNORE_CASE: Final = int(regex.IGNORECASE | regex.UNICODE)
# Lines longer than this are not scanned: a pattern call costs a few µs, scanning ~0.1 µs a
# character, so past this length the ~50 calls are the cheaper way (a 10 MB one-line page).
SCAN_MAX_CHARS: Final = 2000
_FULL_IGNORE: Final = int(regex.FULLCASE | regex.IGNORECASE)
# The requirement "some digit (\d, Unicode) in the line". Every real literal holds at least one
# character, so the empty string can never be mistaken for one.
DIGIT: Final = ""
_HAS_DIGIT: Final = regex.compile(r"\d").search


def fold(text: str) -> str:
    """The form lines are compared in (per character, so a substring folds to a substring).

    >>> fold("İSTANBUL Straße")
    'istanbul strasse'
    """
    # casefold, plus what makes the case variants the regex engine treats as equal compare equal:
    # the Turkish dotless i, and the combining dot that casefold leaves after İ.
    folded = text.casefold()
    if folded.isascii():
        return folded
    return folded.replace("ı", "i").replace("\u0307", "")


class Prefilter:
    """`may_match(line, present)`: False only when the pattern cannot match `line`, given the set
    of the scan's literals that occur in it (`LiteralScan.present`): the line is longer than
    anything the pattern can fullmatch, or holds none of the literals the pattern requires."""

    __slots__ = ("literals", "max_chars")

    def __init__(self, literals: Literals | None, max_chars: float = math.inf) -> None:
        self.literals = literals or None
        self.max_chars = max_chars

    def may_match(self, line: str, present: frozenset[str], *, whole: bool = True) -> bool:
        """`whole`: the question is a fullmatch of the line (else a search inside it)."""
        if whole and len(line) > self.max_chars:
            return False
        return self.literals is None or not self.literals.isdisjoint(present)


class LiteralScan:
    """Which of the required literals of some patterns occur in a line, found in one pass.

    One standard-`re` pattern, the literals as a trie (`ad(?:vert(?:entie)?)?|...`) inside a
    lookahead, reports at every position the longest literal starting there; every other literal
    starting there is a prefix of it, so adding each found literal's prefixes that are literals too
    gives exactly the set present. Linear in the line, so it needs no timeout.
    """

    def __init__(self, patterns: Sequence[regex.Pattern[str]]) -> None:
        wanted = {lit for p in patterns for lit in (prefilter(p).literals or ())}
        self._digits = DIGIT in wanted
        literals = sorted(wanted - {DIGIT})
        self._find = re.compile(f"(?=({literal_alternation(literals)}))").findall if literals else None
        known = set(literals)
        self._closure = {lit: frozenset(lit[:n] for n in range(1, len(lit) + 1) if lit[:n] in known)
                         for lit in literals}

    def present(self, line: str) -> frozenset[str] | None:
        """The literals in `line` (folded here; see `fold`); None for a line so long that reading it
        costs more than the pattern calls it could save (every pattern then runs)."""
        if len(line) > SCAN_MAX_CHARS:
            return None
        digit = self._digits and _HAS_DIGIT(line) is not None
        found = set(self._find(fold(line))) if self._find is not None else set()
        if not found:
            return _ONLY_DIGIT if digit else frozenset()
        present = frozenset().union(*(self._closure[lit] for lit in found))
        return present | _ONLY_DIGIT if digit else present


_ONLY_DIGIT: Final = frozenset({DIGIT})


@lru_cache(maxsize=256)
def candidates_for(patterns: tuple[regex.Pattern[str], ...]) -> Candidates:
    """The (cached) Candidates of a tuple of patterns: strip asks once per document."""
    return Candidates(patterns)


class Candidates:
    """Which of some patterns (by index, in order) may match a line, given the literals present.

    >>> patterns = [regex.compile(r"(?i)ads?"), regex.compile(r"\\w+ min"), regex.compile(r"\\d+")]
    >>> scan, candidates = LiteralScan(patterns), Candidates(patterns)
    >>> candidates.of("5 MIN", scan.present("5 MIN"))
    [1, 2]
    """

    def __init__(self, patterns: Sequence[regex.Pattern[str]]) -> None:
        filters = [prefilter(p) for p in patterns]
        self._always = frozenset(i for i, f in enumerate(filters) if f.literals is None)
        self._by_literal: dict[str, list[int]] = {}
        for index, found in enumerate(filters):
            for literal in found.literals or ():
                self._by_literal.setdefault(literal, []).append(index)
        self._max_chars = [f.max_chars for f in filters]

    def of(self, line: str, present: frozenset[str] | None, *, whole: bool = True) -> list[int]:
        """Indices of the patterns that may match `line` (`whole`: a fullmatch), ascending.
        `present` None: the literals were not looked for (every pattern may match)."""
        if present is None:
            found = set(range(len(self._max_chars)))
        else:
            found = set(self._always)
            for literal in present:
                found.update(self._by_literal.get(literal, ()))
        if whole:
            return sorted(i for i in found if len(line) <= self._max_chars[i])
        return sorted(found)


def literal_alternation(words: Sequence[str]) -> str:
    """A standard-`re` pattern matching any of `words`, the longest where several start at the same
    place. Built as a trie, so the engine tries one branch per character instead of every word.

    >>> literal_alternation(["ad", "advert", "as"])
    'a(?:d(?:vert)?|s)'
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_node(root)


def _trie_node(node: dict[str, Any]) -> str:
    branches = [re.escape(char) + _trie_node(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


@lru_cache(maxsize=1024)
def prefilter(pattern: regex.Pattern[str]) -> Prefilter:
    """The prefilter of a compiled pattern (cached: rule sets share their patterns): its required
    literals, or else `DIGIT` when every match holds a digit."""
    try:
        literals = required_literals(pattern.pattern)
        if literals is None and needs_digit(pattern.pattern):
            literals = frozenset({DIGIT})
        return Prefilter(literals, max_chars(pattern.pattern))
    except Exception:  # noqa: BLE001 - the parser's internals changed: never filter rather than fail
        return Prefilter(None)


def required_literals(source: str) -> Literals | None:
    """Folded strings one of which every match of `source` contains, or None if unknown.

    >>> sorted(required_literals(r"(?i)(?:sponsored|paid) content"))
    [' content']
    >>> sorted(required_literals(r"(?i)advert|ads?"))
    ['ad']
    >>> required_literals(r"\\p{Lu}\\w+") is None
    True
    """
    if not isinstance(source, str):
        return None
    parsed, info = _parse(source)
    if info.flags & regex.LOCALE:  # case equivalence then depends on the machine's locale
        return None
    return _Walker(info).literals(parsed)


def max_chars(source: str) -> float:
    r"""The most characters a match of `source` can span (math.inf when unbounded or unknown).

    >>> max_chars(r"(?i)ads?:?\s{0,3}"), max_chars(r"by \w+")
    (7.0, inf)
    """
    parsed, info = _parse(source)
    if info.flags & regex.LOCALE:
        return math.inf
    return _Walker(info).width(parsed)


def needs_digit(source: str) -> bool:
    r"""Whether every match of `source` holds a digit (a character `\d` matches).

    >>> needs_digit(r"(?i)(?:jan|feb)\s+\d{1,2}"), needs_digit(r"\d+|none"), needs_digit(r"[0-9.]+")
    (True, False, False)
    """
    if not isinstance(source, str):
        return False
    parsed, info = _parse(source)
    if info.flags & regex.LOCALE:
        return False
    return _Walker(info).digit(parsed)


@lru_cache(maxsize=64)
def _parse(source: str) -> tuple[Any, Any]:
    """The regex package's own parse of `source` (as regex.compile does it, without optimising);
    cached, as each pattern is read three times (literals, width, digit), and the walkers only read."""
    flags = 0
    while True:
        text = _regex_core.Source(source)
        info = _regex_core.Info(flags, text.char_type, {})
        info.guess_encoding = _regex_core.UNICODE
        text.ignore_space = bool(info.flags & regex.VERBOSE)
        try:
            parsed = _regex_core._parse_pattern(text, info)
            break
        except _regex_core._UnscopedFlagSet:
            flags = info.global_flags
    parsed.fix_groups(source, False, False)
    return parsed, info


class _Walker:
    """Computes required literals node by node; None means "no requirement known"."""

    def __init__(self, info: Any) -> None:
        self.info = info
        self.calling: set[int] = set()
        self.widths: dict[int, float] = {}

    def literals(self, node: Any) -> Literals | None:
        kind = type(node).__name__
        if kind == "Sequence":
            return self._sequence(node.items)
        if kind == "Branch":
            return self._branch(node.branches)
        if kind in ("Group", "Atomic"):
            return self.literals(node.subpattern)
        if kind in ("GreedyRepeat", "LazyRepeat", "PossessiveRepeat"):
            return self.literals(node.subpattern) if node.min_count >= 1 else None
        if kind in ("Character", "String", "Literal"):
            return self._sequence([node]) if _literal_chars(node) is not None else None
        if kind == "CallGroup":
            return self._call(node.group)
        return None  # classes, anchors, lookarounds, conditionals, back-references, fuzzy ...

    def digit(self, node: Any) -> bool:
        """Whether every match of `node` holds a digit; False when not known."""
        kind = type(node).__name__
        if kind == "Sequence":
            return any(self.digit(item) for item in node.items)
        if kind == "Branch":
            return bool(node.branches) and all(self.digit(b) for b in node.branches)
        if kind in ("Group", "Atomic"):
            return self.digit(node.subpattern)
        if kind in ("GreedyRepeat", "LazyRepeat", "PossessiveRepeat"):
            return node.min_count >= 1 and self.digit(node.subpattern)
        if kind == "CallGroup":
            defined = self.info.defined_groups.get(node.group)
            if not isinstance(node.group, int) or defined is None or node.group in self.calling:
                return False
            self.calling.add(node.group)
            try:
                return self.digit(defined[0].subpattern)
            finally:
                self.calling.discard(node.group)
        return _only_digits(node)

    def width(self, node: Any) -> float:
        """Most characters `node` can match; math.inf when unbounded or not known."""
        kind = type(node).__name__
        if isinstance(node, _regex_core.ZeroWidthBase) or kind in ("LookAround",):
            return 0
        if kind == "Sequence":
            return sum((self.width(item) for item in node.items), 0.0)
        if kind == "Branch":
            return max((self.width(b) for b in node.branches), default=0.0)
        if kind in ("Group", "Atomic"):
            return self.width(node.subpattern)
        if kind in ("GreedyRepeat", "LazyRepeat", "PossessiveRepeat"):
            inner = self.width(node.subpattern)
            return inner * node.max_count if node.max_count is not None and inner else (
                0 if not inner else math.inf)
        if kind in ("Conditional", "LookAroundConditional"):
            return max(self.width(node.yes_item), self.width(node.no_item))
        if kind == "CallGroup":
            defined = self.info.defined_groups.get(node.group)
            if not isinstance(node.group, int) or defined is None or node.group in self.calling:
                return math.inf  # recursion or an unknown target
            if node.group in self.widths:  # a group called many times is measured once
                return self.widths[node.group]
            self.calling.add(node.group)
            try:
                width = self.widths[node.group] = self.width(defined[0].subpattern)
                return width
            finally:
                self.calling.discard(node.group)
        # One character, or up to 3 when full case folding lets one match several ("ß" ~ "ss").
        per_char = 3 if (getattr(node, "case_flags", 0) & _FULL_IGNORE) == _FULL_IGNORE else 1
        if kind == "Character":
            return 0 if node.zerowidth else per_char
        if kind in ("String", "Literal"):
            return per_char * len(node.characters)
        if kind in ("Any", "AnyAll", "AnyU", "Property", "Range") or isinstance(node, _regex_core.SetBase):
            return per_char
        return math.inf  # back-references, fuzzy matching, graphemes, named lists, the unknown

    def _branch(self, branches: list[Any]) -> Literals | None:
        out: set[str] = set()
        for branch in branches:
            found = self.literals(branch)
            if not found:
                return None
            out |= found
        return _shortest_cover(out)

    def _call(self, group: Any) -> Literals | None:
        defined = self.info.defined_groups.get(group)
        if not isinstance(group, int) or defined is None or group in self.calling:
            return None
        self.calling.add(group)
        try:
            return self.literals(defined[0].subpattern)
        finally:
            self.calling.discard(group)

    def _sequence(self, items: list[Any]) -> Literals | None:
        """The best requirement among the sequence's parts and its runs of literal characters."""
        candidates: list[Literals] = []
        run: list[str] = []
        for item in items:
            chars = _literal_chars(item)
            if chars is not None:
                for char in chars:
                    if char is None:  # a character whose case variants do not fold alike
                        candidates += _run(run)
                        run = []
                    else:
                        run.append(char)
                continue
            candidates += _run(run)
            run = []
            found = self.literals(item)
            if found:
                candidates.append(found)
        candidates += _run(run)
        return max(candidates, key=_strength, default=None)


def _only_digits(node: Any) -> bool:
    """Whether `node` matches one character, always a digit: `\\d` (Unicode or ASCII, which is a
    subset), a digit character, a range of ASCII digits, or a set made only of those."""
    kind = type(node).__name__
    if not getattr(node, "positive", False) or getattr(node, "zerowidth", True):
        return False
    if kind == "Property":
        return bool(node.value == _DIGIT_PROPERTY)
    if kind == "Character":  # the character and, for a case-insensitive one, its other cases
        cases = [node.value, *_regex.get_all_cases(_IGNORE_CASE, node.value)]
        return all(_HAS_DIGIT(chr(value)) is not None for value in cases)
    if kind == "Range":
        return bool(ord("0") <= node.lower <= node.upper <= ord("9"))
    if kind == "SetUnion":
        return bool(node.items) and all(_only_digits(item) for item in node.items)
    return False


def _run(chars: list[str]) -> list[Literals]:
    text = "".join(chars)
    return [frozenset([text])] if text else []


def _literal_chars(node: Any) -> list[str | None] | None:
    """The folded characters a Character/String node matches, None for an unsafe one; None if the
    node is not a plain literal."""
    kind = type(node).__name__
    if kind == "Character":
        if not node.positive or node.zerowidth:
            return None
        values = [node.value]
    elif kind in ("String", "Literal"):
        values = list(node.characters)
    else:
        return None
    ignore = bool(node.case_flags & regex.IGNORECASE)
    return [_safe_fold(value, ignore) for value in values]


@lru_cache(maxsize=4096)
def _safe_fold(value: int, ignore_case: bool) -> str | None:
    char = chr(value)
    folded = fold(char)
    if not folded:
        return None
    if ignore_case:
        variants = _regex.get_all_cases(_IGNORE_CASE, value)
        if any(fold(chr(v)) != folded for v in variants):
            return None
    return folded


def _strength(literals: Literals) -> tuple[int, int]:
    """Longer shortest literal first, then fewer alternatives: the more selective requirement."""
    return min(len(s) for s in literals), -len(literals)


def _shortest_cover(literals: set[str]) -> Literals:
    """Drop literals that contain another one of the set: finding the shorter one is enough."""
    ordered = sorted(literals, key=len)
    kept: list[str] = []
    for literal in ordered:
        if not any(k in literal for k in kept):
            kept.append(literal)
    return frozenset(kept)


# The parser's value for the `\d` property (Unicode decimal digits), read from the parser itself.
_DIGIT_PROPERTY: Final = _parse(r"\d")[0].items[0].value
