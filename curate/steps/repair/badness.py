"""A cheap, sound pre-test for ftfy's `is_bad`: which lines cannot hold mojibake as ftfy sees it.

`is_bad` searches ftfy's BADNESS_RE, a regex of ~40 alternatives, each a short run of character
classes ("an accented capital, then a currency sign"). It costs about 0.3 µs a character, and
`repair` asks it of every non-ASCII line: over a millisecond a document on text in other scripts.

Every alternative must consume a character of each of its classes, so a line with no character of
an alternative's rarest class cannot match it. The union of those rarest classes, one per
alternative (see `_rarity`), is read from the regex's own parse tree (so it follows ftfy's pattern when ftfy
changes); a line without any of its characters is surely not bad. When the tree has a shape this
module does not understand (a case-insensitive flag, an alternative with no positive class), there
is no pre-test and every line goes to `is_bad`, as before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any, Final

from ftfy.badness import BADNESS_RE, is_bad

Ranges = list[tuple[int, int]]
_CASED: Final = frozenset({"Lu", "Ll", "Lt"})


def _class_ranges(op: Any, value: Any) -> Ranges | None:
    """The characters one element of an alternative must match, or None if it is not a plain,
    positive set of characters (a negated class, a category such as \\w, an anchor, a repeat)."""
    from re import _constants as c  # type: ignore[attr-defined]

    if op is c.LITERAL:
        return [(value, value)]
    if op is not c.IN:
        return None
    ranges: Ranges = []
    for item_op, item in value:
        if item_op is c.LITERAL:
            ranges.append((item, item))
        elif item_op is c.RANGE:
            ranges.append(item)
        else:  # NEGATE, CATEGORY, …
            return None
    return ranges


def _rarity(ranges: Ranges) -> tuple[bool, int, int, int]:
    """Which class of an alternative to test for: one without ASCII (a space or a letter is on
    every line), then the one with the fewest cased letters (accented and Cyrillic letters are
    everyday text in many languages; the symbols mojibake makes are not), fewest lowercase ones
    ("в" of "вЂ"), then the smallest."""
    categories = [unicodedata.category(chr(code)) for lo, hi in ranges for code in range(lo, hi + 1)]
    return (any(lo < 0x80 for lo, _hi in ranges), sum(cat in _CASED for cat in categories),
            categories.count("Ll"), len(categories))


def required_class(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A character class every match of `pattern` holds a character of; None when not derivable."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:  # another Python's internals: no pre-test
        return None
    if pattern.flags & re.IGNORECASE:
        return None
    tree = _parser.parse(pattern.pattern, pattern.flags)
    if len(tree.data) != 1 or tree.data[0][0] is not c.BRANCH:
        return None
    union: Ranges = []
    for alternative in tree.data[0][1][1]:
        options: list[Ranges] = [
            r for r in (_class_ranges(op, v) for op, v in alternative.data) if r is not None
        ]
        if not options:
            return None
        rarest: Ranges = min(options, key=_rarity)
        union += rarest
    body = "".join(re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "")
                   for lo, hi in sorted(set(union)))
    return re.compile(f"[{body}]")


def local_width(pattern: re.Pattern[str]) -> int | None:
    """The longest match of `pattern` if whether it matches a span depends on that span alone (no
    lookaround, word boundary or end anchor; a start anchor is kept by searching the whole string
    from a position), else None. Then a match holding a character at p lies within p ± width."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:  # another Python's internals: no windows
        return None
    tree = _parser.parse(pattern.pattern, pattern.flags)
    if not _is_local(tree.data, c, multiline=bool(pattern.flags & re.MULTILINE)):
        return None
    _low, high = tree.getwidth()
    return int(high) if high < c.MAXREPEAT else None


def _is_local(items: Any, c: Any, *, multiline: bool) -> bool:
    """Whether a parsed (sub)pattern only consumes characters (classes, literals, groups, bounded
    repeats, branches) or anchors at the start of the string."""
    for op, value in items:
        if op in (c.LITERAL, c.NOT_LITERAL, c.IN, c.ANY):
            continue
        if op is c.AT and value is c.AT_BEGINNING_STRING:
            continue
        if op is c.AT and value is c.AT_BEGINNING and not multiline:
            continue
        if op is c.BRANCH:
            if not all(_is_local(branch.data, c, multiline=multiline) for branch in value[1]):
                return False
        elif op is c.SUBPATTERN:
            # (scoped flags, "(?m:^)", change what the anchors inside mean)
            if value[1] or value[2] or not _is_local(value[-1].data, c, multiline=multiline):
                return False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            if not _is_local(value[2].data, c, multiline=multiline):
                return False
        else:  # lookarounds, \b, $, back references, …
            return False
    return True


_MAY_BE_BAD: Final = required_class(BADNESS_RE)
# Every match of BADNESS_RE holds a character of _MAY_BE_BAD within this many of its start, so
# is_bad need only search the windows around those characters: far fewer characters than the
# line, on text with curly quotes or accented letters, for a regex that costs ~0.3 µs a character.
_WIDTH: Final = local_width(BADNESS_RE) if _MAY_BE_BAD is not None else None


def may_be_bad(text: str) -> bool:
    """ftfy's is_bad(text), skipped (False) where the pre-test shows it cannot be true, and
    searched only near the characters every match needs where the regex allows.

    >>> may_be_bad("Привет, мир"), may_be_bad("caf\\u00c3\\u00a9")
    (False, True)
    """
    if _MAY_BE_BAD is None:
        return is_bad(text)
    first = _MAY_BE_BAD.search(text)
    if first is None:
        return False
    if _WIDTH is None:
        return is_bad(text)
    return _windows_bad(text, first.start(), _MAY_BE_BAD, _WIDTH)


def lines_to_test(text: str) -> Iterator[tuple[int, str]] | None:
    """(offset, line) of each line of `text` (kept "\\n" and all) that holds a character the
    pre-test looks for, in order: the only lines `may_be_bad` can find bad. None when there is no
    pre-test (then every line must be asked)."""
    if _MAY_BE_BAD is None:
        return None
    return _lines_with(text, _MAY_BE_BAD)


def _lines_with(text: str, required: re.Pattern[str]) -> Iterator[tuple[int, str]]:
    pos = 0
    while (found := required.search(text, pos)) is not None:
        at = found.start()
        start = text.rfind("\n", 0, at) + 1
        pos = text.find("\n", at) + 1 or len(text)
        yield start, text[start:pos]


def _windows_bad(text: str, first: int, required: re.Pattern[str], width: int) -> bool:
    """BADNESS_RE searched in each window of ± `width` around a character of `required` (merged
    where they overlap), from `first`, the first such character. A search of the whole string from
    a position keeps `^` at the string's start only, as in is_bad's search."""
    search = BADNESS_RE.search
    start, end = max(0, first - width + 1), first + width
    for found in required.finditer(text, first + 1):
        at = found.start()
        if at - width + 1 <= end:
            end = at + width
            continue
        if search(text, start, end):
            return True
        start, end = at - width + 1, at + width
    return search(text, start, end) is not None
