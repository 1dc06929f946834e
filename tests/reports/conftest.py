"""A hand-built run: two inputs with kept, dropped and failed documents, and one empty input."""

from __future__ import annotations

import pytest

from curate import reasons
from curate.document import Document, Dropped, Event, Failed
from curate.pipeline import Ledger
from curate.reports import InputInfo

A = "crawl/a.jsonl"
B = "crawl/b.html"
EMPTY = "crawl/empty.txt"


def _langid(lang: str) -> Event:
    return Event("langid", "tag", rule="langid.langdetect", detail={"lang": lang, "score": 0.99})


@pytest.fixture
def ledger() -> Ledger:
    ledger = Ledger()
    ad = Event("strip", "drop_line", rule="ads.placeholder", span=(0, 14), text="ADVERTISEMENT\n")
    a1 = Document("a1", A, "Kept text.", provenance=(ad, _langid("en")))
    a2 = Document("a2", A, "Kept text!", provenance=(_langid("en"),))
    anchor = Event(
        "strip", "replace", rule="links.anchor", span=(0, 7), text="[go](#)", replacement="go"
    )
    b1 = Document("b1", B, "go home", provenance=(anchor, ad, _langid("de")))
    b2 = Document("b2", B, "hi")
    for doc in (a1, a2, b1, b2):
        ledger.read(doc)
    ledger.kept(a1)
    ledger.dropped(Dropped(a2, reasons.NEAR_DUPLICATE, {"duplicate_of": "a1", "similarity": 0.91}))
    ledger.failed(Failed(A, "3", reasons.BAD_JSON, "line 3 is not JSON"), counted_as_read=False)
    ledger.kept(b1)
    ledger.dropped(Dropped(b2, reasons.TOO_SHORT, {"words": 1}))
    return ledger


@pytest.fixture
def inputs() -> list[InputInfo]:
    return [
        InputInfo(A, "a" * 64, 300),
        InputInfo(B, "b" * 64, 200),
        InputInfo(EMPTY, "e" * 64, 0),
    ]


@pytest.fixture
def run() -> dict[str, object]:
    return {
        "created": "2024-05-01T12:00:00Z",
        "tool": "curate 0.1.0",
        "parent": None,
        "config_digest": "c0ffee",
        "elapsed_seconds": 1.5,
    }
