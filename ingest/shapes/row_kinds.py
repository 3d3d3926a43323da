"""What each row after the header is: data, blank, note, or group heading.

Government lists interleave data with group headings (``瓯海区（12家）``, ``一、生命健康``,
``第一批``), which give the rows below them a region, industry, level or batch, and end
with notes (``注：``, ``合计``, ``制表：``). Each rule is a data table with examples; the
examples are the tests. A row no rule explains and that has no name is still ``data``
(rule ``"no name"``), so the loader rejects it visibly instead of dropping it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.shapes.cells import is_empty
from ingest.shapes.codes import type_from_name

KINDS = ("data", "blank", "note", "group")
CONTEXTS = ("region", "level", "batch", "industry")


@dataclass(frozen=True)
class RowKind:
    """A row's kind; for a group heading its context kind and text (ordinal and count
    removed); ``rule`` names the rule that decided, for the explanation."""

    kind: str            # one of KINDS
    context: str = ""    # group only: one of CONTEXTS
    text: str = ""       # group: the heading; note: the note as written
    rule: str = ""


def _key(text: str) -> str:
    """Matching form: NFKC (so "：" is ":" and "（" is "("), no whitespace at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --- notes --------------------------------------------------------------------------------

# (rule, pattern matched at the start of the first non-empty cell, examples that are notes,
#  examples that are not)
NOTE_RULES: tuple[tuple[str, re.Pattern[str], tuple[str, ...], tuple[str, ...]], ...] = (
    ("footnote", re.compile(r"\*?(注|备注|附注|说明|填表说明|填报说明)\d*[:.、]"),
     ("注：以上企业按行政区划排列", "注:", "注1：数据截至2023年底", "备注：无", "说明：",
      "填表说明：", "*注：带*为新认定"),
     ("备注", "注册资本", "说明书制造有限公司")),
    ("total", re.compile(r"(合计|小计|总计|共计)(?=$|[:(\d])"),
     ("合计", "合  计", "合计：35家", "小计（3家）", "总计12"),
     ("合计器材有限公司",)),
    ("source", re.compile(r"(数据来源|资料来源|来源)(?=$|:)"),
     ("数据来源：温州市科技局", "资料来源:企查查"), ("来源于民间",)),
    ("signature", re.compile(r"(制表|制表人|制表单位|制表日期|制表时间|填报单位|填报人|填表人"
                             r"|填报日期|填表日期|联系人|联系电话|审核|审核人|负责人|单位负责人)"
                             r"(?=$|:)"),
     ("制表：张三", "填报单位：瓯海区科技局", "联系人:李四", "联系电话：0577-88888888"),
     ("制表机械厂",)),
    ("unit", re.compile(r"(单位|金额单位|计量单位)[:]"), ("单位：万元", "金额单位:元"),
     ("单位名称",)),
    ("order disclaimer", re.compile(r".{0,20}(排名|排序|排列)不分先后"),
     ("以上排名不分先后", "（排名不分先后）", "以上企业排序不分先后"), ("排名第一",)),
    # what an export platform writes above its header: when and how the rows were drawn
    ("export", re.compile(r"(导出时间|导出日期|导出人|检索式|检索条件|检索表达式|查询时间"
                          r"|查询条件|更新时间|数据更新时间|统计时间|统计截止日期)(?=$|:)"),
     ("导出时间：2024-09-02 10:15:33    共导出7条数据", "检索式：(AP=(温州))  共7条",
      "查询条件:所属区县=瓯海区"), ("导出型企业名单",)),
    ("disclaimer", re.compile(r".{0,60}(仅供参考|以登记机关(?:核发|公示)?(?:信息)?为准"
                              r"|不作为(?:任何)?(?:法律)?依据)"),
     ("本表数据整理自公开渠道，仅供参考。", "数据仅供参考，以登记机关公示为准",
      "以上信息不作为任何法律依据"), ("参考文献目录",)),
)


def note_rule(text: str) -> str | None:
    """The note rule a cell text matches, or ``None``.

    >>> note_rule("注：以上企业按行政区划排列"), note_rule("合计：35家"), note_rule("企业名称")
    ('footnote', 'total', None)
    """
    key = _key(text)
    for rule, pattern, _notes, _not_notes in NOTE_RULES:
        if pattern.match(key):
            return rule
    return None


def above_header_note(cells: Sequence[str]) -> bool:
    """Whether a row above the header is a note (a disclaimer, an export time, a search
    expression) rather than part of the title.

    >>> above_header_note(["导出时间：2024-09-02", ""]), above_header_note(["2024年名单"])
    (True, False)
    """
    first = next((c for c in cells if not is_empty(c)), "")
    return bool(first) and note_rule(first) is not None


# --- group headings -----------------------------------------------------------------------

_CN_NUMERAL = "一二三四五六七八九十百零〇"

