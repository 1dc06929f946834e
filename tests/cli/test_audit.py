"""`curate audit`: the pipeline in memory, nothing committed, an HTML page and a terminal summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from curate.cli import main

SEEDS = Path(__file__).parent.parent / "data" / "seeds" / "articles"


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    root = tmp_path_factory.mktemp("audit")
    html = root / "out" / "audit.html"
    result = CliRunner().invoke(main, ["audit", str(SEEDS), "--html", str(html), "--workers", "1"])
    return result, html


def test_audit_exits_zero_and_names_the_page(audited: tuple[Result, Path]) -> None:
    result, html = audited
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"report: {html}"


def test_audit_prints_a_line_per_source_and_a_total(audited: tuple[Result, Path]) -> None:
    lines = audited[0].output.splitlines()
    assert lines[0].split()[:4] == ["source", "docs", "kept", "furniture"]
    assert sum(1 for line in lines if "articles/" in line or line.startswith(str(SEEDS))) == 5
    assert any(line.startswith("total ") and line.split()[1] == "5" for line in lines)


def test_audit_page_has_the_per_source_charts(audited: tuple[Result, Path]) -> None:
    page = audited[1].read_text(encoding="utf-8")
    for heading in ("Documents per source", "Text removed as furniture", "Duplicate and broken-text rates",
                    "Languages", "Length of kept documents"):
        assert f"<h3>{heading}</h3>" in page
    assert page.count('<svg class="plot"') == 5


def test_audit_commits_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["audit", str(SEEDS / "000_713d474d4f58233f.txt"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.html"]


def test_audit_of_a_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["audit", str(tmp_path / "missing"), "--html", str(tmp_path / "a.html")])
    assert result.exit_code == 2
    assert not (tmp_path / "a.html").exists()
