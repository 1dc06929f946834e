"""The library behind `curate clean` and the one-step commands.

`clean_to_store` runs the whole pipeline into a new store version and writes its reports;
`clean_documents` runs it as a stream (for `--stdout`). Both account for every document in a Ledger.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curate.config import CleanConfig
from curate.document import Document, Failed
from curate.engines.dask import DaskSession
from curate.engines.dask_dedup import DaskDedup
from curate.engines.local import LocalEngine
from curate.engines.progress import ReadProgress
from curate.inputs import InputFile, read_inputs
from curate.pipeline import DEFAULT_TIME_LIMIT, DocumentStep, Ledger, Step, run_steps
from curate.reports import InputInfo
from curate.reports.learned import learned_report
from curate.reports.run import input_infos, publish, run_fields, staged_reports
from curate.reports.stats import shard_lengths
from curate.rules.spec import RuleSpec
from curate.steps.dedup.fingerprint import DedupIndex
from curate.steps.dedup.paragraphs import ParagraphDedup
from curate.steps.dedup.parent_ids import ParentIdCheck, ParentIds
from curate.steps.dedup.relay import FingerprintRelay
from curate.steps.dedup.step import Dedup
from curate.steps.extract import Extract
from curate.steps.filter import Filter
from curate.steps.langid import Langid
from curate.steps.repair import Repair
from curate.steps.strip import Strip
from curate.steps.strip.learn import LearnRepeated
from curate.store import Store, VersionWriter
from curate.store.index import parent_ids, parent_index, write_index
from curate.store.ledger import encode_ledger
from curate.timing import Timings


@dataclass
class CleanResult:
    """What a clean run produced: the version (store mode), the ledger and the reports folder."""

    ledger: Ledger
    version: str | None = None
    reports: Path | None = None
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return self.ledger.failures


def document_steps(config: CleanConfig, rules: RuleSpec) -> list[DocumentStep]:
    """The per-document steps of `clean`, in pipeline order."""
    ruleset = rules.load()
    return [
        Extract(config.extract, ruleset),
        Strip(config.strip, ruleset),
        Repair(config.repair),
        Langid(config.langid),
        Filter(config.filter),
    ]


def pipeline(config: CleanConfig, rules: RuleSpec, workers: int | None, index: DedupIndex | None,
             learn: LearnRepeated | None = None, dask: DaskSession | None = None, *,
             time_limit: float | None = DEFAULT_TIME_LIMIT, timings: Timings | None = None,
             ids: ParentIds | None = None) -> list[Step]:
    """The steps of `clean`; with a Dask session, the per-document steps and dedup run on its cluster.
    `time_limit`: seconds per document in the per-document steps (None: no limit); `ids`: the parent
    version's ids, which no kept document may repeat (checked by dedup, or last when dedup is off)."""
    factory = functools.partial(document_steps, config, rules)
    # The workers fingerprint what they keep for dedup (steps/dedup/relay.py); not on Dask.
    relay = FingerprintRelay(config.dedup) if config.dedup_enabled and dask is None else None
    steps: list[Step] = [LocalEngine(factory, workers, time_limit, timings, follow_up=relay) if dask is None
                         else dask.engine(factory, timings, time_limit)]
    if config.strip.learn.min_documents > 0:  # per-source learning needs documents of many pages
        steps.append(learn if learn is not None else LearnRepeated(config.strip.learn))
    if config.dedup_enabled:
        if config.dedup.common_paragraphs:
            steps.append(ParagraphDedup(config.dedup))
        steps.append(Dedup(config.dedup, index, relay, ids=ids) if dask is None
                     else DaskDedup(dask, config.dedup, index, ids=ids))
    elif ids is not None:
        steps.append(ParentIdCheck(ids))
    return steps


def clean_documents(files: Sequence[InputFile], config: CleanConfig, rules: RuleSpec, ledger: Ledger,
                    *, workers: int | None = None, index: DedupIndex | None = None,
                    learn: LearnRepeated | None = None, dask: DaskSession | None = None,
                    time_limit: float | None = DEFAULT_TIME_LIMIT, timings: Timings | None = None,
                    progress: ReadProgress | None = None, ids: ParentIds | None = None) -> Iterator[Document]:
    """Run the pipeline over the inputs; yield kept documents in input order. Pass `learn` to read
    what per-source learning found once the stream is consumed; `dask`, an open session, to run on Dask;
    `timings` to record where the time goes; `progress` to show what has been read; `ids`, the ids
    of the version the documents will join. A document whose id an earlier one had fails as
    `duplicate_id`, as does a kept one whose id is in `ids`."""
    items: Iterable[Document | Failed] = read_inputs(files, config.read)
    if progress is not None:
        items = progress.track(items)
    steps = pipeline(config, rules, workers, index, learn, dask, time_limit=time_limit, timings=timings, ids=ids)
    return run_steps(items, steps, ledger, timings, unique_ids=True)


