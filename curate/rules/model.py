"""Rule packs as validated, frozen values (STYLE.md §5 stage 2; DESIGN.md "Rule packs" contract).

`build_pack` turns the mapping the loader parsed into a `RulePack` of `Rule`s, raising `RuleError`
(file, line, rule id, message) for unknown fields, a missing description, a bad category or id, an
unknown kind. `RuleSet` is the ordered, de-duplicated collection a run uses; its digest goes into
the manifest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import regex

from curate.errors import RuleError
from curate.rules.kinds import Matcher, Site, get_kind

CATEGORIES: Final = (
    "ad",
    "subscription",
    "byline",
    "caption",
    "credit",
    "share",
    "navigation",
    "metadata",
    "legal",
    "tags",
    "comments",
    "markup",
    "other",
)
COMMON_FIELDS: Final = ("id", "description", "category", "kind", "lang", "examples")
PACK_FIELDS: Final = ("pack", "description", "rules")
_NAME: Final = regex.compile(r"[a-z][a-z0-9_]*")
_LANG: Final = regex.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")
_KIND_FIELDS: Final = ("pattern", "replacement", "start", "end", "until", "max_lines", "selector")


@dataclass(frozen=True, slots=True)
class Examples:
    """Lines a rule must remove (`drop`) and lines it must leave alone (`keep`); tests run them."""

    drop: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One validated rule. The kind's fields are attributes (None when the kind has no such field);
    `matcher` is the compiled form the strip step runs."""

    id: str
    description: str
    category: str
    kind: str
    pack: str
    path: str
    matcher: Matcher = field(compare=False, repr=False)
    line: int | None = None
    lang: tuple[str, ...] | None = None
    pattern: str | None = None
    replacement: str | None = None
    start: str | None = None
    end: str | None = None
    until: str | None = None
    max_lines: int | None = None
    selector: str | None = None
    examples: Examples = Examples()

    def applies_to(self, lang: str | None) -> bool:
        """Rules with `lang` run only on documents of those languages (or of unknown language)."""
        return self.lang is None or lang is None or lang in self.lang

    def to_json(self) -> dict[str, Any]:
        """The rule as the digest and `rules list` see it: everything but its file position and
        examples, which do not change what it does."""
        out: dict[str, Any] = {
            "id": self.id,
            "pack": self.pack,
            "description": self.description,
            "category": self.category,
            "kind": self.kind,
            "lang": list(self.lang) if self.lang is not None else None,
        }
        for name in _KIND_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


