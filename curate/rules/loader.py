"""Read rule pack files safely (STYLE.md §5 stage 1) and hand them to validation.

A SafeLoader subclass that refuses duplicate keys and records, for every mapping key and list item,
its line and (for unquoted scalars) the text as written, so validation can say "line 12: YAML read
'no' as false; quote it" instead of failing far away.

Rule packs are untrusted input (a user's file, a pack shared by someone else), so beyond the safe
loader: a tag the safe loader does not know (`!!python/object/apply:os.system`, `!custom`) and any
alias (`*name`, the "billion laughs" expansion bomb; also `<<: *base` merges) are refused with
`rules.unsafe_tag` / `rules.alias`, naming the file, the line and, when it is inside one, the rule.
Neither is ever constructed or expanded: the composer replaces them with a marker first. Files over
MAX_PACK_BYTES and nesting deeper than Python's recursion allows are refused too.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from curate.errors import RuleError
from curate.rules.model import RulePack, build_pack

PackSource = str | Path | Traversable

# The shipped packs are a few KB each; a pack of megabytes is a mistake or an attack.
MAX_PACK_BYTES: Final = 1024 * 1024
# Tags the composer swaps in for what a pack may not contain, so the constructor never sees them.
_ALIAS_TAG: Final = "tag:curate,2026:refused-alias"


class YamlMap(dict[Any, Any]):
    """A YAML mapping that remembers its own line, each key's line and each plain scalar's text."""

    line: int
    lines: dict[Any, int]
    raw: dict[Any, str | None]


class YamlList(list[Any]):
    """A YAML sequence that remembers its line, each item's line and each plain scalar's text."""

    line: int
    lines: list[int]
    raw: list[str | None]


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _plain(node: Node) -> str | None:
    """The scalar as written when it is unquoted (only those suffer YAML 1.1 implicit typing)."""
    if isinstance(node, ScalarNode) and node.style is None:
        return str(node.value)
    return None


@dataclass(frozen=True)
class Refused:
    """What stands in the parsed tree for an unsafe tag or an alias, until `_refuse` reports it."""

    code: str  # rules.unsafe_tag or rules.alias
    what: str
    line: int


class _PackLoader(yaml.SafeLoader):
    """Safe loader that knows which file it reads, for error messages, and never expands aliases."""

    path: str = "<rules>"

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event: Any = self.get_event()  # type: ignore[no-untyped-call]
            # not composed into the anchored node, so nothing is shared or expanded
            return ScalarNode(_ALIAS_TAG, str(event.anchor), event.start_mark, event.end_mark)
        node: Node | None = super().compose_node(parent, index)
        return node


def _construct_refused_alias(loader: _PackLoader, node: Node) -> Refused:
    return Refused("rules.alias", f"*{node.value}", _line(node))


def _construct_unknown_tag(loader: _PackLoader, node: Node) -> Refused:
    # PyYAML's fallback for any tag the safe loader has no constructor for (python/*, !custom, …)
    return Refused("rules.unsafe_tag", str(node.tag), _line(node))


def _construct_map(loader: _PackLoader, node: MappingNode) -> YamlMap:
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":  # `<<` stays a plain key: merges are refused
            key_node.tag = "tag:yaml.org,2002:str"
    loader.flatten_mapping(node)
    out = YamlMap()
    out.line, out.lines, out.raw = _line(node), {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise RuleError(
                loader.path, "a mapping key must be a plain value", line=_line(key_node)
            )
        if key in out:
            message = f"duplicate key '{key}' (first at line {out.lines[key]})"
            rule_id = out.get("id") if isinstance(out.get("id"), str) else None  # inside a rule
            raise RuleError(loader.path, message, line=_line(key_node), rule_id=rule_id)
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key], out.raw[key] = _line(key_node), _plain(value_node)
    return out


def _construct_seq(loader: _PackLoader, node: SequenceNode) -> YamlList:
    out = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = _line(node)
    out.lines = [_line(child) for child in node.value]
    out.raw = [_plain(child) for child in node.value]
    return out


_PackLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_PackLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_PackLoader.add_constructor(_ALIAS_TAG, _construct_refused_alias)
_PackLoader.add_constructor(None, _construct_unknown_tag)


def parse_yaml(text: str, path: str) -> Any:
    """Parse one pack file's text; YAML errors become RuleError with the file and line."""
    if len(text) > MAX_PACK_BYTES:
        raise RuleError(path, f"the file is over {MAX_PACK_BYTES} characters; a rule pack is small")
    loader = _PackLoader(text)
    loader.path = path
    try:
        data = loader.get_single_data()
    except RecursionError:
        raise RuleError(path, "the YAML is nested too deeply to be a rule pack") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise RuleError(path, f"not valid YAML: {exc.problem or exc.context}", line=line) from exc
    except yaml.YAMLError as exc:
        raise RuleError(path, f"not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    _refuse(data, path)
    return data


_REFUSALS: Final = {
    "rules.unsafe_tag": "YAML tag {what!r} is not allowed in a rule pack (rules.unsafe_tag); packs are "
                        "plain mappings, lists and strings, and tags are never constructed",
    "rules.alias": "YAML alias {what!r} is not allowed in a rule pack (rules.alias); anchors, aliases "
                   "and '<<' merges are refused, so a pack cannot expand into a bomb; write the value out",
}


def _refuse(data: Any, path: str) -> None:
    """RuleError for the first Refused marker in the tree, naming the rule it sits in."""
    for refused, rule_id in _markers(data, None):
        message = _REFUSALS[refused.code].format(what=refused.what)
        raise RuleError(path, message, line=refused.line, rule_id=rule_id)


def _markers(value: Any, rule_id: str | None) -> Iterator[tuple[Refused, str | None]]:
    if isinstance(value, Refused):
        yield value, rule_id
    elif isinstance(value, dict):
        if rule_id is None and isinstance(value.get("id"), str):
            rule_id = value["id"]  # a mapping with an id is a rule
        for key, item in value.items():
            yield from _markers(key, rule_id)
            yield from _markers(item, rule_id)
    elif isinstance(value, list):
        for item in value:
            yield from _markers(item, rule_id)


def read_pack_text(source: PackSource) -> tuple[str, str]:
    """(display path, text) of a pack file given as a path or an importlib.resources Traversable."""
    path = str(source)
    try:
        data = source.read_bytes() if not isinstance(source, str) else Path(source).read_bytes()
    except OSError as exc:
        raise RuleError(path, f"cannot read the rule pack: {exc.strerror or exc}") from exc
    try:
        return path, data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(
            path, f"a rule pack must be UTF-8 ({exc.reason} at byte {exc.start})"
        ) from exc


def load_pack(source: PackSource) -> RulePack:
    """Read, parse and validate one pack file."""
    path, text = read_pack_text(source)
    node = parse_yaml(text, path)
    if node is None:
        raise RuleError(path, "the file is empty; a pack needs 'pack', 'description' and 'rules'")
    return build_pack(node, path)
