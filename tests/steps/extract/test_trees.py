"""The numpy tree evaluator: a hand-made tree, and LightGBM's own predictions reproduced exactly."""

from __future__ import annotations

import json

import numpy as np
import pytest

from curate.steps.extract.trees import FORMAT, TreeModel

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
