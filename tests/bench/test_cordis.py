"""The real-network loader of the partner benchmarks (``bench/cordis.py``,
``bench/networks.py``): the network rule on tiny hand-made tables, in both input formats
(the shipped processed table and CORDIS's own CSV dump), its errors, and the tables going
through the real ingest into a real store."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from bench import cordis, networks
from graph.analytics import ProjectionFilter, project
from graph.store import open_store

# project, start year, organisation, CORDIS type, country ("NA": unknown)
ROWS = [
    ("P1", "2015", "A", "HES", "DE"),
    ("P1", "2015", "B", "PRC", "FR"),
    ("P1", "2015", "C", "REC", "NA"),
    ("P2", "2017", "A", "HES", "DE"),
    ("P2", "2017", "B", "PRC", "FR"),  # A–B again: a second year in their history
    ("P3", "2016", "D", "PUB", "IT"),  # alone in its project: no tie
    ("P4", "NA", "A", "HES", "DE"),  # no start year: left out
    ("P4", "NA", "E", "PRC", "ES"),
    ("P5", "2018", "A", "HES", "DE"),
    ("P5", "2018", "F", "XYZ", "PL"),  # a type outside TYPES: left out, P5 has one member
    ("P6", "2019", "B", "PRC", "FR"),
    ("P6", "2019", "D", "PUB", "IT"),  # B–D first tied in 2019
    ("P7", "2016", "A", "HES", "DE"),  # four members: over a cap of 3
    ("P7", "2016", "D", "PUB", "IT"),
    ("P7", "2016", "G", "OTH", "SE"),
    ("P7", "2016", "H", "PRC", "FR"),
]
EXPECTED_TIES = {("A", "B"): 2015, ("A", "C"): 2015, ("B", "C"): 2015, ("B", "D"): 2019}


def processed_table(folder: Path) -> Path:
    """The rows as the shipped H2020 table is laid out (gzip CSV, eunets columns)."""
    path = folder / "tiny.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["rcn", "role", "pic", "type", "contribution", "country", "start_date",
                      "start_year"])
        for project, year, org, kind, country in ROWS:
            start = "NA" if year == "NA" else f"{year}-03-01"
            out.writerow([project, "participant", org, kind, "1000", country, start, year])
    return path


def dump(folder: Path, projects: list[list[str]] | None = None,
         organisations: list[list[str]] | None = None, inner: str = "csv/") -> Path:
    """The rows as CORDIS's CSV dump lays them out: a zip of ``;``-separated, quoted
    ``project.csv`` and ``organization.csv`` (with the columns the reader ignores too)."""
    if projects is None:
        years = {p: y for p, y, *_ in ROWS}
        projects = [["id", "acronym", "startDate", "endDate"]] + [
            [p, f"ACR{p}", "" if y == "NA" else f"{y}-03-01", "2030-01-01"]
            for p, y in sorted(years.items())]
    if organisations is None:
        organisations = [["projectID", "projectAcronym", "organisationID", "name",
                          "activityType", "country", "role"]] + [
            [p, f"ACR{p}", o, f"Org {o}", k, "" if c == "NA" else c, "participant"]
            for p, _y, o, k, c in ROWS]
    path = folder / "cordis-tinyprojects-csv.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name, rows in (("project.csv", projects), ("organization.csv", organisations)):
            text = io.StringIO()
            csv.writer(text, delimiter=";", quoting=csv.QUOTE_ALL).writerows(rows)
            z.writestr(inner + name, text.getvalue())
    return path


def test_the_network_rule_on_the_processed_table(tmp_path: Path) -> None:
    net = cordis.read(processed_table(tmp_path), max_consortium=3)
    assert net.first_year == EXPECTED_TIES
    assert net.history[("A", "B")] == Counter({2015: 1, 2017: 1})
    assert net.history[("B", "D")] == Counter({2019: 1})
    # E (only in a project without a year) and F (an unknown type) are not organisations
    assert sorted(net.kind) == ["A", "B", "C", "D", "G", "H"]
    assert net.kind["G"] == "OTH" and "C" not in net.country and net.country["A"] == "DE"
    assert net.ties(year_to=2018) == {("enterprise:PICB", "institute:PICA"),
                                      ("institute:PICA", "institute:PICC"),
                                      ("enterprise:PICB", "institute:PICC")}
    assert net.ties(year_from=2019) == {("enterprise:PICB", "government:PICD")}
    # without the cap, P7's four members tie each other, first in 2016
    assert cordis.read(processed_table(tmp_path)).first_year[("A", "G")] == 2016


def test_the_dump_gives_the_same_network(tmp_path: Path) -> None:
    from_dump = cordis.read_dump(dump(tmp_path), max_consortium=3)
    from_table = cordis.read(processed_table(tmp_path), max_consortium=3)
    assert from_dump.first_year == from_table.first_year == EXPECTED_TIES
    assert from_dump.history == from_table.history
    assert from_dump.kind == from_table.kind and from_dump.country == from_table.country


def test_the_dump_leaves_out_participations_of_undated_or_unknown_projects(
        tmp_path: Path) -> None:
    projects = [["id", "startDate"], ["P1", "2015-01-01"], ["P2", ""]]
    organisations = [["projectID", "organisationID", "activityType", "country"],
                     ["P1", "A", "HES", "DE"], ["P1", "B", "PRC", "FR"],
                     ["P2", "A", "HES", "DE"], ["P2", "C", "REC", "IT"],  # P2: no date
                     ["P9", "A", "HES", "DE"], ["P9", "D", "REC", "IT"]]  # P9: not listed
    net = cordis.read_dump(dump(tmp_path, projects, organisations, inner=""))
    assert net.first_year == {("A", "B"): 2015}


@pytest.mark.parametrize(("projects", "organisations", "message"), [
    ([["id", "begin"], ["P1", "2015-01-01"]], None, "project.csv has no column startDate"),
    (None, [["projectID", "organisationID", "country"], ["P1", "A", "DE"]],
     "organization.csv has no column activityType"),
    ([["id", "startDate"], ["P1", "2015-01-01"], ["P2", "01/02/2016"]], None,
     "project.csv line 3, column startDate: '01/02/2016' is not a date"),
])
def test_the_dump_names_what_it_cannot_read(tmp_path: Path, projects: list[list[str]] | None,
                                            organisations: list[list[str]] | None,
                                            message: str) -> None:
    archive = dump(tmp_path, projects, organisations)
    with pytest.raises(ValueError, match=message) as raised:
        cordis.read_dump(archive)
    assert str(archive) in str(raised.value)


def test_a_dump_without_its_member_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "empty.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "no tables")
    with pytest.raises(ValueError, match=r"expected one project\.csv in the archive, found 0"):
        cordis.read_dump(archive)


def test_the_tables_load_through_the_real_ingest(tmp_path: Path) -> None:
    net = cordis.read(processed_table(tmp_path), max_consortium=3)
    path = cordis.store_path(tmp_path / "out", build=lambda: net)
    assert cordis.store_path(tmp_path / "out", build=lambda: net) == path  # built once
    with open_store(path, read_only=True) as store:
        past = project(store, ProjectionFilter(year_to=2018))
        later = project(store, ProjectionFilter(year_from=2019))
        assert past.number_of_edges() == 3 and later.number_of_edges() == 1
        assert set(later.graph.edges) == {("enterprise:PICB", "government:PICD")} or \
            set(later.graph.edges) == {("government:PICD", "enterprise:PICB")}


def test_a_network_without_a_shipped_copy_asks_for_one(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"--network fp7: no copy .* pass its path with --data"):
        networks.NETWORKS["fp7"].store()
    with pytest.raises(SystemExit, match="no such file"):
        networks.NETWORKS["fp7"].store(tmp_path / "missing.zip")
    assert networks.reader(Path("x/cordis-fp7projects-csv.zip")) is cordis.read_dump
    assert networks.reader(cordis.DATA) is cordis.read


def test_every_split_keeps_training_before_the_answers() -> None:
    for n in networks.NETWORKS.values():
        assert n.train_graph_to < n.train_labels[0] <= n.train_labels[1] <= n.graph_to
        assert n.graph_to < n.answers_from
