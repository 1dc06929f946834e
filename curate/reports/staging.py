"""A report folder is never partial in place: it is written aside, then renamed into place.

`StagedReports(reports, name)` makes `<reports>/.staging-<name>-<pid>/`; the caller writes every
report into it and then calls `publish`, which renames it to `<reports>/<name>/` (a folder already
there, reports written before, is moved aside first and deleted after). Leaving the `with` block by
an exception deletes the staging folder. A file in the way of the folder is found when staging
starts, before anything is committed. Every OSError of the reports becomes a ReportError naming the
path and what to do (`report_error`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Final

from curate.errors import ReportError

STAGING_PREFIX: Final = ".staging-"
REPLACED_PREFIX: Final = ".replaced-"

_ADVICE: Final = {
    errno.ENOSPC: "free some space or pass --reports DIR on another disk",
    errno.EDQUOT: "free some space or pass --reports DIR on another disk",
    errno.EFBIG: "the file size limit (ulimit -f) is too small for this report",
    errno.EEXIST: "a file is in the way: move it, or pass --reports DIR",
    errno.ENOTDIR: "a file is in the way: move it, or pass --reports DIR",
    errno.EACCES: "make the folder writable, or pass --reports DIR",
    errno.EROFS: "pass --reports DIR on a writable disk",
}


def report_error(exc: OSError, path: Path) -> ReportError:
    """The ReportError for an OSError met while writing `path` (the error's own file if it names one)."""
    where = exc.filename or path
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    advice = _ADVICE.get(exc.errno or 0)
    return ReportError(f"reports: cannot write {where}: {reason}" + (f"; {advice}" if advice else ""))


@contextlib.contextmanager
def report_errors(path: Path) -> Iterator[None]:
    """Turn an OSError of the block into the ReportError naming `path`."""
    try:
        yield
    except OSError as exc:
        raise report_error(exc, path) from exc


def check_target(target: Path) -> None:
    """ReportError unless `target` is absent or a real folder (a file or a link would be replaced)."""
    if os.path.lexists(target) and (target.is_symlink() or not target.is_dir()):
        raise ReportError(f"{target} is in the way of the reports: it is not a folder. "
                          "Move or delete it, or pass --reports DIR")


class StagedReports:
    """The staging folder of one report folder; see the module docstring."""

    def __init__(self, reports: Path, name: str) -> None:
        self.target = reports / name
        self.folder = reports / f"{STAGING_PREFIX}{name}-{os.getpid()}"
        check_target(self.target)
        with report_errors(reports):
            reports.mkdir(parents=True, exist_ok=True)
        with report_errors(self.folder):
            if self.folder.is_dir():  # left by a killed process whose pid this one now has
                shutil.rmtree(self.folder)
            self.folder.mkdir()

    def __enter__(self) -> StagedReports:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is not None:
            self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def publish(self) -> Path:
        """Rename the staging folder to its place, replacing a report folder already there."""
        check_target(self.target)
        replaced = self.target.with_name(f"{REPLACED_PREFIX}{self.target.name}-{os.getpid()}")
        with report_errors(self.target):
            if self.target.is_dir():
                shutil.rmtree(replaced, ignore_errors=True)
                os.rename(self.target, replaced)
            os.rename(self.folder, self.target)
        shutil.rmtree(replaced, ignore_errors=True)
        return self.target
