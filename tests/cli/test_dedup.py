"""Dedup across corpus versions and the dedup options, through the CLI and the store."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from curate.cli import main
from curate.store import Store, verify

SEEDS = Path(__file__).parent.parent / "data" / "seeds" / "articles"


def seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]


def edited(text: str) -> str:
    """The same article with its last paragraph cut and one sentence changed: a recrawl."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    return "\n".join(["A different headline for the same story", *paragraphs[1:-1]]) + "\n"


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def clean(store: Path, crawl: Path, *extra: str) -> None:
    args = ["clean", str(crawl), "--store", str(store), "--reports", str(store.parent / "r"), "--workers", "1"]
    result = CliRunner().invoke(main, [*args, *extra])
    assert result.exit_code == 0, result.output


def dropped_entries(reports: Path, version: str) -> list[dict]:  # type: ignore[type-arg]
    entries = []
    for path in (reports / version / "files").glob("*.json"):
        entries += [d for d in orjson.loads(path.read_bytes())["documents"] if d["outcome"] == "dropped"]
    return entries


@pytest.fixture
def two_crawls(tmp_path: Path) -> tuple[Path, Path]:
    texts = seed_texts()
    first = write_jsonl(tmp_path / "first.jsonl", [{"id": f"one-{i}", "text": t} for i, t in enumerate(texts[:3])])
    second = write_jsonl(tmp_path / "second.jsonl", [{"id": f"two-{i}", "text": edited(t)} for i, t in enumerate(texts)])
    return first, second


def test_second_crawl_drops_what_the_first_version_holds(tmp_path: Path, two_crawls: tuple[Path, Path]) -> None:
    store = tmp_path / "corpus"
    clean(store, two_crawls[0])
    clean(store, two_crawls[1])
    details = {e["id"]: e["detail"] for e in dropped_entries(tmp_path / "r", "v0002")}
    assert sorted(details) == ["two-0", "two-1", "two-2"]
    assert {d["duplicate_version"] for d in details.values()} == {"v0001"}
    assert [details[f"two-{i}"]["duplicate_of"] for i in range(3)] == ["one-0", "one-1", "one-2"]
    assert all(0.8 <= d["similarity"] < 1.0 for d in details.values())
    assert Store(store).manifest("v0002")["documents"] == 5


def test_second_crawl_reads_the_stored_index_not_the_texts(
    tmp_path: Path, two_crawls: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "corpus"
    clean(store, two_crawls[0])

    def refuse(*args: object) -> None:
        raise AssertionError("the parent's records were re-read")

    monkeypatch.setattr(Store, "iter_records", refuse)
    clean(store, two_crawls[1])
    assert len(dropped_entries(tmp_path / "r", "v0002")) == 3


def test_new_version_index_is_the_parents_parts_plus_its_own(tmp_path: Path, two_crawls: tuple[Path, Path]) -> None:
    store = tmp_path / "corpus"
    clean(store, two_crawls[0])
    clean(store, two_crawls[1])
    opened = Store(store)
    first, second = (opened.manifest(v)["index"]["parts"] for v in ("v0001", "v0002"))
    assert second[0] == first[0]
    assert [(p["version"], p["documents"]) for p in second] == [("v0001", 3), ("v0002", 2)]
    assert verify(opened) == []


def test_a_parent_without_an_index_is_rebuilt_from_its_records(tmp_path: Path, two_crawls: tuple[Path, Path]) -> None:
    store = tmp_path / "corpus"
    clean(store, two_crawls[0], "--no-dedup")
    assert Store(store).manifest("v0001")["index"] is None
    clean(store, two_crawls[1])
    assert {e["detail"]["duplicate_version"] for e in dropped_entries(tmp_path / "r", "v0002")} == {"v0001"}
    assert [p["version"] for p in Store(store).manifest("v0002")["index"]["parts"]] == ["v0001", "v0002"]


def test_summary_lists_duplicate_clusters(tmp_path: Path, two_crawls: tuple[Path, Path]) -> None:
    store = tmp_path / "corpus"
    clean(store, two_crawls[0])
    clean(store, two_crawls[1])
    summary = orjson.loads((tmp_path / "r" / "v0002" / "summary.json").read_bytes())
    clusters = summary["duplicate_clusters"]
    assert (clusters["count"], clusters["dropped"]) == (3, 3)
    assert clusters["largest"][0]["kept"][0]["version"] == "v0001"


def test_dedup_against_a_store_reports_the_version(tmp_path: Path, two_crawls: tuple[Path, Path]) -> None:
    store = tmp_path / "corpus"
    clean(store, two_crawls[0])
    result = CliRunner().invoke(main, ["dedup", str(two_crawls[1]), "--against", str(store), "--annotate"])
    assert result.exit_code == 0, result.output
    events = [orjson.loads(line)["provenance"] for line in result.stdout.splitlines()]
    assert [e[-1]["detail"]["duplicate_version"] for e in events[:3]] == ["v0001"] * 3
    assert events[3:] == [[], []]


def test_keep_longest_keeps_the_fuller_copy(tmp_path: Path) -> None:
    text = seed_texts()[0]
    crawl = write_jsonl(tmp_path / "c.jsonl", [{"id": "cut", "text": edited(text)}, {"id": "full", "text": text}])
    result = CliRunner().invoke(main, ["dedup", str(crawl), "--keep", "longest"])
    assert result.exit_code == 0, result.output
    assert [orjson.loads(line)["id"] for line in result.stdout.splitlines()] == ["full"]


def test_common_paragraphs_option_removes_a_shared_blurb(tmp_path: Path) -> None:
    blurb = "Republished from the Example Wire under its syndication licence."
    texts = seed_texts()
    crawl = write_jsonl(tmp_path / "c.jsonl", [{"id": str(i), "text": f"{t}\n{blurb}\n"} for i, t in enumerate(texts)])
    result = CliRunner().invoke(main, ["dedup", str(crawl), "--common-paragraphs", "5"])
    assert result.exit_code == 0, result.output
    assert all(blurb not in orjson.loads(line)["text"] for line in result.stdout.splitlines())


def test_bad_shingle_spec_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["dedup", "--shingle", "words:0"], input="")
    assert result.exit_code == 2
    assert "words:N or chars:N" in result.output


def test_fault_one_id_twice_in_the_dedup_stream_fails_the_later(tmp_path: Path) -> None:
    """duplicate_of names kept documents by id, so the dedup command keeps each id once; a one-step
    command such as strip passes repeated ids through (it keeps nothing by id)."""
    texts = seed_texts()
    crawl = write_jsonl(tmp_path / "crawl.jsonl", [{"id": "x", "text": texts[0]}, {"id": "x", "text": texts[1]}])
    result = CliRunner().invoke(main, ["dedup", str(crawl)])
    assert result.exit_code == 1, result.output
    assert [orjson.loads(line)["text"] for line in result.stdout.splitlines()] == [texts[0]]
    assert f"{crawl}:2: id 'x' was already read at {crawl}:1" in result.stderr
    assert "read 2, kept 1, dropped 0, failed 1" in result.stderr
    stripped = CliRunner().invoke(main, ["strip", str(crawl)])
    assert stripped.exit_code == 0 and len(stripped.stdout.splitlines()) == 2
