"""Faults of the reports folder (issue 25): a version is never committed without its reports, its
reports are never partial in place, and `curate report` writes them again from the store.

Real files, real runs (CliRunner, and a real subprocess where a file-size limit is needed).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result

from curate.cli import main
from curate.config import CleanConfig
from curate.errors import ReportError
from curate.inputs import resolve_inputs
from curate.rules.spec import RuleSpec
from curate.runner import clean_to_store
from curate.store import Store, verify
from curate.store.ledger import LEDGER_SUFFIX

SEEDS = Path(__file__).parent.parent / "data" / "seeds" / "articles"
TEMPLATE = "Harbour Gazette, printed on Tuesdays at the old mill"
WORDS = ("harbour", "ferry", "council", "budget", "winter", "service", "evening", "station", "library",
         "museum", "river", "bridge", "market", "school", "hospital", "tram", "festival", "garden")


def _crawl(path: Path, first: int, count: int) -> Path:
    """JSONL pages of one site: a template line in every page (learned), every fifth page a copy of
    the one before (a duplicate), and a line that is not JSON (a failure)."""
    lines = []
    for n in range(first, first + count):
        source = n - 1 if n % 5 == 4 else n
        body = " ".join(WORDS[(source * 7 + k * 3) % len(WORDS)] for k in range(60 + source % 9))
        text = f"Story {source} of the harbour.\n\n{body}.\n\n{TEMPLATE}"
        lines.append(orjson.dumps({"id": f"p{n}", "text": text, "url": f"https://gazette.example/{n}"}).decode())
    lines.insert(3, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _clean(tmp_path: Path, *inputs: Path, reports: Path | None = None) -> Result:
    args = ["clean", *map(str, inputs), "--store", str(tmp_path / "corpus"),
            "--reports", str(reports or tmp_path / "reports"), "--workers", "1", "--no-progress"]
    return CliRunner().invoke(main, args)


def _report(tmp_path: Path, version: str, reports: Path | None = None) -> Result:
    return CliRunner().invoke(main, ["report", version, "--store", str(tmp_path / "corpus"),
                                     "--reports", str(reports or tmp_path / "reports")])


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _objects(store: Path) -> list[Path]:
    return [p for p in (store / "objects").rglob("*") if p.is_file()] if (store / "objects").is_dir() else []


def _staging_left(reports: Path) -> list[str]:
    return [p.name for p in reports.iterdir() if p.name.startswith(".")] if reports.is_dir() else []


def _assert_nothing_committed(tmp_path: Path) -> None:
    store = Store(tmp_path / "corpus")
    assert store.versions() == []
    assert verify(store) == []
    assert _objects(tmp_path / "corpus") == []  # the run's objects were discarded


@pytest.mark.parametrize(("in_the_way", "reports"), [("reports/v0001", "reports"), ("reports", "reports/all")],
                         ids=["the version's folder", "the reports folder"])
def test_fault_a_file_where_the_reports_go_fails_naming_it_and_commits_nothing(
        tmp_path: Path, in_the_way: str, reports: str) -> None:
    blocker = tmp_path / in_the_way
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder\n")
    failed = _clean(tmp_path, SEEDS, reports=tmp_path / reports)
    assert failed.exit_code == 1, failed.output
    assert str(blocker) in failed.stderr and "nothing was committed" in failed.stderr, failed.stderr
    assert "Traceback" not in failed.output
    _assert_nothing_committed(tmp_path)
    assert _staging_left(tmp_path / reports) == []
    blocker.unlink()
    rerun = _clean(tmp_path, SEEDS, reports=tmp_path / reports)
    assert rerun.exit_code == 0, rerun.output
    assert Store(tmp_path / "corpus").versions() == ["v0001"]
    assert (tmp_path / reports / "v0001" / "summary.json").is_file()
    assert _staging_left(tmp_path / reports) == []


def test_fault_a_file_as_the_reports_folder_commits_nothing(tmp_path: Path) -> None:
    """The command refuses such a --reports at once (a usage error); the library fails before its commit."""
    (tmp_path / "reports").write_text("not a folder\n")
    assert _clean(tmp_path, SEEDS).exit_code == 2
    with pytest.raises(ReportError, match=f"{tmp_path / 'reports'}.*nothing was committed"):
        clean_to_store(resolve_inputs([SEEDS]), CleanConfig(), RuleSpec(), store=tmp_path / "corpus",
                       reports=tmp_path / "reports", workers=1)
    _assert_nothing_committed(tmp_path)


def _file_size_limit(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # writes past it fail with EFBIG


def test_fault_a_report_too_large_for_the_disk_commits_nothing_and_names_the_file(tmp_path: Path) -> None:
    """EFBIG (`ulimit -f`) stands in for a full disk: the shard (about 20 KB) fits under the limit, the
    version's index.html (about 40 KB) does not."""
    crawl = _crawl(tmp_path / "crawl.jsonl", 0, 60)
    args = [sys.executable, "-m", "curate", "clean", str(crawl), "--store", str(tmp_path / "corpus"),
            "--reports", str(tmp_path / "reports"), "--workers", "1", "--no-dedup", "--learn-repeated", "0"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300,  # noqa: S603
                         preexec_fn=lambda: _file_size_limit(30 * 1024))
    assert run.returncode == 1, run.stderr
    assert "File too large" in run.stderr and "index.html" in run.stderr, run.stderr
    assert "nothing was committed" in run.stderr and "Traceback" not in run.stderr, run.stderr
    _assert_nothing_committed(tmp_path)
    assert _staging_left(tmp_path / "reports") == []


