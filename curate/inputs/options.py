"""How inputs are read: field names for record formats and the size bound on one page.

One frozen object shared by every reader, built from the CLI options (--text-field, --html-field,
--id-field) and recorded in the run's config digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Far above any real page (Common Crawl truncates payloads at 1 MiB; a long HTML page is a few MB) and
# low enough that parsing one such page stays a matter of seconds, since lxml's C parser cannot be
# interrupted by the per-step time limit.
DEFAULT_MAX_PAGE_BYTES: Final = 50 << 20


@dataclass(frozen=True)
class ReadOptions:
    """Which fields hold a record's text, HTML and id, and how big one page may be.

    text_field, html_field, id_field: the JSONL field / Parquet column names (CLI: --text-field,
        --html-field, --id-field). The defaults are the names in the DESIGN.md document record, so
        curate's own output reads back.
    max_page_bytes: a page (a .txt/.html file once decompressed, a JSONL line, a WARC record, a
        Parquet cell) larger than this fails as `too_large` instead of being held in memory and parsed;
        see DEFAULT_MAX_PAGE_BYTES for why 50 MiB.
    follow_links: read a file link found under a given folder even when it leads out of that folder
        (CLI: --follow-links). Off: such a file fails as `outside_input` and not a byte of it is read.
    """

    text_field: str = "text"
    html_field: str = "html"
    id_field: str = "id"
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
    follow_links: bool = False


def size_text(n: int) -> str:
    """A byte count for messages.

    >>> size_text(50 << 20), size_text(1536), size_text(12)
    ('50 MiB', '1.5 KiB', '12 bytes')
    """
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift:
            return f"{n / (1 << shift):.4g} {unit}"
    return f"{n} bytes"
