"""The real collaboration networks the partner benchmarks run on, and each one's temporal
split, each fixed before the network's first evaluation (``bench/RESULTS.md`` says which
were run).

A network is read from a shipped copy or, for the programmes whose dumps are too large to
ship, from a copy the user downloads and passes with ``--data``: a ``.zip`` is read as
CORDIS's CSV dump (:func:`bench.cordis.read_dump`), anything else as a processed table like
the shipped H2020 one (:func:`bench.cordis.read`).

Splits follow the H2020 one: the graph is the ties first formed up to ``graph_to``; the
answers are the pairs first tied from ``answers_from`` on; a model is trained on the graph
up to ``train_graph_to`` with labels = the new ties of ``train_labels`` (nothing from
``answers_from`` on is read in training).

| name | programme | projects start | graph ≤ | answers ≥ | train: graph ≤ / labels |
|---|---|---|---|---|---|
| h2020 | Horizon 2020 (shipped, processed) | 2014–2022 | 2018 | 2019 | 2017 / 2018 |
| fp7 | FP7 (user's copy of the CORDIS dump) | 2007– | 2011 | 2012 | 2010 / 2011 |
| horizon | Horizon Europe (user's copy) | 2021– | 2023 | 2024 | 2022 / 2023 |
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import cordis

OUT = Path(__file__).resolve().parent / "out"


@dataclass(frozen=True)
class RealNetwork:
    name: str
    title: str
    shipped: Path | None  # the copy in bench/data, or None: the user passes --data
    download: str  # where a copy comes from
    graph_to: int
    answers_from: int
    train_graph_to: int
    train_labels: tuple[int, int]
    folder: str  # under bench/out: where its store is built

    def store(self, data: Path | None = None, fresh: bool = False) -> Path:
        """The network's store (built once through the real ingest; see
        :func:`bench.cordis.store_path`) from ``data`` or the shipped copy."""
        path = data or self.shipped
        if path is None:
            raise SystemExit(
                f"--network {self.name}: no copy of {self.title} is shipped (too large); "
                f"download {self.download} and pass its path with --data")
        if not path.is_file():
            raise SystemExit(f"--data {path}: no such file")
        # the store is rebuilt when the data differs (name and size) from what built it
        version = "" if data is None else f"{path.name} {path.stat().st_size}\n"
        return cordis.store_path(OUT / self.folder, fresh=fresh,
                                 build=lambda: reader(path)(path), version=version)


NETWORKS: dict[str, RealNetwork] = {n.name: n for n in (
    RealNetwork("h2020", "CORDIS Horizon 2020 participations", cordis.DATA,
                "bench/data/cordis_h2020/ (shipped)", 2018, 2019, 2017, (2018, 2018),
                "cordis"),
    RealNetwork("fp7", "the CORDIS FP7 projects dump", None,
                "https://cordis.europa.eu/data/cordis-fp7projects-csv.zip",
                2011, 2012, 2010, (2011, 2011), "cordis_fp7"),
    RealNetwork("horizon", "the CORDIS Horizon Europe projects dump", None,
                "https://cordis.europa.eu/data/cordis-HORIZONprojects-csv.zip",
                2023, 2024, 2022, (2023, 2023), "cordis_horizon"),
)}


def reader(path: Path) -> Callable[[Path], cordis.Network]:
    """How a copy is read: a ``.zip`` as CORDIS's dump, anything else as a processed table."""
    return cordis.read_dump if path.suffix.lower() == ".zip" else cordis.read


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--network`` and ``--data``, as every partner benchmark takes them."""
    parser.add_argument("--network", choices=sorted(NETWORKS), default="h2020",
                        help="which real network (default h2020, shipped)")
    parser.add_argument("--data", type=Path, default=None,
                        help="a copy of the network's data: the CORDIS CSV dump (.zip) or a "
                        "processed table like bench/data/cordis_h2020/h2020.csv.gz; required "
                        "for fp7 and horizon")
