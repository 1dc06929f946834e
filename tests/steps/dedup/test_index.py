"""Stored index parts: read back from their arrays, they answer like the live part, at any threshold."""

from __future__ import annotations

from curate import reasons
from curate.steps.dedup.fingerprint import DedupConfig, DedupIndex
from curate.steps.dedup.index import Part
from tests.steps.dedup.texts import article, one_word_changed


def test_a_stored_part_answers_like_the_live_one() -> None:
    config = DedupConfig()
    live = DedupIndex(config)
    for seed in range(5):
        live.observe(f"doc{seed}", article(seed + 20))
    arrays = live.new_part_arrays()
    part = Part.from_arrays(live.params, live.params, arrays, version="v0001", entry={})
    stored = DedupIndex(config, [part])
    found = stored.match(one_word_changed(article(22)))
    assert (found.kept_id, found.version, found.reason) == ("doc2", "v0001", reasons.NEAR_DUPLICATE)


def test_a_stored_part_serves_another_threshold_from_its_signatures() -> None:
    live = DedupIndex(DedupConfig())
    live.observe("doc", article(30))
    part = Part.from_arrays(DedupConfig(threshold=0.6).index_params(), live.params, live.new_part_arrays(),
                            version="v0001", entry={})
    stored = DedupIndex(DedupConfig(threshold=0.6), [part])
    assert stored.match(one_word_changed(article(30))).kept_id == "doc"

