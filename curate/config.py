"""CleanConfig: the per-step configs composed, and the digest a manifest records.

Values flow one way: CLI options -> these frozen objects -> step constructors. Nothing here reads the
environment or files, so the same config always means the same run.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from curate.inputs import ReadOptions
from curate.steps.dedup import DedupConfig
from curate.steps.extract import ExtractConfig
from curate.steps.filter import FilterConfig
from curate.steps.langid import LangidConfig
from curate.steps.repair import RepairConfig
from curate.steps.strip import StripConfig


@dataclass(frozen=True, slots=True)
class CleanConfig:
    """Everything that decides what `curate clean` produces, except the rule set (digested apart).

    dedup: run the dedup step (exact + near-duplicate). `--no-dedup` turns it off, e.g. to inspect
        what the other steps do to every document.
    """

    read: ReadOptions = field(default_factory=ReadOptions)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    strip: StripConfig = field(default_factory=StripConfig)
    repair: RepairConfig = field(default_factory=RepairConfig)
    langid: LangidConfig = field(default_factory=LangidConfig)
    filter: FilterConfig = field(default_factory=FilterConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    dedup_enabled: bool = True

    def to_json(self) -> dict[str, Any]:
        plain: dict[str, Any] = _plain(dataclasses.asdict(self))
        return plain

    def digest(self) -> str:
        """sha256 of the canonical JSON of every field: equal digests mean equal behaviour."""
        return hashlib.sha256(orjson.dumps(self.to_json(), option=orjson.OPT_SORT_KEYS)).hexdigest()


def _plain(value: Any) -> Any:
    """Tuples and frozensets as sorted/ordered lists, so the JSON form is canonical."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
