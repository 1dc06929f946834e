"""Train the block classifier and export it as data (curate.steps.extract.trees reads it).

LightGBM's gradient-boosted trees with a fixed seed and `deterministic` on, so the same rows give
the same trees byte for byte; missing values are off (no feature is ever NaN), so every split is the
plain `value <= threshold` that the numpy evaluator walks. LightGBM is imported inside the functions
that need it: it is the `train` extra (`pip install 'curate[train]'`), never a run-time dependency.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from curate.steps.extract.trees import FORMAT, TreeModel


@dataclass(frozen=True)
class TrainConfig:
    """LightGBM's settings for the block classifier (small trees, many of them, slow learning)."""

    trees: int = 300
    leaves: int = 31
    learning_rate: float = 0.05
    min_child_samples: int = 20
    feature_fraction: float = 0.8
    seed: int = 19
    threads: int = 2

    def params(self) -> dict[str, Any]:
        return {"objective": "binary", "num_leaves": self.leaves, "learning_rate": self.learning_rate,
                "min_child_samples": self.min_child_samples, "feature_fraction": self.feature_fraction,
                "seed": self.seed, "deterministic": True, "force_col_wise": True,
                "num_threads": self.threads, "use_missing": False, "verbose": -1}


def train(rows: npt.NDArray[np.float64], labels: npt.NDArray[np.int64],
          weights: npt.NDArray[np.float64] | None = None, config: TrainConfig = TrainConfig()) -> Any:
    """A LightGBM booster fitted to the rows (labels 0/1)."""
    import lightgbm

    data = lightgbm.Dataset(rows, label=labels, weight=weights, free_raw_data=True)
    return lightgbm.train(config.params(), data, num_boost_round=config.trees)


def export(booster: Any, names: Sequence[str]) -> dict[str, Any]:
    """The booster as a `curate.trees/1` JSON object (see curate.steps.extract.trees)."""
    dump = booster.dump_model()
    nodes: dict[str, list[Any]] = {"feature": [], "threshold": [], "left": [], "right": [], "value": []}
    roots, depth = [], 0
    for tree in dump["tree_info"]:
        roots.append(len(nodes["feature"]))
        depth = max(depth, _flatten(tree["tree_structure"], nodes, 0))
    return {"format": FORMAT, "features": list(names), "roots": roots, "depth": depth, "nodes": nodes}


def _flatten(node: dict[str, Any], nodes: dict[str, list[Any]], level: int) -> int:
    """Append a subtree's nodes (the node first); return the subtree's depth below `level`."""
    at = len(nodes["feature"])
    for key in nodes:
        nodes[key].append(0)
    if "leaf_value" in node:
        nodes["threshold"][at], nodes["left"][at], nodes["right"][at] = "inf", at, at
        nodes["value"][at] = float(node["leaf_value"])
        return level
    if node.get("decision_type") != "<=" or node.get("missing_type") not in ("None", None):
        raise ValueError(f"unsupported split: {node.get('decision_type')} {node.get('missing_type')}")
    nodes["feature"][at], nodes["threshold"][at] = int(node["split_feature"]), float(node["threshold"])
    nodes["left"][at] = len(nodes["feature"])
    deepest = _flatten(node["left_child"], nodes, level + 1)
    nodes["right"][at] = len(nodes["feature"])
    return max(deepest, _flatten(node["right_child"], nodes, level + 1))


def dumps(model: dict[str, Any]) -> str:
    """The model file's text: compact, keys in order, floats as Python writes them (they read back
    bit for bit), so the same model always gives the same bytes."""
    return json.dumps(model, separators=(",", ":"), allow_nan=False) + "\n"


def fit(rows: npt.NDArray[np.float64], labels: npt.NDArray[np.int64], names: Sequence[str],
        weights: npt.NDArray[np.float64] | None = None,
        config: TrainConfig = TrainConfig()) -> tuple[Any, TreeModel]:
    """Train, export and load back: the booster and the numpy model that reproduces it."""
    booster = train(rows, labels, weights, config)
    return booster, TreeModel.from_json(json.loads(dumps(export(booster, names))))
