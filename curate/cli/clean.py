"""`curate clean`: the whole pipeline, into a new store version (default) or to stdout."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
import orjson

from curate.cli.helpers import (
    counts_line,
    finish,
    load_rules,
    make_read_options,
    make_rule_spec,
)
from curate.cli.main import main
from curate.cli.options import (
    dedup_config,
    dedup_options,
    filter_options,
    input_arguments,
    langid_config,
    langid_options,
    parse_langs,
    read_options,
    rules_options,
    threshold_option,
    workers_option,
)
from curate.config import CleanConfig
from curate.engines.dask import DaskSession, require_dask
from curate.engines.progress import ReadProgress, progress_wanted
from curate.errors import ConfigError, CurateError, InputError
from curate.inputs import InputFile, resolve_inputs
from curate.outputs import dumps_record, open_output
from curate.pipeline import DEFAULT_TIME_LIMIT, Ledger
from curate.reports import render_summary_table
from curate.reports.run import write_stream_reports
from curate.rules.spec import RuleSpec
from curate.runner import clean_documents, clean_to_store
from curate.steps.filter import FilterConfig
from curate.steps.repair import RepairConfig
from curate.steps.strip import StripConfig
from curate.steps.strip.learn import LearnConfig
from curate.timing import Timings


@main.command()
@input_arguments
@click.option("--store", default="corpus", show_default=True, type=click.Path(file_okay=False),
              help="Store to commit the new version into.")
@click.option("--reports", default=None, type=click.Path(file_okay=False),
              help="Folder for reports [default: reports; with --stdout, none unless given].")
@click.option("--stdout", "to_stdout", is_flag=True, help="Stream cleaned JSONL to stdout; commit nothing.")
@rules_options
@filter_options
@langid_options
@click.option("--no-dedup", is_flag=True, help="Skip exact and near-duplicate removal.")
@threshold_option
@dedup_options
@workers_option
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Run the steps in local processes, or on a Dask cluster (pip install 'curate[dask]').")
@click.option("--scheduler", default=None, metavar="ADDR",
              help="Dask scheduler address (tcp://host:8786) [default: a local cluster of --workers processes].")
@click.option("--time-limit", type=click.FloatRange(min=0), default=DEFAULT_TIME_LIMIT, show_default=True,
              metavar="SECONDS", help="Seconds one document may take in the per-document steps (0: no limit); "
              "past it its worker process is killed and the document fails as step_timeout.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr [default: only on a terminal, not under CI].")
@click.option("--fresh", is_flag=True, help="Start the version from empty instead of from the latest one.")
@click.option("-m", "--message", default="", help="A note stored in the version's manifest.")
@read_options
@click.option("--dry-run", is_flag=True, help="Print the resolved config and active rules, then stop.")
@click.option("--ascii-quotes", is_flag=True, help="Repair writes curly quotes and apostrophes as ASCII.")
@click.option("--learn-repeated", type=click.IntRange(min=0), default=LearnConfig().min_documents, show_default=True,
              metavar="N", help="Remove lines found in N or more documents of one source (0: off).")
def clean(inputs: tuple[str, ...], store: str, reports: str | None, to_stdout: bool, rule_paths: tuple[str, ...],
          no_default_rules: bool, disable: tuple[str, ...], lang: str, min_words: int, min_lang_score: float,
          per_paragraph: bool, drop_other_languages: bool, langid_backend: str, no_dedup: bool,
          threshold: float, shingle: str, keep: str, verify_jaccard: bool, common_paragraphs: int,
          workers: int | None, fresh: bool, message: str, text_field: str,
          html_field: str, id_field: str, dry_run: bool, ascii_quotes: bool, learn_repeated: int,
          engine: str = "local", scheduler: str | None = None, time_limit: float = DEFAULT_TIME_LIMIT,
          progress: bool | None = None) -> None:
    """Run the whole pipeline: extract, strip, repair, langid, filter, dedup.

    By default commits a new version of the store (./corpus), deduplicated against
    the previous one, writes reports to ./reports/<version>/, and prints the version
    id and a summary table. With no INPUT, cleans the bundled sample crawl.

    \b
    Example:
        curate clean crawl/ --lang en -m "January crawl"
        curate clean --stdout --no-dedup pages/ > clean.jsonl
        curate clean crawl/ --engine dask --scheduler tcp://10.0.0.5:8786
    """
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler is the address of a Dask cluster: use it with --engine dask.")
    if to_stdout and (fresh or message):
        raise click.UsageError("--fresh and --message describe a store version; --stdout commits none.")
    rules = make_rule_spec(rule_paths, no_default_rules, disable)
    ruleset = load_rules(rules)
    config = CleanConfig(read=make_read_options(text_field, html_field, id_field),
                         strip=StripConfig(learn=LearnConfig(min_documents=learn_repeated)),
                         repair=RepairConfig(ascii_quotes=ascii_quotes),
                         langid=langid_config(lang, per_paragraph, drop_other_languages, langid_backend),
                         filter=FilterConfig(langs=parse_langs(lang), min_words=min_words,
                                             min_lang_score=min_lang_score),
                         dedup=dedup_config(threshold, shingle, keep, verify_jaccard, common_paragraphs),
                         dedup_enabled=not no_dedup)
    if dry_run:
        click.echo(json.dumps({"config": config.to_json(), "config_digest": config.digest(),
                               "rules": [r.id for r in ruleset.rules], "rules_digest": ruleset.digest()}, indent=2))
        return
    try:
        files = resolve_inputs(inputs)
    except InputError as exc:
        raise click.UsageError(str(exc)) from exc
    dask = _dask_session(scheduler, workers) if engine == "dask" else None
    limit = time_limit or None
    with ReadProgress(files, enabled=progress_wanted(progress)) as bar:
        if to_stdout:
            _clean_stdout(files, config, rules, workers, reports, dask, time_limit=limit, progress=bar)
        else:
            _clean_store(files, config, rules, workers, Path(store), Path(reports or "reports"), fresh, message,
                         dask, time_limit=limit, progress=bar)


def _dask_session(scheduler: str | None, workers: int | None) -> DaskSession:
    """An open Dask session, closed (with any cluster it started) when the command ends."""
    try:
        require_dask()
        return click.get_current_context().with_resource(DaskSession(scheduler, workers))
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    except OSError as exc:  # no scheduler at that address
        raise click.ClickException(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc


def _clean_stdout(files: list[InputFile], config: CleanConfig, rules: RuleSpec, workers: int | None,
                  reports: str | None, dask: DaskSession | None = None, *, time_limit: float | None,
                  progress: ReadProgress) -> None:
    started = time.monotonic()
    ledger = Ledger()
    timings = Timings()
    with open_output("-") as out:
        for doc in clean_documents(files, config, rules, ledger, workers=workers, dask=dask,
                                   time_limit=time_limit, timings=timings, progress=progress):
            with timings.timed("write"):
                out.write(dumps_record(doc))
    progress.close()
    if reports:
        try:
            write_stream_reports(files, config, rules, ledger, Path(reports), started, timings)
        except CurateError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(counts_line(ledger), err=True)
    finish(ledger)


def _clean_store(files: list[InputFile], config: CleanConfig, rules: RuleSpec, workers: int | None,
                 store: Path, reports: Path, fresh: bool, message: str, dask: DaskSession | None = None, *,
                 time_limit: float | None, progress: ReadProgress) -> None:
    try:
        result = clean_to_store(files, config, rules, store=store, reports=reports, workers=workers,
                                fresh=fresh, message=message, progress=progress, dask=dask, time_limit=time_limit)
    except CurateError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:  # disk full or file too large in a temporary file or a report, not a traceback
        where = f" ({exc.filename})" if exc.filename else ""
        raise click.ClickException(f"{exc.strerror or exc}{where}; the run stopped. The store holds only "
                                   "complete versions: `curate versions` lists them") from exc
    progress.close()  # before the summary table, so the bar does not cut into it
    click.echo(result.version)
    if result.reports is not None:
        summary = orjson.loads((result.reports / "summary.json").read_bytes())
        click.echo(render_summary_table(summary))
        click.echo(f"reports: {result.reports}")
    click.echo(counts_line(result.ledger), err=True)
    finish(result.ledger)
