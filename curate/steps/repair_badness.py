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


_MAY_BE_BAD: Final = required_class(BADNESS_RE)


def may_be_bad(text: str) -> bool:
    """ftfy's is_bad(text), skipped (False) where the pre-test shows it cannot be true.

    >>> may_be_bad("Привет, мир"), may_be_bad("caf\\u00c3\\u00a9")
    (False, True)
    """
    if _MAY_BE_BAD is not None and _MAY_BE_BAD.search(text) is None:
        return False
    return is_bad(text)
