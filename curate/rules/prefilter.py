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

A whole-line rule (a fullmatch) is also ruled out by the line's shape (`Prefilter.fits`), each test
read off the parse tree and sound by construction: more characters (`max_chars`), more
non-whitespace characters (`max_solid`) or more runs of whitespace, i.e. words (`max_gaps`), than
any match can hold; a start that no match has (`prefixes`); or one of a few common punctuation and
digit characters that no part of the pattern can match (`absent_probes`). Prose lines fail most
of these for most rules. A hostile line such a test rules out is then never run, so it cannot time
out either: the answer (no match) is the one the pattern would give.
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


# Characters whose presence in a line rules out every pattern that cannot match them anywhere (see
# `absent_probes`): sentence punctuation and digits, which prose lines hold and most furniture
# patterns do not allow. None has other cases or appears in another character's case folding
# (checked in the tests), so a pattern's parts match one exactly when they say so.
PROBES: Final = ".,;:!?()\"0123456789"
_PROBE_FIND: Final = re.compile("[" + re.escape(PROBES) + "]").findall


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
    of the scan's literals that occur in it (`LiteralScan.present`): the line holds none of the
    literals the pattern requires, or (for a fullmatch) it is longer than anything the pattern can
    match, holds more non-whitespace characters (`max_solid`) or more separate runs of whitespace
    (`max_gaps`) than it can, does not start with what every match starts with (`prefixes`), or
    holds one of the `PROBES` characters that no part of the pattern can match (`absent`)."""

    __slots__ = ("literals", "max_chars", "max_solid", "absent", "max_gaps", "prefixes")

    def __init__(self, literals: Literals | None, max_chars: float = math.inf,
                 max_solid: float = math.inf, absent: frozenset[str] = frozenset(),
                 max_gaps: float = math.inf, prefixes: tuple[str, ...] | None = None) -> None:
        self.literals = literals or None
        self.max_chars = max_chars
        self.max_solid = max_solid
        self.absent = absent
        self.max_gaps = max_gaps
        self.prefixes = prefixes

    def may_match(self, line: str, present: frozenset[str], *, whole: bool = True) -> bool:
        """`whole`: the question is a fullmatch of the line (else a search inside it)."""
        if whole and not self.fits(line):
            return False
        return self.literals is None or not self.literals.isdisjoint(present)

    def fits(self, line: str) -> bool:
        """Whether `line` passes the fullmatch tests on its length and characters."""
        if len(line) > self.max_chars:
            return False
        if self.max_solid < len(line) and solid_length(line) > self.max_solid:
            return False
        if self.max_gaps < len(line) and space_runs(line) > self.max_gaps:
            return False
        if self.prefixes is not None and not fold(line).startswith(self.prefixes):
            return False
        return not self.absent or self.absent.isdisjoint(probes_in(line))


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
        self._spaced = [lit for lit in literals if lit[0].isspace() or lit[-1].isspace()]

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


    def present_around(self, present: frozenset[str] | None, line: str) -> frozenset[str] | None:
        """`present(line)`, given `present` for `line.strip()`: the whitespace around it can only
        add a literal that starts or ends with whitespace (one that overlaps it has whitespace at
        that end; folding leaves whitespace as it is), so only those are looked for."""
        if present is None:
            return None
        folded = fold(line)
        extra = [lit for lit in self._spaced if lit in folded]
        return present.union(extra) if extra else present


_ONLY_DIGIT: Final = frozenset({DIGIT})


@lru_cache(maxsize=256)
def candidates_for(patterns: tuple[regex.Pattern[str], ...]) -> Candidates:
    """The (cached) Candidates of a tuple of patterns: strip asks once per document."""
    return Candidates(patterns)


class Candidates:
    """Which of some patterns (by index, in order) may match a line, given the literals present.

    >>> patterns = [regex.compile(r"(?i)ads?"), regex.compile(r"\\w+ min"), regex.compile(r"\\d+")]
    >>> scan, candidates = LiteralScan(patterns), Candidates(patterns)
    >>> candidates.of("5 MIN", scan.present("5 MIN"))  # `\\d+` cannot span the space
    [1]
    """

    def __init__(self, patterns: Sequence[regex.Pattern[str]]) -> None:
        filters = [prefilter(p) for p in patterns]
        self._always = frozenset(i for i, f in enumerate(filters) if f.literals is None)
        self._by_literal: dict[str, list[int]] = {}
        for index, found in enumerate(filters):
            for literal in found.literals or ():
                self._by_literal.setdefault(literal, []).append(index)
        # per pattern: (index, max_chars, max_solid, absent), the inputs of the fullmatch tests
        self._entries = [(i, f.max_chars, f.max_solid, f.absent, f.max_gaps, f.prefixes)
                         for i, f in enumerate(filters)]
        # literals present → the patterns they admit: lines share a few hundred such sets
        self._admitted: dict[frozenset[str], list[_Entry]] = {}

    def of(self, line: str, present: frozenset[str] | None, *, whole: bool = True,
           facts: LineFacts | None = None) -> list[int]:
        """Indices of the patterns that may match `line` (`whole`: a fullmatch), ascending.
        `present` None: the literals were not looked for (every pattern may match). `facts`: the
        line's LineFacts, when the caller keeps them for several questions about one line."""
        found = self._entries if present is None else self._admitted.get(present)
        if found is None:
            assert present is not None
            admitted = set(self._always)
            for literal in present:
                admitted.update(self._by_literal.get(literal, ()))
            found = [self._entries[i] for i in sorted(admitted)]
            if len(self._admitted) >= _ADMITTED_MAX:  # bounded memory on odd input
                self._admitted.clear()
            self._admitted[present] = found
        if not whole:
            return [entry[0] for entry in found]
        # Prefilter.fits, with the line's facts worked out once and only when a test needs them
        size = len(line)
        out = []
        for index, most_chars, most_solid, absent, most_gaps, starts in found:
            if size > most_chars:
                continue
            if most_solid < size:
                if facts is None:
                    facts = LineFacts(line)
                if facts.solid() > most_solid:
                    continue
            if most_gaps < size:
                if facts is None:
                    facts = LineFacts(line)
                if facts.gaps() > most_gaps:
                    continue
            if absent:
                if facts is None:
                    facts = LineFacts(line)
                if not absent.isdisjoint(facts.probes()):
                    continue
            if starts is not None:
                if facts is None:
                    facts = LineFacts(line)
                if not facts.folded().startswith(starts):
                    continue
            out.append(index)
        return out


