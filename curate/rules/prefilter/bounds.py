"""The bounds on a line's shape that a whole-line rule (a fullmatch) sets, read off its parse tree,
and the matching measures of a line.

A line with more characters (`max_chars`), more non-whitespace characters (`max_solid`, measured by
`solid_length`) or more runs of whitespace (`max_gaps`, measured by `space_runs`) than any match
can hold, or holding one of the `PROBES` characters that no part of the pattern can match
(`absent_probes`, measured by `probes_in`), cannot be fullmatched. Each bound is sound by
construction; math.inf (or no absent probe) when not known.
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

import regex
from regex import _regex, _regex_core

from curate.rules.prefilter.parse import (
    _CHILDREN,
    _COMPOSITE,
    _FULL_IGNORE,
    _IGNORE_CASE,
    _ONE_CHARACTER,
    _parse,
    _Walker,
)

# Characters whose presence in a line rules out every pattern that cannot match them anywhere (see
# `absent_probes`): sentence punctuation and digits, which prose lines hold and most furniture
# patterns do not allow. None has other cases or appears in another character's case folding
# (checked in the tests), so a pattern's parts match one exactly when they say so.
PROBES: Final = ".,;:!?()\"0123456789"
_PROBE_FIND: Final = re.compile("[" + re.escape(PROBES) + "]").findall


def max_chars(source: str) -> float:
    r"""The most characters a match of `source` can span (math.inf when unbounded or unknown).

    >>> max_chars(r"(?i)ads?:?\s{0,3}"), max_chars(r"by \w+")
    (7.0, inf)
    """
    parsed, info = _parse(source)
    if info.flags & regex.LOCALE:
        return math.inf
    return _WidthWalker(info).width(parsed)


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
    return _WidthWalker(info, solid=True).width(parsed)


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
    return _WidthWalker(info, gaps=True).width(parsed)


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


class _WidthWalker(_Walker):
    """Computes the most a match can hold node by node (see `width`); math.inf means "not known"."""

    def __init__(self, info: Any, *, solid: bool = False, gaps: bool = False) -> None:
        super().__init__(info)
        self.solid = solid  # width(): count only characters that are not whitespace
        self.gaps = gaps  # width(): count runs of whitespace instead of characters
        self.widths: dict[int, float] = {}

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


# The parser's value for the `\s` property (White_Space; under the ASCII flag the same value, with
# an ASCII encoding), read from the parser itself.
_SPACE_PROPERTY: Final = _parse(r"\s")[0].items[0].value
