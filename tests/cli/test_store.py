"""Store round trip through the CLI: clean -> versions -> verify -> export."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from curate.cli import main

SEEDS = Path(__file__).parent.parent / "data" / "seeds" / "articles"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "corpus"
    args = ["clean", str(SEEDS), "--store", str(path), "--reports", str(tmp_path / "reports"), "--workers", "1",
            "-m", "seed articles"]
    assert CliRunner().invoke(main, args).exit_code == 0
    return path


def test_versions_lists_the_version_and_message(store: Path) -> None:
    result = CliRunner().invoke(main, ["versions", "--store", str(store)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith("v0001") and "seed articles" in result.stdout


def test_verify_passes_then_catches_a_flipped_byte(store: Path) -> None:
    assert CliRunner().invoke(main, ["verify", "--store", str(store)]).exit_code == 0
    shard = next((store / "objects").rglob("*.zst"))
    data = bytearray(shard.read_bytes())
    data[len(data) // 2] ^= 0xFF
    shard.write_bytes(bytes(data))
    result = CliRunner().invoke(main, ["verify", "--store", str(store)])
    assert result.exit_code == 1
    assert shard.name in result.stderr


def test_export_writes_every_document_without_provenance(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "v1.jsonl"
    result = CliRunner().invoke(main, ["export", "v0001", "--store", str(store), "-o", str(out)])
    assert result.exit_code == 0
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert len(records) == 5 and all("provenance" not in r for r in records)
    assert {r["lang"] for r in records} == {"en"}


def test_export_to_stdout(store: Path) -> None:
    result = CliRunner().invoke(main, ["export", "v0001", "--store", str(store)])
    assert len(result.stdout.splitlines()) == 5


def test_show_prints_the_manifest(store: Path) -> None:
    result = CliRunner().invoke(main, ["show", "v0001", "--store", str(store)])
    manifest = orjson.loads(result.stdout)
    assert manifest["version"] == "v0001" and manifest["message"] == "seed articles"


def test_unknown_version_is_an_error_naming_it(store: Path) -> None:
    result = CliRunner().invoke(main, ["show", "v0009", "--store", str(store)])
    assert result.exit_code == 1
    assert "v0009" in result.stderr


def test_missing_store_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["versions", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "run `curate clean` first" in result.stderr
