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


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_fault_export_over_a_folder_in_the_way_names_the_file_and_leaves_it(store: Path, tmp_path: Path, fmt: str) -> None:
    in_the_way = tmp_path / "out"
    (in_the_way / "kept.txt").parent.mkdir()
    (in_the_way / "kept.txt").write_text("mine")
    result = CliRunner().invoke(main, ["export", "v0001", "--store", str(store), "--format", fmt,
                                       "-o", str(in_the_way)])
    assert result.exit_code == 1
    assert f"{in_the_way}: cannot write the output: Is a directory" in result.stderr
    assert "Traceback" not in result.output and (in_the_way / "kept.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out", "reports"]  # no temp file left


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_fault_export_into_a_missing_folder_names_the_file(store: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "no" / "such" / "v1.out"
    result = CliRunner().invoke(main, ["export", "v0001", "--store", str(store), "--format", fmt,
                                       "-o", str(target)])
    assert result.exit_code == 1
    assert f"{target}: cannot write the output:" in result.stderr and "No such file or directory" in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full (every write: ENOSPC)")
@pytest.mark.parametrize("command", [["export", "v0001"], ["strip", str(SEEDS)]])
def test_fault_a_full_disk_names_the_output_and_the_device_is_not_replaced(store: Path, command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, *(["--store", str(store)] if command[0] == "export" else []),
                                       "-o", "/dev/full"])
    assert result.exit_code == 1
    assert "/dev/full: cannot write the output: No space left on device" in result.stderr
    assert Path("/dev/full").is_char_device()  # written as a device, never renamed over


def test_export_to_a_device_writes_through_it(store: Path) -> None:
    result = CliRunner().invoke(main, ["export", "v0001", "--store", str(store), "-o", "/dev/null"])
    assert result.exit_code == 0 and Path("/dev/null").is_char_device()
