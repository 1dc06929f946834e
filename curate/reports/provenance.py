"""Per-input provenance reports (DESIGN.md "Reports" contract: reports/<version>/files/*.json).

One report per input file lists, in ledger order, every document of that file with its events
and its outcome: kept (with the output id), dropped (reason, and for duplicates the kept document
and the similarity in `detail`) or failed (reason and message). `report_name` maps any source
string to a collision-free, always-valid file name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from curate.pipeline import Counts, Ledger

# Long enough to recognise the file, short enough that the whole name stays far below the 255-byte
# limit of common file systems even with the hash and extension added.
SLUG_MAX: Final = 80
# 10 hex digits = 40 bits: a collision between two inputs of one run is vanishingly unlikely.
HASH_HEX: Final = 10

_SEPARATORS: Final = re.compile(r"[/\\]+")
_DISALLOWED: Final = re.compile(r"[^a-z0-9._-]+")
_PUNCT_RUN: Final = re.compile(r"[_-]{2,}")
_DOT_RUN: Final = re.compile(r"\.{2,}")


@dataclass(frozen=True)
class InputInfo:
    """What the reports say about one input file: its source string (as the ledger names it),
    the sha256 of its bytes and its size."""

    source: str
    sha256: str
    bytes: int


def report_name(source: str) -> str:
    """The per-input report path, relative to the report folder.

    The slug keeps the name readable; the hash of the full source keeps names that slug alike
    (a/index.html and b/index.html, case or Unicode variants) apart.

    >>> report_name("crawl/site/index.html")
    'files/crawl_site_index.html-55cd463539.json'
    >>> report_name("../..")
    'files/input-0cfd1c96cb.json'
    """
    return f"files/{_slug(source)}-{source_hash(source)}.json"


def source_hash(source: str) -> str:
    """First HASH_HEX hex digits of sha256 over the source's UTF-8 bytes."""
    # surrogatepass: a path decoded with surrogateescape must still hash, and hash distinctly.
    data = source.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:HASH_HEX]


def _slug(source: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode("ascii")
    slug = _SEPARATORS.sub("_", ascii_text.lower())
    slug = _DISALLOWED.sub("-", slug)
    slug = _PUNCT_RUN.sub("_", slug)
    slug = _DOT_RUN.sub(".", slug)  # never '..', so the name can never climb out of files/
    # Keep the tail: for a long path the file name at its end says more than the folders before it.
    slug = slug[-SLUG_MAX:].strip("._-")
    return slug or "input"


def sources_of(ledger: Ledger, inputs: Sequence[InputInfo]) -> list[InputInfo | str]:
    """Every source to report on: the given inputs in their order (even those with no documents),
    then ledger sources with no InputInfo (stdin, a folder-level failure), sorted for determinism.
    """
    seen: dict[str, InputInfo | str] = {}
    for info in inputs:
        seen.setdefault(info.source, info)
    extras = sorted(source for source in ledger.per_source if source not in seen)
    return [*seen.values(), *extras]


def input_fields(item: InputInfo | str) -> dict[str, Any]:
    """source, sha256 and bytes of one reported input; the last two are null when unknown."""
    if isinstance(item, InputInfo):
        return {"source": item.source, "sha256": item.sha256, "bytes": item.bytes}
    return {"source": item, "sha256": None, "bytes": None}


def counts_of(ledger: Ledger, source: str) -> Counts:
    """The source's counts, zero for a source the ledger never saw."""
    return ledger.per_source.get(source) or Counts()


def build_file_report(item: InputInfo | str, ledger: Ledger) -> dict[str, Any]:
    """The provenance report of one input: its identity, counts and documents."""
    fields = input_fields(item)
    source = fields["source"]
    documents: Sequence[Mapping[str, Any]] = ledger.in_input_order(source)
    return {
        **fields,
        "counts": counts_of(ledger, source).to_json(),
        "documents": [dict(entry) for entry in documents],
    }


def file_reports(ledger: Ledger, inputs: Sequence[InputInfo]) -> dict[str, dict[str, Any]]:
    """Every per-input report, keyed by its path relative to the report folder."""
    return {
        report_name(input_fields(item)["source"]): build_file_report(item, ledger)
        for item in sources_of(ledger, inputs)
    }
