"""Deduplication: exact and MinHash LSH (`step`, `minhash`, `index`), on Dask (`relay`), common
paragraphs (`paragraphs`) and the parent version's ids (`parent_ids`).
"""

from curate.steps.dedup.step import Dedup, DedupConfig

__all__ = ["DedupConfig", "Dedup"]