def clean_to_store(files: Sequence[InputFile], config: CleanConfig, rules: RuleSpec, *, store: Path,
                   reports: Path | None, workers: int | None = None, fresh: bool = False,
                   message: str = "", progress: ReadProgress | None = None, dask: DaskSession | None = None,
                   time_limit: float | None = DEFAULT_TIME_LIMIT) -> CleanResult:
    """Clean the inputs into a new immutable version of `store`, with the run's ledger (store/ledger.py);
    write its reports (summary.json with `timing`: seconds per step, see timing.py).

    The reports are written aside (reports/staging.py) and the version is committed only once they
    are complete, then they are renamed into place: a run that cannot write them commits nothing
    (ReportError naming the path). `curate report` writes them again from the store."""
    started = time.monotonic()
    timings = Timings()
    ledger = Ledger()
    ruleset = rules.load()
    with timings.timed("inputs"):  # the sha256 of every input file, for the manifest
        infos = input_infos(files, config.read.follow_links)
    with Store(store).writer(fresh=fresh, message=message) as writer:
        with timings.timed("index"):  # the parent version's dedup index, loaded or rebuilt, and its ids
            index = parent_index(Store(store), writer.parent, config.dedup) if config.dedup_enabled else None
            ids = parent_ids(Store(store), writer.parent, index)
        learn = LearnRepeated(config.strip.learn)
        for doc in clean_documents(files, config, rules, ledger, workers=workers, index=index, learn=learn,
                                   dask=dask, time_limit=time_limit, timings=timings, progress=progress, ids=ids):
            with timings.timed("write"):
                writer.add(doc)
        with timings.timed("commit"):  # the last shard and the index arrays; the manifest follows the reports
            index_entry = write_index(writer, index) if index is not None else None
            added = writer.added_shards()
        run = run_fields(config, ruleset, store=store, parent=writer.parent, started=started)
        learned = _learned(learn, config)
        staged = staged_reports(reports, writer.next_version(), ledger, infos, run, learned, timings,
                                 lambda: shard_lengths(Path(store), added))
        with staged or contextlib.nullcontext(), timings.timed("commit"):
            version = writer.commit(
                inputs=_manifest_inputs(infos, ledger), counts=ledger.total.to_json(),
                config_digest=config.digest(), rules_digest=ruleset.digest(), config=config.to_json(),
                index=index_entry, ledger=_ledger_entry(writer, ledger, infos, learned, run),
            )
    folder = publish(staged, version) if staged is not None else None
    return CleanResult(ledger=ledger, version=version, reports=folder)


def _ledger_entry(writer: VersionWriter, ledger: Ledger, infos: Sequence[InputInfo], learned: dict[str, Any] | None,
                  run: dict[str, Any]) -> dict[str, Any]:
    """The manifest's `ledger`: the object (store/ledger.py), its number of entries and the run's fields."""
    data = encode_ledger(ledger, [dataclasses.asdict(info) for info in infos], learned)
    entries = sum(len(entries) for entries in ledger.records.values())
    return {**writer.add_ledger(data), "entries": entries, "run": run}


def _learned(learn: LearnRepeated, config: CleanConfig) -> dict[str, Any] | None:
    """learned.json's content (per source, the template lines learning removed); None when learning is off."""
    if config.strip.learn.min_documents <= 0:
        return None
    return learned_report(learn.learned, learn.documents, config.strip.learn.min_documents)


def _manifest_inputs(infos: Sequence[InputInfo], ledger: Ledger) -> list[dict[str, Any]]:
    entries = []
    for info in infos:
        counts = ledger.per_source.get(info.source)
        entries.append({
            "path": info.source, "sha256": info.sha256, "bytes": info.bytes,
            "documents": counts.read if counts else 0,
            "counts": counts.to_json() if counts else {"read": 0, "kept": 0, "dropped": {}, "failed": {}},
        })
    return entries


