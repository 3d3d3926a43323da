"""The curated Wenzhou sample: it loads cleanly, covers the ontology, and cites its source."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.saved_indexes import search_index
from graph.store import GraphStore, open_store
from ingest.loader import load_paths
from schema import EntityType, RelationType, match_key
from tests.conftest import CORPUS, SAMPLE

CHAINS = ("生命健康", "智能装备", "眼镜", "智能锁具")


@pytest.fixture(scope="module")
def wenzhou(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with open_store(tmp_path_factory.mktemp("wz") / "store") as store:
        summary = load_paths(store, [SAMPLE])
        assert summary.rejected == 0, summary.rejects[:5]
        yield store


def rows(name: str) -> list[dict[str, str]]:
    with (SAMPLE / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_covers_every_type_at_the_required_size(wenzhou: GraphStore) -> None:
    stats = wenzhou.stats()
    assert stats.entities >= 150 and stats.relations >= 200
    assert set(stats.entities_by_type) == {t.value for t in EntityType}
    assert {"partnership", "located_in", "part_of", "affiliated_with", "leads", "in_industry",
            "in_segment", "supplies", "supports", "sub_fund_of"} <= set(stats.relations_by_type)


@pytest.mark.parametrize("industry", CHAINS)
def test_each_chain_runs_upstream_to_downstream(wenzhou: GraphStore, industry: str) -> None:
    segments = [e for e in wenzhou.iter_entities() if e.type is EntityType.chain_segment
                and e.name.startswith(industry + "·")]
    assert len(segments) >= 4
    ordered = sorted(segments, key=lambda e: int(e.props["order"]))
    assert ordered[0].props["stage"] == "upstream" and ordered[-1].props["stage"] == "downstream"
    supplies = {(r.source, r.target) for r in wenzhou.iter_relations()
                if r.type is RelationType.supplies}
    for upstream, downstream in zip(ordered, ordered[1:], strict=False):
        assert (upstream.id, downstream.id) in supplies
    members = Counter(r.target for r in wenzhou.iter_relations()
                      if r.type is RelationType.in_segment)
    assert any(members[s.id] for s in segments), "a chain with no local member at all"


def test_gaps_exist_for_promoters(wenzhou: GraphStore) -> None:
    members = {r.target for r in wenzhou.iter_relations() if r.type is RelationType.in_segment}
    segments = [e.id for e in wenzhou.iter_entities() if e.type is EntityType.chain_segment]
    assert 0 < len(set(segments) - members) < len(segments)


@pytest.mark.parametrize(("written", "canonical"), [
    ("浙大温州研究院", "浙江大学温州研究院"),
    ("国科大温州研究院", "中国科学院大学温州研究院"),
    ("国科温州研究院", "中国科学院大学温州研究院"),
    ("华中院", "华中科技大学温州先进制造技术研究院"),
    ("李校菊", "李校堃"),
    ("溫州醫科大學", "温州医科大学"),
])
def test_short_and_slipped_forms_resolve(wenzhou: GraphStore, written: str,
                                         canonical: str) -> None:
    assert search_index(wenzhou).resolve(written).name == canonical


def test_every_row_states_its_evidence() -> None:
    for name in ("entities.csv", "relations.csv"):
        for row in rows(name):
            assert row["evidence"] in {"report", "inference", "domain_knowledge"}, row
            if row["evidence"] == "report":
                assert row["source_doc"] and row["source_section"] and row["source_span"], row


@pytest.mark.skipif(not CORPUS.exists(), reason=f"corpus not present at {CORPUS}")
def test_cited_spans_name_what_they_support() -> None:
    text = CORPUS.read_text(encoding="utf-8")
    forms: dict[str, set[str]] = {}
    for row in rows("entities.csv"):
        forms[row["name"]] = {match_key(row["name"])} | {
            match_key(a) for a in row["aliases"].split("|") if a}

    def cited(row: dict[str, str]) -> str:
        start, end = (int(x) for x in row["source_span"].split("-"))
        assert 0 <= start < end <= len(text), row
        return match_key(text[start:end])

    for row in rows("entities.csv"):
        if row["evidence"] == "report":
            span = cited(row)
            assert any(f in span for f in forms[row["name"]]), (row["name"], span)
    for row in rows("relations.csv"):
        if row["evidence"] == "report":
            span = cited(row)
            for end in ("source", "target"):
                assert any(f in span for f in forms[row[end]]), (row[end], span)


@pytest.mark.skipif(not CORPUS.exists(), reason=f"corpus not present at {CORPUS}")
def test_no_sentence_is_copied_from_the_reports() -> None:
    text = CORPUS.read_text(encoding="utf-8")
    for name in ("entities.csv", "relations.csv"):
        for row in rows(name):
            for column in ("description", "note"):
                value = row.get(column, "")
                for start in range(max(0, len(value) - 11)):
                    assert value[start:start + 12] not in text, (name, column, value)


def test_sample_dir_is_where_settings_point() -> None:
    from graph.settings import Settings

    assert Path(Settings().sample_dir) == SAMPLE
