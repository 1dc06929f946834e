"""The prefilter of one pattern (`prefilter`, cached): its required literals (or `DIGIT`) and its
fullmatch bounds, with the test of a line against them (`Prefilter.may_match`, `Prefilter.fits`).
"""

from __future__ import annotations

import math
from functools import lru_cache

import regex

from curate.rules.prefilter.bounds import (
    absent_probes,
    max_chars,
    max_gaps,
    max_solid,
    probes_in,
    solid_length,
    space_runs,
)
from curate.rules.prefilter.literals import DIGIT, needs_digit, prefixes, required_literals
from curate.rules.prefilter.parse import Literals, fold


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
