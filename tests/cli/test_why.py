"""`curate why DOC_ID` on a two-version store: each version's outcome and events, from the reports."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from curate.cli import main

SEEDS = Path(__file__).parent.parent / "data" / "seeds" / "articles"
FRESH_TEXT = ("The harbour ferry timetable changes on Monday, when the winter service begins and the "
              "evening boats stop running after nine. Passengers with season tickets keep their fares.")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v0001: the seed articles; v0002: a copy of the first seed (a duplicate) and a new text."""
    root = tmp_path_factory.mktemp("why")
    seed = sorted(SEEDS.iterdir())[0]
    crawl = root / "crawl.jsonl"
    crawl.write_bytes(orjson.dumps({"id": "copy-1", "text": seed.read_text(encoding="utf-8")}) + b"\n"
                      + orjson.dumps({"id": "fresh-1", "text": FRESH_TEXT}) + b"\n")
    common = ["--store", str(root / "corpus"), "--reports", str(root / "reports"), "--workers", "1"]
    assert CliRunner().invoke(main, ["clean", str(SEEDS), *common]).exit_code == 0
    assert CliRunner().invoke(main, ["clean", str(crawl), *common]).exit_code == 0
    return root


def _why(runs: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["why", *args, "--reports", str(runs / "reports")])
    return result.exit_code, result.output


def _seed_id(runs: Path) -> str:
    summary = orjson.loads((runs / "reports" / "v0001" / "summary.json").read_bytes())
    report = orjson.loads((runs / "reports" / "v0001" / summary["inputs"][0]["report"]).read_bytes())
    return str(report["documents"][0]["id"])


def test_why_shows_a_kept_document_with_its_events(runs: Path) -> None:
    doc_id = _seed_id(runs)
    code, output = _why(runs, doc_id)
    assert code == 0
    assert output.splitlines()[0].startswith("v0001 ") and output.splitlines()[0].endswith(": kept")
    assert "langid/tag  langid.langdetect" in output


def test_why_names_the_earlier_version_a_duplicate_repeats(runs: Path) -> None:
    code, output = _why(runs, "copy-1")
    assert code == 0
    first = output.splitlines()[0]
    assert first.startswith("v0002 ") and "dropped: exact_duplicate" in first
    assert f"duplicate_of={_seed_id(runs)}" in first and "duplicate_version=v0001" in first


def test_why_of_a_new_document_in_the_second_version(runs: Path) -> None:
    code, output = _why(runs, "fresh-1")
    assert code == 0
    assert output.splitlines()[0].startswith("v0002 ") and output.splitlines()[0].endswith(": kept")


def test_why_with_version_looks_only_there(runs: Path) -> None:
    code, output = _why(runs, "copy-1", "--version", "v0001")
    assert code == 1
    assert "no report in" in output and "'copy-1'" in output


def test_why_of_an_unknown_id_fails_clearly(runs: Path) -> None:
    code, output = _why(runs, "no-such-doc")
    assert code == 1
    assert output == f"Error: no report in {runs / 'reports'} mentions 'no-such-doc'; check the id with `curate export`\n"
