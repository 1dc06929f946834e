"""The report of the bundled sample in a real headless Chromium: it loads without console output,
its charts are in the DOM, and a screenshot shows them drawn. Skipped where Chromium is missing
(`.ci/run` installs Debian's `chromium`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from curate.config import CleanConfig
from curate.inputs import resolve_inputs
from curate.rules.spec import RuleSpec
from curate.runner import clean_to_store

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-logging=stderr", "--v=0"]
KEPT_GREEN = (0x3B, 0x8A, 0x4F)  # the "kept" colour of the charts (reports/charts.py COLOURS)


def _chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=page.parent)


def _console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line]


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    result = clean_to_store(resolve_inputs([]), CleanConfig(), RuleSpec(), store=root / "corpus",
                            reports=root / "reports", workers=1)
    assert result.reports is not None
    return result.reports / "index.html"


@pytest.fixture(scope="module")
def dom(sample_page: Path, tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    return _chromium(sample_page, tmp_path_factory.mktemp("profile"), "--dump-dom")


def test_report_loads_without_console_messages(dom: subprocess.CompletedProcess[str]) -> None:
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert _console_lines(dom.stderr) == []


def test_report_dom_holds_every_chart_with_its_bars(dom: subprocess.CompletedProcess[str]) -> None:
    html = dom.stdout
    assert html.count('<svg class="plot"') == 5
    for heading in ("Documents per source", "Text removed as furniture", "Duplicate and broken-text rates",
                    "Languages", "Length of kept documents"):
        assert f"<h3>{heading}</h3>" in html
    assert html.count('style="fill: #3b8a4f"') >= 7  # a kept bar per sample source with a kept document


def test_screenshot_shows_the_charts(sample_page: Path, tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    shot = tmp_path / "report.png"
    result = _chromium(sample_page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,2400",
                       "--hide-scrollbars")
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    colours = dict((colour, count) for count, colour in image.open(shot).convert("RGB").getcolors(1 << 24))
    assert colours.get(KEPT_GREEN, 0) > 5_000  # bars really painted


def test_console_check_catches_a_page_that_logs(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text('<html><body><script>console.error("boom")</script></body></html>', encoding="utf-8")
    result = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert any('"boom"' in line for line in _console_lines(result.stderr))
