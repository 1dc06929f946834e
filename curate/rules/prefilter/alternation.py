"""A standard-`re` pattern that finds any of a list of literal words in one pass, built as a trie.

The literal scan (`LiteralScan`) looks for every required literal of a rule set with it, and the
extract step's selector index for the class words, ids and attributes its simple selectors need.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any


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