@dataclass(frozen=True)
class RulePack:
    """One YAML file: a pack name, what it is about, and its rules in file order."""

    pack: str
    description: str
    path: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class RuleSet:
    """The ordered rules a run uses. Frozen, so one set can be shared by workers and digested."""

    rules: tuple[Rule, ...] = ()

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def digest(self) -> str:
        """sha256 hex over the canonical JSON of every active rule, in order.

        >>> len(RuleSet().digest())
        64
        """
        blob = json.dumps(
            [rule.to_json() for rule in self.rules],
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def selectors(self) -> list[tuple[str, str]]:
        """(rule id, CSS selector) of every `selector` rule, for the extract step."""
        return [(rule.id, rule.selector) for rule in self.rules if rule.selector is not None]

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def build_pack(
    node: Mapping[str, Any], path: str, *, errors: list[RuleError] | None = None
) -> RulePack:
    """Validate a parsed pack file and build its rules.

    A problem raises RuleError, except that with an `errors` list a bad rule is appended there and
    left out, so `rules lint` can report every bad rule of a file at once.
    """
    site = Site(path, node)
    if not isinstance(node, Mapping):
        raise site.error("a rule pack must be a mapping with 'pack', 'description' and 'rules'")
    _refuse_unknown(site, PACK_FIELDS, "pack")
    name = site.string("pack")
    if not _NAME.fullmatch(name):
        raise site.error(f"pack name {name!r} must be lower case letters, digits and _", "pack")
    description = site.string("description")
    rules = node.get("rules")
    if not isinstance(rules, list):
        raise site.error("field 'rules' must be a list of rules", "rules")
    built: list[Rule] = []
    for index, raw in enumerate(rules):
        try:
            built.append(build_rule(raw, name, path, _item_line(rules, index)))
        except RuleError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return RulePack(name, description, path, tuple(built))


def build_rule(node: object, pack: str, path: str, line: int | None = None) -> Rule:
    """Validate one rule mapping of pack `pack` and compile it with its kind."""
    if not isinstance(node, Mapping):
        raise Site(path, {}).error(
            "each rule must be a mapping with id, description, category, kind", line=line
        )
    site = Site(path, node, _rule_id_hint(node))
    rule_id = _rule_id(site, pack)
    kind = get_kind(site.string("kind"), site)
    _refuse_unknown(site, COMMON_FIELDS + kind.fields(), f"rule of kind {kind.kind}")
    for name in kind.required:
        if name not in node:
            raise site.error(f"a {kind.kind} rule needs field '{name}'")
    values = {name: node[name] for name in kind.fields() if name in node}
    return Rule(
        id=rule_id,
        description=site.string("description"),
        category=_category(site),
        kind=kind.kind,
        pack=pack,
        path=path,
        matcher=kind.build(site),
        line=site.line(),
        lang=_langs(site),
        examples=_examples(site),
        **values,
    )


def _rule_id_hint(node: Mapping[str, Any]) -> str | None:
    value = node.get("id")
    return value if isinstance(value, str) else None


def _rule_id(site: Site, pack: str) -> str:
    rule_id = site.string("id")
    prefix, _, name = rule_id.partition(".")
    if prefix != pack or not _NAME.fullmatch(name):
        raise site.error(
            f"rule id {rule_id!r} must be '{pack}.<name>' (lower case, digits, _)", "id"
        )
    return rule_id


def _category(site: Site) -> str:
    category = site.string("category")
    if category not in CATEGORIES:
        raise site.error(
            f"unknown category {category!r}; known: {', '.join(CATEGORIES)}", "category"
        )
    return category


def _refuse_unknown(site: Site, allowed: tuple[str, ...], what: str) -> None:
    for key in site.node:
        if not isinstance(key, str):
            raise site.error(
                f"key {key!r} is not a string (YAML 1.1 reads on/off/yes/no as booleans); quote it",
                line=site.line(),
            )
        if key not in allowed:
            raise site.error(
                f"unknown field '{key}' in a {what}; allowed: {', '.join(allowed)}", key
            )


def _langs(site: Site) -> tuple[str, ...] | None:
    if "lang" not in site.node:
        return None
    value = site.node["lang"]
    if isinstance(value, str):
        value = [value]
    elif not isinstance(value, list) or not value:
        raise site.surprise(
            "lang", value, "a list of language codes such as [en]", _raw(site, "lang")
        )
    items = _string_list(site, "lang", value, "a language code")
    for index, item in enumerate(items):
        if not _LANG.fullmatch(item):
            line = _item_line(value, index) or site.line("lang")
            raise site.error(f"lang {item!r} is not a language code (e.g. en, pt-BR)", line=line)
    return items


def _examples(site: Site) -> Examples:
    value = site.node.get("examples")
    if value is None:
        return Examples()
    if not isinstance(value, Mapping):
        raise site.error(
            "field 'examples' must be a mapping with 'drop' and/or 'keep' lists", "examples"
        )
    sub = Site(site.path, value, site.rule_id)
    _refuse_unknown(sub, ("drop", "keep"), "examples mapping")
    return Examples(
        *(_string_list(sub, key, sub.node.get(key, []), "a string") for key in ("drop", "keep"))
    )


def _string_list(site: Site, key: str, value: object, wanted: str) -> tuple[str, ...]:
    """`value` (field `key`) as a tuple of strings; a non-string item names its own line."""
    if not isinstance(value, list):
        raise site.surprise(key, value, "a list of strings", _raw(site, key))
    raws: list[str | None] = getattr(value, "raw", [None] * len(value))
    for index, item in enumerate(value):
        if not isinstance(item, str):
            line = _item_line(value, index) or site.line(key)
            raise site.surprise(f"{key}[{index}]", item, wanted, raws[index], line=line)
    return tuple(value)


def _raw(site: Site, key: str) -> str | None:
    raw: Mapping[Any, str | None] = getattr(site.node, "raw", {})
    return raw.get(key)


def _item_line(items: object, index: int) -> int | None:
    lines: list[int] = getattr(items, "lines", [])
    return lines[index] if index < len(lines) else None