_ADMITTED_MAX: Final = 4096
# (index, max_chars, max_solid, absent, max_gaps, prefixes) of one pattern
_Entry = tuple[int, float, float, frozenset[str], float, tuple[str, ...] | None]


class LineFacts:
    """What the fullmatch tests read from a line besides its length, each worked out on first use
    and kept (a line meets the block and the line rules' Candidates)."""

    __slots__ = ("line", "_solid", "_gaps", "_probes", "_folded")

    def __init__(self, line: str) -> None:
        self.line = line
        self._solid = -1
        self._gaps = -1
        self._probes: frozenset[str] | None = None
        self._folded: str | None = None

    def folded(self) -> str:
        if self._folded is None:
            self._folded = fold(self.line)
        return self._folded

    def solid(self) -> int:
        if self._solid < 0:
            self._split()
        return self._solid

    def gaps(self) -> int:
        if self._gaps < 0:
            self._split()
        return self._gaps

    def _split(self) -> None:
        """`solid_length` and `space_runs` from one split of the line."""
        line, words = self.line, self.line.split()
        self._solid = sum(map(len, words))
        self._gaps = (len(words) - 1 + line[0].isspace() + line[-1].isspace() if words
                      else 1 if line else 0)

    def probes(self) -> frozenset[str]:
        if self._probes is None:
            self._probes = probes_in(self.line)
        return self._probes


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
        return Prefilter(literals, max_chars(pattern.pattern), max_solid(pattern.pattern),
                         absent_probes(pattern.pattern), max_gaps(pattern.pattern),
                         prefixes(pattern.pattern))
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


def max_solid(source: str) -> float:
    r"""The most non-whitespace characters a match of `source` can hold (math.inf when unbounded or
    unknown): like `max_chars`, but a part that only matches whitespace (`\s*`, `\ `, `[ \t]+`)
    counts nothing, so a date line with free spacing is still bounded. A line with more characters
    that are not `str.isspace` cannot be fullmatched: each of them is consumed by a part that
    counts it (the whitespace-only parts match only `str.isspace` characters, see `_only_spaces`).

    >>> max_solid(r"(?i)ads?\s*:\s*\d{1,2}"), max_solid(r"by\s+\w+")
    (6.0, inf)
    """
    parsed, info = _parse(source)
    if info.flags & regex.LOCALE:
        return math.inf
    return _Walker(info, solid=True).width(parsed)


def prefixes(source: str) -> tuple[str, ...] | None:
    r"""Folded strings one of which every match of `source` starts with (None when not known): a
    line whose folded form starts with none of them cannot be fullmatched.

    >>> prefixes(r"(?:By|BY)\s+\w+"), prefixes(r"(?i)(?:©|\(c\))\s*\d{4}"), prefixes(r"\(?AP")
    (('by',), ('(c)', '©'), None)
    """
    parsed, info = _parse(source)
    if info.flags & regex.LOCALE:
        return None
    found = _Walker(info).prefixes(parsed)
    return tuple(sorted(found)) if found else None


