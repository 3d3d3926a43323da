"""The learned combination of the partner features: small boosted trees in a JSON file.

logit(u, v) = b + Σ_t tree_t(x),  score = 1 / (1 + e^−logit),

x the candidate's features (:data:`.partner_features.FEATURES`), each tree a binary tree of
splits "x_f ≤ threshold" with a value on every node. Evaluated with numpy alone (no
scikit-learn at run time): every row walks every tree, all rows at once, one level at a
time.

**Effects.** Walking a tree from its root to a leaf, each split on feature f moves the
value from the node's to the child's; feature f's effect is the sum of those moves over
every tree (the path attribution of Saabas). So

logit = b + Σ_t root_t + Σ_f effect_f

exactly: effect_f is how far feature f moved this candidate's logit from the model's
average candidate (b + Σ_t root_t). The explanations name the features with the largest
positive effects (:mod:`.explain`), and tests check that they add up.

The shipped trees (``partner_model.json``) are fitted by ``bench/partner_train.py`` on a
real network's own past (see there and ``bench/RESULTS.md``), deterministically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from .partner_features import FEATURES

__all__ = ["POOL", "SHIPPED", "PartnerModel", "Tree", "pool_of"]

#: the candidates the trees rank: the most structural evidence (shared partners, then r₂)
POOL = 400

SHIPPED = Path(__file__).with_name("partner_model.json")


@dataclass(frozen=True)
class Tree:
    """Node arrays; a leaf has ``left == right == -1``."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray

    @classmethod
    def from_json(cls, data: dict[str, list[float]]) -> Tree:
        return cls(np.asarray(data["feature"], dtype=np.int64),
                   np.asarray(data["threshold"], dtype=np.float64),
                   np.asarray(data["left"], dtype=np.int64),
                   np.asarray(data["right"], dtype=np.int64),
                   np.asarray(data["value"], dtype=np.float64))

    def to_json(self) -> dict[str, list[float]]:
        return {"feature": self.feature.tolist(), "threshold": self.threshold.tolist(),
                "left": self.left.tolist(), "right": self.right.tolist(),
                "value": self.value.tolist()}

    def walk(self, x: np.ndarray, effects: np.ndarray | None = None) -> np.ndarray:
        """Leaf values of every row; adds each split's move to ``effects[row, f]``."""
        node = np.zeros(len(x), dtype=np.int64)
        rows = np.arange(len(x))
        while True:
            inner = self.left[node] >= 0
            if not inner.any():
                return self.value[node]
            at = node[inner]
            go_left = x[rows[inner], self.feature[at]] <= self.threshold[at]
            child = np.where(go_left, self.left[at], self.right[at])
            if effects is not None:
                np.add.at(effects, (rows[inner], self.feature[at]),
                          self.value[child] - self.value[at])
            node[inner] = child


@dataclass(frozen=True)
class PartnerModel:
    """A base logit and boosted trees over :data:`FEATURES`."""

    base: float
    trees: tuple[Tree, ...]
    pool: int = POOL
    trained_on: str = ""

    @classmethod
    def from_json(cls, data: dict[str, object]) -> PartnerModel:
        if data.get("features") != list(FEATURES):
            raise ValueError(f"partner model features {data.get('features')} are not "
                             f"{list(FEATURES)}")
        trees = data["trees"]
        assert isinstance(trees, list)
        return cls(float(data["base"]),  # type: ignore[arg-type]
                   tuple(Tree.from_json(t) for t in trees),
                   int(data.get("pool", POOL)),  # type: ignore[call-overload]
                   str(data.get("trained_on", "")))

    def to_json(self) -> dict[str, object]:
        return {"kind": "boosted trees (logit)", "features": list(FEATURES),
                "trained_on": self.trained_on, "pool": self.pool, "base": self.base,
                "trees": [t.to_json() for t in self.trees]}

    @classmethod
    def shipped(cls) -> PartnerModel:
        """The model in ``partner_model.json`` (read once per process)."""
        return _load(str(SHIPPED))

    @property
    def average(self) -> float:
        """The logit of the model's average candidate, b + Σ_t root_t."""
        return self.base + float(sum(t.value[0] for t in self.trees))

    def logits(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        total = np.full(len(x), self.base)
        for tree in self.trees:
            total += tree.walk(x)
        return total

    def explain(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Logits and effects (rows × :data:`FEATURES`): logit = average + Σ effects."""
        x = np.asarray(x, dtype=np.float64)
        effects = np.zeros((len(x), len(FEATURES)))
        total = np.full(len(x), self.base)
        for tree in self.trees:
            total += tree.walk(x, effects)
        return total, effects


def pool_of(values: np.ndarray, size: int) -> np.ndarray:
    """Rows of the ``size`` candidates with the most shared partners, then the most
    resource r₂ (ties: row order), among those with at least one shared partner — the
    pool the trees re-rank."""
    shared = values[:, FEATURES.index("shared")]
    resource = values[:, FEATURES.index("resource")]
    order = np.lexsort((np.arange(len(values)), -resource, -shared))[:size]
    return order[shared[order] > 0]


@cache
def _load(path: str) -> PartnerModel:
    return PartnerModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
