"""A gradient-boosted tree model shipped as data, evaluated with numpy (issue 19).

The model is JSON (no pickle): the feature names it was trained on and, for all its trees together,
one flat array per node field. Node `i` splits on column `feature[i]` and goes to `left[i]` when the
value is at most `threshold[i]` (LightGBM's numerical decision), else to `right[i]`; a leaf points to
itself on both sides with an infinite threshold, so every row can take the same number of steps
(`depth`) through every tree at once. A row's raw score is the sum of its leaves' `value`, added tree
by tree in training order as LightGBM adds them, so the numbers are LightGBM's to the last bit.
The training side (curate.train.model) writes the file; this module never imports a training library.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

FORMAT: Final = "curate.trees/1"
MODEL_FILE: Final = "content_model.json"  # the shipped block classifier, next to this module


@dataclass(frozen=True)
class TreeModel:
    """Trees as flat node arrays; see the module doc for how a row walks them."""

    names: tuple[str, ...]
    roots: npt.NDArray[np.int64]
    feature: npt.NDArray[np.int64]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    depth: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TreeModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model: format {data.get('format')!r}")
        nodes = data["nodes"]
        return cls(tuple(data["features"]), np.array(data["roots"], dtype=np.int64),
                   np.array(nodes["feature"], dtype=np.int64),
                   np.array([float(t) for t in nodes["threshold"]], dtype=np.float64),
                   np.array(nodes["left"], dtype=np.int64), np.array(nodes["right"], dtype=np.int64),
                   np.array(nodes["value"], dtype=np.float64), int(data["depth"]))

    @classmethod
    def load(cls, path: Path) -> TreeModel:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def raw(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The summed leaf values of each row (LightGBM's raw score)."""
        if rows.ndim != 2 or rows.shape[1] != len(self.names):
            raise ValueError(f"expected rows of {len(self.names)} features, got shape {rows.shape}")
        if not len(rows):
            return np.zeros(0)
        nodes = np.broadcast_to(self.roots, (len(rows), len(self.roots))).copy()
        index = np.arange(len(rows))[:, None]
        for _ in range(self.depth):
            go_left = rows[index, self.feature[nodes]] <= self.threshold[nodes]
            nodes = np.where(go_left, self.left[nodes], self.right[nodes])
        leaves = self.value[nodes]
        total = np.zeros(len(rows))
        for column in leaves.T:  # tree by tree, in order: the sum LightGBM computes
            total += column
        return total

    def probability(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The positive class's probability (the logistic of the raw score)."""
        result: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-self.raw(rows)))
        return result


@cache
def shipped_model() -> TreeModel:
    """The block classifier that ships inside the package (trained by bench/content_model.py on
    the development sets, `make model`), loaded once per process."""
    text = resources.files("curate.steps.extract").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return TreeModel.from_json(json.loads(text))