def max_gaps(source: str) -> float:
    r"""The most separate runs of whitespace a match of `source` can hold (math.inf when unbounded or
    unknown). A stripped line of n words has n - 1, so a line of more words than the pattern can
    hold is not fullmatched: each run in the line lies within the match, and a run of the match is
    made of the runs its parts match (adjoining ones may merge, never split).

    >>> max_gaps(r"\p{Lu}\w*(?:\s+\p{Lu}\w*){1,7}"), max_gaps(r"by\s+\w+"), max_gaps(r"[^\n]+")
    (7.0, 1.0, inf)
    """
    parsed, info = _parse(source)
    if info.flags & regex.LOCALE:
        return math.inf
    return _Walker(info, gaps=True).width(parsed)


def space_runs(line: str) -> int:
    """The separate runs of whitespace (`str.isspace`) in `line`: what `max_gaps` bounds.

    >>> space_runs("a  b c"), space_runs(" a "), space_runs("   "), space_runs("")
    (2, 2, 1, 0)
    """
    words = line.split()
    if not words:
        return 1 if line else 0
    return len(words) - 1 + line[0].isspace() + line[-1].isspace()


def absent_probes(source: str) -> frozenset[str]:
    """The `PROBES` characters no part of `source` can match: a line holding one cannot be
    fullmatched. Empty when the pattern holds a construct this does not read (a back-reference, a
    named list, fuzzy matching...), which could match anything.

    >>> sorted(absent_probes(r"\\p{Lu}[\\p{L}'’-]*(?:\\s+\\p{Lu}[\\p{L}'’-]*){1,7}")) == sorted(PROBES)
    True
    >>> "".join(sorted(absent_probes(r"(?i)by\\s+[\\w.]+|\\(c\\)")))
    '!",:;?'
    """
    parsed, info = _parse(source)
    if info.flags & regex.LOCALE:
        return frozenset()
    absent = set(PROBES)
    stack = [parsed]
    while stack and absent:
        node = stack.pop()
        kind = type(node).__name__
        children = _CHILDREN.get(kind)
        if children is not None:
            for name in children:
                child = getattr(node, name)
                if isinstance(child, (list, tuple)):
                    stack.extend(child)
                elif child is not None:
                    stack.append(child)
        elif kind in ("String", "Literal"):
            absent.difference_update(chr(value) for value in node.characters)
        elif kind in _ONE_CHARACTER:
            absent.difference_update(ch for ch in list(absent) if node.matches(ord(ch)))
        elif kind in ("Any", "AnyAll", "AnyU"):
            return frozenset()
        elif not isinstance(node, _regex_core.ZeroWidthBase):
            return frozenset()  # a back-reference, a named list, fuzzy matching ...: anything
    return frozenset(absent)


# Node kinds whose parts are nodes (attribute names), and the one-character kinds that answer
# `matches(code point)`; the regex package's own parser classes.
_CHILDREN: Final = {
    "Sequence": ("items",), "Branch": ("branches",), "Group": ("subpattern",),
    "Atomic": ("subpattern",), "GreedyRepeat": ("subpattern",), "LazyRepeat": ("subpattern",),
    "PossessiveRepeat": ("subpattern",), "LookAround": ("subpattern",),
    "Conditional": ("yes_item", "no_item"),
    "LookAroundConditional": ("subpattern", "yes_item", "no_item"),
    "CallGroup": (),  # its target is a group of the same tree, which the walk visits anyway
}
_ONE_CHARACTER: Final = frozenset({"Character", "Property", "Range", "SetUnion", "SetDiff",
                                   "SetInter", "SetSymDiff"})


def probes_in(line: str) -> frozenset[str]:
    """The `PROBES` characters `line` holds.

    >>> sorted(probes_in("Hello, world (2026)."))
    ['(', ')', ',', '.', '0', '2', '6']
    """
    return frozenset(_PROBE_FIND(line))


