"""The rule engine: load YAML rule packs into an ordered, digestible RuleSet (DESIGN.md).

    ruleset = load_ruleset(["my_rules/"], disabled=["navigation"])  # shipped + mine, minus a pack

Shipped packs live in the top-level `rules/` folder, installed as the data package `curate.packs`
and found through importlib.resources, so they work from a checkout, an editable install or a wheel.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from curate.errors import ConfigError, RuleError
from curate.rules.kinds import known_kinds, register
from curate.rules.loader import PackSource, load_pack
from curate.rules.model import CATEGORIES, Examples, Rule, RulePack, RuleSet

__all__ = [
    "CATEGORIES",
    "Examples",
    "Rule",
    "RulePack",
    "RuleSet",
    "default_pack_files",
    "known_kinds",
    "load_pack",
    "load_packs",
    "load_ruleset",
    "pack_files",
    "register",
]

PACK_SUFFIXES = (".yaml", ".yml")


def default_pack_files() -> list[Traversable]:
    """The shipped pack files, in name order (the order their rules run in)."""
    packs = (f for f in _packs_root().iterdir() if f.name.endswith(PACK_SUFFIXES))
    return sorted(packs, key=lambda f: f.name)


def _packs_root() -> Traversable:
    # The top-level rules/ folder is installed as the package curate.packs (pyproject.toml maps it),
    # in a wheel and in an editable install alike.
    return files("curate.packs")


def pack_files(paths: Sequence[str | Path]) -> list[Path]:
    """Expand files and folders (recursed, name order) into pack files; a missing path fails."""
    out: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            out.extend(
                sorted(p for p in item.rglob("*") if p.suffix in PACK_SUFFIXES and p.is_file())
            )
        elif item.is_file():
            out.append(item)
        else:
            raise RuleError(str(item), "no such rule pack file or folder")
    return out


def load_packs(
    paths: Sequence[str | Path] = (), *, include_defaults: bool = True
) -> list[RulePack]:
    """Every pack: the shipped ones first (unless excluded), then the user's, in the order given."""
    sources: list[PackSource] = [*default_pack_files()] if include_defaults else []
    sources.extend(pack_files(paths))
    packs = [load_pack(source) for source in sources]
    _refuse_duplicate_ids(packs)
    return packs


def load_ruleset(
    paths: Sequence[str | Path] = (), *, include_defaults: bool = True, disabled: Iterable[str] = ()
) -> RuleSet:
    """Load, validate and assemble rule packs.

    `disabled` names rule ids or whole packs to leave out; a name that matches nothing is a
    ConfigError (a typo would otherwise silently keep the rule).
    """
    packs = load_packs(paths, include_defaults=include_defaults)
    off = set(disabled)
    unknown = off - {p.pack for p in packs} - {r.id for r in _rules(packs)}
    if unknown:
        raise ConfigError(
            f"cannot disable {', '.join(sorted(unknown))}: no loaded rule or pack has that "
            "name (see `curate rules list`)"
        )
    return RuleSet(tuple(r for r in _rules(packs) if r.id not in off and r.pack not in off))


def _rules(packs: Iterable[RulePack]) -> Iterator[Rule]:
    for pack in packs:
        yield from pack.rules


def _refuse_duplicate_ids(packs: Iterable[RulePack]) -> None:
    seen: dict[str, Rule] = {}
    for rule in _rules(packs):
        first = seen.setdefault(rule.id, rule)
        if first is not rule:
            where = first.path + (f":{first.line}" if first.line else "")
            raise RuleError(
                rule.path,
                f"duplicate rule id (first defined at {where})",
                line=rule.line,
                rule_id=rule.id,
            )
