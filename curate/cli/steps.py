"""One command per step: JSONL (or any supported input) in, JSONL with provenance out."""

from __future__ import annotations

from collections.abc import Sequence

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
    input_arguments,
    jsonl_output,
    read_options,
    rules_options,
    threshold_option,
)
from curate.errors import StoreError
from curate.outputs import dumps_record, open_output
from curate.pipeline import Ledger, Step, run_steps
from curate.runner import store_index
from curate.steps.dedup import Dedup, DedupConfig
from curate.steps.extract import Extract, ExtractConfig
from curate.steps.filter import Filter, FilterConfig
from curate.steps.langid import Langid, LangidConfig
from curate.steps.repair import Repair, RepairConfig
from curate.steps.strip import Strip, StripConfig


def run_step_command(inputs: Sequence[str], fields: tuple[str, str, str], steps: list[Step], output: str) -> None:
    """Stream the inputs through the steps to `output`; counts on stderr; exit 1 on failed records."""
    ledger = Ledger()
    with open_output(output) as out:
        for doc in run_steps(read_items(inputs, make_read_options(*fields)), steps, ledger):
            out.write(dumps_record(doc))
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
def repair(inputs: tuple[str, ...], text_field: str, html_field: str, id_field: str, output: str) -> None:
    """Fix broken text: mojibake, entities, control characters, glued words, stray whitespace.

    Correct text is left alone: curly quotes, dashes and full-width CJK punctuation
    stay. Each fix is a provenance event with the old and new text.

    \b
    Example:
        curate repair stripped.jsonl -o repaired.jsonl
        echo '{"id": "1", "text": "the crisiscaused by"}' | curate repair
    """
    run_step_command(inputs, (text_field, html_field, id_field), [Repair(RepairConfig())], output)


@main.command()
@input_arguments
@read_options
@jsonl_output
def langid(inputs: tuple[str, ...], text_field: str, html_field: str, id_field: str, output: str) -> None:
    """Detect each document's language (langdetect, seeded) into `lang` and `lang_score`.

    \b
    Example:
        curate langid repaired.jsonl -o tagged.jsonl
    """
    run_step_command(inputs, (text_field, html_field, id_field), [Langid(LangidConfig())], output)


@main.command(name="filter")
@input_arguments
@read_options
@click.option("--lang", default="", help="Comma-separated language codes to keep, e.g. en,de.")
@click.option("--min-words", type=click.IntRange(min=1), default=1, show_default=True,
              help="Drop documents with fewer words.")
@jsonl_output
def filter_command(inputs: tuple[str, ...], text_field: str, html_field: str, id_field: str, lang: str,
                   min_words: int, output: str) -> None:
    """Drop whole documents: empty, too short, or not in the wanted languages.

    Run `curate langid` first for `--lang`. Dropped documents are counted on stderr.

    \b
    Example:
        curate langid docs.jsonl | curate filter --lang en --min-words 50 > en.jsonl
    """
    config = FilterConfig(langs=parse_langs(lang), min_words=min_words)
    run_step_command(inputs, (text_field, html_field, id_field), [Filter(config)], output)


@main.command()
@input_arguments
@read_options
@threshold_option
@click.option("--annotate", is_flag=True, help="Keep every document; add meta.duplicate_of (id or null).")
@click.option("--against", type=click.Path(exists=True, file_okay=False), default=None,
              help="Also treat documents of this store's latest version as already seen.")
@jsonl_output
def dedup(inputs: tuple[str, ...], text_field: str, html_field: str, id_field: str, threshold: float,
          annotate: bool, against: str | None, output: str) -> None:
    """Remove exact and near-duplicate documents (MinHash LSH); the first one is kept.

    Each dropped document is counted; with --annotate every document is kept and
    marked with the id it duplicates and the estimated similarity.

    \b
    Example:
        curate dedup docs.jsonl --threshold 0.8 -o unique.jsonl
        curate dedup new.jsonl --against corpus --annotate | jq .meta.duplicate_of
    """
    config = DedupConfig(threshold=threshold, annotate=annotate)
    try:
        index = store_index(against, config) if against else None
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    run_step_command(inputs, (text_field, html_field, id_field), [Dedup(config, index)], output)


def parse_langs(value: str) -> tuple[str, ...]:
    """'en, de' -> ('de', 'en'): sorted so the config digest does not depend on the order typed."""
    return tuple(sorted({code.strip().lower() for code in value.split(",") if code.strip()}))
