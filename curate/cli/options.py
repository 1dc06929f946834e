"""Option sets shared by several commands, so a flag means the same thing everywhere, and the
configs they make (`langid_config`, `dedup_config`, `parse_langs`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from curate.steps.dedup.fingerprint import KEEP_POLICIES, DedupConfig
from curate.steps.dedup.minhash import Shingling
from curate.steps.langid import LangidConfig
from curate.steps.langid.backends import BACKENDS, NoBackend
from curate.steps.langid.backends import require as require_backend

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


def langid_options(func: F) -> F:
    """--per-paragraph, --drop-other-languages and --langid-backend, shared by `langid` and `clean`."""
    for option in reversed([
        click.option("--per-paragraph", is_flag=True,
                     help="Judge each paragraph; record each language's share in meta.lang_shares."),
        click.option("--drop-other-languages", is_flag=True,
                     help="Remove paragraphs not in --lang (default: not in the main language)."),
        click.option("--langid-backend", type=click.Choice(BACKENDS), default="langdetect",
                     show_default=True, help="Detector; py3langid needs pip install 'curate[fastlang]'."),
    ]):
        func = option(func)
    return func


def langid_config(lang: str, per_paragraph: bool, drop_other_languages: bool,
                  langid_backend: str) -> LangidConfig:
    """The langid options as a config; a missing optional backend is an error before any work."""
    try:
        require_backend(langid_backend)
    except NoBackend as exc:
        raise click.ClickException(str(exc)) from exc
    return LangidConfig(per_paragraph=per_paragraph, drop_other_languages=drop_other_languages,
                        langs=parse_langs(lang) if drop_other_languages else (), backend=langid_backend)


def _shingle_spec(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        return str(Shingling.parse(value))
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def dedup_options(func: F) -> F:
    """The dedup choices shared by `curate dedup` and `curate clean`."""
    for option in reversed([
        click.option("--shingle", default="words:5", show_default=True, callback=_shingle_spec,
                     help="Shingles compared: words:N (word N-grams) or chars:N."),
        click.option("--keep", type=click.Choice(KEEP_POLICIES), default="first", show_default=True,
                     help="Which document of a duplicate cluster is kept (longest/newest do two passes)."),
        click.option("--verify-jaccard", is_flag=True,
                     help="Decide candidate pairs by their exact Jaccard similarity, not the estimate."),
        click.option("--common-paragraphs", type=click.IntRange(min=0), default=0, show_default=True,
                     metavar="N", help="Remove paragraphs found in N or more documents of the run (0: off)."),
    ]):
        func = option(func)
    return func


def dedup_config(threshold: float, shingle: str, keep: str, verify_jaccard: bool, common_paragraphs: int,
                 *, annotate: bool = False) -> DedupConfig:
    return DedupConfig(threshold=threshold, shingle=shingle, keep=keep, verify_jaccard=verify_jaccard,
                       common_paragraphs=common_paragraphs, annotate=annotate)


def parse_langs(value: str) -> tuple[str, ...]:
    """'en, de' -> ('de', 'en'): sorted so the config digest does not depend on the order typed."""
    return tuple(sorted({code.strip().lower() for code in value.split(",") if code.strip()}))
