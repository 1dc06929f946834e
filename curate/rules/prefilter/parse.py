"""Reading a pattern's syntax tree: the regex package's own parse of a pattern, the walk over it
that follows calls to defined groups, the node kinds the walks know, and the folded form (`fold`)
that lines are compared in and literals are read in.

The parser is the regex package's own (`regex._regex_core`), so its syntax is understood exactly;
every walk reads the tree only, so one parse serves all of them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Final

import regex
from regex import _regex, _regex_core

Literals = frozenset[str]
_IGNORE_CASE: Final = int(regex.IGNORECASE | regex.UNICODE)
_FULL_IGNORE: Final = int(regex.FULLCASE | regex.IGNORECASE)


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
    """A walk over one parse tree, node by node: `info` is the parser's view of the whole pattern
    (its defined groups), `calling` the groups being walked into, so a recursive call stops."""

    def __init__(self, info: Any) -> None:
        self.info = info
        self.calling: set[int] = set()


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
_COMPOSITE: Final = frozenset({"Sequence", "Branch", "Group", "Atomic", "GreedyRepeat", "LazyRepeat",
                                "PossessiveRepeat", "Conditional", "LookAroundConditional", "CallGroup"})


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