def solid_length(line: str) -> int:
    """How many characters of `line` are not whitespace (`str.isspace`): what `max_solid` bounds.

    >>> solid_length(" 12 May\t2026 ")
    9
    """
    return len("".join(line.split()))


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

    def __init__(self, info: Any, *, solid: bool = False, gaps: bool = False) -> None:
        self.info = info
        self.solid = solid  # width(): count only characters that are not whitespace
        self.gaps = gaps  # width(): count runs of whitespace instead of characters
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
        """Most characters `node` can match; math.inf when unbounded or not known. With `solid`,
        a node that only ever matches whitespace counts 0 (see `max_solid`)."""
        kind = type(node).__name__
        if isinstance(node, _regex_core.ZeroWidthBase) or kind in ("LookAround",):
            return 0
        if self.solid and _only_spaces(node):
            return 0
        if self.gaps and kind not in _COMPOSITE:
            return _space_runs_of(node)
        if kind == "Sequence":
            return sum((self.width(item) for item in node.items), 0.0)
        if kind == "Branch":
            return max((self.width(b) for b in node.branches), default=0.0)
        if kind in ("Group", "Atomic"):
            return self.width(node.subpattern)
        if kind in ("GreedyRepeat", "LazyRepeat", "PossessiveRepeat"):
            if self.gaps and _only_spaces(node.subpattern):  # `\s+`: its repeats make one run
                return 1 if node.max_count is None or node.max_count > 0 else 0
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
        if kind in ("String", "Literal"):  # (a whitespace character in it matches only itself)
            return per_char * sum(not (self.solid and chr(value).isspace()) for value in node.characters)
        if kind in ("Any", "AnyAll", "AnyU", "Property", "Range") or isinstance(node, _regex_core.SetBase):
            return per_char
        return math.inf  # back-references, fuzzy matching, graphemes, named lists, the unknown

    def prefixes(self, node: Any) -> Literals | None:
        """Folded strings one of which every match of `node` starts with; None when not known (or
        when full case folding could let one character of the line match part of a literal)."""
        kind = type(node).__name__
        if kind == "Sequence":
            return self._leading(node.items)
        if kind == "Branch":
            out: set[str] = set()
            for branch in node.branches:
                found = self.prefixes(branch)
                if not found:
                    return None
                out |= found
            return frozenset(out)
        if kind in ("Group", "Atomic"):
            return self.prefixes(node.subpattern)
        if kind in ("GreedyRepeat", "LazyRepeat", "PossessiveRepeat"):
            return self.prefixes(node.subpattern) if node.min_count >= 1 else None
        if kind in ("Character", "String", "Literal"):
            return self._leading([node]) if _literal_chars(node) is not None else None
        if kind == "CallGroup":
            defined = self.info.defined_groups.get(node.group)
            if not isinstance(node.group, int) or defined is None or node.group in self.calling:
                return None
            self.calling.add(node.group)
            try:
                return self.prefixes(defined[0].subpattern)
            finally:
                self.calling.discard(node.group)
        return None

    def _leading(self, items: list[Any]) -> Literals | None:
        """The prefixes of a sequence: its leading run of literal characters, or else those of its
        first part that consumes characters."""
        run: list[str] = []
        for item in items:
            if isinstance(item, _regex_core.ZeroWidthBase) or type(item).__name__ == "LookAround":
                if run:
                    break
                continue
            chars = _literal_chars(item)
            if chars is None or (item.case_flags & _FULL_IGNORE) == _FULL_IGNORE:
                return frozenset({"".join(run)}) if run else (None if chars is not None else self.prefixes(item))
            for char in chars:
                if char is None:
                    return frozenset({"".join(run)}) if run else None
                run.append(char)
        return frozenset({"".join(run)}) if run else None

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


_COMPOSITE: Final = frozenset({"Sequence", "Branch", "Group", "Atomic", "GreedyRepeat", "LazyRepeat",
                                "PossessiveRepeat", "Conditional", "LookAroundConditional", "CallGroup"})
# every character str.isspace() accepts (checked in the tests; regex's \s is a subset, see _only_spaces)
_SPACES: Final = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _space_runs_of(node: Any) -> float:
    """For `max_gaps`: the most runs of whitespace a non-composite node can match (math.inf when
    not known). No character has a case variant or folding that is whitespace, so a node matches
    whitespace only if it matches one of `_SPACES` as itself."""
    kind = type(node).__name__
    if kind in ("String", "Literal"):
        flags = "".join("s" if chr(value).isspace() else "x" for value in node.characters)
        return len([run for run in flags.split("x") if run])
    if kind in ("Any", "AnyAll", "AnyU"):
        return 1
    if kind in _ONE_CHARACTER:
        if getattr(node, "zerowidth", False):
            return 0
        return 1 if any(node.matches(ord(ch)) for ch in _SPACES) else 0
    return math.inf  # back-references, fuzzy matching, named lists, the unknown


def _only_spaces(node: Any) -> bool:
    """Whether every character `node` can match is whitespace by `str.isspace`: the `\\s` property
    (Unicode or ASCII; its White_Space set lies inside `str.isspace`, checked over every code
    point in the tests), a whitespace character without other cases, or a set made only of those."""
    kind = type(node).__name__
    if not getattr(node, "positive", False) or getattr(node, "zerowidth", True):
        return False
    if kind == "Property":
        return bool(node.value == _SPACE_PROPERTY)
    if kind == "Character":
        others = set(_regex.get_all_cases(_IGNORE_CASE, node.value)) - {node.value}
        return chr(node.value).isspace() and not others
    if kind == "SetUnion":
        return bool(node.items) and all(_only_spaces(item) for item in node.items)
    return False


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
# ... and for `\s` (White_Space; under the ASCII flag the same value, with an ASCII encoding).
_SPACE_PROPERTY: Final = _parse(r"\s")[0].items[0].value
