from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import orjson
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from curate import reasons
from curate.cli import main
from curate.document import Document, Dropped, Failed, Outcome
from curate.engines.local import LocalEngine
from curate.pipeline import DocumentStep, Ledger, RunIds, run_steps
from curate.store import Store
from curate.timing import Timings
from tests.conftest import id_records


class DropShort(DocumentStep):
    name: ClassVar[str] = "test"

    def apply(self, doc: Document) -> Document | Dropped:
        if len(doc.text) < 3:
            return Dropped(doc, reasons.TOO_SHORT)
        if doc.text == "boom":
            raise RuntimeError("exploded")
        return doc


def _doc(i: int, text: str, source: str = "a.txt") -> Document:
    return Document(id=f"{source}#{i}", source=source, text=text)


def test_run_steps_yields_kept_and_accounts_for_the_rest() -> None:
    items: list[Document | Failed] = [
        _doc(1, "fine"), _doc(2, "no"), _doc(3, "boom"),
        Failed("a.txt", "4", reasons.BAD_JSON, "line 4 is not JSON"),
    ]
    ledger = Ledger()
    kept = list(run_steps(items, [DropShort()], ledger))
    assert [d.id for d in kept] == ["a.txt#1"]
    counts = ledger.per_source["a.txt"].to_json()
    assert counts == {"read": 4, "kept": 1, "dropped": {"too_short": 1},
                      "failed": {"bad_json": 1, "step_error": 1}}


def test_a_step_error_names_the_document_and_the_step() -> None:
    ledger = Ledger()
    list(run_steps([_doc(3, "boom")], [DropShort()], ledger))
    entry = ledger.records["a.txt"][0]
    assert entry["outcome"] == "failed" and entry["id"] == "a.txt#3"
    assert entry["message"] == "test: RuntimeError: exploded"


@given(st.lists(st.sampled_from(["ok text", "x", "boom", None]), max_size=30),
       st.sampled_from(["a", "b"]))
def test_read_equals_kept_plus_dropped_plus_failed(kinds: list[str | None], source: str) -> None:
    items: list[Document | Failed] = []
    for i, kind in enumerate(kinds):
        items.append(Failed(source, str(i), reasons.BAD_JSON, "bad") if kind is None else _doc(i, kind, source))
    ledger = Ledger()
    list(run_steps(items, [DropShort()], ledger))
    assert ledger.total.read == len(kinds)
    assert ledger.total.balanced
    assert all(counts.balanced for counts in ledger.per_source.values())


def _steps() -> list[DocumentStep]:
    return [DropShort()]


def test_local_engine_keeps_input_order_with_a_pool() -> None:
    docs = [_doc(i, f"text number {i}" if i % 5 else "x") for i in range(200)]
    serial: list[Outcome] = list(LocalEngine(_steps, workers=1).run(docs))
    pooled: list[Outcome] = list(LocalEngine(_steps, workers=2).run(docs))
    assert serial == pooled
    assert sum(isinstance(o, Dropped) for o in pooled) == 40


class CountingStep:
    name: ClassVar[str] = "count"

    def run(self, docs: Iterable[Document]) -> Iterator[Outcome]:
        yield from docs


def test_a_stream_step_passes_documents_through() -> None:
    ledger = Ledger()
    assert len(list(run_steps([_doc(1, "abc")], [CountingStep()], ledger))) == 1


class Busy:
    """A stream step that spends `seconds` of CPU on each document it passes on."""

    name: ClassVar[str] = "busy"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def run(self, docs: Iterable[Document]) -> Iterator[Outcome]:
        for doc in docs:
            until = time.thread_time() + self.seconds
            while time.thread_time() < until:
                pass
            yield doc


def _slow_reader(count: int, seconds: float) -> Iterator[Document]:
    for i in range(count):
        until = time.thread_time() + seconds
        while time.thread_time() < until:
            pass
        yield _doc(i, "some text")


