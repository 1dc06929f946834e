"""The library behind `curate clean` and the one-step commands.

`clean_to_store` runs the whole pipeline into a new store version and writes its reports;
`clean_documents` runs it as a stream (for `--stdout`). Both account for every document in a Ledger.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Final

from curate.config import CleanConfig
from curate.document import Document, Failed
from curate.engines.dask import DaskSession
from curate.engines.dask_dedup import DaskDedup
from curate.engines.local import LocalEngine
from curate.engines.progress import ReadProgress
from curate.errors import ReportError, RuleError
from curate.inputs import InputFile, discover, file_digest, read_inputs
from curate.pipeline import DEFAULT_TIME_LIMIT, DocumentStep, Ledger, Step, run_steps
from curate.reports import InputInfo, StagedReports, audit_stats, write_file_reports, write_summary
from curate.reports.learned import learned_entry, learned_report, write_learned
from curate.reports.stats import shard_lengths
from curate.rules import RuleSet, default_pack_files, load_ruleset, pack_files
from curate.steps.dedup.fingerprint import DedupConfig, DedupIndex
from curate.steps.dedup.index import IndexParams, Part
from curate.steps.dedup.paragraphs import ParagraphDedup
from curate.steps.dedup.parent_ids import IdBlob, IdList, ParentIdCheck, ParentIds
from curate.steps.dedup.relay import FingerprintRelay
from curate.steps.dedup.step import Dedup
from curate.steps.extract import Extract
from curate.steps.filter import Filter
from curate.steps.langid import Langid
from curate.steps.repair import Repair
from curate.steps.strip import Strip
from curate.steps.strip.learn import LearnRepeated
from curate.store import Store, VersionWriter
from curate.store.index import ShardTexts, load_array, load_arrays
from curate.store.ledger import encode_ledger
from curate.timing import Timings
from curate.version import __version__

# The report folder of a `--stdout` run, which has no version.
STREAM_REPORTS: Final = "stdout"


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """How to build the rule set; picklable, so worker processes rebuild it themselves."""

    paths: tuple[str, ...] = ()
    include_defaults: bool = True
    disabled: tuple[str, ...] = ()

    def load(self) -> RuleSet:
        """The rule set; parsed once per process for the same spec over the same pack contents
        (`clean` asks three times before its workers start, ~0.2 s a parse). RuleSets are frozen."""
        key = self._fingerprint()
        if key is not None and key in _LOADED:
            return _LOADED[key]
        ruleset = load_ruleset(self.paths, include_defaults=self.include_defaults, disabled=self.disabled)
        if key is not None:
            if len(_LOADED) >= 8:
                _LOADED.clear()
            _LOADED[key] = ruleset
        return ruleset

    def _fingerprint(self) -> tuple[Any, ...] | None:
        """The spec and the sha256 of every pack file it reads (None if one cannot be read: the
        real load then reports it)."""
        try:
            sources = [*(default_pack_files() if self.include_defaults else ()), *pack_files(self.paths)]
            return (self, *((str(s), hashlib.sha256(s.read_bytes()).digest()) for s in sources))
        except (OSError, RuleError):
            return None


_LOADED: dict[tuple[Any, ...], RuleSet] = {}


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


def sample_paths() -> list[Path]:
    """The bundled sample crawl (seed articles and HTML pages), used when no input is given."""
    folder = resources.files("curate.sample")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".txt", ".html", ".jsonl")))


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


def resolve_inputs(inputs: Sequence[str | Path]) -> list[InputFile]:
    """The input files to read: the given paths, or the bundled sample when none are given."""
    if inputs:
        return discover(list(inputs))
    # Sources of the bundled sample are named "sample/<file>" wherever the package is installed,
    # so ids (derived from sources) are the same on every machine.
    return [dataclasses.replace(f, source=f"sample/{f.path.name}") for f in discover(sample_paths())]


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


def input_infos(files: Sequence[InputFile], follow_links: bool = False) -> list[InputInfo]:
    """The manifest's entry of every input; a refused link (outside its folder) is not even hashed."""
    infos = []
    for file in files:
        sha256, size = ("", 0) if file.refused and not follow_links else file_digest(file.path)
        infos.append(InputInfo(source=file.source, sha256=sha256, bytes=size))
    return infos


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
            index = _parent_index(Store(store), writer.parent, config) if config.dedup_enabled else None
            ids = parent_ids(Store(store), writer.parent, index)
        learn = LearnRepeated(config.strip.learn)
        for doc in clean_documents(files, config, rules, ledger, workers=workers, index=index, learn=learn,
                                   dask=dask, time_limit=time_limit, timings=timings, progress=progress, ids=ids):
            with timings.timed("write"):
                writer.add(doc)
        with timings.timed("commit"):  # the last shard and the index arrays; the manifest follows the reports
            index_entry = _index_entry(writer, index) if index is not None else None
            added = writer.added_shards()
        run = _run_fields(config, ruleset, store=store, parent=writer.parent, started=started)
        learned = _learned(learn, config)
        staged = _staged_reports(reports, writer.next_version(), ledger, infos, run, learned, timings,
                                 lambda: shard_lengths(Path(store), added))
        with staged or contextlib.nullcontext(), timings.timed("commit"):
            version = writer.commit(
                inputs=_manifest_inputs(infos, ledger), counts=ledger.total.to_json(),
                config_digest=config.digest(), rules_digest=ruleset.digest(), config=config.to_json(),
                index=index_entry, ledger=_ledger_entry(writer, ledger, infos, learned, run),
            )
    folder = _publish(staged, version) if staged is not None else None
    return CleanResult(ledger=ledger, version=version, reports=folder)


