"""One command per step: JSONL (or any supported input) in, JSONL with provenance out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from curate.cli import main
from curate.cli.helpers import (
    counts_line,
    finish,
    load_rules,
    make_read_options,
    make_rule_spec,
    read_items,
)
from curate.cli.options import (
    filter_options,
    input_arguments,
    jsonl_output,
    read_options,
    rules_options,
    threshold_option,
)
from curate.engines.local import supervise
from curate.errors import OutputError, StoreError
from curate.outputs import dumps_record, open_output
from curate.pipeline import Ledger, Step, run_steps
from curate.runner import store_index
from curate.steps.dedup.fingerprint import KEEP_POLICIES, DedupConfig
from curate.steps.dedup.minhash import Shingling
from curate.steps.dedup.paragraphs import ParagraphDedup
from curate.steps.dedup.step import Dedup
from curate.steps.extract import Extract, ExtractConfig
from curate.steps.filter import Filter, FilterConfig
from curate.steps.langid import Langid, LangidConfig
from curate.steps.langid.backends import BACKENDS, NoBackend
from curate.steps.langid.backends import require as require_backend
from curate.steps.repair import Repair, RepairConfig
from curate.steps.strip import Strip, StripConfig

F = TypeVar("F", bound=Callable[..., Any])


def run_step_command(inputs: Sequence[str], fields: tuple[str, str, str], steps: list[Step], output: str, *,
                     unique_ids: bool = False) -> None:
    """Stream the inputs through the steps to `output`; counts on stderr; exit 1 on failed records.
    `unique_ids`: a record whose id an earlier one had fails as duplicate_id (pipeline.run_steps)."""
    ledger = Ledger()
    # The per-document steps run in one supervised worker: the same time limit and crash isolation
    # as `clean` (a page that hangs lxml or a regex fails alone instead of stopping the command).
    try:
        with open_output(output) as out:
            items = read_items(inputs, make_read_options(*fields))
            for doc in run_steps(items, supervise(steps), ledger, unique_ids=unique_ids):
                out.write(dumps_record(doc))
    except OutputError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(counts_line(ledger), err=True)
    finish(ledger)


@main.command()
@input_arguments
@read_options
@rules_options
@jsonl_output
def extract(inputs: tuple[str, ...], text_field: str, html_field: str, id_field: str,
            rule_paths: tuple[str, ...], no_default_rules: bool, disable: tuple[str, ...], output: str) -> None:
    """Read any supported input and emit one JSONL document per page or record.

    HTML pages become their main text: scripts, styles, navigation, headers, footers,
    asides and the `selector` rules of the rule packs are dropped, and every block
    element ends a paragraph. Text and JSONL records pass through with ids assigned.

    \b
    Example:
        curate extract crawl/ -o docs.jsonl
        curate extract page.html | jq .text
    """
    ruleset = load_rules(make_rule_spec(rule_paths, no_default_rules, disable))
    run_step_command(inputs, (text_field, html_field, id_field), [Extract(ExtractConfig(), ruleset)], output)


@main.command()
@input_arguments
@read_options
@rules_options
@jsonl_output
def strip(inputs: tuple[str, ...], text_field: str, html_field: str, id_field: str,
          rule_paths: tuple[str, ...], no_default_rules: bool, disable: tuple[str, ...], output: str) -> None:
    """Remove boilerplate lines and blocks by the rule packs (JSONL to JSONL).

    Every removed line, block or replaced span is appended to the record's
    `provenance` with the rule id. A paragraph repeated in one document keeps
    only its first copy.

    \b
    Example:
        curate extract crawl/ | curate strip --rules my-site.yaml > stripped.jsonl
        curate strip docs.jsonl --disable ads.placeholder -o stripped.jsonl
    """
    ruleset = load_rules(make_rule_spec(rule_paths, no_default_rules, disable))
    run_step_command(inputs, (text_field, html_field, id_field), [Strip(StripConfig(), ruleset)], output)


@main.command()
@input_arguments
@read_options
@jsonl_output
@click.option("--ascii-quotes", is_flag=True, help="Write curly quotes and apostrophes as ASCII ' and \".")
def repair(inputs: tuple[str, ...], text_field: str, html_field: str, id_field: str, output: str,
           ascii_quotes: bool) -> None:
    """Fix broken text: mojibake, entities, control characters, glued words, stray whitespace.

    Correct text is left alone: curly quotes, dashes and full-width CJK punctuation
    stay. Each fix is a provenance event with the old and new text.

    \b
    Example:
        curate repair stripped.jsonl -o repaired.jsonl
        echo '{"id": "1", "text": "the crisiscaused by"}' | curate repair
    """
    config = RepairConfig(ascii_quotes=ascii_quotes)
    run_step_command(inputs, (text_field, html_field, id_field), [Repair(config)], output)


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


@main.command()
@input_arguments
@read_options
@langid_options
@click.option("--lang", default="", help="With --drop-other-languages: languages whose paragraphs stay.")
@jsonl_output
def langid(inputs: tuple[str, ...], text_field: str, html_field: str, id_field: str, per_paragraph: bool,
           drop_other_languages: bool, langid_backend: str, lang: str, output: str) -> None:
    """Detect each document's language (langdetect, seeded) into `lang` and `lang_score`.

    Documents are judged on spans spread over the whole text. --per-paragraph
    judges every paragraph and makes `lang` the language of most characters;
    --drop-other-languages also removes the other paragraphs (provenance events).

    \b
    Example:
        curate langid repaired.jsonl -o tagged.jsonl
        curate langid pages.jsonl --per-paragraph | jq -c .meta.lang_shares
        curate langid pages.jsonl --drop-other-languages --lang en,de
    """
    if lang and not drop_other_languages:
        raise click.UsageError("--lang on langid chooses the paragraphs --drop-other-languages keeps.")
    config = langid_config(lang, per_paragraph, drop_other_languages, langid_backend)
    run_step_command(inputs, (text_field, html_field, id_field), [Langid(config)], output)


@main.command(name="filter")
@input_arguments
@read_options
@filter_options
@jsonl_output
def filter_command(inputs: tuple[str, ...], text_field: str, html_field: str, id_field: str, lang: str,
                   min_words: int, min_lang_score: float, output: str) -> None:
    """Drop whole documents: empty, too short, or not in the wanted languages.

    Run `curate langid` first for `--lang` and `--min-lang-score`. Dropped documents
    are counted on stderr.

    \b
    Example:
        curate langid docs.jsonl | curate filter --lang en --min-words 50 > en.jsonl
        curate langid docs.jsonl | curate filter --min-lang-score 0.9 > sure.jsonl
    """
    config = FilterConfig(langs=parse_langs(lang), min_words=min_words, min_lang_score=min_lang_score)
    run_step_command(inputs, (text_field, html_field, id_field), [Filter(config)], output)


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


@main.command()
@input_arguments
@read_options
@threshold_option
@dedup_options
@click.option("--annotate", is_flag=True, help="Keep every document; add meta.duplicate_of (id or null).")
@click.option("--against", type=click.Path(exists=True, file_okay=False), default=None,
              help="Also treat documents of this store's latest version as already seen.")
@jsonl_output
def dedup(inputs: tuple[str, ...], text_field: str, html_field: str, id_field: str, threshold: float,
          shingle: str, keep: str, verify_jaccard: bool, common_paragraphs: int, annotate: bool,
          against: str | None, output: str) -> None:
    """Remove exact and near-duplicate documents (MinHash LSH); the first one is kept.

    Each dropped document is counted and names the kept one (and, with --against,
    the store version holding it) and the similarity; with --annotate every
    document is kept and marked instead. --against reads the store's saved index,
    not its texts.

    \b
    Example:
        curate dedup docs.jsonl --threshold 0.8 -o unique.jsonl
        curate dedup new.jsonl --against corpus --annotate | jq .meta.duplicate_of
        curate dedup docs.jsonl --keep longest --verify-jaccard --common-paragraphs 20
    """
    config = dedup_config(threshold, shingle, keep, verify_jaccard, common_paragraphs, annotate=annotate)
    try:
        index = store_index(against, config) if against else None
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    steps: list[Step] = [ParagraphDedup(config)] if common_paragraphs else []
    # duplicate_of names a kept document by id, so ids must be unique in the stream (not against --against)
    run_step_command(inputs, (text_field, html_field, id_field), [*steps, Dedup(config, index)], output,
                     unique_ids=True)


def parse_langs(value: str) -> tuple[str, ...]:
    """'en, de' -> ('de', 'en'): sorted so the config digest does not depend on the order typed."""
    return tuple(sorted({code.strip().lower() for code in value.split(",") if code.strip()}))
