"""Property-based tests of tabular ingest (issue 15).

Random tables — CSV (UTF-8, UTF-8 with BOM, GB18030), TSV, XLSX, JSON and JSON Lines, with
quotes, commas, newlines and control characters in cells, very long cells, numbers, valid
and invalid types, credit codes, relation words, kinds and years — and random
government-list-shaped sheets. Whatever the input:

* ``load_paths`` refuses the whole file (``UnreadableFile`` / ``InvalidInput``) and the
  store is unchanged, or it returns a summary whose accounting balances, every reject
  naming a row, a column and a reason; no other exception escapes;
* loading the same file again creates and updates nothing and leaves the store as it was;
* in a government list every data row is loaded or rejected naming its row, and no title,
  group or note row becomes an entity.

Each example opens its own embedded store in a temporary folder (hypothesis does not
reset pytest's ``tmp_path`` between examples). ``INNOGRAPH_PROPERTY_EXAMPLES=1000`` runs a
long hunt. The schemathesis pytest plugin blanks the values in hypothesis's "Failing test
case" report; run with ``-p no:schemathesis`` to see the shrunk example.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, Phase, assume, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from graph.store import GraphStore, open_store
from ingest.loader import LoadSummary, load_paths
from ingest.shapes.cells import clean_cell
from schema import EntityType, InvalidInput, UnreadableFile, entity_id, normalise_name
from schema.ids import credit_code_check_char

#: INNOGRAPH_PROPERTY_EXAMPLES=1000 for a long hunt; the default keeps the file under a minute
PROPERTY_SETTINGS = settings(max_examples=int(os.environ.get("INNOGRAPH_PROPERTY_EXAMPLES", "30")),
                             deadline=None,
                             # no explain phase: it is slow, and prints composite
                             # arguments badly; the shrunk example is what matters
                             phases=[Phase.explicit, Phase.reuse, Phase.generate,
                                     Phase.shrink],
                             suppress_health_check=[HealthCheck.too_slow,
                                                    HealthCheck.data_too_large])

Cell = str | int | float | None

# --- cells --------------------------------------------------------------------------------

SIMPLIFIED = ("温州大学", "温州医科大学", "浙江大学温州研究院", "华联机械有限公司", "瓯江实验室",
              "温州市大学科技园", "中国眼谷", "正泰电器股份有限公司", "瓯海区", "鹿城区",
              "生命健康", "数字经济", "温州(嘉定)科创园")
TRADITIONAL = ("溫州醫科大學", "溫州大學", "華聯機械有限公司", "甌江實驗室", "溫州（嘉定）科創園")
NAMES = SIMPLIFIED + TRADITIONAL
CJK = "温州瓯海鹿城龙湾科技创新研究院大学机械电器医药生物光学眼镜鞋革智能装备數據華聯"
TRICKY = ("", " ", "-", "—", "无", "N/A", '"', '""', "'", ",", "，", "\n", "\r\n", "\t", "|",
          "；", "、", '="x"', "\x07", "\x1b", "\ufeff", "\u200b", "\u3000", "０", "12345",
          "3.5", "=SUM(A1)", "null", "#N/A")

chinese = st.text(alphabet=CJK, min_size=1, max_size=12)
long_text = st.text(alphabet=CJK + "ab ", min_size=280, max_size=400)


@st.composite
def decorated(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    """``base`` with quotes, commas, newlines or control characters around or inside."""
    text = draw(base)
    extra = draw(st.sampled_from(TRICKY))
    where = draw(st.sampled_from(("before", "after", "inside")))
    if where == "before":
        return extra + text
    if where == "after":
        return text + extra
    cut = draw(st.integers(0, len(text)))
    return text[:cut] + extra + text[cut:]


plain_names = st.one_of(st.sampled_from(NAMES), chinese)
names = st.one_of(plain_names, plain_names, decorated(plain_names), st.sampled_from(TRICKY),
                  long_text, st.integers(-10, 10**6))
any_cell = st.one_of(st.none(), st.sampled_from(TRICKY), chinese, decorated(chinese),
                     st.text(max_size=12), st.integers(-10**6, 10**6),
                     st.floats(allow_nan=False, allow_infinity=False, width=32))

ENTITY_TYPE_WORDS = ("enterprise", "Enterprise", "企业", "institute", "高校", "研究院", "科研机构",
                     "incubator", "孵化器", "region", "区域", "industry", "park", "platform",
                     "人才团队", " institute ")
BAD_TYPE_WORDS = ("company", "公司", "xyz", "-", "企 业", "entities")
types = st.one_of(st.sampled_from(ENTITY_TYPE_WORDS), st.sampled_from(ENTITY_TYPE_WORDS),
                  st.sampled_from(BAD_TYPE_WORDS), st.just(""), any_cell)
levels = st.one_of(st.sampled_from(("国家级", "省级", "市级", "区级", "", "-")), any_cell)
years = st.one_of(st.sampled_from(("2019", "2019-05-20", "二〇二一", "1700", "3000", "abc",
                                   "2021年", "", "-", "2021.0")),
                  st.integers(1800, 2100), st.integers(-5, 10**7), any_cell)

CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    """A valid credit code (GB 32100-2015), or one spoiled in a typical way."""
    first17 = (draw(st.text(CODE_ALPHABET, min_size=2, max_size=2))
               + draw(st.text("0123456789", min_size=6, max_size=6))
               + draw(st.text(CODE_ALPHABET, min_size=9, max_size=9)))
    valid = first17 + credit_code_check_char(first17)
    spoil = draw(st.sampled_from(("valid", "valid", "lower", "spaced", "check", "short",
                                  "letters", "empty")))
    if spoil == "lower":
        return valid.lower()
    if spoil == "spaced":
        return f" {valid} "
    if spoil == "check":
        wrong = next(c for c in CODE_ALPHABET if c != valid[-1])
        return first17 + wrong
    if spoil == "short":
        return valid[: draw(st.integers(1, 17))]
    if spoil == "letters":
        return "I" + valid[1:]  # I is outside the alphabet
    if spoil == "empty":
        return ""
    return valid


codes_or_junk = st.one_of(credit_codes(), credit_codes(), any_cell)


@st.composite
def aliases(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(plain_names, st.sampled_from(TRICKY)), max_size=3))
    return draw(st.sampled_from(("|", ";", "；", "、", ","))).join(parts)


# --- files --------------------------------------------------------------------------------

FORMATS = ("csv", "tsv", "xlsx", "json", "json-wrapped", "jsonl")
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")


def _text(value: Cell) -> str:
    return "" if value is None else str(value)


def _xlsx_value(value: Cell) -> Cell:
    """What openpyxl can store: XML forbids most C0 control characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _encoded(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)  # only text the encoding can hold
        raise


