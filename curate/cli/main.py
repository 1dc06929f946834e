"""The `curate` command group; the command modules register their commands on it."""

from __future__ import annotations

import logging

import click

from curate.version import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="curate")
@click.option("-v", "--verbose", is_flag=True, help="Log what each step is doing to stderr.")
def main(verbose: bool) -> None:
    """Clean scraped web text into a versioned, auditable corpus.

    Strip boilerplate with readable rule packs, repair broken text, detect language,
    deduplicate, and commit immutable corpus versions with a provenance report per input.

    \b
    Example:
        curate clean crawl/ --store corpus --reports reports
        curate clean --stdout --no-dedup pages/ > clean.jsonl
    """
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
