"""`curate clean` through CliRunner; effects checked through the library (store, reports)."""

from __future__ import annotations

from pathlib import Path

import orjson
from click.testing import CliRunner

from curate.cli import main
from curate.store import Store, verify

SEEDS = Path(__file__).parent.parent / "data" / "seeds" / "articles"


def _records(output: str) -> list[dict]:  # type: ignore[type-arg]
    return [orjson.loads(line) for line in output.splitlines() if line.strip()]


def test_stdout_mode_streams_every_seed_with_provenance() -> None:
    result = CliRunner().invoke(main, ["clean", "--stdout", "--no-dedup", "--workers", "1", str(SEEDS)])
    assert result.exit_code == 0, result.output
    records = _records(result.stdout)
    assert len(records) == 5
    assert all(r["lang"] == "en" and 0.5 < r["lang_score"] <= 1 for r in records)
    stripped = [e for r in records for e in r["provenance"] if e["step"] == "strip"]
    assert any(e["text"].strip() == "ADVERTISEMENT" and e["rule"].startswith("ads.") for e in stripped)


def test_store_mode_commits_a_version_with_reports(tmp_path: Path) -> None:
    store, reports = tmp_path / "corpus", tmp_path / "reports"
    args = ["clean", str(SEEDS), "--store", str(store), "--reports", str(reports), "--workers", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "v0001"
    opened = Store(store)
    assert opened.versions() == ["v0001"]
    manifest = opened.manifest("v0001")
    assert manifest["counts"]["read"] == 5 and manifest["counts"]["kept"] == 5
    assert verify(opened, "v0001") == []
    summary = orjson.loads((reports / "v0001" / "summary.json").read_bytes())
    assert summary["counts"] == manifest["counts"]
    assert len(list((reports / "v0001" / "files").glob("*.json"))) == 5


def test_second_run_of_the_same_crawl_is_all_duplicates_of_the_parent(tmp_path: Path) -> None:
    store = tmp_path / "corpus"
    args = ["clean", str(SEEDS), "--store", str(store), "--reports", str(tmp_path / "r"), "--workers", "1"]
    assert CliRunner().invoke(main, args).exit_code == 0
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    manifest = Store(store).manifest("v0002")
    assert manifest["parent"] == "v0001"
    assert manifest["counts"]["kept"] == 0
    assert manifest["counts"]["dropped"] == {"exact_duplicate": 5}
    assert manifest["documents"] == 5  # the parent's documents, by reference


def test_bad_record_is_reported_and_exits_1(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text('{"id": "a", "text": "A perfectly fine sentence about the weather today."}\n'
                     '{"id": "b", "text": \n', encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", "--stdout", str(crawl)])
    assert result.exit_code == 1
    assert len(_records(result.stdout)) == 1
    assert f"error: {crawl} record 2: bad_json" in result.stderr
    assert "read 2, kept 1, dropped 0, failed 1" in result.stderr


def test_unknown_option_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["clean", "--threshold", "1.5", str(SEEDS)])
    assert result.exit_code == 2
    assert "Invalid value for '--threshold'" in result.stderr


def test_stdout_with_fresh_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["clean", "--stdout", "--fresh", str(SEEDS)])
    assert result.exit_code == 2
    assert "--stdout commits none" in result.stderr


def test_missing_input_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["clean", "--stdout", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "nope.txt" in result.stderr


def test_a_bad_rule_pack_is_a_usage_error_naming_the_file(tmp_path: Path) -> None:
    pack = tmp_path / "bad.yaml"
    pack.write_text("pack: bad\ndescription: x\nrules:\n  - id: bad.one\n    kind: nosuchkind\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", "--stdout", "--rules", str(pack), str(SEEDS)])
    assert result.exit_code == 2
    assert "bad.yaml" in result.stderr


def test_no_input_cleans_the_bundled_sample(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["clean", "--stdout", "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    sources = {r["source"] for r in _records(result.stdout)}
    assert sources and all(s.startswith("sample/") for s in sources)


def test_same_inputs_give_byte_identical_shards(tmp_path: Path) -> None:
    shards = []
    for name in ("one", "two"):
        store = tmp_path / name
        args = ["clean", str(SEEDS), "--store", str(store), "--reports", str(tmp_path / f"r{name}")]
        assert CliRunner().invoke(main, args + ["--workers", "1"]).exit_code == 0
        shards.append({p.name: p.read_bytes() for p in (store / "objects").rglob("*.zst")})
    assert shards[0] == shards[1] and shards[0]


def test_dry_run_prints_config_and_rules_without_running(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["clean", "--dry-run", "--store", str(tmp_path / "c")])
    assert result.exit_code == 0
    config = orjson.loads(result.stdout)
    assert config["rules"] and len(config["config_digest"]) == 64
    assert not (tmp_path / "c").exists()


def test_one_or_two_workers_give_byte_identical_objects(tmp_path: Path) -> None:
    """Large enough (over the local engine's 64-document look-ahead) to run a real process pool."""
    words = ["harbour", "ferry", "bridge", "council", "river", "stone", "market", "night", "crossing", "repairs", "engineers", "trial"]
    crawl = tmp_path / "crawl.jsonl"
    with crawl.open("w", encoding="utf-8") as out:
        for i in range(120):
            paragraphs = [" ".join(words[(i * 7 + p * 3 + k) % len(words)] for k in range(30 + p + i % 11))
                          for p in range(4)]
            out.write(orjson.dumps({"id": f"d{i}", "text": ".\n\n".join(paragraphs) + "."}).decode() + "\n")
    objects = []
    for workers in ("1", "2"):
        store = tmp_path / f"store{workers}"
        args = ["clean", str(crawl), "--store", str(store), "--reports", str(tmp_path / f"r{workers}"),
                "--workers", workers]
        assert CliRunner().invoke(main, args).exit_code == 0
        objects.append({p.relative_to(store).as_posix(): p.read_bytes() for p in (store / "objects").rglob("*")
                        if p.is_file()})
    assert objects[0] == objects[1] and objects[0]


# Faults a real crawl brings (issue 25): one id twice.
ARTICLE = "The harbour ferry will run twice a day from May, the port authority said on Monday morning. {}"


def _jsonl(path: Path, *records: tuple[str, str]) -> Path:
    path.write_text("".join(orjson.dumps({"id": i, "text": ARTICLE.format(t)}).decode() + "\n" for i, t in records),
                    encoding="utf-8")
    return path


def test_fault_one_id_twice_fails_the_later_records(tmp_path: Path) -> None:
    a = _jsonl(tmp_path / "a.jsonl", ("x1", "First text."), ("x2", "Second text."), ("x1", "Another text."))
    b = _jsonl(tmp_path / "b.jsonl", ("x2", "Yet another text."), ("x3", "Third text."))
    store = tmp_path / "corpus"
    result = CliRunner().invoke(main, ["clean", str(a), str(b), "--store", str(store), "--reports",
                                       str(tmp_path / "reports"), "--workers", "2"])
    assert result.exit_code == 1, result.output  # a run with failed inputs (DESIGN.md)
    records = list(Store(store).iter_records("v0001"))
    assert sorted(r["id"] for r in records) == ["x1", "x2", "x3"]
    assert {r["id"]: r["text"] for r in records}["x1"] == ARTICLE.format("First text.")
    manifest = Store(store).manifest("v0001")
    assert manifest["counts"] == {"read": 5, "kept": 3, "dropped": {}, "failed": {"duplicate_id": 2}}
    assert [i["counts"]["failed"] for i in manifest["inputs"]] == [{"duplicate_id": 1}, {"duplicate_id": 1}]
    assert verify(Store(store), "v0001") == []
