"""Matching the `selector` rules against a parsed page, fast.

lxml's CSSSelector turns each selector into an XPath whose predicates libxml2 evaluates on every node;
with the shipped packs (about 90 selectors) that cost ~30 ms a page, as much as all the rest of
extraction. Most furniture selectors are simple: a tag, classes, an id, attribute tests. Those are
matched here in Python during one walk over the tree, with a regex prefilter over the class and id
values so most elements are rejected with one search. Selectors with combinators or pseudo-classes
("figure > figcaption", ":not(...)") still go through CSSSelector.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cssselect import SelectorError, parse
from cssselect.parser import Attrib, Class, Element, Hash
from lxml import etree
from lxml.cssselect import CSSSelector

from curate.errors import RuleError
from curate.rules.prefilter import literal_alternation


@dataclass(frozen=True, slots=True)
class _Simple:
    """A compound selector without combinators: tag, classes, id and attribute tests."""

    rule: str
    tag: str | None
    classes: tuple[str, ...]
    id: str | None
    attrs: tuple[tuple[str, str, str], ...]  # (attribute, operator, value)

    def matches(self, el: Any) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.classes:
            words = (el.get("class") or "").split()
            if not all(name in words for name in self.classes):
                return False
        if self.id is not None and el.get("id") != self.id:
            return False
        return all(_attr_matches(el.get(name), op, value) for name, op, value in self.attrs)


def _attr_matches(actual: str | None, op: str, value: str) -> bool:
    if actual is None:
        return False
    if op == "exists":
        return True
    if op == "=":
        return actual == value
    if op == "~=":
        return value in actual.split()
    if op == "|=":
        return actual == value or actual.startswith(value + "-")
    if op == "^=":
        return bool(value) and actual.startswith(value)
    if op == "$=":
        return bool(value) and actual.endswith(value)
    if op == "*=":
        return bool(value) and value in actual
    return False


def _simple(rule: str, tree: Any) -> _Simple | None:
    """The compound selector as a _Simple, or None when it needs the full CSS engine."""
    classes: list[str] = []
    attrs: list[tuple[str, str, str]] = []
    ident: str | None = None
    while not isinstance(tree, Element):
        if isinstance(tree, Class):
            classes.append(tree.class_name)
        elif isinstance(tree, Hash):
            ident = tree.id
        elif isinstance(tree, Attrib) and tree.namespace is None:
            value = "" if tree.value is None else str(getattr(tree.value, "value", tree.value))
            attrs.append((tree.attrib.lower(), tree.operator, value))
        else:
            return None
        tree = tree.selector
    if tree.namespace is not None:
        return None
    tag = tree.element.lower() if tree.element and tree.element != "*" else None
    return _Simple(rule, tag, tuple(classes), ident, tuple(attrs))


class SelectorMatcher:
    """All selector rules of a rule set, matched in one walk: element -> id of the first rule that selects it."""

    def __init__(self, selectors: Iterable[tuple[str, str]]) -> None:
        selectors = list(selectors)
        self._order = {rule: i for i, (rule, _) in reversed(list(enumerate(selectors)))}  # first wins
        self._simple: list[_Simple] = []
        self._complex: list[tuple[str, CSSSelector]] = []
        for rule, css in selectors:
            try:
                parsed = parse(css)
                complex_css = [s for s in parsed if _simple(rule, s.parsed_tree) is None or s.pseudo_element]
                self._simple += [m for s in parsed if s not in complex_css if (m := _simple(rule, s.parsed_tree))]
                if complex_css:
                    self._complex.append((rule, CSSSelector(css)))
            except SelectorError as exc:
                raise RuleError("selector rules", f"invalid CSS selector {css!r}: {exc}", rule_id=rule) from exc
        self._index = _Index(self._simple)
        # Simple selectors read only an element's tag, class, id and the attributes they test, so
        # their answer is remembered per such signature: pages repeat the same few many times.
        self._tested = sorted({name for s in self._simple for name, _, _ in s.attrs} - {"class", "id"})
        self._tested_set = frozenset(self._tested)
        self._answers: dict[tuple[Any, ...], str | None] = {}

    def __bool__(self) -> bool:
        return bool(self._simple or self._complex)

    @property
    def tags(self) -> frozenset[str]:
        """Tags some simple selector names: such an element may match whatever its attributes."""
        return frozenset(self._index.by_tag)

    @property
    def matches_any_element(self) -> bool:
        """Whether a simple selector ("*") matches elements whatever their tag and attributes."""
        return self._index.every

    def match(self, root: Any) -> dict[Any, str]:
        """Every element under `root` (itself included) that a selector selects -> its rule."""
        matched: dict[Any, str] = {}
        complex_matches = self.complex_matches(root)
        for el in root.iter(etree.Element):  # elements only: no comments or processing instructions
            if (rule := self.rule_of(el, complex_matches)) is not None:
                matched[el] = rule
        return matched

    def complex_matches(self, root: Any) -> dict[Any, str]:
        """Elements selected by the selectors lxml's CSS engine runs (see the module doc) -> the
        first of their rules; computed once per page, before `rule_of` is asked about elements."""
        matched: dict[Any, str] = {}
        for rule, select in self._complex:
            for el in select(root):
                if el not in matched or self._rank(rule) < self._rank(matched[el]):
                    matched[el] = rule
        return matched

    def rule_of(self, el: Any, complex_matches: dict[Any, str], names: list[str] | None = None) -> str | None:
        """The first rule (in rule-set order) whose selector selects `el`, or None. `names`: the
        element's attribute names (`el.keys()`), when the caller has them already."""
        rule = self._simple_rule(el, el.keys() if names is None else names) if self._simple else None
        other = complex_matches.get(el) if complex_matches else None
        if other is not None and (rule is None or self._rank(other) < self._rank(rule)):
            return other
        return rule

    def _simple_rule(self, el: Any, names: list[str]) -> str | None:
        """The first simple selector's rule that selects `el`, remembered by signature (see __init__).
        Attributes are read only when present: each read costs lxml as much as a whole dict lookup."""
        tested = () if self._tested_set.isdisjoint(names) else tuple([el.get(name) for name in self._tested])
        signature = (el.tag, el.get("class") if "class" in names else None,
                     el.get("id") if "id" in names else None, tested)
        answers = self._answers
        if signature in answers:
            return answers[signature]
        if len(answers) > 50_000:  # bound the memory a long run of odd pages could take
            answers.clear()
        rule = answers[signature] = self._first(el) if self._index.may_match(el) else None
        return rule

    def _first(self, el: Any) -> str | None:
        hits = [s.rule for s in self._index.candidates(el) if s.matches(el)]
        return min(hits, key=self._rank) if hits else None

    def _rank(self, rule: str) -> int:
        return self._order.get(rule, 0)


