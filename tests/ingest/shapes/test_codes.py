"""Industry codes, name patterns and credit-code kinds: tests generated from the tables.

Each row of gbt4754.csv is found by its code and its name; each row of
ipc_industries.csv wins for a code under it; each row of legal_forms.csv is the rule its
own example hits first; each row of credit_code_kinds.csv decides a code that starts
with it. Every sample industry a table names exists in data/wenzhou/entities.csv.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.shapes.codes import (
    CREDIT_CODE_CSV,
    GBT4754_CSV,
    IPC_CSV,
    LEGAL_FORMS_CSV,
    CreditKind,
    GbEntry,
    IndustryMatch,
    IpcEntry,
    NameRule,
    credit_kinds,
    gb_entries,
    industry_for_gb,
    industry_for_ipc,
    ipc_entries,
    name_rule,
    name_rules,
    parse_ipc,
    type_from_credit_code,
    type_from_name,
)
from ingest.shapes.vocabulary import DATA_DIR
from schema import UnreadableFile
from schema.ids import credit_code_check_char

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_ENTITIES = ROOT / "data" / "wenzhou" / "entities.csv"


def _sample() -> list[dict[str, str]]:
    with SAMPLE_ENTITIES.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


SAMPLE_INDUSTRIES = {r["name"] for r in _sample() if r["type"] == "industry"}


# ---------------------------------------------------------------- GB/T 4754-2017

GB = gb_entries()
# the standard's sections by division range, written out independently of the table
SECTION_RANGES = {"A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50),
                  "F": (51, 52), "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69),
                  "K": (70, 70), "L": (71, 72), "M": (73, 75), "N": (76, 79), "O": (80, 82),
                  "P": (83, 83), "Q": (84, 85), "R": (86, 90), "S": (91, 96), "T": (97, 97)}


def test_gb_has_the_20_sections_and_97_divisions() -> None:
    sections = [e.code for e in GB if e.level == "section"]
    divisions = [e.code for e in GB if e.level == "division"]
    assert sections == list("ABCDEFGHIJKLMNOPQRST")
    assert divisions == [f"{n:02d}" for n in range(1, 98)]


@pytest.mark.parametrize("entry", [e for e in GB if e.level != "section"], ids=lambda e: e.code)
def test_gb_division_sits_in_its_section(entry: GbEntry) -> None:
    low, high = SECTION_RANGES[entry.section]
    assert low <= int(entry.code[:2]) <= high


@pytest.mark.parametrize("entry", GB, ids=lambda e: e.code)
def test_gb_row_is_found_by_code_and_name(entry: GbEntry) -> None:
    expected = entry.match()
    assert industry_for_gb(entry.code) == expected
    assert industry_for_gb(entry.full_code) == expected
    assert industry_for_gb(f"{entry.full_code} {entry.name}") == expected
    by_name = industry_for_gb(entry.name)
    if entry.level == "section" and entry.name in {"国际组织", "房地产业", "教育"}:
        # a section named as its only division: the name reads as the division
        assert by_name is not None and by_name.code.startswith(entry.code)
        assert len(by_name.code) == 3
    else:
        assert by_name == expected
    assert expected.label == f"{entry.full_code} {entry.name}"


@pytest.mark.parametrize("entry", [e for e in GB if e.industry], ids=lambda e: e.code)
def test_gb_industry_is_a_sample_industry(entry: GbEntry) -> None:
    assert entry.industry in SAMPLE_INDUSTRIES


@pytest.mark.parametrize(("text", "code", "industry"), [
    ("C", "C", None), ("制造业", "C", None), ("c38", "C38", "智能电气"), ("38", "C38", "智能电气"),
    ("3811", "C38", "智能电气"), ("381", "C38", "智能电气"), ("电气机械和器材制造业", "C38", "智能电气"),
    (" 电气机械和器材制造业 ", "C38", "智能电气"), ("19", "C19", "鞋革"),
    ("皮革、毛皮、羽毛及其制品和制鞋业", "C19", "鞋革"), ("3587", "C3587", "眼镜"),
    ("C3587", "C3587", "眼镜"), ("眼镜制造", "C3587", "眼镜"), ("3581", "C358", "医疗器械"),
    ("27", "C27", "生物医药"), ("I65", "I65", "信息技术"), ("01", "A01", "现代农业"),
    ("36", "C36", None), ("C 制造业", "C", None), ("９７", "T97", None),
])
def test_gb_lookups(text: str, code: str, industry: str | None) -> None:
    match = industry_for_gb(text)
    assert match is not None and (match.code, match.industry) == (code, industry)


@pytest.mark.parametrize("text", ["", "  ", "A38", "99", "00", "U", "电气", "3", "123456",
                                  "D制造业"])
def test_gb_not_found(text: str) -> None:
    assert industry_for_gb(text) is None


# ---------------------------------------------------------------- IPC

IPC = ipc_entries()


def _code_under(entry: IpcEntry) -> str:
    """A code the row covers and no more specific row does."""
    p = entry.prefix
    candidates: list[str]
    if p.subgroup is not None:
        candidates = [f"{p.subclass}{p.group}/{p.subgroup}"]
    elif p.group is not None:
        candidates = [f"{p.subclass}{p.group}/{n:02d}" for n in range(0, 100, 2)]
    elif p.subclass is not None:
        candidates = [f"{p.subclass}{g}/00" for g in range(1, 100)]
    elif p.klass is not None:
        candidates = [f"{p.klass}{letter}1/00" for letter in "ABCDEFGHJKLMNPQRSTUVWXYZ"]
    else:
        candidates = [f"{p.section}{n:02d}{letter}1/00" for n in range(1, 99) for letter in "BDQ"]
    for code in candidates:
        parsed = parse_ipc(code)
        assert parsed is not None and p.covers(parsed)
        if not any(o is not entry and o.prefix.depth > p.depth and o.prefix.covers(parsed)
                   for o in IPC):
            return code
    raise AssertionError(f"every code under {entry.written} is taken by a finer row")


@pytest.mark.parametrize("entry", IPC, ids=lambda e: e.written)
def test_ipc_row_wins_for_a_code_under_it(entry: IpcEntry) -> None:
    code = _code_under(entry)
    match = industry_for_ipc(code)
    assert match is not None
    assert match.label == f"{entry.written} {entry.label}"
    assert match.industry == (entry.industry or None)


@pytest.mark.parametrize("entry", [e for e in IPC if e.industry], ids=lambda e: e.written)
def test_ipc_industry_is_a_sample_industry(entry: IpcEntry) -> None:
    assert entry.industry in SAMPLE_INDUSTRIES


@pytest.mark.parametrize("entry", IPC, ids=lambda e: e.written)
def test_ipc_row_has_a_note_or_is_plain(entry: IpcEntry) -> None:
    assert entry.label
    assert parse_ipc(entry.written) == entry.prefix


@pytest.mark.parametrize(("text", "code", "industry"), [
    ("G02C 7/02", "G02C7/02", "眼镜"), ("G02C7/02", "G02C7/02", "眼镜"),
    ("G02C0007020000", "G02C7/02", "眼镜"), ("g02c 7/02 (2006.01)", "G02C7/02", "眼镜"),
    ("G02B 1/04; G02C 7/02", "G02B1/04", "眼镜"), ("G02B6/00；G02C7/02", "G02B6/00", "激光光电"),
    ("A61P 27/02", "A61P27/02", "眼健康"), ("A61P27/16", "A61P27/16", "生物医药"),
    ("A61B 3/10", "A61B3/10", "眼健康"), ("A61B 5/00", "A61B5/00", "医疗器械"),
    ("A61F2/1613", "A61F2/1613", "眼健康"), ("A61F 2/82", "A61F2/82", "医疗器械"),
    ("A61K 8/02", "A61K8/02", None), ("A61K 31/00", "A61K31/00", "生物医药"),
    ("A61Q 19/00", "A61Q19/00", "生命健康"), ("H01M 10/0525", "H01M10/0525", None),
    ("E05B 47/00, G07C 9/00", "E05B47/00", "智能锁具"), ("H01H 71/10", "H01H71/10", "智能电气"),
    ("G01S 19/42", "G01S19/42", "北斗导航"), ("A43B 13/04", "A43B13/04", "鞋革"),
    ("H04W 4/70", "H04W4/70", "物联网"), ("H04W 72/04", "H04W72/04", "5G通信"),
    ("C12N 5/0775", "C12N5/0775", "再生医学"), ("C12N 15/11", "C12N15/11", "生物医药"),
    ("\nG02C 5/00\n", "G02C5/00", "眼镜"),
])
def test_ipc_lookups(text: str, code: str, industry: str | None) -> None:
    match = industry_for_ipc(text)
    assert match is not None and (match.code, match.industry) == (code, industry)


@pytest.mark.parametrize("text", ["", "F16K 1/00", "Z99", "not a code", "1234", ";"])
def test_ipc_not_found(text: str) -> None:
    assert industry_for_ipc(text) is None


def test_ipc_prefix_matching_is_by_part_not_by_string() -> None:
    a61b3 = parse_ipc("A61B3")
    a61b35 = parse_ipc("A61B35/00")
    assert a61b3 is not None and a61b35 is not None
    assert not a61b3.covers(a61b35)


# ---------------------------------------------------------------- names

RULES = name_rules()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.line}:{r.pattern}")
def test_name_rule_is_the_first_its_example_hits(rule: NameRule) -> None:
    assert rule.example, f"{rule.pattern} has no example"
    assert name_rule(rule.example) is rule
    found = type_from_name(rule.example)
    if rule.type:
        assert found is not None and found[0] == rule.type
        assert f"line {rule.line}" in found[1] and rule.pattern in found[1]
    else:
        assert found is None


@pytest.mark.parametrize(("name", "kind"), [
    ("温州瓯海眼视光研究院有限公司", "enterprise"),      # the legal form wins over 研究院
    ("温州市实验室设备有限公司", "enterprise"),
    ("温州市科技创新创业投资基金合伙企业（有限合伙）", "fund"),
    ("温州市明远企业管理咨询合伙企业（有限合伙）", "enterprise"),
    ("温州市瓯海区创业投资基金管理有限公司", "enterprise"),  # the fund manager is a company
    ("浙江省眼视光工程技术研究中心", "platform"),
    ("武汉光电国家研究中心温州分中心", "institute"),
    ("温州國家大學科技園", "incubator"),                # traditional characters
    ("瓯海区人民政府", "government"),
    ("温州医科大学附属眼视光医院", "institute"),
    ("乐清智能电气小镇", "park"),
])
def test_names(name: str, kind: str) -> None:
    found = type_from_name(name)
    assert found is not None and found[0] == kind


@pytest.mark.parametrize("name", ["华联机械", "叶志镇", "温州科技大脑", "", "温州市眼镜行业协会"])
def test_names_with_no_type(name: str) -> None:
    assert type_from_name(name) is None


# sample entities whose name says another type than the sample gives them
_SAMPLE_EXCEPTIONS = {"瓯海区高教新区发展中心"}  # a government service centre named like a platform


def test_name_rules_agree_with_the_sample_graph() -> None:
    disagree = []
    typed = 0
    for row in _sample():
        found = type_from_name(row["name"])
        if found is None:
            continue
        typed += 1
        if found[0] != row["type"] and row["name"] not in _SAMPLE_EXCEPTIONS:
            disagree.append((row["name"], row["type"], found[0]))
    assert disagree == []
    assert typed > 100


# ---------------------------------------------------------------- credit codes

KINDS = credit_kinds()
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _code(prefix: str) -> str:
    body = (prefix + "330300MA2H8XL12345")[:17]
    return body + credit_code_check_char(body)


def _code_for(kind: CreditKind) -> str:
    if len(kind.prefix) == 2:
        return _code(kind.prefix)
    listed = {k.prefix for k in KINDS}
    second = next(c for c in _ALPHABET if kind.prefix + c not in listed)
    return _code(kind.prefix + second)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.prefix)
def test_credit_kind_decides_codes_starting_with_it(kind: CreditKind) -> None:
    found = type_from_credit_code(_code_for(kind))
    if kind.type:
        assert found is not None and found[0] == kind.type
        assert f"line {kind.line}" in found[1]
    else:
        assert found is None


@pytest.mark.parametrize(("code", "kind"), [
    ("91330300MA2H8XL127", "enterprise"), (" 91330304ma2ct3q51b ", "enterprise"),
    ("12330300470069178R", "institute"), ("11330300002568950X", "government"),
    ("52330300MA7D1KXW2D", "institute"), ("92330300MA2H8XL120", "enterprise"),
])
def test_credit_codes(code: str, kind: str) -> None:
    found = type_from_credit_code(code)
    assert found is not None and found[0] == kind


@pytest.mark.parametrize("code", ["", "91330300", "330300000012345", "53330000MA7D1KXW2D",
                                  "51330300MA7D1KXW2D", "91330300MA2H8XL12O"])
def test_credit_codes_with_no_type(code: str) -> None:
    assert type_from_credit_code(code) is None


def test_credit_kinds_cover_the_standard() -> None:
    prefixes = {k.prefix for k in KINDS}
    assert {"1", "11", "12", "13", "19", "5", "51", "52", "53", "9", "91", "92", "93",
            "Y"} <= prefixes


# ---------------------------------------------------------------- the files and overrides


@pytest.mark.parametrize("path", sorted(DATA_DIR.glob("*.csv")), ids=lambda p: p.name)
def test_tables_are_utf8_without_bom(path: Path) -> None:
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    data.decode("utf-8")
    assert b"\r" not in data


def test_readme_describes_every_table() -> None:
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for path in (GBT4754_CSV, IPC_CSV, LEGAL_FORMS_CSV, CREDIT_CODE_CSV,
                 DATA_DIR / "headers.csv"):
        assert path.name in readme


def test_user_tables_override_the_shipped_ones(tmp_path: Path) -> None:
    gb = tmp_path / "gb.csv"
    gb.write_text("code,level,name,industry,note\nC,section,制造业,,\n"
                  "38,division,电气机械和器材制造业,新能源,my own mapping\n", encoding="utf-8")
    assert industry_for_gb("38", path=gb) == IndustryMatch("C38", "C38 电气机械和器材制造业",
                                                           "新能源")
    assert industry_for_gb("19", path=gb) is None
    ipc = tmp_path / "ipc.csv"
    ipc.write_text("prefix,industry,label,note\nH01M,新能源,电池,\n", encoding="utf-8")
    match = industry_for_ipc("H01M 10/0525", path=ipc)
    assert match is not None and match.industry == "新能源"
    forms = tmp_path / "forms.csv"
    forms.write_text("pattern,match,type,reason,example\n…设计院,suffix,institute,a design "
                     "institute,温州市建筑设计院\n", encoding="utf-8")
    found = type_from_name("温州市建筑设计院", path=forms)
    assert found is not None and found[0] == "institute"
    kinds = tmp_path / "kinds.csv"
    kinds.write_text("prefix,type,reason\n51,platform,associations as platforms\n",
                     encoding="utf-8")
    found = type_from_credit_code(_code("51"), path=kinds)
    assert found is not None and found[0] == "platform"


@pytest.mark.parametrize(("name", "text", "says"), [
    ("gb", "code,level,name,industry,note\nC,sector,制造业,,\n", "level 'sector'"),
    ("gb", "code,level,name,industry,note\n38,division,电气,,\n", "before any section"),
    ("gb", "code,level,name,industry,note\nC,section,制造业,,\n3X,division,x,,\n",
     "not a division code"),
    ("gb", "code,level,name,industry,note\nC,section,制造业,,\n38,division,a,,\n"
           "37,division,b,,\n", "out of order"),
    ("gb", "code,level,name,industry,note\nC,section,制造业,,\n381,group,电机制造,,\n",
     "no division 38"),
    ("ipc", "prefix,industry,label,note\nG2C7,眼镜,x,\n", "not an IPC prefix"),
    ("ipc", "prefix,industry,label,note\nG02C,眼镜,x,\nG02C,眼镜,x,\n", "already on line 2"),
    ("forms", "pattern,match,type,reason,example\n公司,endswith,enterprise,x,x\n",
     "suffix or contains"),
    ("forms", "pattern,match,type,reason,example\n公司,suffix,company,x,x\n",
     "not an entity type"),
    ("kinds", "prefix,type,reason\n9I,enterprise,x\n", "credit-code alphabet"),
    ("kinds", "prefix,type,reason\n91,enterprise,\n", "no reason"),
])
def test_a_bad_user_table_names_file_and_line(tmp_path: Path, name: str, text: str,
                                              says: str) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    lookups: dict[str, Callable[[], object]] = {
        "gb": lambda: industry_for_gb("38", path=path),
        "ipc": lambda: industry_for_ipc("G02C7/02", path=path),
        "forms": lambda: type_from_name("x公司", path=path),
        "kinds": lambda: type_from_credit_code(_code("91"), path=path)}
    with pytest.raises(UnreadableFile) as caught:
        lookups[name]()
    message = str(caught.value)
    assert str(path) in message and "line" in message and says in message
