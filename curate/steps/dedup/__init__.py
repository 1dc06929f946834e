"""Deduplication: exact and MinHash LSH (`step`; its config, fingerprints and index in `fingerprint`,
over `minhash` and `index`), on Dask (`relay`), common paragraphs (`paragraphs`) and the parent
version's ids (`parent_ids`).
"""

from curate.steps.dedup.fingerprint import DedupConfig
from curate.steps.dedup.step import Dedup

__all__ = ["DedupConfig", "Dedup"]
