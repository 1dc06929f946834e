"""The per-line side of the prefilter: which required literals a line holds, found in one pass
(`LiteralScan`), and which of some patterns may then match it (`Candidates`, cached per tuple of
patterns by `candidates_for`), with the line's shape worked out once (`LineFacts`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

import regex

from curate.rules.prefilter.alternation import literal_alternation
from curate.rules.prefilter.bounds import probes_in
from curate.rules.prefilter.literals import _HAS_DIGIT, DIGIT
from curate.rules.prefilter.parse import fold
from curate.rules.prefilter.pattern import prefilter

# Lines longer than this are not scanned: a pattern call costs a few µs, scanning ~0.1 µs a
# character, so past this length the ~50 calls are the cheaper way (a 10 MB one-line page).
SCAN_MAX_CHARS: Final = 2000


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

