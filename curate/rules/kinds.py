"""The kind registry (STYLE.md §5 stage 3): `kind: line|block|replace|selector` → a matcher class.

Each kind declares its YAML fields and compiles them into a matcher with the `regex` engine, whose
every match call takes a `timeout` so a bad rule or a hostile page cannot hang a run. A kind is
registered with `@register("name")`; a second registration under one name is an error, and an
unknown kind names the known ones (after dolma's BaseRegistry).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import NoneType
from typing import Any, ClassVar, Final, TypeVar

import regex

from curate.errors import RuleError
from curate.rules.prefilter import prefilter

# Patterns keep their own flags; VERSION1 is not forced, so users' patterns mean what `re` means.
_GROUP_REF: Final = regex.compile(r"\\\\|\\g<([^>]*)>|\\(\d+)")
_LIST_ITEM: Final = regex.compile(r"(?:[-*•–]|\d{1,3}[.)])\s+\S.*")


@dataclass(frozen=True)
class Site:
    """Where a rule's fields came from (file, rule id, YAML line per key), with typed readers.

    `node` is the mapping the loader built; when it carries `lines` (key → line) and `raw` (key →
    the unquoted scalar as written), errors name the line and explain YAML 1.1 surprises such as
    `lang: no` being read as false.
    """

    path: str
    node: Mapping[str, Any]
    rule_id: str | None = None

    def line(self, key: str | None = None) -> int | None:
        lines: Mapping[Any, int] = getattr(self.node, "lines", {})
        if key is not None and key in lines:
            return lines[key]
        line: int | None = getattr(self.node, "line", None)
        return line

    def error(self, message: str, key: str | None = None, *, line: int | None = None) -> RuleError:
        return RuleError(self.path, message, line=line or self.line(key), rule_id=self.rule_id)

    def surprise(
        self, key: str, value: object, wanted: str, raw: str | None, *, line: int | None = None
    ) -> RuleError:
        """An error for a value of the wrong type, explaining YAML's reading of a plain scalar."""
        kind = next(
            (name for cls, name in _YAML_TYPES if isinstance(value, cls)), type(value).__name__
        )
        if raw is not None and not isinstance(value, (list, dict)):
            message = (
                f"field '{key}' must be {wanted}, but YAML read {raw!r} as {kind} ({value!r}); "
                f"quote it: '{raw}'"
            )
            return self.error(message, key, line=line)
        return self.error(f"field '{key}' must be {wanted}, not {kind}", key, line=line)

    def string(self, key: str) -> str:
        value = self.node.get(key)
        if value is None:
            raise self.error(f"missing field '{key}'", key)
        if not isinstance(value, str):
            raise self.surprise(key, value, "a string", _raw(self.node, key))
        if not value.strip():
            raise self.error(f"field '{key}' is empty", key)
        return value

    def optional_string(self, key: str) -> str | None:
        return self.string(key) if key in self.node else None

    def positive_int(self, key: str) -> int | None:
        if key not in self.node:
            return None
        value = self.node[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.surprise(key, value, "a positive whole number", _raw(self.node, key))
        return value


# What YAML 1.1 turned a plain scalar into, in words; bool before int and datetime before date
# because each is a subclass of the next.
_YAML_TYPES: Final = (
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a number"),
    (datetime, "a timestamp"),
    (date, "a date"),
    (NoneType, "null"),
    (list, "a list"),
    (dict, "a mapping"),
)


def _raw(node: Mapping[str, Any], key: str) -> str | None:
    raw: Mapping[Any, str | None] = getattr(node, "raw", {})
    return raw.get(key)


def compile_pattern(site: Site, key: str) -> regex.Pattern[str]:
    """Compile field `key` with the regex engine, naming the file, line and rule on failure."""
    source = site.string(key)
    try:
        return regex.compile(source)
    except regex.error as exc:
        raise site.error(f"field '{key}' does not compile: {exc}", key) from exc


class Matcher(ABC):
    """A compiled rule. Subclasses are registered under the YAML `kind` they implement."""

    kind: ClassVar[str]
    required: ClassVar[tuple[str, ...]]
    optional: ClassVar[tuple[str, ...]] = ()

    @classmethod
    @abstractmethod
    def build(cls, site: Site) -> Matcher:
        """Validate the kind's fields (present in `site.node`) and compile them."""

    @classmethod
    def fields(cls) -> tuple[str, ...]:
        return cls.required + cls.optional

    @abstractmethod
    def probe(self, text: str, timeout: float) -> None:
        """Run every pattern on `text` the way strip does (lint uses this to find backtracking)."""


_M = TypeVar("_M", bound=type[Matcher])
_REGISTRY: dict[str, type[Matcher]] = {}


def register(name: str) -> Callable[[_M], _M]:
    """Class decorator: make a matcher class the implementation of `kind: name`."""

    def add(cls: _M) -> _M:
        if name in _REGISTRY:
            raise ValueError(
                f"rule kind {name!r} is already registered by {_REGISTRY[name].__name__}"
            )
        cls.kind = name
        _REGISTRY[name] = cls
        return cls

    return add


def known_kinds() -> list[str]:
    return sorted(_REGISTRY)


def get_kind(name: object, site: Site) -> type[Matcher]:
    """The matcher class for `kind: name`; an unknown kind is a RuleError listing the known ones."""
    if isinstance(name, str) and name in _REGISTRY:
        return _REGISTRY[name]
    raise site.error(f"unknown kind {name!r}; known kinds: {', '.join(known_kinds())}", "kind")


@register("line")
@dataclass(frozen=True)
class LineMatcher(Matcher):
    """`line`: drop a line whose text (surrounding spaces removed) matches `pattern` entirely."""

    required: ClassVar[tuple[str, ...]] = ("pattern",)
    pattern: regex.Pattern[str]

    @classmethod
    def build(cls, site: Site) -> LineMatcher:
        return cls(compile_pattern(site, "pattern"))

    def matches(self, line: str, timeout: float, present: frozenset[str] | None = None) -> bool:
        """Whether the pattern matches all of `line`. With `present` (the literals a LiteralScan
        found in the line), a line that lacks what the pattern requires costs no regex call."""
        if present is not None and not prefilter(self.pattern).may_match(line, present):
            return False
        return self.pattern.fullmatch(line, timeout=timeout) is not None

    def probe(self, text: str, timeout: float) -> None:
        self.pattern.fullmatch(text, timeout=timeout)  # no prefilter: lint must run the pattern


BLOCK_UNTIL: Final = ("blank", "end", "list")


@register("block")
@dataclass(frozen=True)
class BlockMatcher(Matcher):
    """`block`: from a line matching `start`, drop through a line matching `end`, or `until` the
    next blank line (`blank`), the end of the document (`end`) or the bullet list that follows
    (`list`). With `max_lines`, a block spanning more non-blank lines than that is left alone: a
    start line followed by a long run of text is more likely prose than furniture."""

    required: ClassVar[tuple[str, ...]] = ("start",)
    optional: ClassVar[tuple[str, ...]] = ("end", "until", "max_lines")
    start: regex.Pattern[str]
    end: regex.Pattern[str] | None
    until: str | None
    max_lines: int | None

    @classmethod
    def build(cls, site: Site) -> BlockMatcher:
        has_end, until = "end" in site.node, site.optional_string("until")
        if has_end == (until is not None):
            raise site.error("a block needs exactly one of 'end' (a pattern) or 'until'", "start")
        if until is not None and until not in BLOCK_UNTIL:
            raise site.error(
                f"'until' must be one of {', '.join(BLOCK_UNTIL)}, not {until!r}", "until"
            )
        end = compile_pattern(site, "end") if has_end else None
        return cls(compile_pattern(site, "start"), end, until, site.positive_int("max_lines"))

    def starts(self, line: str, timeout: float, present: frozenset[str] | None = None) -> bool:
        if present is not None and not prefilter(self.start).may_match(line, present):
            return False
        return self.start.fullmatch(line, timeout=timeout) is not None

    def extent(self, lines: Sequence[str], first: int, timeout: float) -> int | None:
        """Index of the block's last line, given stripped `lines` and a start at `first`; None if
        the block does not close as the rule requires or is longer than `max_lines`."""
        last = self._last_line(lines, first, timeout)
        if last is None:
            return None
        if (
            self.max_lines is not None
            and sum(1 for s in lines[first : last + 1] if s) > self.max_lines
        ):
            return None
        return last

    def _last_line(self, lines: Sequence[str], first: int, timeout: float) -> int | None:
        if self.end is not None:
            return self._find_end(self.end, lines, first, timeout)
        if self.until == "end":
            return len(lines) - 1
        if self.until == "list":
            return _list_end(lines, first, timeout)
        for index in range(first + 1, len(lines)):  # until: blank
            if not lines[index]:
                return index - 1
        return len(lines) - 1

    def _find_end(
        self, end: regex.Pattern[str], lines: Sequence[str], first: int, timeout: float
    ) -> int | None:
        budget = self.max_lines if self.max_lines is not None else len(lines)
        seen = 1
        for index in range(first + 1, len(lines)):
            if lines[index]:
                seen += 1
                if seen > budget:
                    return None
                if end.fullmatch(lines[index], timeout=timeout):
                    return index
        return None

    def probe(self, text: str, timeout: float) -> None:
        self.start.fullmatch(text, timeout=timeout)
        if self.end is not None:
            self.end.fullmatch(text, timeout=timeout)


def _list_end(lines: Sequence[str], first: int, timeout: float) -> int | None:
    """The last line of the bullet list after `first` (blank lines before and between items are
    allowed), or None when no list follows."""
    last = None
    for index in range(first + 1, len(lines)):
        if not lines[index]:
            continue
        if not _LIST_ITEM.fullmatch(lines[index], timeout=timeout):
            break
        last = index
    return last


@register("replace")
@dataclass(frozen=True)
class ReplaceMatcher(Matcher):
    """`replace`: every match of `pattern` in a line becomes `replacement` (group references such as
    `\\1` expand), e.g. a markdown link remnant `[text](#)` → `text`."""

    required: ClassVar[tuple[str, ...]] = ("pattern", "replacement")
    pattern: regex.Pattern[str]
    replacement: str

    @classmethod
    def build(cls, site: Site) -> ReplaceMatcher:
        pattern = compile_pattern(site, "pattern")
        replacement = site.node.get("replacement")
        if not isinstance(replacement, str):  # an empty replacement is allowed, so no site.string
            raise site.surprise(
                "replacement", replacement, "a string", _raw(site.node, "replacement")
            )
        for ref in _GROUP_REF.finditer(replacement):  # checked now, not on the first matching page
            name = ref.group(1) or ref.group(2)
            known = (
                int(name) <= pattern.groups
                if name and name.isdigit()
                else name in pattern.groupindex
            )
            if name is not None and not known:
                raise site.error(
                    f"field 'replacement' refers to group {name!r}, which the pattern lacks",
                    "replacement",
                )
        return cls(pattern, replacement)

    def spans(
        self, line: str, timeout: float, present: frozenset[str] | None = None
    ) -> list[tuple[int, int, str]]:
        """(start, end, new text) of every non-empty match in `line` (`present`: see matches)."""
        if present is not None and not prefilter(self.pattern).may_match(line, present, whole=False):
            return []
        return [
            (m.start(), m.end(), m.expand(self.replacement))
            for m in self.pattern.finditer(line, timeout=timeout)
            if m.end() > m.start()
        ]

    def probe(self, text: str, timeout: float) -> None:
        for _ in self.pattern.finditer(text, timeout=timeout):
            pass


@register("selector")
@dataclass(frozen=True)
class SelectorMatcher(Matcher):
    """`selector`: a CSS selector whose elements the extract step removes from HTML before it
    extracts the text. The strip step ignores these rules."""

    required: ClassVar[tuple[str, ...]] = ("selector",)
    selector: str

    @classmethod
    def build(cls, site: Site) -> SelectorMatcher:
        selector = site.string("selector")
        from cssselect import (
            GenericTranslator,
            SelectorError,
        )  # only loaded when a pack has selectors

        try:
            GenericTranslator().css_to_xpath(selector)
        except SelectorError as exc:
            raise site.error(
                f"field 'selector' is not a valid CSS selector: {exc}", "selector"
            ) from exc
        return cls(selector)

    def probe(self, text: str, timeout: float) -> None:
        return None