# (rule, pattern of the ordinal prefix, examples (heading, text without the ordinal)).
# Arabic ordinals (``1、``) only count outside the name column: a list without a 序号
# column may number its names.
ORDINAL_RULES: tuple[tuple[str, re.Pattern[str], tuple[tuple[str, str], ...]], ...] = (
    ("chinese ordinal", re.compile(rf"[{_CN_NUMERAL}]+[、.,]"),
     (("一、生命健康", "生命健康"), ("二、鹿城区", "鹿城区"), ("十二．新材料", "新材料"))),
    ("bracketed ordinal", re.compile(rf"\([{_CN_NUMERAL}]+\)、?"),
     (("（一）数字经济", "数字经济"), ("(二)智能装备", "智能装备"))),
    ("numbered part", re.compile(rf"第[{_CN_NUMERAL}\d]+(?:部分|类|组|章|节)[、:.]?"),
     (("第一部分：国家级", "国家级"), ("第二类 省级", "省级"))),
)
_ARABIC_ORDINAL = re.compile(r"\d{1,2}[、.]")

# (rule, pattern of the count suffix, examples (heading, text without the count)).
COUNT_RULES: tuple[tuple[str, re.Pattern[str], tuple[tuple[str, str], ...]], ...] = (
    ("bracketed count", re.compile(r"\((?:共|计)?\d+(?:家|个|项|所|名|件|条|人)\)$"),
     (("瓯海区（12家）", "瓯海区"), ("瓯海区(3家)", "瓯海区"), ("生命健康（共5家）", "生命健康"))),
    ("count", re.compile(r":?(?:共|计)\d+(?:家|个|项|所)$|:\d+(?:家|个|项|所)$"),
     (("鹿城区：共8家", "鹿城区"), ("国家级:3家", "国家级"))),
)

LEVELS = ("国家级", "省级", "市级", "区级", "县级", "区县级", "县区级", "地市级")
_BATCH = re.compile(rf"(?:\d{{4}}年度?)?第[{_CN_NUMERAL}\d]+批次?")

# Place suffixes, longest first. Development zones and parks (开发区, 高新区, 园区) are
# called "region" too: for a list they are where the rows are, like a district.
PLACE_SUFFIXES = ("经济技术开发区", "开发区", "高新区", "新区", "园区", "产业园", "街道",
                  "自治州", "自治县", "自治区", "省", "市", "区", "县", "旗", "盟", "镇", "乡")
_MAX_PLACE_CHARS = 16

# (heading, context, text): how a heading's text is read once ordinal and count are gone.
CONTEXT_EXAMPLES: tuple[tuple[str, str, str], ...] = (
    ("瓯海区", "region", "瓯海区"), ("温州市", "region", "温州市"), ("娄桥街道", "region", "娄桥街道"),
    ("瓯海经济开发区", "region", "瓯海经济开发区"), ("浙南产业集聚区", "region", "浙南产业集聚区"),
    ("国家级", "level", "国家级"), ("省级", "level", "省级"),
    ("第一批", "batch", "第一批"), ("2023年第二批", "batch", "2023年第二批"),
    ("生命健康", "industry", "生命健康"), ("数字经济", "industry", "数字经济"),
)


def heading_context(text: str) -> str:
    """The context kind a group heading gives the rows below it.

    >>> all(heading_context(h) == c for h, c, _ in CONTEXT_EXAMPLES)
    True
    """
    key = _key(text)
    if key in LEVELS:
        return "level"
    if _BATCH.fullmatch(key):
        return "batch"
    if len(key) <= _MAX_PLACE_CHARS and key.endswith(PLACE_SUFFIXES):
        return "region"
    return "industry"


def _heading(text: str, arabic_ok: bool) -> tuple[str, str, str] | None:
    """(context, text, rule) when ``text`` reads as a group heading, else ``None``."""
    key = _key(text)
    rules: list[str] = []
    for rule, pattern, _examples in ORDINAL_RULES:
        match = pattern.match(key)
        if match and match.end() < len(key):
            key, rules = key[match.end():].lstrip(":"), [rule]
            break
    else:
        match = _ARABIC_ORDINAL.match(key) if arabic_ok else None
        if match and match.end() < len(key):
            key, rules = key[match.end():], ["arabic ordinal"]
    for rule, pattern, _examples in COUNT_RULES:
        match = pattern.search(key)
        if match and match.start() > 0:
            key, rules = key[:match.start()], [*rules, rule]
            break
    context = heading_context(key)
    if not rules:
        if context == "industry":
            return None   # a bare text is only a heading when it is a place, level or batch
        rules = [f"bare {context}"]
    return context, key, " + ".join(rules)


# --- classify -----------------------------------------------------------------------------

