"""The progress bar: shown on a terminal only (not when piped, not under CI) unless the flags say."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from curate.cli import main
from curate.document import Document
from curate.engines.progress import ReadProgress, progress_wanted
from curate.inputs import discover, read_inputs

SEEDS = Path(__file__).parent.parent / "data" / "seeds" / "articles"


@pytest.fixture
def terminal() -> Iterator[io.TextIOWrapper]:
    """The far end of a real pseudo-terminal, as stderr is when a person runs curate."""
    leader, follower = os.openpty()
    stream = open(follower, "w")  # noqa: SIM115 - closed below
    try:
        yield stream
    finally:
        stream.close()
        os.close(leader)


def test_a_terminal_gets_a_bar(terminal: io.TextIOWrapper) -> None:
    assert terminal.isatty()
    assert progress_wanted(None, terminal, {})


def test_ci_or_a_pipe_get_none(terminal: io.TextIOWrapper, tmp_path: Path) -> None:
    assert not progress_wanted(None, terminal, {"CI": "true"})
    with (tmp_path / "log").open("w") as piped:
        assert not progress_wanted(None, piped, {})
    assert not progress_wanted(None, io.StringIO(), {})


def test_the_flags_override_the_guess(terminal: io.TextIOWrapper) -> None:
    assert progress_wanted(True, io.StringIO(), {"CI": "1"})
    assert not progress_wanted(False, terminal, {})


def test_the_bar_reaches_the_input_size_and_counts_documents() -> None:
    files = discover([str(SEEDS)])
    out = io.StringIO()
    progress = ReadProgress(files, enabled=True, stream=out)
    items = list(progress.track(read_inputs(files)))
    progress.close()
    assert progress.documents == len(items) == 5
    assert progress.bar.n == progress.bar.total == sum(f.path.stat().st_size for f in files)
    assert "docs" in out.getvalue() and "B/s" in out.getvalue()


def test_a_disabled_bar_writes_nothing() -> None:
    files = discover([str(SEEDS)])
    out = io.StringIO()
    with ReadProgress(files, enabled=False, stream=out) as progress:
        assert all(isinstance(item, Document) for item in progress.track(read_inputs(files)))
    assert out.getvalue() == ""


@pytest.mark.parametrize(("flag", "shown"), [("--progress", True), ("--no-progress", False)])
def test_clean_follows_the_flag(tmp_path: Path, flag: str, shown: bool) -> None:
    args = ["clean", str(SEEDS), "--store", str(tmp_path / "c"), "--reports", str(tmp_path / "r"),
            "--workers", "1", flag]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert ("docs/s" in result.stderr) is shown