def test_fault_reports_lost_after_the_commit_are_rebuilt_byte_identical(tmp_path: Path) -> None:
    """Two versions (learned lines, duplicates inside a run and against the parent, a failed line),
    their reports deleted: `curate report` writes the same bytes again."""
    first = _clean(tmp_path, SEEDS, _crawl(tmp_path / "one.jsonl", 0, 30))
    second = _clean(tmp_path, _crawl(tmp_path / "two.jsonl", 20, 30))
    assert (first.exit_code, second.exit_code) == (1, 1), second.output  # 1: the lines that are not JSON
    reports = tmp_path / "reports"
    written = {version: _files(reports / version) for version in ("v0001", "v0002")}
    summary = orjson.loads(written["v0002"]["summary.json"])
    assert summary["learned"]["lines"] and summary["duplicate_clusters"]["count"]
    assert any(k["version"] == "v0001" for c in summary["duplicate_clusters"]["largest"] for k in c["kept"])
    shutil.rmtree(reports)
    for version in ("v0001", "v0002"):
        result = _report(tmp_path, version)
        assert result.exit_code == 0, result.output
        assert _files(reports / version) == written[version]
    assert _staging_left(reports) == []


def test_fault_a_kill_between_commit_and_rename_is_repaired_by_curate_report(tmp_path: Path) -> None:
    """A kill after the commit leaves the complete reports in their staging folder and none in place:
    that state, made by renaming a real run's folder back; `why` ignores the staging folder."""
    assert _clean(tmp_path, SEEDS).exit_code == 0
    reports = tmp_path / "reports"
    written = _files(reports / "v0001")
    doc_id = next(orjson.loads(data)["documents"][0]["id"] for name, data in written.items() if name.startswith("files/"))
    os.rename(reports / "v0001", reports / ".staging-v0001-4242")
    assert CliRunner().invoke(main, ["why", doc_id, "--reports", str(reports)]).exit_code == 1
    result = _report(tmp_path, "v0001")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"reports: {reports / 'v0001'}\n"
    assert _files(reports / "v0001") == written


def test_fault_report_replaces_a_damaged_report_folder_whole(tmp_path: Path) -> None:
    assert _clean(tmp_path, SEEDS).exit_code == 0
    folder = tmp_path / "reports" / "v0001"
    written = _files(folder)
    (folder / "summary.json").write_bytes(b'{"half": ')
    (folder / "files" / "stray.json").write_text("{}")
    assert _report(tmp_path, "v0001").exit_code == 0
    assert _files(folder) == written


def test_fault_report_into_another_folder_leaves_the_first(tmp_path: Path) -> None:
    assert _clean(tmp_path, SEEDS).exit_code == 0
    assert _report(tmp_path, "v0001", tmp_path / "elsewhere").exit_code == 0
    assert _files(tmp_path / "elsewhere" / "v0001") == _files(tmp_path / "reports" / "v0001")


def test_fault_report_on_a_version_without_a_ledger_says_so(tmp_path: Path) -> None:
    """A manifest as curate wrote it before it stored ledgers: no `ledger` key."""
    assert _clean(tmp_path, SEEDS).exit_code == 0
    manifest_path = tmp_path / "corpus" / "versions" / "v0001" / "manifest.json"
    manifest = orjson.loads(manifest_path.read_bytes())
    del manifest["ledger"]
    manifest_path.write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
    shutil.rmtree(tmp_path / "reports")
    result = _report(tmp_path, "v0001")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: v0001 of store {tmp_path / 'corpus'} has no ledger: "), result.stderr
    assert "cannot be written again" in result.stderr
    assert not (tmp_path / "reports" / "v0001").exists()
    assert verify(Store(tmp_path / "corpus")) == []


def test_fault_report_on_a_missing_version_or_store_fails_clearly(tmp_path: Path) -> None:
    missing_store = _report(tmp_path, "v0001")
    assert missing_store.exit_code == 1 and "no store at" in missing_store.stderr
    assert _clean(tmp_path, SEEDS).exit_code == 0
    missing = _report(tmp_path, "v0009")
    assert missing.exit_code == 1 and "v0009" in missing.stderr and "curate versions" in missing.stderr


def test_fault_report_on_a_damaged_ledger_refuses(tmp_path: Path) -> None:
    assert _clean(tmp_path, SEEDS).exit_code == 0
    [ledger] = [p for p in _objects(tmp_path / "corpus") if p.name.endswith(LEDGER_SUFFIX)]
    ledger.write_bytes(ledger.read_bytes()[:-5])
    result = _report(tmp_path, "v0001", tmp_path / "again")
    assert result.exit_code == 1 and "damaged" in result.stderr and "curate verify" in result.stderr
    assert not (tmp_path / "again" / "v0001").exists()


def test_fault_stdout_reports_blocked_by_a_file_fail_naming_it(tmp_path: Path) -> None:
    (tmp_path / "stdout").write_text("in the way\n")
    args = ["clean", "--stdout", "--no-dedup", "--workers", "1", "--reports", str(tmp_path), str(SEEDS)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert str(tmp_path / "stdout") in result.stderr and "Traceback" not in result.output


def test_fault_stdout_reports_replace_the_last_ones_whole(tmp_path: Path) -> None:
    args = ["clean", "--stdout", "--no-dedup", "--workers", "1", "--reports", str(tmp_path), str(SEEDS)]
    assert CliRunner().invoke(main, args).exit_code == 0
    stray = tmp_path / "stdout" / "files" / "stray.json"
    stray.write_text("{}")
    assert CliRunner().invoke(main, args).exit_code == 0
    assert not stray.exists() and (tmp_path / "stdout" / "summary.json").is_file()
    assert _staging_left(tmp_path) == []