def write_table(folder: Path, stem: str, fmt: str, encoding: str, header: Sequence[str],
                rows: Sequence[Sequence[Cell]], wrap_key: str = "entities") -> Path:
    """One table in ``fmt``; CSV quoting is the csv module's."""
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t",
                            lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[_text(c) for c in row] for row in rows])
        path = folder / f"{stem}.{fmt}"
        path.write_bytes(_encoded(buffer.getvalue(), encoding))
    elif fmt == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = stem[:31]
        sheet.append([_xlsx_value(h) for h in header])
        for row in rows:
            sheet.append([_xlsx_value(c) for c in row])
        path = folder / f"{stem}.xlsx"
        book.save(path)
    else:
        records = [dict(zip(header, row, strict=True)) for row in rows]
        if fmt == "jsonl":
            text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
            path = folder / f"{stem}.jsonl"
        else:
            data: Any = {wrap_key: records} if fmt == "json-wrapped" else records
            text = json.dumps(data, ensure_ascii=False)
            path = folder / f"{stem}.json"
        path.write_bytes(_encoded(text, encoding))
    return path


@contextmanager
def fresh_store() -> Iterator[tuple[Path, GraphStore]]:
    """A temporary folder and an embedded store in it, holding a small base graph."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        store = open_store(folder / "store", buffer_pool_mb=64)
        try:
            base = folder / "base.csv"
            base.write_text(BASE_ENTITIES, encoding="utf-8")
            load_paths(store, [base])
            yield folder, store
        finally:
            store.close()


BASE_ENTITIES = ("name,type,aliases\n温州大学,institute,温大\n华联机械有限公司,enterprise,华联机械\n"
                 "瓯海区,region,\n生命健康,industry,\n")
BASE_IDS = frozenset({"institute:温州大学", "enterprise:华联机械有限公司", "region:瓯海区",
                      "industry:生命健康"})


# --- the properties -----------------------------------------------------------------------

def last_row(path: Path) -> int:
    """The largest row number a person can see in the file (line, sheet row, position)."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            return max(sheet.max_row or 1 for sheet in book.worksheets)
        finally:
            book.close()
    data = path.read_bytes()
    if path.suffix == ".json":
        for encoding in ENCODINGS[1:]:
            with contextlib.suppress(ValueError):
                parsed = json.loads(data.decode(encoding))
                items = parsed if isinstance(parsed, list) else max(
                    (v for v in parsed.values() if isinstance(v, list)), key=len, default=[])
                return max(len(items), 1)
    return data.count(b"\n") + 1


