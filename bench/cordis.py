"""Real organisation collaboration networks from CORDIS project participations.

Two readers feed one network rule:

- :func:`read`: the processed Horizon 2020 table shipped in ``bench/data/cordis_h2020/``
  (see its SOURCE.md: European Commission, CORDIS, 2020-12-14, CC BY 4.0; processed by
  zambujo/eunets, MIT). One row per participation: project (``rcn``), organisation
  (``pic``), organisation type, country, project start year.
- :func:`read_dump`: CORDIS's own CSV dump of a framework programme (the
  ``cordis-…projects-csv.zip`` archive of FP7, Horizon 2020 or Horizon Europe: ``project.csv``
  and ``organization.csv``, ``;``-separated), from a copy the user supplies; nothing of it is
  shipped (``bench/networks.py`` says which programme is which network).

Network rule (fixed before any evaluation; on the H2020 table it gives the issue's figures:
22,462 organisations and 376,679 ties from projects started up to 2018):

- two organisations are tied when they take part in the same project with 2 to
  :data:`MAX_CONSORTIUM` organisations (larger consortia tie everyone to everyone and
  say little about who chose whom); every role counts (coordinator, participant, partner…);
- a participation without a start year or with an organisation type outside :data:`TYPES`
  is left out (and so is its organisation, when it has no other);
- a tie's year is the start year of the first project the pair shares, and its history
  (``years``, :mod:`schema.history`) the start year of every project it shares
  (``2015:1;2017:2``: one project started in 2015, two in 2017);
- organisations become innograph entities (:data:`TYPES`: HES universities and REC research
  organisations → ``institute``, PRC companies → ``enterprise``, PUB public bodies →
  ``government``, OTH other → ``platform``; the CORDIS code is kept in ``subtype``), each
  ``located_in`` its country (a ``region``); ties become ``partnership`` relations of kind
  联合申报 (joint application) with their ``year``.

:func:`write_tables` writes the entities and relations as the ingest's CSV tables, so the
benchmarks load them through the real loader into a real store (:func:`store_path`).
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
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
#: the members :func:`read_dump` reads from a CORDIS dump, and the columns it needs of each
DUMP_COLUMNS: dict[str, tuple[str, ...]] = {
    "project.csv": ("id", "startDate"),
    "organization.csv": ("projectID", "organisationID", "activityType", "country"),
}
#: a dump member larger than this (uncompressed) is refused: the largest real one, Horizon
#: 2020's organization.csv, is about 100 MB
MAX_MEMBER_BYTES = 1 << 30


@dataclass(frozen=True)
class Participation:
    """One organisation in one project, as the network rule reads it."""

    project: str
    org: str
    kind: str  # CORDIS activity type (HES, REC, PRC, PUB, OTH)
    country: str  # "" when unknown
    year: int  # the project's start year


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


def network(participations: Iterable[Participation],
            max_consortium: int = MAX_CONSORTIUM) -> Network:
    """The co-participation network of the participations (the rule in the module
    docstring). An organisation keeps the type and country of its first participation."""
    members: dict[str, set[str]] = defaultdict(set)
    start: dict[str, int] = {}
    net = Network()
    for p in participations:
        if p.kind not in TYPES:
            continue
        members[p.project].add(p.org)
        start[p.project] = p.year
        net.kind.setdefault(p.org, p.kind)
        if p.country:
            net.country.setdefault(p.org, p.country)
    for project in sorted(members, key=lambda r: (start[r], r)):
        orgs = sorted(members[project])
        if not 2 <= len(orgs) <= max_consortium:
            continue
        for a, b in combinations(orgs, 2):
            if (a, b) not in net.first_year:
                net.first_year[(a, b)] = start[project]
                net.history[(a, b)] = Counter()
            net.history[(a, b)][start[project]] += 1
    return net


def read(path: Path = DATA, max_consortium: int = MAX_CONSORTIUM) -> Network:
    """The co-participation network of the processed H2020 table (gzip CSV with ``rcn``,
    ``pic``, ``type``, ``country``, ``start_year``; ``NA`` or empty = unknown)."""
    return network(_processed_rows(path), max_consortium)


def _processed_rows(path: Path) -> Iterator[Participation]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            year = row["start_year"]
            if not year or year == "NA":
                continue
            country = row["country"] if row["country"] != "NA" else ""
            yield Participation(row["rcn"], row["pic"], row["type"], country,
                                int(float(year)))


def read_dump(archive: Path, max_consortium: int = MAX_CONSORTIUM) -> Network:
    """The co-participation network of a CORDIS CSV dump (a zip holding ``project.csv``
    and ``organization.csv``): a participation's year is its project's ``startDate`` year.

    Raises ``ValueError`` naming the file, member, row and column of what it cannot read:
    a missing member or column, an unreadable date, a member over
    :data:`MAX_MEMBER_BYTES`."""
    return network(_dump_rows(archive), max_consortium)


def _dump_rows(archive: Path) -> Iterator[Participation]:
    start: dict[str, int] = {}
    for line, row in _dump_member(archive, "project.csv"):
        if not row["startDate"].strip():
            continue  # a project without a start date has no place in time
        start[row["id"].strip()] = _year(row["startDate"], archive, "project.csv", line)
    for _line, row in _dump_member(archive, "organization.csv"):
        project = row["projectID"].strip()
        if project not in start:
            continue  # its project has no start date (or is not in project.csv)
        yield Participation(project, row["organisationID"].strip(),
                            row["activityType"].strip(), row["country"].strip(),
                            start[project])


def _dump_member(archive: Path, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of one member of the dump, its needed columns checked first."""
    with zipfile.ZipFile(archive) as z:
        info = _member_info(z, archive, name)
        if info.file_size > MAX_MEMBER_BYTES:
            raise ValueError(f"{archive}: {info.filename} is {info.file_size:,} bytes, over "
                             f"the {MAX_MEMBER_BYTES:,} this reader takes")
        with z.open(info) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = csv.DictReader(text, delimiter=";")
            missing = [c for c in DUMP_COLUMNS[name] if c not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(f"{archive}: {info.filename} has no column "
                                 f"{', '.join(missing)} (columns: {reader.fieldnames})")
            for row in reader:
                yield reader.line_num, row


def _member_info(z: zipfile.ZipFile, archive: Path, name: str) -> zipfile.ZipInfo:
    """The member called ``name``, at the top or in a folder (dumps differ)."""
    found = [i for i in z.infolist() if Path(i.filename).name == name]
    if len(found) != 1:
        raise ValueError(f"{archive}: expected one {name} in the archive, found "
                         f"{len(found)} (members: {[i.filename for i in z.infolist()][:10]})")
    return found[0]


def _year(text: str, archive: Path, member: str, line: int) -> int:
    try:
        return date.fromisoformat(text.strip()[:10]).year
    except ValueError:
        raise ValueError(f"{archive}: {member} line {line}, column startDate: "
                         f"{text!r} is not a date (YYYY-MM-DD)") from None


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


def store_path(folder: Path | None = None, fresh: bool = False,
               build: Callable[[], Network] = read, version: str = "") -> Path:
    """A LadybugDB store holding the whole network (every year), loaded through the real
    loader from the CSV tables :func:`write_tables` writes; built once under ``folder``
    (default ``bench/out/cordis``, the H2020 network) from ``build()`` and reused unless
    ``fresh`` or built by other code or from other data (``version`` names the data)."""
    import shutil

    from graph.store import open_store
    from ingest.loader import load_paths

    folder = folder or Path(__file__).resolve().parent / "out" / "cordis"
    store, done = folder / "store", folder / "store.loaded"
    stamp = STORE_VERSION + version
    if done.exists() and done.read_text() == stamp and not fresh:
        return store
    shutil.rmtree(folder, ignore_errors=True)
    write_tables(build(), folder / "tables")
    with open_store(store) as opened:
        loaded = load_paths(opened, [folder / "tables"])
        if loaded.rejected:
            raise RuntimeError(f"CORDIS load rejected {loaded.rejected} rows: "
                               f"{loaded.rejects[:3]}")
    done.write_text(stamp)
    return store
