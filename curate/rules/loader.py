"""Read rule pack files safely (STYLE.md §5 stage 1) and hand them to validation.

A SafeLoader subclass that refuses duplicate keys and records, for every mapping key and list item,
its line and (for unquoted scalars) the text as written, so validation can say "line 12: YAML read
'no' as false; quote it" instead of failing far away.
"""

from __future__ import annotations

from collections.abc import Hashable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from curate.errors import RuleError
from curate.rules.model import RulePack, build_pack

PackSource = str | Path | Traversable


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


class _PackLoader(yaml.SafeLoader):
    """Safe loader that knows which file it reads, for error messages."""

    path: str = "<rules>"


def _construct_map(loader: _PackLoader, node: MappingNode) -> YamlMap:
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
            raise RuleError(loader.path, message, line=_line(key_node))
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


def parse_yaml(text: str, path: str) -> Any:
    """Parse one pack file's text; YAML errors become RuleError with the file and line."""
    loader = _PackLoader(text)
    loader.path = path
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise RuleError(path, f"not valid YAML: {exc.problem or exc.context}", line=line) from exc
    except yaml.YAMLError as exc:
        raise RuleError(path, f"not valid YAML: {exc}") from exc
    finally:
        loader.dispose()


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