def test_timings_give_each_stage_of_the_chain_its_own_share() -> None:
    timings = Timings()
    kept = list(run_steps(_slow_reader(4, 0.02), [Busy(0.01), CountingStep(), Busy(0.03)], Ledger(), timings))
    assert len(kept) == 4
    main = timings.main_steps()
    assert set(main) == {"read", "busy", "count"}
    # Reading took 4 x 0.02 s; both Busy steps report as "busy": 4 x (0.01 + 0.03) s, reading not included.
    assert 0.08 <= main["read"].cpu < 0.14
    assert 0.16 <= main["busy"].cpu < 0.22
    assert main["count"].cpu < 0.03


def test_a_step_that_raises_a_timeout_error_fails_the_document_as_a_rule_timeout() -> None:
    class SlowRule(DocumentStep):
        name: ClassVar[str] = "slowrule"

        def apply(self, doc: Document) -> Document | Dropped:
            raise TimeoutError("regex time out")

    outcome = SlowRule().guarded(_doc(1, "x"))
    assert isinstance(outcome, Failed) and outcome.reason == reasons.RULE_TIMEOUT
    assert outcome.message == "slowrule: regex time out"


def test_reports_list_a_files_records_in_input_order_whatever_order_they_finish() -> None:
    ledger = Ledger()
    first, second = _doc(1, "first text"), _doc(2, "second text")
    ledger.read(first)
    ledger.failed(Failed("a.txt", "2", reasons.BAD_JSON, "bad"), counted_as_read=False)
    ledger.read(second)
    ledger.kept(second)  # finishes before the first one, as after a worker pool
    ledger.dropped(Dropped(first, reasons.TOO_SHORT))
    assert [e["position"] for e in ledger.records["a.txt"]] == [1, 2, 0]
    assert [e["outcome"] for e in ledger.in_input_order("a.txt")] == ["dropped", "failed", "kept"]


# One id twice (issue 25): a later record with an id already read in the run fails as duplicate_id.



def _clean(tmp_path: Path, *inputs: Path, workers: int = 1, extra: tuple[str, ...] = ()) -> Any:
    args = ["clean", *map(str, inputs), "--store", str(tmp_path / "corpus"), "--reports", str(tmp_path / "reports"),
            "--workers", str(workers), *extra]
    return CliRunner().invoke(main, args)


def _stored_ids(tmp_path: Path, version: str = "v0001") -> list[str]:
    """The ids of a version's records, read from its shards."""
    return [str(record["id"]) for record in Store(tmp_path / "corpus").iter_records(version)]


def _failures(tmp_path: Path, version: str = "v0001") -> list[dict[str, Any]]:
    """The failed entries of every provenance report of a version, file by file in input order."""
    entries = []
    for path in sorted((tmp_path / "reports" / version / "files").glob("*.json")):
        report = orjson.loads(path.read_bytes())
        entries += [{**e, "source": report["source"]} for e in report["documents"] if e["outcome"] == "failed"]
    return entries


def _balanced(counts: dict[str, Any]) -> bool:
    return bool(counts["read"] == counts["kept"] + sum(counts["dropped"].values()) + sum(counts["failed"].values()))


def test_fault_one_id_twice_in_one_file_fails_the_later_record(tmp_path: Path) -> None:
    crawl = id_records(tmp_path / "crawl.jsonl", [("a", 1), ("b", 2), ("a", 3)])
    result = _clean(tmp_path, crawl)
    assert result.exit_code == 1, result.output  # a run with failed records (DESIGN.md)
    assert _stored_ids(tmp_path) == ["a", "b"]
    counts = Store(tmp_path / "corpus").manifest("v0001")["counts"]
    assert counts == {"read": 3, "kept": 2, "dropped": {}, "failed": {reasons.DUPLICATE_ID: 1}}
    [failure] = _failures(tmp_path)
    assert (failure["id"], failure["record"], failure["position"]) == ("a", "3", 2)
    assert failure["message"].startswith(f"{crawl}:3: id 'a' was already read at {crawl}:1; ")
    assert f"{crawl} record 3: duplicate_id" in result.stderr


