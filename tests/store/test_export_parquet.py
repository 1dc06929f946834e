"""export_parquet and `curate export --format parquet`; both exports load with Hugging Face datasets."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from curate.cli import main
from curate.store import Store, export_jsonl, export_parquet


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("parquet") / "corpus"
    # the bundled sample: text and HTML pages, so records with and without a title, meta of varying keys
    args = ["clean", "--store", str(root), "--reports", str(root.parent / "reports"), "--workers", "1"]
    assert CliRunner().invoke(main, args).exit_code == 0
    return Store(root)


def _load(kind: str, path: Path, cache: Path) -> list[dict[str, object]]:
    datasets = pytest.importorskip("datasets")
    dataset = datasets.load_dataset(kind, data_files=str(path), split="train", cache_dir=str(cache))
    return [dict(row) for row in dataset]


def test_parquet_holds_every_record(seed_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "v.parquet"
    records = list(seed_store.iter_records("v0001"))
    assert export_parquet(seed_store, "v0001", out) == len(records)
    table = pq.read_table(out)
    assert table.column("id").to_pylist() == [r["id"] for r in records]
    assert table.column("text").to_pylist() == [r["text"] for r in records]


def test_parquet_export_is_byte_identical(seed_store: Store, tmp_path: Path) -> None:
    export_parquet(seed_store, "v0001", tmp_path / "a.parquet")
    export_parquet(seed_store, "v0001", tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_parquet_round_trips_through_datasets(seed_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "v.parquet"
    export_parquet(seed_store, "v0001", out)
    rows = _load("parquet", out, tmp_path / "cache")
    records = list(seed_store.iter_records("v0001"))
    assert [(r["id"], r["text"], r["lang"], r["title"]) for r in rows] == \
        [(r["id"], r["text"], r["lang"], r.get("title")) for r in records]


def test_jsonl_round_trips_through_datasets(seed_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "v.jsonl"
    with out.open("wb") as handle:
        export_jsonl(seed_store, "v0001", handle)
    rows = _load("json", out, tmp_path / "cache")
    records = list(seed_store.iter_records("v0001"))
    assert [(r["id"], r["text"]) for r in rows] == [(r["id"], r["text"]) for r in records]


def test_export_command_writes_parquet(seed_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "cli.parquet"
    args = ["export", "v0001", "--store", str(seed_store.root), "--format", "parquet", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).num_rows == len(list(seed_store.iter_records("v0001")))


def test_parquet_to_stdout_is_a_usage_error(seed_store: Store) -> None:
    result = CliRunner().invoke(main, ["export", "v0001", "--store", str(seed_store.root), "--format", "parquet"])
    assert result.exit_code == 2
    assert "pass -o FILE" in result.output