def _staged_reports(reports: Path | None, version: str, ledger: Ledger, infos: Sequence[InputInfo],
                    run: dict[str, Any], learned: dict[str, Any] | None, timings: Timings,
                    lengths: Callable[[], dict[str, list[int]]]) -> StagedReports | None:
    """The version's reports, complete in their staging folder (None without `reports`); completes `run`
    with `learned` and `timing`. `timing.main.reports` is the time of learned.json, the per-input
    reports and the page's statistics: summary.json and index.html, written last, cannot hold their own."""
    if reports is None:
        if learned is not None:
            run["learned"] = learned_entry(learned)
        run["timing"] = timings.to_json()
        return None
    try:
        staged = StagedReports(Path(reports), version)
        with staged:
            with timings.timed("reports"):
                if learned is not None:
                    run["learned"] = write_learned(staged.folder, learned)
                write_file_reports(staged.folder, ledger, infos)
                stats = audit_stats(ledger, lengths())
            run["timing"] = timings.to_json()
            write_summary(staged.folder, ledger=ledger, inputs=infos, version=version, run=run, stats=stats)
    except ReportError as exc:
        raise ReportError(f"{exc}; nothing was committed, the store is as it was") from exc
    return staged


def _publish(staged: StagedReports, version: str) -> Path:
    """Move the committed version's reports into place."""
    try:
        return staged.publish()
    except ReportError as exc:
        raise ReportError(f"{version} is committed, but its reports are not in place: {exc}. Its reports are "
                          f"in {staged.folder}; `curate report {version}` writes them again") from exc


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


def _parent_index(store: Store, parent: str | None, config: CleanConfig) -> DedupIndex:
    """New documents are deduplicated against everything the parent version already holds."""
    if parent is None:
        return DedupIndex(config.dedup)
    return version_index(store, parent, config.dedup)


def parent_ids(store: Store, version: str | None, index: DedupIndex | None) -> ParentIds | None:
    """The ids `version` holds (None without a parent): from `index`, its dedup index, when the run has
    one; else from the version's stored index arrays (memory-mapped); else read from its shards."""
    if version is None:
        return None
    if index is not None:
        return ParentIds(version, index.parts)
    entries = (store.manifest(version).get("index") or {}).get("parts")
    if entries is not None:
        return ParentIds(version, [IdBlob(load_array(store.root, e["arrays"]["ids"]),
                                          load_array(store.root, e["arrays"]["id_offsets"])) for e in entries])
    return ParentIds(version, [IdList([str(record["id"]) for record in store.iter_records(version)])])


