"""The header vocabulary (ingest/shapes/data/headers.csv): tests generated from its rows.

Every row is looked up by its own header and by spellings a real sheet uses for it, and
its ``example`` cell is checked against what the role promises (a valid credit code, a
date, a sample industry, a name whose legal form gives the far end's type …).
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from ingest.columns import _HEADER_SYNONYMS
from ingest.shapes.codes import industry_for_gb, industry_for_ipc, type_from_name
from ingest.shapes.vocabulary import (
    HEADERS_CSV,
    ROLES,
    SHAPES,
    HeaderEntry,
    entries,
    header_entry,
    header_key,
    markers,
)
from schema import ENDPOINTS, EntityType, RelationType, UnreadableFile, validate_credit_code

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_ENTITIES = ROOT / "data" / "wenzhou" / "entities.csv"
ENTRIES = entries()


def _sample_names(kind: str) -> set[str]:
    with SAMPLE_ENTITIES.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["type"] == kind]
    return {r["name"] for r in rows} | {a for r in rows for a in r["aliases"].split("|") if a}


def _id(entry: HeaderEntry) -> str:
    return entry.header


# ---------------------------------------------------------------- every row


@pytest.mark.parametrize("entry", ENTRIES, ids=_id)
def test_each_header_finds_its_row(entry: HeaderEntry) -> None:
    assert header_entry(entry.header) is entry
    # how real sheets write the same header: full-width brackets, a colon, a required-field
    # asterisk, a line break inside the cell, upper case
    variants = {entry.header.replace("(", "（").replace(")", "）"), f"{entry.header}：",
                f"*{entry.header}", f"{entry.header}*", f" {entry.header[:1]}\n{entry.header[1:]} ",
                entry.header.upper()}
    for variant in variants:
        assert header_entry(variant) is entry, variant


@pytest.mark.parametrize("entry", ENTRIES, ids=_id)
def test_each_row_has_an_example(entry: HeaderEntry) -> None:
    assert entry.example, f"{entry.header} has no example"
    assert entry.reason.startswith(f"header {entry.header!r}")


_DATE_ROLES = {"application_date", "publication_date", "signed_date", "subscribed_date"}
_ORG_ROLES = {"shareholder_name", "investee_name", "investor_name", "party_a", "party_b",
              "current_owner", "first_applicant"}
_YEAR = re.compile(r"(19|20)\d\d")


@pytest.mark.parametrize("entry", ENTRIES, ids=_id)
def test_each_example_fits_its_role(entry: HeaderEntry) -> None:
    ex, role, target = entry.example, entry.role, entry.target
    if role == "property" and target == "credit_code":
        validate_credit_code(ex)
    elif role == "property" and target in ("founded_year", "certified_year", "approved_date"):
        assert _YEAR.search(ex)
    elif role == "name" and entry.target_type:
        found = type_from_name(ex)
        assert found is None or found[0] == entry.target_type, found
    elif role == "region_part":
        found = type_from_name(ex)
        assert found is not None and found[0] == "region", found
    elif role == "industry_code" and target.startswith("gb_"):
        assert industry_for_gb(ex) is not None, ex
    elif role == "industry_code":
        assert industry_for_ipc(ex) is not None, ex
    elif role in _DATE_ROLES:
        date.fromisoformat(ex)
    elif role == "share_ratio":
        assert re.fullmatch(r"\d+(\.\d+)?%", ex)
    elif role in ("subscribed_amount", "paid_amount", "amount"):
        assert re.search(r"\d", ex)
    elif role == "publication_number":
        assert re.fullmatch(r"CN\d{9}[ABCUS]\d?", ex)
    elif role == "application_number":
        assert re.fullmatch(r"(CN|ZL)?\d{12}\.[\dX]", ex)
    elif role == "applicants":
        assert all(type_from_name(name) for name in ex.split(";"))
    elif role in _ORG_ROLES:
        assert type_from_name(ex) is not None, ex


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.role == "relation"], ids=_id)
def test_each_relation_example_is_a_valid_far_end(entry: HeaderEntry) -> None:
    """The example names something the relation may reach, typed as the row says (or, when
    the far end is decided per name, typed by its legal form)."""
    ex = entry.example
    if entry.target_type == "industry":
        match = industry_for_gb(ex)
        assert ex in _sample_names("industry") or (match and match.industry), ex
        return
    if entry.target_type in ("chain_segment", "person"):
        assert ex in _sample_names(entry.target_type), ex
        return
    if entry.target_type == "region":
        assert ex in _sample_names("region"), ex
        return
    found = type_from_name(ex)
    far = entry.target_type or (found[0] if found else "")
    assert far, f"{ex!r}: the far end's type cannot be told from the name"
    if found is not None:
        assert found[0] == far, (ex, found)
    if entry.target not in {r.value for r in RelationType}:
        return  # co_applicant: added by the lead, organisation ↔ organisation
    sources, targets = ENDPOINTS[RelationType(entry.target)]
    allowed = targets if entry.direction == "out" else sources
    assert EntityType(far) in allowed, (entry.target, entry.direction, far)


# ---------------------------------------------------------------- the table as a whole


def _raw_rows() -> list[dict[str, str]]:
    with HEADERS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_header_key_is_unique_and_has_one_role() -> None:
    roles: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    for row in _raw_rows():
        key = header_key(row["header"])
        roles[key].add(row["role"])
        count[key] += 1
    assert [k for k, n in count.items() if n > 1] == []
    assert [k for k, r in roles.items() if len(r) > 1] == []


def test_the_file_is_utf8_without_bom() -> None:
    data = HEADERS_CSV.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    data.decode("utf-8")


def test_every_role_is_used_and_every_used_role_is_known() -> None:
    used = {e.role for e in ENTRIES}
    assert used == ROLES


@pytest.mark.parametrize("shape", sorted(SHAPES - {"government_list"}))
def test_every_shape_but_the_default_has_markers(shape: str) -> None:
    assert markers(shape)


@pytest.mark.parametrize(("header", "shape"), [
    ("持股比例", "registry_shareholders"), ("股东名称", "registry_shareholders"),
    ("被投资企业名称", "registry_investments"), ("登记状态", "registry_companies"),
    ("法定代表人", "registry_companies"), ("国标行业门类", "registry_companies"),
    ("公开(公告)号", "patents"), ("申请人", "patents"), ("IPC主分类", "patents"),
    ("甲方", "projects"), ("乙方", "projects"), ("签约双方", "projects"),
])
def test_markers_of_the_brief(header: str, shape: str) -> None:
    entry = header_entry(header)
    assert entry is not None and shape in entry.shapes


@pytest.mark.parametrize("header", ["企业名称", "所在地区", "级别", "认定年份", "序号", "名称"])
def test_a_government_list_header_marks_nothing(header: str) -> None:
    entry = header_entry(header)
    assert entry is not None and not entry.shapes


# the brief's own decisions where the plain loader's synonym means something else here
_OVERRIDES = {"名称": ("name", ""), "编号": ("ignored", ""), "带头人": ("relation", "leads"),
              "负责人": ("relation", "leads")}


@pytest.mark.parametrize("header", sorted({s for canon, syns in _HEADER_SYNONYMS.items()
                                           for s in (canon, *syns)}))
def test_every_loader_header_is_in_the_vocabulary(header: str) -> None:
    entry = header_entry(header)
    assert entry is not None, header
    if header in _OVERRIDES:
        assert (entry.role, entry.target) == _OVERRIDES[header]
        return
    canon = next(c for c, syns in _HEADER_SYNONYMS.items() if header in (c, *syns))
    assert entry.role in ("canonical", "property") and entry.target == canon, entry


@pytest.mark.parametrize(("header", "role", "target", "target_type", "direction"), [
    ("企业名称", "name", "", "enterprise", ""),
    ("单位名称", "name", "", "", ""),
    ("孵化器名称", "name", "", "incubator", ""),
    ("团队名称", "name", "", "talent_team", ""),
    ("实验室名称", "name", "", "institute", ""),
    ("项目名称", "project_name", "", "", ""),
    ("所在地区", "relation", "located_in", "region", "out"),
    ("所属产业", "relation", "in_industry", "industry", "out"),
    ("依托单位", "relation", "affiliated_with", "", "out"),
    ("运营主体", "relation", "affiliated_with", "", "out"),
    ("共建单位", "relation", "partnership", "", "out"),
    ("带头人", "relation", "leads", "person", "in"),
    ("所属区县", "region_part", "district", "", ""),
    ("国标行业大类", "industry_code", "gb_division", "", ""),
    ("IPC主分类号", "industry_code", "ipc_main", "", ""),
    ("统一社会信用代码", "property", "credit_code", "", ""),
    ("认缴出资额（万元）", "subscribed_amount", "", "", ""),
    ("公开（公告）号", "publication_number", "", "", ""),
    ("备注", "canonical", "note", "", ""),
    ("序号", "ignored", "", "", ""),
])
def test_decisions_of_the_brief(header: str, role: str, target: str, target_type: str,
                                direction: str) -> None:
    entry = header_entry(header)
    assert entry is not None
    assert (entry.role, entry.target, entry.target_type, entry.direction) == (
        role, target, target_type, direction)


# ---------------------------------------------------------------- matching


@pytest.mark.parametrize(("text", "key"), [
    ("企业名称", "企业名称"), (" 企业名称： ", "企业名称"), ("企业名称:", "企业名称"),
    ("*企业名称", "企业名称"), ("企业\n名称", "企业名称"), ("公开（公告）号", "公开(公告)号"),
    ("ＩＰＣ主分类号", "ipc主分类号"), ("Name", "name"), ("【备注】", "(备注)"),
])
def test_header_key(text: str, key: str) -> None:
    assert header_key(text) == key


def test_a_trailing_unit_is_tried_without_it() -> None:
    entry = header_entry("总投资（亿元）")
    assert entry is not None and entry.role == "amount"
    assert header_entry("持股比例(%)") is header_entry("持股比例")
    assert header_entry("完全不认识(万元)") is None


def test_unknown_headers() -> None:
    assert header_entry("") is None
    assert header_entry("某个列") is None


def test_nothing_is_read_at_import_time() -> None:
    code = ("import ingest.shapes.vocabulary as v, ingest.shapes.codes as c\n"
            "assert v._load.cache_info().currsize == 0\n"
            "assert c._gb_table.cache_info().currsize == 0\n"
            "assert c._name_rules.cache_info().currsize == 0\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# ---------------------------------------------------------------- a user's own table

_HEAD = "header,role,target,target_type,direction,shapes,example\n"


def _table(tmp_path: Path, body: str, head: str = _HEAD) -> Path:
    path = tmp_path / "my_headers.csv"
    path.write_text(head + body, encoding="utf-8")
    return path


def test_a_user_table_replaces_the_shipped_one(tmp_path: Path) -> None:
    path = _table(tmp_path, "企业全称,name,,enterprise,,,温州市维日康生物科技有限公司\n"
                            "合作申请人,relation,co_applicant,,out,patents,温州医科大学\n")
    entry = header_entry("企业全称", path=path)
    assert entry is not None and entry.target_type == "enterprise"
    assert header_entry("企业名称", path=path) is None
    assert header_entry("合作申请人", path=str(path)) is not None


def test_a_user_table_saved_by_excel_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (_HEAD + "企业全称,name,,enterprise,,,x\n").encode())
    assert header_entry("企业全称", path=path) is not None


@pytest.mark.parametrize(("body", "says"), [
    ("企业全称,nam,,,,,x\n", "unknown role 'nam'"),
    ("所在地区,relation,lives_in,region,out,,x\n", "'lives_in' is not a relation type"),
    ("所在地区,relation,located_in,regoin,out,,x\n", "'regoin' is not an entity type"),
    ("所在地区,relation,located_in,region,,,x\n", "needs direction out or in"),
    ("所在地区,relation,,region,out,,x\n", "needs a target"),
    ("企业全称,name,enterprise,,,,x\n", "takes no target"),
    ("省份,region_part,county,,,,x\n", "not a region level"),
    ("分类,industry_code,nace,,,,x\n", "not a code system"),
    ("x,canonical,foo,,,,x\n", "not a canonical column"),
    ("x,property,Bad Name,,,,x\n", "snake_case"),
    ("x,ignored,,,,patent,x\n", "unknown shape(s) patent"),
    ("x,ignored,,,,,x\nＸ ,ignored,,,,,x\n", "already on line 2"),
    (",ignored,,,,,x\n", "header cell is empty"),
])
def test_a_bad_user_table_names_file_and_line(tmp_path: Path, body: str, says: str) -> None:
    path = _table(tmp_path, body)
    with pytest.raises(UnreadableFile) as caught:
        header_entry("x", path=path)
    message = str(caught.value)
    assert str(path) in message and says in message
    assert re.search(r"line \d+", message)


def test_a_table_missing_a_column(tmp_path: Path) -> None:
    path = _table(tmp_path, "x,ignored,,,,\n", head="header,role,target,target_type,direction,shapes\n")
    with pytest.raises(UnreadableFile, match=r"missing column.*example"):
        header_entry("x", path=path)


def test_a_missing_table(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match=r"nothing\.csv"):
        header_entry("x", path=tmp_path / "nothing.csv")