def load_checked(store: GraphStore, paths: Sequence[Path]) -> LoadSummary | None:
    """Load; a whole-file refusal leaves the store as it was (returns None), otherwise
    the summary balances and every reject says where (a file loaded, a row in it, a
    column) and why."""
    before = store.stats().content_hash
    try:
        summary = load_paths(store, list(paths))
    except (UnreadableFile, InvalidInput) as refusal:
        assert str(refusal).strip()
        reason = str(getattr(refusal, "reason", refusal))
        event(f"refused: {re.sub(r'[0-9]+', 'N', reason)[:50]}")
        assert store.stats().content_hash == before, "a refused load changed the store"
        return None
    assert summary.rows_read == summary.accounted, summary.to_json()
    event("loaded, some rows rejected" if summary.rejects else "loaded, no rejects")
    assert summary.rejected == len(summary.rejects)
    files = {str(p.resolve()): p for p in paths}
    for reject in summary.rejects:
        assert reject.reason.strip(), reject
        assert reject.column, reject
        path = files.get(reject.file.partition("#")[0])
        assert path is not None, f"{reject} names no file of the load"
        assert isinstance(reject.row, int) and 1 <= reject.row <= last_row(path), reject
    return summary


def check_load_and_reload(store: GraphStore, paths: Sequence[Path]) -> LoadSummary | None:
    """The properties of :func:`load_checked`, then idempotence of a second load."""
    first = load_checked(store, paths)
    if first is None:
        return None
    after = store.stats().content_hash
    second = load_checked(store, paths)
    assert second is not None, "the second load of a file refused a file the first accepted"
    assert sum(second.created.values()) == 0, second.to_json()
    assert sum(second.updated.values()) == 0, second.to_json()
    assert store.stats().content_hash == after, "a second identical load changed the store"
    return first


# --- 1. entity tables ---------------------------------------------------------------------

ENTITY_COLUMNS: dict[str, tuple[tuple[str, str], st.SearchStrategy[Any]]] = {
    "name": (("name", "名称"), names),
    "type": (("type", "类型"), types),
    "aliases": (("aliases", "别名"), st.one_of(aliases(), any_cell)),
    "level": (("level", "级别"), levels),
    "founded_year": (("founded_year", "成立年份"), years),
    "credit_code": (("credit_code", "统一社会信用代码"), codes_or_junk),
}
EXTRA_HEADERS = ("website", "规模", "custom_note", "Remark 2")
STEMS = ("entities", "企业", "data", "孵化器", "list", "名单")


@dataclass
class TableFile:
    fmt: str
    encoding: str
    stem: str
    header: list[str]
    rows: list[list[Cell]]


@st.composite
def entity_tables(draw: st.DrawFn) -> TableFile:
    keys = draw(st.lists(st.sampled_from(list(ENTITY_COLUMNS)), unique=True, max_size=6))
    if draw(st.integers(0, 9)) > 0 and "name" not in keys:
        keys.append("name")  # mostly entity tables; sometimes no name column at all
    extras = draw(st.lists(st.sampled_from(EXTRA_HEADERS), unique=True, max_size=2))
    assume(keys or extras)
    header = [ENTITY_COLUMNS[k][0][draw(st.integers(0, 1))] for k in keys] + extras
    strategies = [ENTITY_COLUMNS[k][1] for k in keys] + [any_cell] * len(extras)
    order = draw(st.permutations(range(len(header))))
    header = [header[i] for i in order]
    strategies = [strategies[i] for i in order]
    rows = draw(st.lists(st.tuples(*strategies).map(list), min_size=0, max_size=12))
    return TableFile(draw(st.sampled_from(FORMATS)), draw(st.sampled_from(ENCODINGS)),
                     draw(st.sampled_from(STEMS)), header, rows)


@PROPERTY_SETTINGS
@given(table=entity_tables())
def test_random_entity_tables_load_or_are_refused_and_reload_idempotently(
        table: TableFile) -> None:
    with fresh_store() as (folder, store):
        path = write_table(folder, table.stem, table.fmt, table.encoding, table.header,
                           table.rows)
        check_load_and_reload(store, [path])


