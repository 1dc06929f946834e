"""`curate why DOC_ID`: print a document's history from the provenance reports."""

from __future__ import annotations

from pathlib import Path

import click

from curate.cli.main import main
from curate.reports.why import find_history, render_history


@main.command()
@click.argument("doc_id")
@click.option("--reports", default="reports", show_default=True, type=click.Path(file_okay=False),
              help="The reports folder `curate clean` wrote.")
@click.option("--version", "version", default=None, help="Only this version's report (e.g. v0002).")
def why(doc_id: str, reports: str, version: str | None) -> None:
    """Print what happened to a document: per version, its outcome and every event.

    Exits 1 when no report mentions the id.

    \b
    Example:
        curate why sample/000_713d474d4f58233f.txt --reports reports
        curate why 'crawl/a.jsonl#3' --version v0002
    """
    sightings = find_history(doc_id, Path(reports), version)
    if not sightings:
        where = f"{reports}/{version}" if version else reports
        raise click.ClickException(f"no report in {where} mentions {doc_id!r}; check the id with `curate export`")
    click.echo(render_history(doc_id, sightings), nl=False)
