"""Every supported table format, the minimal form, and repeat / incremental loads."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from graph.store import GraphStore, open_store
from ingest.export import ExportFormat, export_graph
from ingest.loader import load_paths


def test_minimal_form_always_loads(embedded: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "entities.csv").write_text(
        "id,name,type\nzju,浙江大学温州研究院,institute\noh,瓯海区,region\n", encoding="utf-8")
    (tmp_path / "relations.csv").write_text("source,target,relation\nzju,oh,located_in\n",
                                            encoding="utf-8")
    summary = load_paths(embedded, [tmp_path])
    assert summary.rejected == 0 and summary.created == {"entities": 2, "relations": 1}
    assert embedded.get("zju") is not None  # a given id is kept as it is


def test_xlsx_with_one_sheet_per_type(embedded: GraphStore, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    firms = book.active
    firms.title = "enterprise"
    firms.append(["名称", "别名", "成立年份"])
    firms.append(["浙江华联机械有限公司", "华联机械", 1994])
    institutes = book.create_sheet("科研机构")
    institutes.append(["name", "aliases"])
    institutes.append(["浙江大学温州研究院", "浙大温州研究院"])
    links = book.create_sheet("partnership")
    links.append(["source", "target", "kind", "year"])
    links.append(["华联机械", "浙大温州研究院", "共建", 2021])
    book.create_sheet("empty")
    book.save(tmp_path / "book.xlsx")
    summary = load_paths(embedded, [tmp_path / "book.xlsx"])
    assert summary.rejected == 0, summary.rejects
    firm = embedded.get("enterprise:浙江华联机械有限公司")
    assert firm is not None and firm.props["founded_year"] == 1994
    [edge] = list(embedded.iter_relations())
    assert edge.props == {"kind": "共建", "year": 2021}


def test_json_and_json_lines(embedded: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "graph.json").write_text(json.dumps({
        "entities": [{"name": "中国眼谷", "type": "incubator", "aliases": ["眼谷"]},
                     {"name": "瓯海区", "type": "region"}],
        "relations": [{"source": "眼谷", "target": "瓯海区", "relation": "located_in"}]},
        ensure_ascii=False), encoding="utf-8")
    (tmp_path / "talent_team.jsonl").write_text(
        '{"name": "李校堃院士团队", "aliases": "李校菊院士团队"}\n\n'
        '{"name": "叶志镇院士团队", "leader": "叶志镇"}\n', encoding="utf-8")
    summary = load_paths(embedded, [tmp_path / "graph.json", tmp_path / "talent_team.jsonl"])
    assert summary.rejected == 0, summary.rejects
    assert summary.created == {"entities": 4, "relations": 1}
    team = embedded.get("talent_team:叶志镇院士团队")
    assert team is not None and team.props == {"leader": "叶志镇"}


def test_extra_columns_are_kept_and_reported(embedded: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text("name,type,employees,网址备注\n华联机械,enterprise,300,x\n",
                                    encoding="utf-8")
    summary = load_paths(embedded, [tmp_path / "e.csv"])
    assert summary.extra_columns == {str(tmp_path / "e.csv"): ["employees", "网址备注"]}
    got = embedded.get("enterprise:华联机械")
    assert got is not None and got.props == {"employees": "300", "网址备注": "x"}


def test_reload_is_idempotent_and_incremental_adds(embedded: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text("name,type\n华联机械,enterprise\n温州大学,institute\n",
                                    encoding="utf-8")
    first = load_paths(embedded, [tmp_path / "e.csv"])
    before = embedded.stats().content_hash
    again = load_paths(embedded, [tmp_path / "e.csv"])
    assert again.unchanged["entities"] == 2 and embedded.stats().content_hash == before
    assert first.rows_read == again.rows_read == 2
    # a new file refers to stored entities by name and updates one of them
    (tmp_path / "more.csv").write_text("name,type,level\n温州大学,institute,省级\n"
                                       "瓯江实验室,institute,省级\n", encoding="utf-8")
    (tmp_path / "links.csv").write_text("source,target,relation\n华联机械,温州大学,partnership\n",
                                        encoding="utf-8")
    more = load_paths(embedded, [tmp_path / "more.csv", tmp_path / "links.csv"])
    assert more.created == {"entities": 1, "relations": 1}
    assert more.updated == {"entities": 1, "relations": 0}
    assert embedded.stats().entities == 3


def test_export_loads_back_to_the_same_hash(embedded: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "e.csv").write_text(
        "name,type,aliases,level,source_doc,source_span,evidence\n"
        "浙江大学温州研究院,institute,浙大温州研究院|浙大研究院,省级,doc,10-20,report\n"
        "眼镜·镜片,chain_segment,,,,,domain_knowledge\n眼镜,industry,,,,,\n", encoding="utf-8")
    (tmp_path / "in" / "r.csv").write_text(
        "source,target,relation,role,year\n浙大研究院,眼镜·镜片,in_segment,research,\n"
        "眼镜·镜片,眼镜,part_of,,\n", encoding="utf-8")
    load_paths(embedded, [tmp_path / "in"])
    expected = embedded.stats().content_hash
    for fmt, out in ((ExportFormat.csv, tmp_path / "csv"), (ExportFormat.json, tmp_path
                                                            / "g.json"),
                     (ExportFormat.xlsx, tmp_path / "g.xlsx")):
        export_graph(embedded, fmt, out)
        _assert_loads_back(out, tmp_path / f"copy-{fmt.value}", expected)
    result = export_graph(embedded, ExportFormat.graphml, tmp_path / "g.graphml")
    assert result["entities"] == 3 and result["relations"] == 2
    assert "浙大温州研究院|浙大研究院" in (tmp_path / "g.graphml").read_text(encoding="utf-8")


def test_exports_open_in_excel_and_load_back(embedded: GraphStore, tmp_path: Path) -> None:
    """CSV carries a byte-order mark (Excel on Chinese Windows reads UTF-8 then); the
    workbook has Chinese headers and type labels, keeps a formula-like name as text, and
    both load back to the same content hash."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "e.csv").write_text(
        "name,type,level,founded_year,description\n"
        "浙江大学温州研究院,institute,省级,2019,\"=1+1 不是公式\"\n"
        "=HYPERLINK(\"x\"),enterprise,,,\n瓯海区,region,,,\n", encoding="utf-8")
    (tmp_path / "in" / "r.csv").write_text(
        "source,target,relation,year\n浙江大学温州研究院,瓯海区,located_in,\n"
        "=HYPERLINK(\"x\"),浙江大学温州研究院,partnership,2023\n", encoding="utf-8")
    assert load_paths(embedded, [tmp_path / "in"]).rejected == 0
    expected = embedded.stats().content_hash

    export_graph(embedded, ExportFormat.csv, tmp_path / "csv")
    assert (tmp_path / "csv" / "entities.csv").read_bytes().startswith(b"\xef\xbb\xbfid,")

    export_graph(embedded, ExportFormat.xlsx, tmp_path / "g.xlsx")
    book = openpyxl.load_workbook(tmp_path / "g.xlsx")
    assert book.sheetnames == ["实体", "关系"]
    entities = [list(r) for r in book["实体"].iter_rows(values_only=True)]
    assert entities[0][:4] == ["实体编号", "实体名称", "类型", "别名"]
    assert {"级别", "成立年份", "简介"} <= set(entities[0])
    assert {row[2] for row in entities[1:]} == {"科研机构", "企业", "区域"}
    assert next(list(r)[:3] for r in book["关系"].iter_rows(values_only=True)) == [
        "起点", "终点", "关系类型"]
    formula = next(c for row in book["实体"].iter_rows() for c in row
                   if c.value == '=HYPERLINK("x")')
    assert formula.data_type == "s"  # text, not a formula Excel would run
    for out in (tmp_path / "csv", tmp_path / "g.xlsx"):
        _assert_loads_back(out, tmp_path / f"copy-{out.name}", expected)