def test_fault_one_id_in_two_files_fails_the_record_read_later(tmp_path: Path) -> None:
    first = id_records(tmp_path / "may.jsonl", [("a", 1), ("shared", 2)])
    second = id_records(tmp_path / "june.jsonl", [("c", 3), ("shared", 4), ("d", 5)])
    result = _clean(tmp_path, first, second)
    assert result.exit_code == 1, result.output
    ids = _stored_ids(tmp_path)
    assert sorted(ids) == ["a", "c", "d", "shared"] and len(set(ids)) == len(ids)
    manifest = Store(tmp_path / "corpus").manifest("v0001")
    per_input = {Path(entry["path"]).name: entry["counts"] for entry in manifest["inputs"]}
    assert per_input["june.jsonl"]["failed"] == {reasons.DUPLICATE_ID: 1} and per_input["may.jsonl"]["failed"] == {}
    assert all(_balanced(c) for c in [manifest["counts"], *per_input.values()])
    [failure] = _failures(tmp_path)
    assert failure["source"] == str(second) and failure["record"] == "2"
    assert f"already read at {first}:2" in failure["message"]


def test_fault_one_id_twice_fails_the_same_records_with_two_workers(tmp_path: Path) -> None:
    """Enough documents for a pool of two workers; ids repeat far apart and within a worker's batch."""
    records = [(f"d{i}", i) for i in range(90)] + [("d3", 1003), ("d88", 1088), ("d40", 1040), ("d3", 2003)]
    crawl = id_records(tmp_path / "crawl.jsonl", records)
    found = {}
    for workers in (1, 2):
        run = tmp_path / f"workers{workers}"
        result = _clean(run, crawl, workers=workers)
        assert result.exit_code == 1, result.output
        ids = _stored_ids(run)
        assert len(ids) == len(set(ids)) == 90
        found[workers] = [(f["record"], f["position"], f["reason"]) for f in _failures(run)]
        assert _balanced(Store(run / "corpus").manifest("v0001")["counts"])
    assert found[2] == found[1] == [(str(n), n - 1, reasons.DUPLICATE_ID) for n in (91, 92, 93, 94)]


def test_fault_one_id_twice_on_stdout_streams_it_once(tmp_path: Path) -> None:
    crawl = id_records(tmp_path / "crawl.jsonl", [("a", 1), ("a", 2)])
    result = CliRunner().invoke(main, ["clean", "--stdout", "--workers", "1", str(crawl)])
    assert result.exit_code == 1, result.output
    assert [orjson.loads(line)["id"] for line in result.stdout.splitlines()] == ["a"]
    assert "duplicate_id" in result.stderr


def test_a_repeated_id_fails_even_when_its_first_document_is_dropped() -> None:
    """Decided as documents are read, before any step: the later one fails whatever becomes of the first."""
    docs = [Document(id="x", source="a.jsonl", text="x", meta={"record": 1, "format": "jsonl"}),
            Document(id="x", source="a.jsonl", text="long enough", meta={"record": 2, "format": "jsonl"})]
    ledger = Ledger()
    assert list(run_steps(docs, [DropShort()], ledger, unique_ids=True)) == []
    assert ledger.total.to_json() == {"read": 2, "kept": 0, "dropped": {reasons.TOO_SHORT: 1},
                                      "failed": {reasons.DUPLICATE_ID: 1}}
    assert [e["outcome"] for e in ledger.in_input_order("a.jsonl")] == ["dropped", "failed"]


def test_without_unique_ids_a_stream_step_passes_repeated_ids() -> None:
    docs = [_doc(1, "same id"), _doc(1, "same id again")]
    assert len(list(run_steps(docs, [DropShort()], Ledger()))) == 2


def test_run_ids_names_the_first_place_by_the_readers_kind() -> None:
    ids = RunIds()
    first = [Document(id="w", source="c.warc.gz", text="", meta={"record": 512, "format": "warc"}),
             Document(id="p", source="t.parquet", text="", meta={"record": 0, "format": "parquet"}),
             Document(id="h", source="page.html", text="", meta={"format": "html"})]
    assert [ids.repeated(doc) for doc in first] == [None, None, None]
    again = [Document(id=doc.id, source="later.jsonl", text="") for doc in first]
    assert [ids.repeated(doc) for doc in again] == ["c.warc.gz at byte 512", "t.parquet row 0", "page.html"]
