"""One id twice against the parent version (issue 25): a kept new document whose id the parent holds
fails as duplicate_id; an unchanged page stays an exact_duplicate drop. Real `curate clean` runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest
from click.testing import CliRunner

from curate import reasons
from curate.cli import main
from curate.steps.dedup.parent_ids import IdBlob, IdList, ParentIds
from curate.store import Store, verify
from tests.conftest import id_records, seeded_text


def _clean(tmp_path: Path, crawl: Path, *extra: str) -> Any:
    args = ["clean", str(crawl), "--store", str(tmp_path / "corpus"), "--reports", str(tmp_path / "reports"),
            "--workers", "1", *extra]
    return CliRunner().invoke(main, args)


def _stored(tmp_path: Path, version: str) -> dict[str, str]:
    """id -> text of a version's records, read from its shards; fails if an id is there twice."""
    records = list(Store(tmp_path / "corpus").iter_records(version))
    assert len({r["id"] for r in records}) == len(records), "a version holds an id twice"
    return {str(r["id"]): str(r["text"]) for r in records}


def _counts(tmp_path: Path, version: str) -> dict[str, Any]:
    counts: dict[str, Any] = Store(tmp_path / "corpus").manifest(version)["counts"]
    assert counts["read"] == counts["kept"] + sum(counts["dropped"].values()) + sum(counts["failed"].values())
    return counts


def _messages(tmp_path: Path, version: str) -> list[str]:
    messages = []
    for path in sorted((tmp_path / "reports" / version / "files").glob("*.json")):
        messages += [e["message"] for e in orjson.loads(path.read_bytes())["documents"] if e["outcome"] == "failed"]
    return messages


MAY = [("a", 1), ("b", 2), ("c", 3)]


@pytest.mark.parametrize("keep", ["first", "longest"])
def test_fault_id_already_in_the_parent_with_another_text_fails_as_duplicate_id(tmp_path: Path, keep: str) -> None:
    assert _clean(tmp_path, id_records(tmp_path / "may.jsonl", MAY), "--keep", keep).exit_code == 0
    june = id_records(tmp_path / "june.jsonl", [("b", 20), ("d", 4)])  # page b changed, d is new
    result = _clean(tmp_path, june, "--keep", keep)
    assert result.exit_code == 1, result.output
    assert _stored(tmp_path, "v0002") == {"a": seeded_text(1), "b": seeded_text(2), "c": seeded_text(3), "d": seeded_text(4)}
    assert _counts(tmp_path, "v0002") == {"read": 2, "kept": 1, "dropped": {}, "failed": {reasons.DUPLICATE_ID: 1}}
    [message] = _messages(tmp_path, "v0002")
    assert message.startswith(f"{june}:1: id 'b' is already in v0001, the parent version") and "--fresh" in message
    assert verify(Store(tmp_path / "corpus"), "v0002") == []


def test_fault_identical_rerun_is_exact_duplicates_only(tmp_path: Path) -> None:
    may = id_records(tmp_path / "may.jsonl", MAY)
    assert _clean(tmp_path, may).exit_code == 0
    result = _clean(tmp_path, may)
    assert result.exit_code == 0, result.output
    assert _counts(tmp_path, "v0002") == {"read": 3, "kept": 0, "dropped": {reasons.EXACT_DUPLICATE: 3}, "failed": {}}
    assert _stored(tmp_path, "v0002") == _stored(tmp_path, "v0001")


def test_fault_a_failed_clash_is_not_indexed(tmp_path: Path) -> None:
    """The changed page fails; a page with its new text under a new id, in the next version, is kept:
    the failed document never entered the index (whose rows are the version's records)."""
    assert _clean(tmp_path, id_records(tmp_path / "may.jsonl", MAY)).exit_code == 0
    assert _clean(tmp_path, id_records(tmp_path / "june.jsonl", [("b", 20)])).exit_code == 1
    index = Store(tmp_path / "corpus").manifest("v0002")["index"]
    assert [part["documents"] for part in index["parts"]] == [3, 0]
    result = _clean(tmp_path, id_records(tmp_path / "july.jsonl", [("b-july", 20)]))
    assert result.exit_code == 0, result.output
    assert _stored(tmp_path, "v0003")["b-july"] == seeded_text(20)


@pytest.mark.parametrize("first_run", [(), ("--no-dedup",)], ids=["parent-indexed", "parent-without-index"])
def test_fault_rerun_without_dedup_fails_every_id_the_parent_holds(tmp_path: Path, first_run: tuple[str, ...]) -> None:
    """With dedup off nothing drops the rerun's copies, so each would be its id a second time."""
    may = id_records(tmp_path / "may.jsonl", MAY)
    assert _clean(tmp_path, may, *first_run).exit_code == 0
    assert bool(Store(tmp_path / "corpus").manifest("v0001").get("index")) == (not first_run)
    result = _clean(tmp_path, id_records(tmp_path / "june.jsonl", [("a", 1), ("b", 20), ("e", 5)]), "--no-dedup")
    assert result.exit_code == 1, result.output
    assert _counts(tmp_path, "v0002") == {"read": 3, "kept": 1, "dropped": {}, "failed": {reasons.DUPLICATE_ID: 2}}
    assert sorted(_stored(tmp_path, "v0002")) == ["a", "b", "c", "e"]


def test_fault_a_parent_without_index_is_read_for_its_ids_when_dedup_is_on(tmp_path: Path) -> None:
    assert _clean(tmp_path, id_records(tmp_path / "may.jsonl", MAY), "--no-dedup").exit_code == 0
    result = _clean(tmp_path, id_records(tmp_path / "june.jsonl", [("c", 30), ("b", 2)]))
    assert result.exit_code == 1, result.output
    assert _counts(tmp_path, "v0002") == {"read": 2, "kept": 0, "dropped": {reasons.EXACT_DUPLICATE: 1},
                                          "failed": {reasons.DUPLICATE_ID: 1}}


def test_fresh_starts_without_the_parents_ids(tmp_path: Path) -> None:
    assert _clean(tmp_path, id_records(tmp_path / "may.jsonl", MAY)).exit_code == 0
    result = _clean(tmp_path, id_records(tmp_path / "june.jsonl", [("b", 20)]), "--fresh")
    assert result.exit_code == 0, result.output
    assert _stored(tmp_path, "v0002") == {"b": seeded_text(20)}


def _blob(ids: list[str]) -> IdBlob:
    data = [i.encode() for i in ids]
    offsets = np.concatenate([[0], np.cumsum([len(d) for d in data])]).astype(np.uint64)
    return IdBlob(np.frombuffer(b"".join(data), dtype=np.uint8), offsets)


def test_parent_ids_hold_the_ids_of_every_part_and_no_other() -> None:
    ids = ParentIds("v0003", [_blob(["a", "héllo", ""]), IdList(["z", "a#2"]), _blob([])])
    assert len(ids) == 5
    assert all(ids.holds(i) for i in ["a", "héllo", "", "z", "a#2"])
    assert not any(ids.holds(i) for i in ["b", "a#", "hello", "zz"])