def version_index(store: Store, version: str, config: DedupConfig) -> DedupIndex:
    """An index of `version`: its stored index parts, memory-mapped (nothing re-hashed), or, for a
    version without a usable stored index (made before it, with --no-dedup, or another shingling),
    one part built by re-reading its records."""
    index = DedupIndex(config)
    manifest = store.manifest(version)
    parts = _stored_parts(store, manifest, index.params)
    if parts is None:
        texts = ((str(r["id"]), str(r.get("text", ""))) for r in store.iter_records(version))
        part = index.part_from_texts(texts, version=version, text_of=ShardTexts(store.root, manifest["shards"]))
        part.shards = [{"path": s["path"], "documents": s["documents"]} for s in manifest["shards"]]
        parts = [part]
    index.parts.extend(parts)
    return index


def _stored_parts(store: Store, manifest: dict[str, Any], params: IndexParams) -> list[Part] | None:
    entries = (manifest.get("index") or {}).get("parts")
    if entries is None:
        return None
    stored = [IndexParams.from_json(entry["params"]) for entry in entries]
    if not all(params.can_read(p) for p in stored):
        return None
    return [Part.from_arrays(params, p, load_arrays(store.root, entry), version=str(entry["version"]),
                             entry=entry, text_of=ShardTexts(store.root, entry["shards"]))
            for p, entry in zip(stored, entries, strict=True)]


def _index_entry(writer: VersionWriter, index: DedupIndex) -> dict[str, Any]:
    """The manifest's `index`: the parent's parts by reference, a re-read parent written as a new
    part, and the part of this run's kept documents (store/index.py)."""
    parts = [part.entry if part.entry is not None else
             _write_part(writer, part.arrays(), index.params, version=part.version, shards=part.shards)
             for part in index.parts]
    parts.append(_write_part(writer, index.new_part_arrays(), index.params, version=None, shards=None))
    return {"parts": parts}


def _write_part(writer: VersionWriter, arrays: dict[str, Any], params: IndexParams, *, version: str | None,
                shards: list[dict[str, Any]] | None) -> dict[str, Any]:
    return {"version": version, "documents": int(len(arrays["exact"])), "shards": shards,
            "params": params.to_json(), "arrays": {name: writer.add_array(a) for name, a in arrays.items()}}


def store_index(path: str | Path, config: DedupConfig) -> DedupIndex | None:
    """An index of the latest version of the store at `path` (None if it has no version yet)."""
    store = Store(Path(path))
    latest = store.latest()
    return version_index(store, latest, config) if latest else None


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


def _run_fields(config: CleanConfig, ruleset: RuleSet, *, store: Path | None, parent: str | None,
                started: float) -> dict[str, Any]:
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "tool": f"curate {__version__}",
        "config_digest": config.digest(),
        "rules_digest": ruleset.digest(),
        "rules": len(ruleset),
        "store": str(store) if store is not None else None,
        "parent": parent,
        "elapsed_seconds": round(time.monotonic() - started, 3),
    }


def write_stream_reports(files: Sequence[InputFile], config: CleanConfig, rules: RuleSpec, ledger: Ledger,
                         reports: Path, started: float, timings: Timings | None = None) -> Path:
    """Reports for a `--stdout` run, which commits no version: staged, then renamed to <reports>/stdout/
    (with the run's `timing` when `timings` recorded it; its `reports` as in `_staged_reports`)."""
    run = _run_fields(config, rules.load(), store=None, parent=None, started=started)
    with StagedReports(Path(reports), STREAM_REPORTS) as staged:
        with timings.timed("reports") if timings is not None else contextlib.nullcontext():
            infos = input_infos(files, config.read.follow_links)
            write_file_reports(staged.folder, ledger, infos)
            stats = audit_stats(ledger, None)
        if timings is not None:
            run["timing"] = timings.to_json()
        write_summary(staged.folder, ledger=ledger, inputs=infos, version=None, run=run, stats=stats)
    return staged.publish()
