"""A partnership keeps its history: every year it was observed, and how many times. A second
row or a second source adds years to the one relation — never a second relation, never a
lost year — and re-loading a source changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from graph.store import GraphStore
from ingest.loader import load_paths
from schema import InvalidInput, RelationType
from schema.history import history_of, merge_histories, parse_years, years_text
from schema.properties import build_relation_props

ENTITIES = "id,name,type\ninstitute:甲,甲大学,institute\nenterprise:乙,乙公司,enterprise\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def partnerships(store: GraphStore) -> list[dict[str, object]]:
    return [dict(r.props) for r in store.iter_relations()
            if r.type is RelationType.partnership]


def test_years_parse_to_one_canonical_form() -> None:
    assert years_text(parse_years("2017;2015,2017")) == "2015:1;2017:2"
    assert years_text(parse_years("2015:2、2016")) == "2015:2;2016:1"
    for bad in ("20x5", "1700", "2015:0", "2015:-1"):
        with pytest.raises(ValueError):
            parse_years(bad)


def test_years_are_validated_and_date_the_tie() -> None:
    props = build_relation_props(RelationType.partnership, {"years": "2019;2016;2019"})
    assert (props.years, props.year) == ("2016:1;2019:2", 2016)
    with pytest.raises(ValidationError, match="not a year"):
        build_relation_props(RelationType.partnership, {"years": "soon"})
    with pytest.raises(InvalidInput, match="years"):
        build_relation_props(RelationType.located_in, {"years": "2019"})


def test_histories_sum_within_a_source_and_union_across_sources() -> None:
    assert history_of({"year": 2019}) == {2019: 1}
    assert history_of({"kind": "共建"}) == {}
    merged = merge_histories([("a", {2015: 1}), ("a", {2015: 1, 2017: 1}), ("b", {2015: 1}),
                              ("b", {2020: 3})])
    assert merged == {2015: 2, 2017: 1, 2020: 3}


def test_a_years_column_loads_and_repeated_rows_add_years(embedded: GraphStore,
                                                          tmp_path: Path) -> None:
    write(tmp_path, "entities.csv", ENTITIES)
    write(tmp_path, "relations.csv",
          "source,target,relation,kind,year,years\n"
          "institute:甲,enterprise:乙,partnership,共建,,2016;2018\n"
          "institute:甲,enterprise:乙,partnership,共建,2018,\n"
          "institute:甲,enterprise:乙,partnership,共建,2021,\n")
    summary = load_paths(embedded, [tmp_path])
    assert summary.rejected == 0
    (props,) = partnerships(embedded)  # one relation, never three
    assert props["years"] == "2016:1;2018:2;2021:1"
    assert props["year"] == 2016  # dated by its first year


def test_a_second_source_adds_a_year_and_never_duplicates(embedded: GraphStore,
                                                          tmp_path: Path) -> None:
    write(tmp_path, "entities.csv", ENTITIES)
    first = write(tmp_path, "a.csv", "source,target,relation,kind,year\n"
                  "institute:甲,enterprise:乙,partnership,共建,2019\n")
    load_paths(embedded, [tmp_path / "entities.csv", first])
    assert partnerships(embedded) == [{"kind": "共建", "year": 2019}]  # one source: as stated
    second = write(tmp_path, "b.csv", "source,target,relation,years\n"
                   "enterprise:乙,institute:甲,partnership,2019;2022\n"
                   "institute:甲,enterprise:乙,partnership,2019;2022\n")
    summary = load_paths(embedded, [second])
    assert summary.rejected == 0
    found = partnerships(embedded)
    # the reversed pair is its own relation (relations are directed in the store); the
    # same pair gains 2022 and keeps 2019 once: a year two sources state is not doubled
    same = [p for p in found if p.get("kind") == "共建"]
    assert same == [{"kind": "共建", "year": 2019, "years": "2019:1;2022:1"}]
    assert len(found) == 2
    content = embedded.stats().content_hash
    again = load_paths(embedded, [second])  # re-loading a source changes nothing
    assert again.unchanged["relations"] == 2 and embedded.stats().content_hash == content
    # withdrawing the second source leaves the first one's statement, as it was
    write(tmp_path, "b.csv", "source,target,relation,years\n"
          "enterprise:乙,institute:甲,partnership,2019;2022\n")
    load_paths(embedded, [second])
    assert [p for p in partnerships(embedded) if p.get("kind") == "共建"] == [
        {"kind": "共建", "year": 2019}]


def test_rows_that_differ_in_more_than_the_years_are_still_a_conflict(
        embedded: GraphStore, tmp_path: Path) -> None:
    write(tmp_path, "entities.csv", ENTITIES)
    write(tmp_path, "relations.csv",
          "source,target,relation,kind,year\n"
          "institute:甲,enterprise:乙,partnership,共建,2018\n"
          "institute:甲,enterprise:乙,partnership,战略合作,2019\n")
    summary = load_paths(embedded, [tmp_path])
    assert summary.rejected == 2
    assert all("conflicting duplicate" in r.reason for r in summary.rejects)
    assert partnerships(embedded) == []