# --- 2. relation tables -------------------------------------------------------------------

ENTITY_POOL: tuple[tuple[str, str, str], ...] = (   # (name, type, alias)
    ("温州医科大学", "institute", "温医大"), ("浙江大学温州研究院", "institute", "浙大温研院"),
    ("正泰电器股份有限公司", "enterprise", "正泰"), ("温州市大学科技园", "incubator", "大学科技园"),
    ("中国眼谷", "park", "眼谷"), ("鹿城区", "region", ""), ("数字经济", "industry", "数字产业"),
    ("溫州肯恩大學", "institute", "溫肯"), ("瓯江实验室", "platform", ""),
)
RELATION_WORDS = ("partnership", "合作", "located_in", "位于", "affiliated_with", "依托",
                  "incubated_at", "in_industry", "所属产业", "supports", "invests_in", "leads",
                  "Partnership")
BAD_RELATION_WORDS = ("friend", "合作伙伴", "-", "located in")
KINDS = ("共建", "校地合作", "战略合作", "技术合作", "合作", "瞎合作", "", "-")
RELATION_COLUMNS: dict[str, tuple[str, str]] = {
    "source": ("source", "源"), "target": ("target", "目标"), "relation": ("relation", "关系"),
    "kind": ("kind", "合作方式"), "year": ("year", "年份"), "status": ("status", "状态"),
    "role": ("role", "角色"),
}


@st.composite
def endpoints(draw: st.DrawFn, entities: list[tuple[str, str, str]]) -> Cell:
    """An endpoint by name, id, alias, a Traditional spelling, an unknown name, or junk."""
    name, type_value, alias = draw(st.sampled_from(entities))
    how = draw(st.sampled_from(("name", "name", "id", "alias", "base", "unknown", "junk")))
    if how == "id":
        return entity_id(EntityType(type_value), normalise_name(name))
    if how == "alias":
        return alias
    if how == "base":
        return draw(st.sampled_from(("温州大学", "温大", "华联机械", "瓯海区", "institute:温州大学")))
    if how == "unknown":
        return draw(st.one_of(chinese, st.sampled_from(("不存在研究院", "enterprise:不存在"))))
    if how == "junk":
        junk: Cell = draw(any_cell)
        return junk
    return name


@dataclass
class RelationCase:
    entities: list[tuple[str, str, str]]
    relations: TableFile
    together: bool


@st.composite
def relation_cases(draw: st.DrawFn) -> RelationCase:
    entities = draw(st.lists(st.sampled_from(ENTITY_POOL), min_size=1, max_size=6,
                             unique=True))
    keys = ["source", "target"] if draw(st.integers(0, 9)) > 0 else []
    keys += draw(st.lists(st.sampled_from(list(RELATION_COLUMNS)), unique=True, max_size=5))
    keys = list(dict.fromkeys(keys))
    extras = draw(st.lists(st.sampled_from(EXTRA_HEADERS), unique=True, max_size=1))
    header = [RELATION_COLUMNS[k][draw(st.integers(0, 1))] for k in keys] + extras
    cell: dict[str, st.SearchStrategy[Any]] = {
        "source": endpoints(entities), "target": endpoints(entities),
        "relation": st.one_of(st.sampled_from(RELATION_WORDS), st.sampled_from(RELATION_WORDS),
                              st.sampled_from(BAD_RELATION_WORDS), any_cell),
        "kind": st.one_of(st.sampled_from(KINDS), any_cell), "year": years,
        "status": st.one_of(st.sampled_from(("签约", "在建", "完成", "")), any_cell),
        "role": st.one_of(st.sampled_from(("牵头", "参与", "")), any_cell),
    }
    strategies = [cell[k] for k in keys] + [any_cell] * len(extras)
    order = draw(st.permutations(range(len(header))))
    header = [header[i] for i in order]
    strategies = [strategies[i] for i in order]
    rows = draw(st.lists(st.tuples(*strategies).map(list), min_size=0, max_size=12))
    stem = draw(st.sampled_from(("relations", "关系", "partnership", "合作", "links")))
    table = TableFile(draw(st.sampled_from(FORMATS)), draw(st.sampled_from(ENCODINGS)), stem,
                      header, rows)
    return RelationCase(entities, table, draw(st.booleans()))


