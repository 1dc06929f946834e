"""The ledger object (store/ledger.py): what a version's reports are made of, stored, verified, kept by gc."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest
import zstandard

from curate import reasons
from curate.document import Document, Dropped, Event, Failed
from curate.pipeline import Ledger
from curate.store import Store, collect_garbage, orphans, verify
from curate.store.ledger import LEDGER_SUFFIX, decode_ledger, encode_ledger

INPUTS = [{"source": "crawl/a.jsonl", "sha256": "a" * 64, "bytes": 300}]
LEARNED = {"min_documents": 5, "sources": {"crawl/a.jsonl": {"documents": 3, "lines": []}}}


def _ledger() -> Ledger:
    ledger = Ledger()
    detail = MappingProxyType({"lang": "en", "score": 0.99})
    kept = Document("a1", "crawl/a.jsonl", "Kept.", provenance=(Event("langid", "tag", detail=detail),))
    copy = Document("a2", "crawl/a.jsonl", "Kept.")
    for doc in (kept, copy):
        ledger.read(doc)
    ledger.failed(Failed("crawl/a.jsonl", "2", reasons.BAD_JSON, "line 2 is not JSON"), counted_as_read=False)
    ledger.dropped(Dropped(copy, reasons.EXACT_DUPLICATE, {"duplicate_of": "a1"}))
    ledger.kept(kept)
    return ledger


def _commit(store: Store, ledger: Ledger) -> str:
    with store.writer() as writer:
        writer.add(Document("a1", "crawl/a.jsonl", "Kept."))
        entry = {**writer.add_ledger(encode_ledger(ledger, INPUTS, LEARNED)), "entries": 3, "run": {"tool": "t"}}
        return writer.commit(inputs=[], counts=ledger.total.to_json(), config_digest="c", rules_digest="r",
                             ledger=entry)


def test_a_ledger_decodes_to_what_was_encoded() -> None:
    ledger = _ledger()
    stored = decode_ledger(encode_ledger(ledger, INPUTS, LEARNED))
    assert stored.ledger.records == ledger.records  # in the ledger's own order, not re-sorted
    assert {s: c.to_json() for s, c in stored.ledger.per_source.items()} == {
        s: c.to_json() for s, c in ledger.per_source.items()}
    assert (stored.inputs, stored.learned, stored.entries) == (INPUTS, LEARNED, 3)
    assert encode_ledger(stored.ledger, stored.inputs, stored.learned) == encode_ledger(ledger, INPUTS, LEARNED)


def test_a_ledger_is_a_verified_content_addressed_object(tmp_store: Path) -> None:
    store = Store(tmp_store)
    version = _commit(store, _ledger())
    entry = store.manifest(version)["ledger"]
    assert entry["path"] == f"objects/{entry['sha256'][:2]}/{entry['sha256']}{LEDGER_SUFFIX}"
    stored = store.ledger(version)
    assert stored is not None and stored.run == {"tool": "t"} and stored.entries == 3
    assert verify(store) == [] and orphans(store) == []
    assert collect_garbage(store).paths == ()


@pytest.mark.parametrize(("damage", "problem"), [
    (lambda p: p.write_bytes(p.read_bytes()[:-3]), "is corrupt"),
    (lambda p: p.unlink(), "is missing"),
])
def test_verify_names_a_damaged_ledger(tmp_store: Path, damage: object, problem: str) -> None:
    store = Store(tmp_store)
    version = _commit(store, _ledger())
    path = store.root / store.manifest(version)["ledger"]["path"]
    damage(path)  # type: ignore[operator]
    [found] = verify(store)
    assert found.startswith(f"{version}: ledger objects/") and problem in found


def test_verify_checks_what_the_ledger_holds(tmp_store: Path) -> None:
    """A ledger at its address that does not decode, or holds other counts than its version's."""
    store = Store(tmp_store)
    with store.writer() as writer:
        junk = writer.add_ledger(zstandard.ZstdCompressor().compress(b'{"format": 1, "inputs": []}\n{"source"\n'))
        writer.commit(inputs=[], counts=_ledger().total.to_json(), config_digest="c", rules_digest="r",
                      ledger={**junk, "entries": 0, "run": {}})
    other = Ledger()
    with store.writer() as writer:
        entry = writer.add_ledger(encode_ledger(other, [], None))
        writer.commit(inputs=[], counts=_ledger().total.to_json(), config_digest="c", rules_digest="r",
                      ledger={**entry, "entries": 0, "run": {}})
    first, second = verify(store)
    assert first.startswith("v0001: ledger") and "does not decode" in first
    assert second.startswith("v0002: ledger") and "counts differ" in second


def test_a_version_committed_without_a_ledger_has_none(tmp_store: Path) -> None:
    store = Store(tmp_store)
    with store.writer() as writer:
        version = writer.commit(inputs=[], counts={"read": 0, "kept": 0, "dropped": {}, "failed": {}},
                                config_digest="c", rules_digest="r")
    assert store.ledger(version) is None and verify(store) == []
