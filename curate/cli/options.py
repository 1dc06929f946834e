"""Option sets shared by several commands, so a flag means the same thing everywhere."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def input_arguments(func: F) -> F:
    return click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True, path_type=str))(func)


def read_options(func: F) -> F:
    for option in reversed([
        click.option("--text-field", default="text", show_default=True, help="JSONL field holding text."),
        click.option("--html-field", default="html", show_default=True, help="JSONL field holding HTML."),
        click.option("--id-field", default="id", show_default=True, help="JSONL field holding the id."),
        click.option("--follow-links", is_flag=True, expose_value=False, callback=_remember_follow_links,
                     help="Read file links under an input folder that lead out of it (default: such a "
                          "file fails as outside_input, unread)."),
    ]):
        func = option(func)
    return func


FOLLOW_LINKS = "curate.follow_links"


def _remember_follow_links(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """--follow-links is kept in the context (every command with read options has it), read back by
    cli/helpers.make_read_options, so the commands' signatures need not carry it."""
    ctx.meta[FOLLOW_LINKS] = value


def rules_options(func: F) -> F:
    for option in reversed([
        click.option("--rules", "rule_paths", multiple=True, type=click.Path(exists=True, path_type=str),
                     help="Extra rule pack (YAML file or folder of them); repeatable."),
        click.option("--no-default-rules", is_flag=True, help="Do not load the shipped rule packs."),
        click.option("--disable", multiple=True, metavar="ID",
                     help="Leave out a rule id or a whole pack name; repeatable."),
    ]):
        func = option(func)
    return func


def jsonl_output(func: F) -> F:
    return click.option("-o", "--output", default="-", show_default=True, type=click.Path(allow_dash=True),
                        help="Where to write JSONL; '-' is stdout.")(func)


def workers_option(func: F) -> F:
    return click.option("--workers", type=click.IntRange(min=1), default=None,
                        help=f"Worker processes (default: all {os.cpu_count()} cores).")(func)


def threshold_option(func: F) -> F:
    return click.option("--threshold", type=click.FloatRange(0.0, 1.0, min_open=True), default=0.8,
                        show_default=True, help="Near-duplicate MinHash Jaccard threshold.")(func)


def filter_options(func: F) -> F:
    """What a document must have to be kept: the same flags on `filter` and `clean`."""
    for option in reversed([
        click.option("--lang", default="", help="Keep only these languages (comma-separated codes, e.g. en,de)."),
        click.option("--min-words", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Drop documents with fewer words."),
        click.option("--min-lang-score", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
                     help="Drop documents whose lang_score is lower (reason lang_uncertain)."),
    ]):
        func = option(func)
    return func