# (cells, name column, (kind, context, text)) with a header four columns wide
# (序号, 企业名称, 所在地区, 所属产业): whole rows as lists print them.
CLASSIFY_EXAMPLES: tuple[tuple[tuple[str, ...], int, tuple[str, str, str]], ...] = (
    (("1", "温州甲科技有限公司", "瓯海区", "生命健康"), 1, ("data", "", "")),
    (("", "温州乙科技有限公司"), 1, ("data", "", "")),
    (("1", "", "瓯海区"), 1, ("data", "", "")),                   # no name: rejected later
    ((), 1, ("blank", "", "")),
    (("", "", "-", "—"), 1, ("blank", "", "")),
    (("瓯海区（12家）",), 1, ("group", "region", "瓯海区")),
    (("", "瓯海区(3家)"), 1, ("group", "region", "瓯海区")),
    (("一、生命健康",), 1, ("group", "industry", "生命健康")),
    (("（一）数字经济",), 1, ("group", "industry", "数字经济")),
    (("二、鹿城区",), 1, ("group", "region", "鹿城区")),
    (("第一批",), 1, ("group", "batch", "第一批")),
    (("国家级",), 1, ("group", "level", "国家级")),
    (("瓯海区",), 1, ("group", "region", "瓯海区")),              # bare place, alone
    (("1、智能装备",), 1, ("group", "industry", "智能装备")),      # arabic, not in name column
    (("", "1、温州甲科技有限公司"), 1, ("data", "", "")),          # numbered names
    (("一", "生命健康"), 1, ("group", "industry", "生命健康")),    # ordinal in the 序号 column
    (("1", "瓯海区"), 1, ("data", "", "")),                        # 序号 1: a data row
    (("", "温州甲科技有限公司"), 0, ("data", "", "")),
    (("注：以上企业按行政区划排列",), 1, ("note", "", "注：以上企业按行政区划排列")),
    (("合计", "", "35"), 1, ("note", "", "合计")),
    (("", "合  计", "35"), 1, ("note", "", "合  计")),
    (("制表：张三", "", "审核：李四"), 1, ("note", "", "制表：张三")),
    (("以上排名不分先后",), 1, ("note", "", "以上排名不分先后")),
    (("数据来源：温州市科技局",), 1, ("note", "", "数据来源：温州市科技局")),
    (("数据仅供参考，以登记机关公示为准",), 1, ("note", "", "数据仅供参考，以登记机关公示为准")),
)

def classify(cells: Sequence[str], header_width: int, name_col: int) -> RowKind:
    """The kind of one row after the header (cells as in :class:`grid.Grid`).

    >>> classify(["", "瓯海区（12家）"], 4, 1)
    RowKind(kind='group', context='region', text='瓯海区', rule='bracketed count')
    >>> classify(["1", "温州甲科技有限公司", "瓯海区"], 4, 1).kind
    'data'
    >>> all((k.kind, k.context, k.text) == expected for cells, name_col, expected in
    ...     CLASSIFY_EXAMPLES for k in [classify(list(cells), 4, name_col)])
    True
    """
    filled = [(i, c) for i, c in enumerate(cells) if not is_empty(c)]
    if not filled:
        return RowKind("blank", rule="every cell empty")
    first = filled[0][1]
    rule = note_rule(first)
    if rule is not None:
        return RowKind("note", text=first, rule=rule)
    group = _group(filled, header_width, name_col)
    if group is not None:
        return group
    if name_col < len(cells) and not is_empty(cells[name_col]):
        return RowKind("data", rule="name")
    return RowKind("data", rule="no name")


#: words an organisation's name holds and a group heading (生命健康, 鹿城区) does not
ORGANISATION_WORD = re.compile("公司|集团|大学|学院|研究院|研究所|实验室|医院|基金|合伙|"
                               "孵化器|众创空间|中心|工作站|平台|团队")


def _group(filled: list[tuple[int, str]], header_width: int, name_col: int) -> RowKind | None:
    columns = [i for i, _ in filled]
    if len(filled) == 1:
        column, text = filled[0]
        found = _heading(text, arabic_ok=column != name_col)
        if found is None or (found[2].startswith("bare") and header_width < 2):
            return None   # in a one-column list a bare place is a name
        return RowKind("group", context=found[0], text=found[1], rule=found[2])
    if name_col != 0 and columns == [0, name_col]:
        ordinal, text = filled[0][1], filled[1][1]
        key = _key(ordinal)
        if not any(p.fullmatch(key) or p.fullmatch(key + "、") for _, p, _ in ORDINAL_RULES):
            return None   # "1 | 甲公司": a numbered data row
        if type_from_name(text) is not None or ORGANISATION_WORD.search(text):
            return None   # "一 | 温州光有限公司": numbered in Chinese, an organisation's name
        found = _heading(text, arabic_ok=False)
        context, heading = (found[0], found[1]) if found else (heading_context(text), _key(text))
        return RowKind("group", context=context, text=heading, rule="ordinal column")
    return None
