"""The national reference layer (data/reference) loads through the ingestors beside the
district's sample: kept apart by its origin, merged into the district's own records where they
name the same organisation, and never overriding what the district states."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import GraphStore, open_store
from ingest.documents.queue import ReviewQueue
from ingest.load_options import LoadOptions
from ingest.loader import load_paths
from ingest.shapes.profile import load_profile
from schema import EntityType, RelationType
from schema.claims import conflicts
from schema.ids import credit_code_check_char

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "data" / "reference"
SAMPLE = ROOT / "data" / "wenzhou"


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    store = open_store(tmp_path_factory.mktemp("reference") / "store")
    assert load_paths(store, [SAMPLE]).rejected == 0
    summary = load_paths(store, [REFERENCE], origin="reference")
    assert summary.rejected == 0, summary.rejects[:5]
    return store


def test_every_university_of_the_ministry_list_is_there(both: GraphStore) -> None:
    institutes = both.stats().entities_by_type["institute"]
    assert institutes >= 2919  # the MoE list's 普通高等学校 (2025-06-20), plus the sample's
    pku = both.get("institute:北京大学")
    assert pku is not None and pku.layer == "reference"
    assert pku.props["institution_code"] == "4111010001"
    assert pku.props["supervisor"] == "教育部" and pku.props["education_level"] == "本科"
    assert "双一流建设高校" in str(pku.props["level"])
    located = [e for e in both.subgraph([pku.id, "region:北京市"]).edges
               if e.type is RelationType.located_in]
    assert located, "the 所在地 column gives each university its city"


def test_a_district_record_stays_local_and_gains_the_reference_facts(both: GraphStore) -> None:
    zju = both.get("institute:浙江大学")
    assert zju is not None and zju.layer == "local"
    assert zju.props["description"] == "杭州的研究型大学"       # the district's own words stay
    assert "光学工程" in str(zju.props["disciplines"])           # the reference fills the rest
    kinds = sorted(c.kind for c in zju.sources())
    assert kinds == ["reference", "reference", "table"]
    wzu = both.get("institute:温州大学")
    assert wzu is not None and wzu.layer == "local"
    assert wzu.props["institution_code"] == "4133010351"


def test_renamed_universities_carry_their_former_name(both: GraphStore) -> None:
    renamed = both.get("institute:海军军医大学")
    assert renamed is not None and "第二军医大学" in renamed.aliases
    assert both.get("institute:第二军医大学") is None


def test_loading_the_layer_again_changes_nothing(both: GraphStore) -> None:
    before = both.stats().content_hash
    again = load_paths(both, [REFERENCE], origin="reference")
    assert again.created == {"entities": 0, "relations": 0}
    assert both.stats().content_hash == before


def test_the_reference_never_overrides_the_district(tmp_path: Path) -> None:
    """A district list that names a university differently in a field keeps its value, and
    the conflict is shown rather than resolved silently."""
    (tmp_path / "list.csv").write_text("学校名称,主管部门\n温州大学,温州市人民政府\n",
                                       encoding="utf-8")
    with open_store(tmp_path / "store") as store:
        load_paths(store, [tmp_path / "list.csv"])
        load_paths(store, [REFERENCE], origin="reference")
        wzu = store.get("institute:温州大学")
        assert wzu is not None and wzu.type is EntityType.institute
        assert wzu.props["supervisor"] == "温州市人民政府" and wzu.layer == "local"
        assert [c.field for c in conflicts(wzu.sources())] == ["props.supervisor"]


def test_a_reference_row_renaming_a_district_record_goes_to_review(tmp_path: Path) -> None:
    """Same credit code, another name: the reference list does not merge into (or rename)
    the district's record; the pair waits in the review queue and the row loads apart."""
    code = "91330300MA2H0B7X1" + credit_code_check_char("91330300MA2H0B7X1")
    (tmp_path / "district.csv").write_text(
        f"id,name,type,credit_code\nenterprise:甲光学,温州甲光学有限公司,enterprise,{code}\n",
        encoding="utf-8")
    (tmp_path / "national.csv").write_text(
        f"企业名称,统一社会信用代码\n甲光学集团股份有限公司,{code}\n", encoding="utf-8")
    queue = tmp_path / "review.sqlite"
    with open_store(tmp_path / "store") as store:
        load_paths(store, [tmp_path / "district.csv"])
        summary = load_paths(store, [tmp_path / "national.csv"], origin="reference",
                             options=LoadOptions(review_queue=queue))
        district = store.get("enterprise:甲光学")
        assert district is not None and district.name == "温州甲光学有限公司"
        assert [c.kind for c in district.sources()] == ["table"]  # nothing merged into it
        assert [v.existing_id for v in summary.variants] == ["enterprise:甲光学"]
        assert "reference list names it differently" in summary.variants[0].reason
        national = store.get(summary.variants[0].incoming_id)
        assert national is not None and national.layer == "reference"
        assert national.name == "甲光学集团股份有限公司"
    with ReviewQueue(queue) as opened:
        assert [c.kind for c in opened.candidates(status="pending")] == ["match"]


def test_a_users_copy_of_listed_companies_loads_with_the_shipped_profile(tmp_path: Path) -> None:
    """Tushare's stock_basic layout (not shipped): the profile in data/reference/profiles
    reads it as reference-layer firms. The two rows here are made up for the test."""
    (tmp_path / "stock_basic.csv").write_text(
        "ts_code,symbol,name,area,industry,list_date\n"
        "000001.SZ,000001,甲光学股份,浙江,光学光电子,1991-04-03\n"
        "600002.SH,600002,乙锁业股份,深圳,家用电器,2001-05-06\n", encoding="utf-8")
    profile = load_profile(REFERENCE / "profiles" / "tushare_stock_basic.yaml")
    with open_store(tmp_path / "store") as store:
        summary = load_paths(store, [tmp_path / "stock_basic.csv"], origin="reference",
                             options=LoadOptions(profile=profile))
        assert summary.rejected == 0
        firm = store.get("enterprise:甲光学股份")
        assert firm is not None and firm.layer == "reference"
        assert firm.props["stock_code"] == "000001.SZ"
        assert firm.props["listed_industry"] == "光学光电子"
        assert [e.target for e in store.subgraph([firm.id, "region:浙江"]).edges] == ["region:浙江"]