@PROPERTY_SETTINGS
@given(case=relation_cases())
def test_random_relation_tables_load_or_are_refused_and_reload_idempotently(
        case: RelationCase) -> None:
    with fresh_store() as (folder, store):
        entity_file = write_table(folder, "entities", "csv", "utf-8", ["name", "type", "aliases"],
                                  [list(e) for e in case.entities])
        table = case.relations
        relation_file = write_table(folder, table.stem, table.fmt, table.encoding,
                                    table.header, table.rows, wrap_key="relations")
        if case.together:
            check_load_and_reload(store, [entity_file, relation_file])
        else:
            loaded = load_checked(store, [entity_file])
            assert loaded is not None and loaded.rejected == 0, loaded
            check_load_and_reload(store, [relation_file])


# --- 3. government lists ------------------------------------------------------------------

TITLES = ("2023年瓯海区高新技术企业名单", "温州市科技型中小企业名单（第一批）", "专精特新“小巨人”企业名单")
DISTRICTS = ("瓯海区", "鹿城区", "龙湾区", "洞头区", "瑞安市", "永嘉县")
INDUSTRIES = ("生命健康", "数字经济", "智能装备", "新材料")
LEGAL_FORMS = ("有限公司", "科技有限公司", "股份有限公司", "电气股份有限公司", "集团有限公司")
NOTES = ("注：以上企业按行政区划排列", "注:排名不分先后", "合计", "制表：瓯海区科技局",
         "数据来源：温州市科技局", "以上排名不分先后")


@st.composite
def company_names(draw: st.DrawFn) -> str:
    """What a list's name cell holds: mostly a company name, sometimes junk."""
    company = (draw(st.sampled_from(("温州", "浙江", "瓯海", "溫州", "")))
               + draw(chinese) + draw(st.sampled_from(LEGAL_FORMS)))
    how = draw(st.sampled_from(("plain", "plain", "plain", "decorated", "empty", "long")))
    if how == "decorated":
        return draw(decorated(st.just(company)))
    if how == "empty":
        return draw(st.sampled_from(("", "-", "无")))
    if how == "long":
        return "温州" + draw(long_text) + "有限公司"
    return company


@dataclass
class ListRow:
    kind: str            # "title", "header", "data", "group", "note", "blank"
    cells: list[Cell]


@dataclass
class ListCase:
    rows: list[ListRow]
    fmt: str             # "csv" or "xlsx"
    encoding: str


@st.composite
def list_bodies(draw: st.DrawFn) -> list[ListRow]:
    items: list[ListRow] = []
    number = 0
    for kind in draw(st.lists(st.sampled_from(("data", "data", "data", "group", "blank",
                                                "dash", "note")), min_size=1, max_size=14)):
        if kind == "data":
            number += 1
            seq: Cell = str(number) if draw(st.booleans()) else number
            items.append(ListRow("data", [
                seq, draw(company_names()),
                draw(st.sampled_from((*DISTRICTS, "", "-"))),
                draw(st.sampled_from((*INDUSTRIES, "", "-")))]))
        elif kind == "group":
            text = draw(st.one_of(
                st.builds(lambda d, n: f"{d}（{n}家）", st.sampled_from(DISTRICTS),
                          st.integers(1, 30)),
                st.builds(lambda o, i: f"{o}、{i}", st.sampled_from("一二三四五"),
                          st.sampled_from(INDUSTRIES)),
                st.sampled_from(("国家级", "省级", "第一批"))))
            column = draw(st.sampled_from((0, 1)))
            cells: list[Cell] = [""] * column
            items.append(ListRow("group", [*cells, text]))
        elif kind == "blank":
            items.append(ListRow("blank", []))
        elif kind == "dash":
            items.append(ListRow("blank", ["-", "-", "—", "-"]))
        else:
            items.append(ListRow("note", [draw(st.sampled_from(NOTES))]))
    return items


@st.composite
def government_lists(draw: st.DrawFn) -> ListCase:
    rows = [ListRow("title", [draw(st.sampled_from(TITLES))])]
    if draw(st.booleans()):
        rows.append(ListRow("blank", []))
    header: list[Cell] = ["序号", "企业名称", *draw(st.permutations(["所在地区", "所属产业"]))]
    rows.append(ListRow("header", header))
    body = draw(list_bodies())
    if header[2] == "所属产业":  # the body was drawn for 所在地区 before 所属产业
        for row in body:
            if row.kind == "data":
                row.cells[2], row.cells[3] = row.cells[3], row.cells[2]
    rows += body
    rows += [ListRow("note", [text]) for text in
             draw(st.lists(st.sampled_from(NOTES), max_size=2, unique=True))]
    return ListCase(rows, draw(st.sampled_from(("csv", "csv", "xlsx"))),
                    draw(st.sampled_from(ENCODINGS)))


