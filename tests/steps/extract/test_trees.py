"""The numpy tree evaluator: a hand-made tree, LightGBM's own predictions reproduced exactly, and the
shipped model (its columns, size, load time, and a first sanity check of its judgement)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from curate.steps.extract import Extract, ExtractConfig
from curate.steps.extract.features import FEATURE_NAMES, block_features
from curate.steps.extract.trees import FORMAT, MODEL_FILE, TreeModel, shipped_model

# x0 <= 0.5 ? (x1 <= 2 ? 1.0 : 2.0) : -1.0, plus a one-leaf tree adding 0.25
HAND = {"format": FORMAT, "features": ["x0", "x1"], "roots": [0, 5], "depth": 2,
        "nodes": {"feature": [0, 1, 0, 0, 0, 0], "threshold": [0.5, 2.0, "inf", "inf", "inf", "inf"],
                  "left": [1, 2, 2, 3, 4, 5], "right": [4, 3, 2, 3, 4, 5],
                  "value": [0, 0, 1.0, 2.0, -1.0, 0.25]}}


def test_a_hand_made_model() -> None:
    model = TreeModel.from_json(json.loads(json.dumps(HAND)))
    rows = np.array([[0.0, 1.0], [0.5, 2.0], [0.0, 3.0], [0.6, 0.0]])
    assert model.raw(rows).tolist() == [1.25, 1.25, 2.25, -0.75]
    assert model.probability(rows)[3] == pytest.approx(1 / (1 + np.exp(0.75)))
    assert model.raw(np.zeros((0, 2))).shape == (0,)


def test_rows_of_the_wrong_width_and_other_formats_are_refused() -> None:
    model = TreeModel.from_json(HAND)
    with pytest.raises(ValueError, match="2 features"):
        model.raw(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="format"):
        TreeModel.from_json({**HAND, "format": "other"})


def test_the_evaluator_reproduces_lightgbm_exactly() -> None:
    pytest.importorskip("lightgbm")
    from curate.train.model import TrainConfig, dumps, export, fit

    rng = np.random.default_rng(0)
    rows = rng.normal(size=(600, 6))
    rows[:, 2] = rng.integers(0, 2, 600)
    labels = ((rows[:, 0] + 2 * rows[:, 2] + rng.normal(size=600)) > 1).astype(np.int64)
    names = [f"f{i}" for i in range(6)]
    config = TrainConfig(trees=20, leaves=7, threads=1)
    booster, model = fit(rows, labels, names, config=config)
    test = np.vstack([rng.normal(size=(300, 6)), rows[:50]])
    assert np.array_equal(model.raw(test), booster.predict(test, raw_score=True))
    assert np.array_equal(model.probability(test), booster.predict(test))
    again, _ = fit(rows, labels, names, config=config)  # a fixed seed: the same file, byte for byte
    assert dumps(export(again, names)) == dumps(export(booster, names))


def test_the_shipped_model_reads_the_features_of_today() -> None:
    """Retrain (`make model`) whenever the features change: the model refuses other columns."""
    assert shipped_model().names == FEATURE_NAMES
    assert (resources.files("curate.steps.extract") / MODEL_FILE).stat().st_size <= 5_000_000


def test_the_shipped_model_loads_fast_and_tells_prose_from_a_menu() -> None:
    started = time.perf_counter()
    model = TreeModel.from_json(json.loads((resources.files("curate.steps.extract") / MODEL_FILE).read_text()))
    assert time.perf_counter() - started < 0.2
    menu = "".join(f'<li><a href="/{w}">{w}</a></li>' for w in ["Home", "News", "Sport", "Contact"])
    prose = ("<p>The council met on Tuesday evening to discuss the new bridge, which has been delayed "
             "by two years because of the rising costs of steel and the lack of workers.</p>")
    page = f"<html><body><div class=menu><ul>{menu}</ul></div><div class=story>{prose * 4}</div></body></html>"
    blocks = Extract(ExtractConfig()).page_blocks(page)
    p = model.probability(block_features(blocks, page, "https://example.com/news/bridge"))
    assert blocks[0].text.startswith("Home") and p[0] < 0.5 < p[1]


def test_run_time_never_imports_a_training_library() -> None:
    code = ("import sys; sys.modules.update(lightgbm=None, sklearn=None); "
            "import curate.steps.extract.trees, curate.steps.extract.features, curate.steps.extract.step; "
            "curate.steps.extract.trees.shipped_model()")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[3])
