"""Posting lists as arrays: the same positions as sets would give."""

from __future__ import annotations

import random

from graph.postings import Postings, grams, holding_all


def test_intersections_match_python_sets() -> None:
    rng = random.Random(4)
    texts = ["".join(rng.choices("温州瓯海鹿城龙湾", k=rng.randint(0, 6))) for _ in range(2000)]
    postings = Postings.of_grams(grams(t, 1) for t in texts)
    as_sets = {c: {i for i, t in enumerate(texts) if c in t} for c in "温州瓯海鹿城龙湾"}
    for _ in range(200):
        wanted = rng.sample(sorted(as_sets), rng.randint(1, 4))
        expected = sorted(set.intersection(*(as_sets[c] for c in wanted)))
        assert holding_all([postings.get(c) for c in wanted]).tolist() == expected
    assert holding_all([postings.get("温"), postings.get("无")]).tolist() == []
    assert holding_all([]).tolist() == []
