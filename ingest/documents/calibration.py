"""A mention's calibrated confidence: how often a mention like it was right on the dev set.

Each mention read with the second reader on is described by a few named features (who
proposed it, what the rules thought of it, what the model's span looks like); a logistic
model over them, fitted on the dev-set parts one may tune on (``bench/reader_calibrate.py``),
turns them into the probability that the mention is right, span and type. The weights
live in ``second_reader.json`` beside this module, with each feature's meaning and an
example, so a reviewer can sort by the confidence and a user can accept above a threshold.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from schema import EntityType

from .mentions import Mention
from .patterns import SUFFIX_PATTERN

#: where the fitted weights are, in this package
DATA_FILE = "second_reader.json"
#: a name the model read that runs over a joining word or a verb is two names or a clause
JOINED = re.compile(r"[与和及、,，]|投资|建设|会同|联合|依托|共建|签约|合作|引进|推动")
#: a place and its level alone (温州市, 山东省) is no organisation
_PLACE_ONLY = re.compile(r"^[\u4e00-\u9fff]{1,4}[省市区县镇]$|^中国$")


def _ends_in_kind_word(name: str) -> bool:
    return any(m.end() == len(name) for m in SUFFIX_PATTERN.finditer(name))


def features(mention: Mention, text: str) -> dict[str, float]:
    """The named features of a mention read by both readers (see ``second_reader.json``)."""
    name = text[mention.start:mention.end]
    rules = "rules" in mention.readers
    model = "model" in mention.readers
    alone = model and not rules
    return {
        "agree": float(rules and model and mention.rule_span is None),
        "extended": float(mention.rule_span is not None),
        "disagree": float(rules and not model and mention.model_span is not None),
        "rules_alone": float(rules and mention.model_span is None),
        "model_alone": float(alone),
        "rule_confidence": mention.rule_confidence or 0.0,
        "known": float(mention.known is not None),
        "repeat": float(mention.method == "document"),
        "listed": float(mention.method == "list"),
        "team": float(mention.type is EntityType.talent_team),
        "model_kind_word": float(alone and _ends_in_kind_word(name)),
        "model_short": float(alone and len(name) <= 2),
        "model_government": float(alone and mention.type is EntityType.government),
        "model_joined": float(alone and JOINED.search(name) is not None),
        "model_place": float(alone and _PLACE_ONLY.match(name) is not None),
    }


@dataclass(frozen=True)
class Calibration:
    """Weights of the logistic model and the floor below which a name only the model read
    is dropped."""

    weights: dict[str, float]
    intercept: float
    floor: float

    def confidence(self, values: dict[str, float]) -> float:
        """Probability that a mention with these feature values is right."""
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in values.items())
        return round(1.0 / (1.0 + math.exp(-z)), 3)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibration:
        return cls({k: float(v["weight"]) for k, v in data["features"].items()},
                   float(data["intercept"]), float(data["model_only_floor"]))


@cache
def calibration() -> Calibration:
    """The shipped calibration (``second_reader.json``)."""
    raw = resources.files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return Calibration.from_json(json.loads(raw))
