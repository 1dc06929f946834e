"""`curate audit`: clean a crawl in memory, commit nothing, write an HTML report and print a summary."""

from __future__ import annotations

from pathlib import Path

import click

from curate.checks.audit import render_audit_table, run_audit, write_audit_page
from curate.cli.helpers import load_rules, make_read_options, make_rule_spec
from curate.cli.main import main
from curate.cli.options import (
    input_arguments,
    parse_langs,
    read_options,
    rules_options,
    workers_option,
)
from curate.config import CleanConfig
from curate.errors import InputError, ReportError
from curate.inputs import resolve_inputs
from curate.steps.filter import FilterConfig


@main.command()
@input_arguments
@click.option("--html", "html_path", default="audit.html", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the HTML report.")
@rules_options
@click.option("--lang", default="", help="Keep only these languages (comma-separated codes, e.g. en,de).")
@click.option("--min-words", type=click.IntRange(min=1), default=1, show_default=True,
              help="Drop documents with fewer words after cleaning.")
@click.option("--no-dedup", is_flag=True, help="Skip exact and near-duplicate removal.")
@workers_option
@read_options
def audit(inputs: tuple[str, ...], html_path: str, rule_paths: tuple[str, ...], no_default_rules: bool,
          disable: tuple[str, ...], lang: str, min_words: int, no_dedup: bool, workers: int | None,
          text_field: str, html_field: str, id_field: str) -> None:
    """Audit a crawl: what cleaning would remove, per source, without committing anything.

    Writes a self-contained HTML report with charts (documents, furniture share, top
    rules, languages, duplicate and broken-text rates, lengths) and prints a summary.
    With no INPUT, audits the bundled sample crawl.

    \b
    Example:
        curate audit crawl/ --html audit.html
        curate audit pages.jsonl --lang en --html /tmp/pages-audit.html
    """
    rules = make_rule_spec(rule_paths, no_default_rules, disable)
    load_rules(rules)
    config = CleanConfig(read=make_read_options(text_field, html_field, id_field),
                         filter=FilterConfig(langs=parse_langs(lang), min_words=min_words),
                         dedup_enabled=not no_dedup)
    try:
        files = resolve_inputs(inputs)
    except InputError as exc:
        raise click.UsageError(str(exc)) from exc
    result = run_audit(files, config, rules, workers=workers)
    try:
        page = write_audit_page(result, Path(html_path))
    except ReportError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(render_audit_table(result.stats), nl=False)
    click.echo(f"report: {page}")
