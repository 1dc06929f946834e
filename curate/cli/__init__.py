"""The `curate` command line: the group (`main`) and its commands, one module per group of commands
(clean, steps, store, rules, audit, why). Commands parse options, call one library function and print."""

from __future__ import annotations

from curate.cli import audit, clean, rules, steps, store, why  # noqa: F401  (each registers its commands)
from curate.cli.main import main

__all__ = ["main"]
