"""A whole `clean`: per-step timing in summary.json, and `--time-limit` reaching the workers."""

from __future__ import annotations

from pathlib import Path

import orjson
from click.testing import CliRunner

from curate import reasons
from curate.cli import main
from curate.config import CleanConfig
from curate.inputs import resolve_inputs
from curate.rules.spec import RuleSpec
from curate.runner import clean_to_store
from curate.store import Store

SEEDS = Path(__file__).parent / "data" / "seeds" / "articles"
WORKER_STEPS = {"extract", "strip", "repair", "langid", "filter"}
FINGERPRINT = "fingerprint"  # dedup's fingerprints, made in the workers when dedup is on
MAIN_STEPS = {"inputs", "index", "read", "local", "learn", "dedup", "write", "commit", "reports"}


def _summary(reports: Path, version: str) -> dict:  # type: ignore[type-arg]
    return orjson.loads((reports / version / "summary.json").read_bytes())  # type: ignore[no-any-return]


def test_summary_says_where_the_time_went(tmp_path: Path) -> None:
    result = clean_to_store(resolve_inputs([str(SEEDS)]), CleanConfig(), RuleSpec(), store=tmp_path / "corpus",
                            reports=tmp_path / "reports", workers=2)
    assert result.version is not None
    timing = _summary(tmp_path / "reports", result.version)["timing"]
    assert set(timing["workers"]) == WORKER_STEPS | {FINGERPRINT}
    assert {step: t["documents"] for step, t in timing["workers"].items()} == dict.fromkeys(
        WORKER_STEPS | {FINGERPRINT}, 5)
    assert set(timing["main"]) == MAIN_STEPS
    for entry in [*timing["workers"].values(), *timing["main"].values()]:
        assert entry["cpu_seconds"] >= 0 and entry["wall_seconds"] >= 0
    assert sum(t["wall_seconds"] for t in timing["workers"].values()) > 0
    assert timing["main"]["reports"]["wall_seconds"] > 0
    # summary.json is written once, with the run fields the version stores for `curate report`
    stored = Store(tmp_path / "corpus").manifest(result.version)["ledger"]["run"]
    assert stored["timing"] == timing


def _big_pages(folder: Path, count: int) -> None:
    """Pages that take a good many milliseconds each to extract."""
    folder.mkdir()
    body = "".join(f"<p>Paragraph {i} of a long article about rivers, boats and the sea.</p>" for i in range(400))
    for n in range(count):
        (folder / f"page{n}.html").write_text(f"<html><body><article>{body}</article></body></html>")


def test_the_time_limit_option_fails_documents_that_run_past_it(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    _big_pages(pages, 2)
    base = ["clean", str(pages), "--reports", str(tmp_path / "reports"), "--no-progress", "--workers", "1"]
    strict = CliRunner().invoke(main, [*base, "--store", str(tmp_path / "a"), "--time-limit", "0.001"])
    assert strict.exit_code == 1, strict.output
    counts = _summary(tmp_path / "reports", "v0001")["counts"]
    assert counts["read"] == 2 and counts["failed"] == {reasons.STEP_TIMEOUT: 2}
    assert "took longer than 0.001 s" in strict.stderr
    relaxed = CliRunner().invoke(main, [*base, "--store", str(tmp_path / "b"), "--time-limit", "0"])
    assert relaxed.exit_code == 0, relaxed.output


def test_a_stdout_run_reports_its_timing_too(tmp_path: Path) -> None:
    args = ["clean", "--stdout", "--no-dedup", "--workers", "2", "--reports", str(tmp_path), str(SEEDS)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    timing = orjson.loads((tmp_path / "stdout" / "summary.json").read_bytes())["timing"]
    assert set(timing["workers"]) == WORKER_STEPS
    assert {"read", "local", "learn", "write", "reports"} <= set(timing["main"])
