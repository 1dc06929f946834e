"""Errors the library raises; only curate.cli turns them into messages and exit codes."""

from __future__ import annotations


class CurateError(Exception):
    """Base class of every error curate raises on purpose."""


class InputError(CurateError):
    """An input that cannot be read at all (missing path, unknown kind)."""


class RuleError(CurateError):
    """A rule pack that does not load, validate or compile. Names the file, line and rule."""

    def __init__(self, path: str, message: str, *, line: int | None = None, rule_id: str | None = None):
        self.path, self.line, self.rule_id, self.message = path, line, rule_id, message
        where = path + (f":{line}" if line is not None else "")
        who = f" rule {rule_id}:" if rule_id else ""
        super().__init__(f"{where}:{who} {message}")


class StoreError(CurateError):
    """A store that is locked, corrupt, or missing a version."""


class ConfigError(CurateError):
    """Options that contradict each other or are out of range."""


class ReportError(CurateError):
    """A report folder or file that cannot be written, or a version whose reports cannot be rebuilt."""


class OutputError(CurateError):
    """An output file (`-o`) that cannot be written: names the file and the system's reason."""
