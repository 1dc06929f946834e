"""Small pieces the commands share: building configs from options, reading inputs, reporting failures."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence

import click

from curate.cli.options import FOLLOW_LINKS
from curate.document import Document, Failed
from curate.errors import ConfigError, InputError, RuleError
from curate.inputs import ReadOptions, discover, read_inputs, read_jsonl_stream
from curate.pipeline import Ledger
from curate.rules import RuleSet
from curate.rules.spec import RuleSpec

MAX_FAILURES_SHOWN = 20


def make_read_options(text_field: str, html_field: str, id_field: str) -> ReadOptions:
    ctx = click.get_current_context(silent=True)
    follow = bool(ctx.meta.get(FOLLOW_LINKS, False)) if ctx is not None else False
    return ReadOptions(text_field=text_field, html_field=html_field, id_field=id_field, follow_links=follow)


def make_rule_spec(rule_paths: Sequence[str], no_default_rules: bool, disable: Sequence[str]) -> RuleSpec:
    return RuleSpec(paths=tuple(rule_paths), include_defaults=not no_default_rules, disabled=tuple(disable))


def load_rules(spec: RuleSpec) -> RuleSet:
    """Load the rule set; a bad pack is a usage error (exit 2) naming the file and line."""
    try:
        return spec.load()
    except RuleError as exc:
        raise click.BadParameter(str(exc), param_hint="--rules") from exc
    except ConfigError as exc:
        raise click.BadParameter(str(exc), param_hint="--disable") from exc


def read_items(inputs: Sequence[str], options: ReadOptions) -> Iterator[Document | Failed]:
    """Documents from files and folders, or JSONL from stdin when no input (or '-') is given."""
    paths = [p for p in inputs if p != "-"]
    if not inputs or "-" in inputs:
        yield from read_jsonl_stream(sys.stdin.buffer, "-", options)
    if paths:
        try:
            files = discover(paths)
        except InputError as exc:
            raise click.UsageError(str(exc)) from exc
        yield from read_inputs(files, options)


def report_failures(ledger: Ledger) -> None:
    """Name every failed record on stderr (the first few), then the counts."""
    shown = 0
    for source, entries in ledger.records.items():
        for entry in entries:
            if entry["outcome"] != "failed":
                continue
            shown += 1
            if shown <= MAX_FAILURES_SHOWN:
                where = source + (f" record {entry['record']}" if entry.get("record") else "")
                click.echo(f"error: {where}: {entry['reason']}: {entry['message']}", err=True)
    if shown > MAX_FAILURES_SHOWN:
        click.echo(f"error: … and {shown - MAX_FAILURES_SHOWN} more failures (see the reports)", err=True)


def counts_line(ledger: Ledger) -> str:
    total = ledger.total.to_json()
    dropped = sum(total["dropped"].values())
    failed = sum(total["failed"].values())
    return f"read {total['read']}, kept {total['kept']}, dropped {dropped}, failed {failed}"


def finish(ledger: Ledger) -> None:
    """Exit 1 when the run finished with failed records (contract), after saying which."""
    report_failures(ledger)
    if ledger.failures:
        raise SystemExit(1)


def show_progress() -> bool:
    """A progress bar only on a terminal, never when piped or under CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")
