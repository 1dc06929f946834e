"""What every match of a pattern must contain or start with, read off its parse tree.

`required_literals`: folded strings one of which every match contains (a line holding none is not
worth a pattern call); `needs_digit`: whether every match holds a digit, the requirement `DIGIT` of
a pattern with no literal (a date or time line: `\\d{1,2}/\\d{4}`); `prefixes`: folded strings one
of which every match starts with (a fullmatch test). Each answers "not known" (None, False) for a
construct it does not read.
"""

from __future__ import annotations

from typing import Any, Final

import regex
from regex import _regex, _regex_core

from curate.rules.prefilter.parse import (
    _FULL_IGNORE,
    _IGNORE_CASE,
    Literals,
    _literal_chars,
    _parse,
    _Walker,
)

# The requirement "some digit (\d, Unicode) in the line". Every real literal holds at least one
# character, so the empty string can never be mistaken for one.
DIGIT: Final = ""
_HAS_DIGIT: Final = regex.compile(r"\d").search


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
    return _LiteralWalker(info).literals(parsed)


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
    return _LiteralWalker(info).digit(parsed)


def prefixes(source: str) -> tuple[str, ...] | None:
    r"""Folded strings one of which every match of `source` starts with (None when not known): a
    line whose folded form starts with none of them cannot be fullmatched.

    >>> prefixes(r"(?:By|BY)\s+\w+"), prefixes(r"(?i)(?:©|\(c\))\s*\d{4}"), prefixes(r"\(?AP")
    (('by',), ('(c)', '©'), None)
    """
    parsed, info = _parse(source)
    if info.flags & regex.LOCALE:
        return None
    found = _LiteralWalker(info).prefixes(parsed)
    return tuple(sorted(found)) if found else None


class _LiteralWalker(_Walker):
    """Computes required literals node by node; None means "no requirement known"."""

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
