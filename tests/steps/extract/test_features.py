"""Block features for the content model: known values for a known page, stable hashing, and the
blocks they describe are the extract step's own."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from curate.document import Document
from curate.steps.extract import Extract, ExtractConfig
from curate.steps.extract.features import FEATURE_NAMES, block_features, bucket

PAGE = """<html><head><title>T</title><meta property="og:type" content="article">
<script type="application/ld+json">{"@type": "NewsArticle"}</script></head><body>
<nav><a href="/">Home</a></nav>
<div class="post-body" id="main"><h2>The river rises</h2>
<p>The water of the river rose by two metres in the night, and the town was flooded again.</p>
<ul class="share"><li><a href="/s">Share this</a></li></ul></div>
<footer>Copyright</footer></body></html>"""
URL = "https://news.example.com/2024/05/river-rises"


@pytest.fixture(scope="module")
def step() -> Extract:
    return Extract(ExtractConfig())


def column(rows: np.ndarray, name: str) -> list[float]:
    return [float(v) for v in rows[:, FEATURE_NAMES.index(name)]]


def test_the_blocks_are_the_ones_the_step_scores(step: Extract) -> None:
    blocks = step.page_blocks(PAGE)
    assert [b.text for b in blocks] == ["The river rises", "The water of the river rose by two metres "
                                        "in the night, and the town was flooded again.", "Share this"]
    text = step.apply(Document("d", "p.html", "", html=PAGE)).text
    assert all(part in [b.text for b in blocks] for part in text.split("\n\n"))


def test_features_of_known_blocks(step: Extract) -> None:
    rows = block_features(step.page_blocks(PAGE), PAGE, URL)
    assert rows.shape == (3, len(FEATURE_NAMES)) and rows.dtype == np.float64
    assert column(rows, "link_density") == [0.0, 0.0, 1.0]
    assert column(rows, "owner_h2") == [1.0, 0.0, 0.0]
    assert column(rows, "owner_p") == [0.0, 1.0, 0.0]
    assert column(rows, "heading") == [1.0, 0.0, 0.0] and column(rows, "list") == [0.0, 0.0, 1.0]
    assert column(rows, "sentence_end") == [0.0, 1.0, 0.0]
    assert column(rows, "log_words")[1] == pytest.approx(np.log1p(18))
    assert column(rows, "position") == pytest.approx([0, 1 / 3, 2 / 3])
    assert column(rows, "stop_density")[1] > 0.3  # English prose: "the", "of", "by", "in", "and"
    assert column(rows, "prev_link_density") == [0.0, 0.0, 0.0]
    assert column(rows, "next_link_density") == [0.0, 1.0, 0.0]
    assert column(rows, "url_dated") == [1.0] * 3
    assert column(rows, "prose_0") == [0.0, 1.0, 0.0]  # the one paragraph holds all the prose
    assert column(rows, "prose_1") == [1.0, 1.0, 1.0]  # and its div (every block's parent) too
    assert column(rows, "in_prose_region") == [0.0, 1.0, 0.0]  # the deepest element holding it: the <p>
    assert column(rows, "blocks_1") == [1.0, 1.0, 1.0]
    assert column(rows, "prev2_heading") == [0.0, 0.0, 1.0]  # two blocks back from the share bar
    assert column(rows, "next2_heading") == [0.0, 0.0, 0.0]
    og = FEATURE_NAMES.index(f"og_{bucket('og', 'article', 8)}")
    schema = FEATURE_NAMES.index(f"schema_{bucket('schema', 'newsarticle', 16)}")
    assert (rows[:, og] == 1).all() and (rows[:, schema] == 1).all()
    near = FEATURE_NAMES.index(f"near_class_{bucket('near', 'post', 64)}")
    assert rows[1, near] == 1.0  # the <p>'s parent is div.post-body


def test_a_page_without_blocks_has_no_rows(step: Extract) -> None:
    assert block_features(step.page_blocks("<html><body> </body></html>"), "", None).shape == (0, len(FEATURE_NAMES))


def test_buckets_are_the_same_in_every_process() -> None:
    """CRC-32, not the salted hash(): another interpreter puts a word in the same bucket."""
    code = "from curate.steps.extract.features import bucket; print(bucket('far', 'sidebar', 64))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(other.stdout) == bucket("far", "sidebar", 64)