class _Index:
    """Finds the few simple selectors that could match an element, from its tag, class words, id and
    attribute names; substring tests on class or id values ([class*="share"]) sit behind one regex."""

    def __init__(self, selectors: list[_Simple]) -> None:
        self.by_tag: dict[str, list[_Simple]] = {}
        self.by_class: dict[str, list[_Simple]] = {}
        self.by_id: dict[str, list[_Simple]] = {}
        self.by_attr: dict[str, list[_Simple]] = {}
        self.substring: list[_Simple] = []
        for s in selectors:
            if s.tag is not None:
                self.by_tag.setdefault(s.tag, []).append(s)
            elif s.classes:
                self.by_class.setdefault(s.classes[0], []).append(s)
            elif s.id is not None:
                self.by_id.setdefault(s.id, []).append(s)
            elif s.attrs[0][0] in ("class", "id") and s.attrs[0][1] != "exists":
                self.substring.append(s)
            elif s.attrs:
                self.by_attr.setdefault(s.attrs[0][0], []).append(s)
            else:  # "*": every element
                self.by_attr.setdefault("", []).append(s)
        values = sorted({s.attrs[0][2] for s in self.substring if s.attrs[0][2]})
        self.prefilter = re.compile("|".join(map(re.escape, values))) if values else None
        # What any simple selector needs, for a quick "no" on most elements (see may_match): a class
        # word, id or class/id substring one of them names, or an attribute one of them tests.
        keys = sorted(set(values) | set(self.by_class) | set(self.by_id))
        self.keys = re.compile(literal_alternation(keys)).search if keys else None
        self.attr_names = frozenset(self.by_attr) - {""}
        self.every = "" in self.by_attr
        self._seen: dict[str, bool] = {}

    def may_match(self, el: Any) -> bool:
        """False only when no simple selector can match `el`; cheaper than `candidates`, which
        runs only on the elements that pass."""
        if self.every or el.tag in self.by_tag:
            return True
        if self.keys is not None:
            seen = self._seen
            for value in (el.get("class"), el.get("id")):
                if value:
                    known = seen.get(value)
                    if known is None:
                        known = self._has_key(value)
                    if known:
                        return True
        return bool(self.attr_names) and not self.attr_names.isdisjoint(el.keys())

    def _has_key(self, value: str) -> bool:
        """Whether a class or id value holds a key; remembered, as pages repeat their class names."""
        known = self._seen.get(value)
        if known is None:
            if len(self._seen) > 50_000:  # bound the memory a long run of odd pages could take
                self._seen.clear()
            known = self._seen[value] = self.keys is not None and self.keys(value) is not None
        return known

    def candidates(self, el: Any) -> list[_Simple]:
        found = list(self.by_tag.get(el.tag, ())) + list(self.by_attr.get("", ()))
        attrib = el.attrib
        if not attrib:
            return found
        classes = attrib.get("class")
        if classes:
            for word in classes.split():
                found += self.by_class.get(word, ())
        ident = attrib.get("id")
        if ident:
            found += self.by_id.get(ident, ())
        for name in attrib:
            found += self.by_attr.get(name, ())
        if self.prefilter is not None and ((classes and self.prefilter.search(classes))
                                           or (ident and self.prefilter.search(ident))):
            # Every operator but "exists" needs its value inside the attribute (=, ~=, |=, ^=,
            # $=, *=), so only those selectors can match.
            found += [s for s in self.substring
                      if s.attrs[0][2] in ((classes if s.attrs[0][0] == "class" else ident) or "")]
        return found
