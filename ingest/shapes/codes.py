"""Codes and name patterns that tell an industry or an entity type, read from data tables.

* ``industry_for_gb``: a national industry code or name (GB/T 4754-2017) → its label and
  the sample industry it maps to (``data/gbt4754.csv``).
* ``industry_for_ipc``: an IPC patent classification → the sample industry
  (``data/ipc_industries.csv``, longest prefix wins).
* ``type_from_name``: the legal form or kind word a name ends with → entity type
  (``data/legal_forms.csv``, first matching row wins).
* ``type_from_credit_code``: the registration authority and organisation category of a
  统一社会信用代码 (GB 32100-2015) → entity type (``data/credit_code_kinds.csv``).

Each table is read once, on first use; each function takes ``path=`` for a user's edited
copy. A bad row is an error naming the file and line.

>>> industry_for_gb("C38")
IndustryMatch(code='C38', label='C38 电气机械和器材制造业', industry='智能电气')
>>> industry_for_ipc("G02C 7/02; G02B 1/04").industry
'眼镜'
>>> type_from_name("温州市维日康生物科技有限公司")[0]
'enterprise'
>>> type_from_credit_code("12330300470069178R")[0]
'institute'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingest.shapes.vocabulary import DATA_DIR, ENTITY_TYPES, read_data_table, table_error
from schema import normalise_name

GBT4754_CSV = DATA_DIR / "gbt4754.csv"
IPC_CSV = DATA_DIR / "ipc_industries.csv"
LEGAL_FORMS_CSV = DATA_DIR / "legal_forms.csv"
CREDIT_CODE_CSV = DATA_DIR / "credit_code_kinds.csv"

GB_LEVELS = {"section": 1, "division": 2, "group": 3, "class": 4}   # level → code length


@dataclass(frozen=True)
class IndustryMatch:
    """A classification code read from a cell, and the sample industry it maps to."""

    code: str              # "C38", "C3587", "C"; "G02C7/02"
    label: str             # "C38 电气机械和器材制造业"; "G02C 眼镜；太阳镜…"
    industry: str | None   # the sample graph's industry name, or None when none maps


def _as_path(path: str | Path | None, default: Path) -> Path:
    return default if path is None else Path(path)


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# ---------------------------------------------------------------- GB/T 4754-2017


@dataclass(frozen=True)
class GbEntry:
    code: str
    level: str
    name: str
    industry: str
    note: str
    section: str           # the section letter (itself for a section)

    @property
    def full_code(self) -> str:
        return self.code if self.level == "section" else self.section + self.code

    def match(self) -> IndustryMatch:
        return IndustryMatch(self.full_code, f"{self.full_code} {self.name}",
                             self.industry or None)


@dataclass(frozen=True)
class GbTable:
    by_code: dict[str, GbEntry]
    by_name: dict[str, GbEntry]

    def entries(self) -> list[GbEntry]:
        return list(self.by_code.values())


@cache
def _gb_table(path: Path) -> GbTable:
    by_code: dict[str, GbEntry] = {}
    by_name: dict[str, GbEntry] = {}
    section = ""
    last_division = ""
    for line, c in read_data_table(path, ("code", "level", "name", "industry", "note")):
        code, level = c["code"].upper(), c["level"]
        if level not in GB_LEVELS:
            raise table_error(path, line, f"level {level!r} is not one of "
                                          f"{', '.join(GB_LEVELS)}")
        if level == "section":
            pattern, shape = r"[A-T]", "a letter A-T"
        else:
            pattern, shape = rf"\d{{{GB_LEVELS[level]}}}", f"{GB_LEVELS[level]} digits"
        if not re.fullmatch(pattern, code):
            raise table_error(path, line, f"code {c['code']!r} is not a {level} code ({shape})")
        if not c["name"]:
            raise table_error(path, line, f"code {code} has no name")
        if code in by_code:
            raise table_error(path, line, f"code {code} is listed twice")
        if level == "section":
            section = code
        elif level == "division":
            if not section:
                raise table_error(path, line, f"division {code} comes before any section "
                                              "(a division belongs to the section row above it)")
            if last_division and code <= last_division:
                raise table_error(path, line, f"division {code} is out of order "
                                              f"(after {last_division}); keep the standard's order")
            last_division = code
        else:
            parent = by_code.get(code[:2])
            if parent is None:
                raise table_error(path, line, f"{level} {code} has no division {code[:2]} "
                                              "above it")
        own_section = section if level in ("section", "division") else by_code[code[:2]].section
        entry = GbEntry(code, level, c["name"], c["industry"], c["note"], own_section)
        by_code[code] = entry
        named = by_name.get(normalise_name(entry.name))
        if named is None or GB_LEVELS[level] > GB_LEVELS[named.level]:
            by_name[normalise_name(entry.name)] = entry   # 教育: division 83, not section P
    return GbTable(by_code, by_name)


def gb_entries(path: str | Path | None = None) -> list[GbEntry]:
    """Every row of the GB/T 4754 table in order."""
    return _gb_table(_as_path(path, GBT4754_CSV)).entries()


_GB_CODE = re.compile(r"^([A-Ta-t])?(\d{2,4})?(.*)$")


def industry_for_gb(text: str, path: str | Path | None = None) -> IndustryMatch | None:
    """The GB/T 4754-2017 entry a cell names, or ``None``.

    Accepts a section letter (``C``), a code with or without its section (``C38``,
    ``38``), a group or class code (``3811`` → its longest listed prefix, at least its
    division), a name (``电气机械和器材制造业``), or code and name together
    (``C38 电气机械和器材制造业``).

    >>> industry_for_gb("3811").label
    'C38 电气机械和器材制造业'
    >>> industry_for_gb("C3587眼镜制造").industry
    '眼镜'
    >>> industry_for_gb("制造业")
    IndustryMatch(code='C', label='C 制造业', industry=None)
    >>> industry_for_gb("A38") is None
    True
    """
    table = _gb_table(_as_path(path, GBT4754_CSV))
    cleaned = _clean(text)
    if not cleaned:
        return None
    parsed = _GB_CODE.match(cleaned)
    if parsed is None:
        return None
    letter, digits, rest = (parsed.group(1) or "").upper(), parsed.group(2), parsed.group(3)
    if digits and not (rest and rest[0].isdigit()):
        for size in range(len(digits), 1, -1):
            entry = table.by_code.get(digits[:size])
            if entry is not None:
                return entry.match() if letter in ("", entry.section) else None
        return None
    if letter and not digits:
        section = table.by_code.get(letter)
        if section is not None and (
                not rest or normalise_name(rest) == normalise_name(section.name)):
            return section.match()                    # C, or C 制造业
        if not rest:
            return None
    by_name = table.by_name.get(normalise_name(cleaned))
    if by_name is None and letter and rest:
        by_name = table.by_name.get(normalise_name(rest))
        if by_name is not None and by_name.section != letter:
            return None
    return by_name.match() if by_name else None


# ---------------------------------------------------------------- IPC


@dataclass(frozen=True)
class IpcCode:
    """A parsed IPC symbol; a prefix leaves the finer parts ``None``."""

    section: str
    klass: str | None = None       # "G02"
    subclass: str | None = None    # "G02C"
    group: int | None = None       # 7
    subgroup: str | None = None    # "02"

    def parts(self) -> tuple[str | int | None, ...]:
        return (self.section, self.klass, self.subclass, self.group, self.subgroup)

    @property
    def depth(self) -> int:
        return sum(p is not None for p in self.parts())

    def text(self) -> str:
        if self.subclass is None:
            return self.klass or self.section
        if self.group is None:
            return self.subclass
        return f"{self.subclass}{self.group}/{self.subgroup or '00'}"

    def covers(self, code: IpcCode) -> bool:
        """Whether this prefix covers ``code`` (subgroups compare by leading digits)."""
        for mine, theirs in zip(self.parts()[:4], code.parts()[:4], strict=True):
            if mine is not None and mine != theirs:
                return False
        if self.subgroup is None:
            return True
        return code.subgroup is not None and code.subgroup.startswith(self.subgroup)


_IPC = re.compile(r"^([A-H])(?:(\d{2})(?:([A-Z])(?:(\d{1,4})(?:/(\d{1,6}))?)?)?)?$")
_IPC_FULL = re.compile(r"^([A-H])(\d{2})([A-Z])(\d{4})(\d{6})$")   # G02C0007020000
_IPC_SPLIT = re.compile(r"[;；,，|\n]+")
_IPC_VERSION = re.compile(r"\(\d{4}\.\d{2}\)$")                     # (2006.01)


def parse_ipc(text: str) -> IpcCode | None:
    """One IPC symbol or prefix (``G02C 7/02``, ``G02C0007020000``, ``A61``), or ``None``.

    >>> parse_ipc("G02C0007020000").text()
    'G02C7/02'
    >>> parse_ipc("H01M 10/0525(2010.01)").text()
    'H01M10/0525'
    >>> parse_ipc("not a code") is None
    True
    """
    cleaned = _IPC_VERSION.sub("", _clean(text).upper())
    full = _IPC_FULL.match(cleaned)
    if full:
        sec, cls, sub, group, subgroup = full.groups()
        trimmed = subgroup.rstrip("0")
        subgroup = trimmed.ljust(2, "0")
        return IpcCode(sec, sec + cls, sec + cls + sub, int(group), subgroup)
    parsed = _IPC.match(cleaned)
    if not parsed:
        return None
    sec, cls, sub, group, subgroup = parsed.groups()
    return IpcCode(
        sec,
        sec + cls if cls else None,
        sec + cls + sub if sub else None,
        int(group) if group else None,
        subgroup if subgroup else None,
    )


@dataclass(frozen=True)
class IpcEntry:
    prefix: IpcCode
    written: str
    industry: str
    label: str
    note: str


@dataclass(frozen=True)
class IpcTable:
    rows: tuple[IpcEntry, ...]
    by_head: dict[str, tuple[IpcEntry, ...]]   # section, class or subclass → rows under it

    def candidates(self, code: IpcCode) -> list[IpcEntry]:
        heads = (code.section, code.klass, code.subclass)
        return [e for head in heads if head for e in self.by_head.get(head, ())]


@cache
def _ipc_table(path: Path) -> IpcTable:
    rows: list[IpcEntry] = []
    seen: dict[IpcCode, int] = {}
    for line, c in read_data_table(path, ("prefix", "industry", "label", "note")):
        prefix = parse_ipc(c["prefix"])
        if prefix is None:
            raise table_error(path, line, f"{c['prefix']!r} is not an IPC prefix "
                                          "(section A, class A61, subclass A61B, group A61B3 "
                                          "or subgroup A61B3/10)")
        if prefix in seen:
            raise table_error(path, line, f"prefix {c['prefix']} is already on line "
                                          f"{seen[prefix]}")
        if not c["label"]:
            raise table_error(path, line, f"prefix {c['prefix']} has no label")
        seen[prefix] = line
        rows.append(IpcEntry(prefix, c["prefix"], c["industry"], c["label"], c["note"]))
    heads: dict[str, list[IpcEntry]] = {}
    for row in rows:
        head = row.prefix.subclass or row.prefix.klass or row.prefix.section
        heads.setdefault(head, []).append(row)
    return IpcTable(tuple(rows), {k: tuple(v) for k, v in heads.items()})


def ipc_entries(path: str | Path | None = None) -> list[IpcEntry]:
    """Every row of the IPC table in order."""
    return list(_ipc_table(_as_path(path, IPC_CSV)).rows)


def industry_for_ipc(text: str, path: str | Path | None = None) -> IndustryMatch | None:
    """The sample industry of an IPC classification cell, or ``None``.

    Several codes separated by ``;`` (or ``,`` ``|`` or line breaks): the first is used,
    as in a 主分类号 column. ``None`` when the first code is not an IPC symbol or no row
    of the table covers it; ``industry`` is ``None`` when the covering row maps to no
    sample industry.

    >>> industry_for_ipc("A61F 9/008").industry
    '眼健康'
    >>> industry_for_ipc("A61F 2/82").industry
    '医疗器械'
    """
    first = next((p for p in _IPC_SPLIT.split(text) if p.strip()), "")
    code = parse_ipc(first)
    if code is None:
        return None
    best: IpcEntry | None = None
    for entry in _ipc_table(_as_path(path, IPC_CSV)).candidates(code):
        if entry.prefix.covers(code) and (best is None or entry.prefix.depth > best.prefix.depth):
            best = entry
    if best is None:
        return None
    return IndustryMatch(code.text(), f"{best.written} {best.label}", best.industry or None)


# ---------------------------------------------------------------- names


@dataclass(frozen=True)
class NameRule:
    """One row of legal_forms.csv."""

    pattern: str
    match: str             # "suffix" or "contains"
    type: str              # an entity type value, or "" (no type fits)
    reason: str
    example: str
    line: int
    regex: re.Pattern[str]

    def describe(self) -> str:
        where = "ends with" if self.match == "suffix" else "contains"
        return f"name {where} {self.pattern!r} (legal_forms.csv line {self.line}): {self.reason}"


def _rule_regex(pattern: str, match: str) -> re.Pattern[str]:
    body = ".*".join(re.escape(normalise_name(part)) for part in pattern.split("*"))
    return re.compile(body + "$" if match == "suffix" else body)


@cache
def _name_rules(path: Path) -> tuple[NameRule, ...]:
    rules: list[NameRule] = []
    for line, c in read_data_table(path, ("pattern", "match", "type", "reason", "example")):
        pattern = c["pattern"].lstrip("…*").strip()
        if not pattern:
            raise table_error(path, line, "the pattern cell is empty")
        if c["match"] not in ("suffix", "contains"):
            raise table_error(path, line, f"match {c['match']!r} must be suffix or contains")
        if c["type"] and c["type"] not in ENTITY_TYPES:
            raise table_error(path, line, f"{c['type']!r} is not an entity type "
                                          f"(known: {', '.join(sorted(ENTITY_TYPES))})")
        if not c["reason"]:
            raise table_error(path, line, f"pattern {pattern!r} has no reason")
        rules.append(NameRule(pattern, c["match"], c["type"], c["reason"], c["example"], line,
                              _rule_regex(pattern, c["match"])))
    return tuple(rules)


def name_rules(path: str | Path | None = None) -> list[NameRule]:
    """Every name rule in priority order."""
    return list(_name_rules(_as_path(path, LEGAL_FORMS_CSV)))


def name_rule(name: str, path: str | Path | None = None) -> NameRule | None:
    """The first rule (in table order) a name matches, even one with no type."""
    text = normalise_name(name)
    for rule in _name_rules(_as_path(path, LEGAL_FORMS_CSV)):
        if rule.regex.search(text):
            return rule
    return None


def type_from_name(name: str, path: str | Path | None = None) -> tuple[str, str] | None:
    """(entity type value, reason) from a name's legal form or kind word, or ``None``.

    Rules are tried in table order and the first match decides, so a legal form listed
    first wins over a kind word before it.

    >>> type_from_name("温州瓯海眼视光研究院有限公司")[0]
    'enterprise'
    >>> type_from_name("温州市科技创新创业投资基金合伙企业（有限合伙）")[0]
    'fund'
    >>> type_from_name("温州市眼镜行业协会") is None
    True
    """
    rule = name_rule(name, path)
    if rule is None or not rule.type:
        return None
    return rule.type, rule.describe()


# ---------------------------------------------------------------- credit codes


@dataclass(frozen=True)
class CreditKind:
    prefix: str
    type: str
    reason: str
    line: int


_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_SHAPE = re.compile(rf"^[{_CREDIT_ALPHABET}]{{18}}$")


@cache
def _credit_kinds(path: Path) -> dict[str, CreditKind]:
    kinds: dict[str, CreditKind] = {}
    for line, c in read_data_table(path, ("prefix", "type", "reason")):
        prefix = c["prefix"].upper()
        if not re.fullmatch(rf"[{_CREDIT_ALPHABET}]{{1,2}}", prefix):
            raise table_error(path, line, f"prefix {c['prefix']!r} must be one or two "
                                          "characters of the credit-code alphabet")
        if prefix in kinds:
            raise table_error(path, line, f"prefix {prefix} is already on line "
                                          f"{kinds[prefix].line}")
        if c["type"] and c["type"] not in ENTITY_TYPES:
            raise table_error(path, line, f"{c['type']!r} is not an entity type "
                                          f"(known: {', '.join(sorted(ENTITY_TYPES))})")
        if not c["reason"]:
            raise table_error(path, line, f"prefix {prefix} has no reason")
        kinds[prefix] = CreditKind(prefix, c["type"], c["reason"], line)
    return kinds


def credit_kinds(path: str | Path | None = None) -> list[CreditKind]:
    """Every row of the credit-code table in order."""
    return list(_credit_kinds(_as_path(path, CREDIT_CODE_CSV)).values())


def type_from_credit_code(code: str,
                          path: str | Path | None = None) -> tuple[str, str] | None:
    """(entity type value, reason) from a credit code's first two characters, or ``None``.

    The code must have the shape of a 统一社会信用代码 (18 characters of its alphabet);
    the check digit is the loader's business. The longest listed prefix decides.

    >>> type_from_credit_code("91330300MA2H8XL127")[0]
    'enterprise'
    >>> type_from_credit_code("53330000MA7D1KXW2D") is None   # 基金会: not a fund
    True
    """
    cleaned = _clean(code).upper()
    if not _CREDIT_SHAPE.match(cleaned):
        return None
    kinds = _credit_kinds(_as_path(path, CREDIT_CODE_CSV))
    kind = kinds.get(cleaned[:2]) or kinds.get(cleaned[:1])
    if kind is None or not kind.type:
        return None
    return kind.type, (f"credit code {cleaned[:2]}… (GB 32100-2015; credit_code_kinds.csv "
                       f"line {kind.line}): {kind.reason}")
