"""A real organisation collaboration network: CORDIS Horizon 2020 participations.

Source: ``bench/data/cordis_h2020/`` (see its SOURCE.md: European Commission, CORDIS,
2020-12-14, CC BY 4.0; processed by zambujo/eunets, MIT). One row per participation:
project (``rcn``), organisation (``pic``), organisation type, country, project start.

Network rule (fixed before any evaluation; it gives the issue's figures: 22,462
organisations and 376,679 ties from projects started up to 2018):

- two organisations are tied when they take part in the same project with 2 to
  :data:`MAX_CONSORTIUM` organisations (larger consortia tie everyone to everyone and
  say little about who chose whom);
- a tie's year is the start year of the first project the pair shares, and its history
  (``years``, :mod:`schema.history`) the start year of every project it shares
  (``2015:1;2017:2``: one project started in 2015, two in 2017);
- organisations become innograph entities (:data:`TYPES`: HES universities and REC research
  organisations → ``institute``, PRC companies → ``enterprise``, PUB public bodies →
  ``government``, OTH other → ``platform``; the CORDIS code is kept in ``subtype``), each
  ``located_in`` its country (a ``region``); ties become ``partnership`` relations of kind
  联合申报 (joint application) with their ``year``.

:func:`write_tables` writes the entities and relations as the ingest's CSV tables, so the
benchmark loads them through the real loader into a real store.
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from schema import EntityType
from schema.history import years_text

DATA = Path(__file__).resolve().parent / "data" / "cordis_h2020" / "h2020.csv.gz"
MAX_CONSORTIUM = 30
#: what a built store holds (a store built by code before it is rebuilt): 2 = tie histories
STORE_VERSION = "2: ties with the start year of every shared project\n"
KIND = "联合申报"
TYPES: dict[str, tuple[EntityType, str]] = {
    "HES": (EntityType.institute, "高校 (CORDIS HES)"),
    "REC": (EntityType.institute, "科研机构 (CORDIS REC)"),
    "PRC": (EntityType.enterprise, "企业 (CORDIS PRC)"),
    "PUB": (EntityType.government, "公共机构 (CORDIS PUB)"),
    "OTH": (EntityType.platform, "其他机构 (CORDIS OTH)"),
}


@dataclass
class Network:
    """Organisations (id → type code, country) and ties ((a, b) with a < b → first year,
    and → the start year of every project the pair shares, with how many)."""

    kind: dict[str, str] = field(default_factory=dict)
    country: dict[str, str] = field(default_factory=dict)
    first_year: dict[tuple[str, str], int] = field(default_factory=dict)
    history: dict[tuple[str, str], Counter[int]] = field(default_factory=dict)

    def entity_id(self, pic: str) -> str:
        return f"{TYPES[self.kind[pic]][0].value}:PIC{pic}"

    def ties(self, year_from: int | None = None,
             year_to: int | None = None) -> set[tuple[str, str]]:
        """Ties (as entity-id pairs, sorted) first formed within the years."""
        lo, hi = year_from or 0, year_to or 9999
        out = set()
        for (a, b), year in self.first_year.items():
            if lo <= year <= hi:
                x, y = self.entity_id(a), self.entity_id(b)
                out.add((x, y) if x < y else (y, x))
        return out


def read(path: Path = DATA, max_consortium: int = MAX_CONSORTIUM) -> Network:
    """The co-participation network (see the module docstring)."""
    members: dict[str, set[str]] = defaultdict(set)
    start: dict[str, int] = {}
    net = Network()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            year = row["start_year"]
            if not year or year == "NA" or row["type"] not in TYPES:
                continue
            pic, rcn = row["pic"], row["rcn"]
            members[rcn].add(pic)
            start[rcn] = int(float(year))
            net.kind.setdefault(pic, row["type"])
            if row["country"] and row["country"] != "NA":
                net.country.setdefault(pic, row["country"])
    for rcn in sorted(members, key=lambda r: (start[r], r)):
        orgs = sorted(members[rcn])
        if not 2 <= len(orgs) <= max_consortium:
            continue
        for a, b in combinations(orgs, 2):
            if (a, b) not in net.first_year:
                net.first_year[(a, b)] = start[rcn]
                net.history[(a, b)] = Counter()
            net.history[(a, b)][start[rcn]] += 1
    return net


def write_tables(net: Network, folder: Path) -> None:
    """``entities.csv`` and ``relations.csv`` in the ingest's format (ids given)."""
    folder.mkdir(parents=True, exist_ok=True)
    tied = {p for pair in net.first_year for p in pair}
    countries = sorted({net.country[p] for p in tied if p in net.country})
    with open(folder / "entities.csv", "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "name", "type", "subtype"])
        for code in countries:
            out.writerow([f"region:{code}", code, "region", "国家"])
        for pic in sorted(tied):
            kind, subtype = TYPES[net.kind[pic]]
            out.writerow([net.entity_id(pic), f"PIC{pic}", kind.value, subtype])
    with open(folder / "relations.csv", "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["source", "target", "relation", "kind", "year", "years"])
        for pic in sorted(tied):
            if pic in net.country:
                out.writerow([net.entity_id(pic), f"region:{net.country[pic]}", "located_in",
                              "", "", ""])
        for (a, b), year in sorted(net.first_year.items()):
            out.writerow([net.entity_id(a), net.entity_id(b), "partnership", KIND, year,
                          years_text(net.history[(a, b)])])


def summary(net: Network, years: Iterable[int] = (2016, 2018)) -> list[str]:
    lines = []
    for year in years:
        ties = net.ties(year_to=year)
        orgs = {v for pair in ties for v in pair}
        lines.append(f"up to {year}: {len(orgs):,} organisations, {len(ties):,} ties")
    return lines


def store_path(folder: Path | None = None, fresh: bool = False) -> Path:
    """A LadybugDB store holding the whole network (every year), loaded through the real
    loader from the CSV tables :func:`write_tables` writes; built once under ``folder``
    (default ``bench/out/cordis``) and reused unless ``fresh``."""
    import shutil

    from graph.store import open_store
    from ingest.loader import load_paths

    folder = folder or Path(__file__).resolve().parent / "out" / "cordis"
    store, done = folder / "store", folder / "store.loaded"
    if done.exists() and done.read_text() == STORE_VERSION and not fresh:
        return store
    shutil.rmtree(folder, ignore_errors=True)
    write_tables(read(), folder / "tables")
    with open_store(store) as opened:
        loaded = load_paths(opened, [folder / "tables"])
        if loaded.rejected:
            raise RuntimeError(f"CORDIS load rejected {loaded.rejected} rows: "
                               f"{loaded.rejects[:3]}")
    done.write_text(STORE_VERSION)
    return store
