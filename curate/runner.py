"""The library behind `curate clean` and the one-step commands.

`clean_to_store` runs the whole pipeline into a new store version and writes its reports;
`clean_documents` runs it as a stream (for `--stdout`). Both account for every document in a Ledger.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from curate.config import CleanConfig
from curate.document import Document, Failed
from curate.engines.dask import DaskSession
from curate.engines.dask_dedup import DaskDedup
from curate.engines.local import LocalEngine
from curate.engines.progress import ReadProgress
from curate.engines.timing import Timings
from curate.errors import RuleError
from curate.inputs import InputFile, discover, file_digest, read_inputs
from curate.pipeline import DEFAULT_TIME_LIMIT, DocumentStep, Ledger, Step, run_steps
from curate.reports import InputInfo, write_json, write_reports
from curate.reports.learned import learned_report, write_learned
from curate.rules import RuleSet, default_pack_files, load_ruleset, pack_files
from curate.steps.dedup import Dedup, DedupConfig, DedupIndex
from curate.steps.dedup_index import IndexParams, Part
from curate.steps.dedup_paragraphs import ParagraphDedup
from curate.steps.dedup_relay import FingerprintRelay
from curate.steps.extract import Extract
from curate.steps.filter import Filter
from curate.steps.langid import Langid
from curate.steps.learn import LearnRepeated
from curate.steps.repair import Repair
from curate.steps.strip import Strip
from curate.store import Store, VersionWriter
from curate.store.index import ShardTexts, load_arrays
from curate.version import __version__


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
             time_limit: float | None = DEFAULT_TIME_LIMIT, timings: Timings | None = None) -> list[Step]:
    """The steps of `clean`; with a Dask session, the per-document steps and dedup run on its cluster.
    `time_limit`: seconds per document in the per-document steps (None: no limit)."""
    factory = functools.partial(document_steps, config, rules)
    # The workers fingerprint what they keep for dedup (steps/dedup_relay.py); not on Dask.
    relay = FingerprintRelay(config.dedup) if config.dedup_enabled and dask is None else None
    steps: list[Step] = [LocalEngine(factory, workers, time_limit, timings, follow_up=relay) if dask is None
                         else dask.engine(factory, timings, time_limit)]
    if config.strip.learn.min_documents > 0:  # per-source learning needs documents of many pages
        steps.append(learn if learn is not None else LearnRepeated(config.strip.learn))
    if config.dedup_enabled:
        if config.dedup.common_paragraphs:
            steps.append(ParagraphDedup(config.dedup))
        steps.append(Dedup(config.dedup, index, relay) if dask is None else DaskDedup(dask, config.dedup, index))
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
                    progress: ReadProgress | None = None) -> Iterator[Document]:
    """Run the pipeline over the inputs; yield kept documents in input order. Pass `learn` to read
    what per-source learning found once the stream is consumed; `dask`, an open session, to run on Dask;
    `timings` to record where the time goes; `progress` to show what has been read."""
    items: Iterable[Document | Failed] = read_inputs(files, config.read)
    if progress is not None:
        items = progress.track(items)
    steps = pipeline(config, rules, workers, index, learn, dask, time_limit=time_limit, timings=timings)
    return run_steps(items, steps, ledger, timings)


def input_infos(files: Sequence[InputFile]) -> list[InputInfo]:
    infos = []
    for file in files:
        sha256, size = file_digest(file.path)
        infos.append(InputInfo(source=file.source, sha256=sha256, bytes=size))
    return infos


def clean_to_store(files: Sequence[InputFile], config: CleanConfig, rules: RuleSpec, *, store: Path,
                   reports: Path | None, workers: int | None = None, fresh: bool = False,
                   message: str = "", progress: ReadProgress | None = None, dask: DaskSession | None = None,
                   time_limit: float | None = DEFAULT_TIME_LIMIT) -> CleanResult:
    """Clean the inputs into a new immutable version of `store`; write its reports (summary.json
    with `timing`: seconds per step, see engines/timing.py)."""
    started = time.monotonic()
    timings = Timings()
    ledger = Ledger()
    ruleset = rules.load()
    with timings.timed("inputs"):  # the sha256 of every input file, for the manifest
        infos = input_infos(files)
    with Store(store).writer(fresh=fresh, message=message) as writer:
        with timings.timed("index"):  # the parent version's dedup index, loaded or rebuilt
            index = _parent_index(Store(store), writer.parent, config) if config.dedup_enabled else None
        learn = LearnRepeated(config.strip.learn)
        for doc in clean_documents(files, config, rules, ledger, workers=workers, index=index, learn=learn,
                                   dask=dask, time_limit=time_limit, timings=timings, progress=progress):
            with timings.timed("write"):
                writer.add(doc)
        with timings.timed("commit"):
            version = writer.commit(
            inputs=_manifest_inputs(infos, ledger),
            counts=ledger.total.to_json(),
            config_digest=config.digest(),
            rules_digest=ruleset.digest(),
            config=config.to_json(),
                index=_index_entry(writer, index) if index is not None else None,
            )
    run = _run_fields(config, ruleset, store=store, parent=writer.parent, started=started)
    if reports is None:
        return CleanResult(ledger=ledger, version=version)
    with timings.timed("reports"):
        if config.strip.learn.min_documents > 0:
            run["learned"] = _write_learned(Path(reports) / version, learn, config)
        run["timing"] = timings.to_json()
        folder = write_reports(Path(reports) / version, ledger=ledger, inputs=infos, version=version, run=run)
    _add_report_timing(folder, timings)
    return CleanResult(ledger=ledger, version=version, reports=folder)


def _add_report_timing(folder: Path, timings: Timings) -> None:
    """summary.json is written before the reports are done; add the seconds they took to it."""
    path = folder / "summary.json"
    summary = orjson.loads(path.read_bytes())
    summary["timing"]["main"]["reports"] = timings.main["reports"].to_json(documents=False)
    write_json(path, summary)


def _write_learned(directory: Path, learn: LearnRepeated, config: CleanConfig) -> dict[str, Any]:
    """learned.json (per source, the template lines learning removed); the summary's pointer to it."""
    report = learned_report(learn.learned, learn.documents, config.strip.learn.min_documents)
    return write_learned(directory, report)


def _parent_index(store: Store, parent: str | None, config: CleanConfig) -> DedupIndex:
    """New documents are deduplicated against everything the parent version already holds."""
    if parent is None:
        return DedupIndex(config.dedup)
    return version_index(store, parent, config.dedup)


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
    """Reports for a `--stdout` run, which commits no version: written to <reports>/stdout/ (with the
    run's `timing` when `timings` recorded it)."""
    run = _run_fields(config, rules.load(), store=None, parent=None, started=started)
    if timings is None:
        return write_reports(Path(reports) / "stdout", ledger=ledger, inputs=input_infos(files), version=None,
                             run=run)
    with timings.timed("reports"):
        run["timing"] = timings.to_json()
        folder = write_reports(Path(reports) / "stdout", ledger=ledger, inputs=input_infos(files), version=None,
                               run=run)
    _add_report_timing(folder, timings)
    return folder