def _assert_loads_back(export: Path, store: Path, expected_hash: str) -> None:
    """An export loads into a fresh store with no reject and the same content hash."""
    with open_store(store) as copy:
        summary = load_paths(copy, [export])
        assert summary.rejected == 0, summary.rejects
        assert copy.stats().content_hash == expected_hash


def test_bulk_rows_hash_like_the_records_they_become(embedded: GraphStore, tmp_path: Path) -> None:
    """The loader's column path and the record objects define the content hash alike."""
    from schema import RelationType

    summary = load_paths(embedded, [Path(__file__).resolve().parents[2] / "data" / "wenzhou"])
    assert summary.rejected == 0
    entities = list(embedded.iter_entities())
    stored = embedded.entity_hashes(e.id for e in entities)
    assert all(stored[e.id] == e.content_hash() for e in entities)
    relations = list(embedded.iter_relations())
    stored_rel = embedded.relation_hashes(list(RelationType))
    assert all(stored_rel[r.id] == r.content_hash() for r in relations)
    # and re-writing the same records through the object API changes nothing
    again = embedded.upsert(entities, relations)
    assert again.entities_updated == again.relations_updated == 0


def test_irregular_csv_keeps_exact_line_numbers(embedded: GraphStore, tmp_path: Path) -> None:
    """Blank lines and quoted newlines take the csv-module path, which counts real lines."""
    (tmp_path / "e.csv").write_text('name,type,description\n温州大学,institute,"两行\n简介"\n\n'
                                    ',institute,\n', encoding="utf-8")
    summary = load_paths(embedded, [tmp_path / "e.csv"])
    assert [(r.row, r.column) for r in summary.rejects] == [(5, "name")]
    got = embedded.get("institute:温州大学")
    assert got is not None and got.props["description"] == "两行\n简介"


def test_regular_csv_rows_are_numbered_like_a_spreadsheet(embedded: GraphStore,
                                                          tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text("name,type\n温州大学,institute\n 浙江大学 ,institute\n"
                                    "甲,unknown\n", encoding="utf-8")
    summary = load_paths(embedded, [tmp_path / "e.csv"])
    assert [(r.row, r.value) for r in summary.rejects] == [(4, "unknown")]
    assert embedded.get("institute:浙江大学") is not None  # cells are trimmed


def test_fast_path_rows_hash_like_records(embedded: GraphStore, tmp_path: Path) -> None:
    """Relations given by id without provenance take the inline path; hashes still agree."""
    from schema import RelationType

    (tmp_path / "e.csv").write_text("id,name,type\na,甲公司,enterprise\nb,乙研究院,institute\n"
                                    "c,眼镜,industry\n", encoding="utf-8")
    (tmp_path / "r.csv").write_text("source,target,relation,kind,year,role,extra\n"
                                    "a,b,partnership,共建,2021,,x\na,c,in_industry,,,producer,\n"
                                    "b,c,in_industry,,,research,\n", encoding="utf-8")
    summary = load_paths(embedded, [tmp_path / "e.csv", tmp_path / "r.csv"])
    assert summary.rejected == 0 and summary.created["relations"] == 3
    stored = embedded.relation_hashes(list(RelationType))
    relations = list(embedded.iter_relations())
    assert len(relations) == 3 and all(stored[r.id] == r.content_hash() for r in relations)
    partnership = next(r for r in relations if r.type is RelationType.partnership)
    assert partnership.props == {"kind": "共建", "year": 2021, "extra": "x"}