def write_list(folder: Path, case: ListCase) -> tuple[Path, list[tuple[int, str]]]:
    """The list as a file, and its rows' numbers and the texts as written (as a person sees
    them: a CSV record's first line, a sheet's row)."""
    written: list[tuple[int, list[str]]] = []
    if case.fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        line = 1
        for row in case.rows:
            start = buffer.tell()
            writer.writerow([_text(c) for c in row.cells])
            written.append((line, [_text(c) for c in row.cells]))
            line += buffer.getvalue()[start:].count("\n")
        path = folder / "名单.csv"
        path.write_bytes(_encoded(buffer.getvalue(), case.encoding))
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for number, row in enumerate(case.rows, start=1):
            cells = [_xlsx_value(c) for c in row.cells]
            sheet.append(cells)
            written.append((number, [_text(c) for c in cells]))
        path = folder / "名单.xlsx"
        book.save(path)
    return path, [(number, cells[1] if len(cells) > 1 else cells[0] if cells else "")
                  for number, cells in written]


@PROPERTY_SETTINGS
@given(case=government_lists())
def test_government_list_rows_are_loaded_or_rejected_never_dropped(case: ListCase) -> None:
    with fresh_store() as (folder, store):
        path, written = write_list(folder, case)
        summary = check_load_and_reload(store, [path])
        assert summary is not None, "a well-formed government list was refused"
        assert [s.shape for s in summary.sources] == ["government_list"], summary.sources
        rejected_rows = {r.row for r in summary.rejects}
        data_rows = {number for row, (number, _) in zip(case.rows, written, strict=True)
                     if row.kind == "data"}
        assert rejected_rows <= data_rows, (
            f"rows {sorted(rejected_rows - data_rows)} are no data rows but were rejected as "
            f"data: {summary.rejects}")
        expected_ids = set()
        for row, (number, name) in zip(case.rows, written, strict=True):
            if row.kind != "data":
                continue
            cleaned = normalise_name(clean_cell(name))
            the_id = entity_id(EntityType.enterprise, cleaned) if cleaned else ""
            expected_ids.add(the_id)
            loaded = bool(the_id) and store.get(the_id) is not None
            assert loaded or number in rejected_rows, (
                f"data row {number} ({name!r}) was neither loaded as {the_id!r} nor rejected;"
                f" rejects: {summary.rejects}")
        not_data = {normalise_name(text) for row, (_, text) in zip(case.rows, written,
                                                                   strict=True)
                    if row.kind in ("title", "group", "note")
                    for text in [" ".join(_text(c) for c in row.cells if c)]}
        for entity in store.iter_entities():
            assert entity.name not in not_data, f"{entity.id} comes from a non-data row"
            if entity.type is EntityType.enterprise and entity.id not in BASE_IDS:
                assert entity.id in expected_ids, f"{entity.id} is no data row's entity"


@settings(PROPERTY_SETTINGS, max_examples=10)
@given(ordinal=st.sampled_from("一二三四五六七八九十"), name=company_names(),
       empty=st.sampled_from(("", "-")), fmt=st.sampled_from(("csv", "xlsx")))
def test_a_company_numbered_with_a_chinese_numeral_is_a_data_row(  # found by hypothesis
        ordinal: str, name: str, empty: str, fmt: str) -> None:
    assume(clean_cell(name) not in ("", "-", "无") and len(name) < 100)
    rows = [ListRow("title", [TITLES[0]]), ListRow("header", ["序号", "企业名称", "所在地区", "所属产业"]),
            ListRow("data", [ordinal, name, empty, empty]),
            ListRow("data", ["2", "温州乙科技有限公司", "瓯海区", "生命健康"])]
    with fresh_store() as (folder, store):
        path, written = write_list(folder, ListCase(rows, fmt, "utf-8"))
        summary = load_checked(store, [path])
        assert summary is not None
        number, text = written[2]
        the_id = entity_id(EntityType.enterprise, normalise_name(clean_cell(text)))
        assert store.get(the_id) is not None or number in {r.row for r in summary.rejects}, (
            f"row {number} ({text!r}) was neither loaded nor rejected; read as "
            f"{[s for s in summary.sources[0].skipped if s.row == number]}")
