"""The entity type of a list's rows, decided in a fixed order and explained.

A government list rarely says what its rows are; it says so in its title (…孵化器名单), in
its name column (孵化器名称), sometimes in a 类型 column, and otherwise only the names'
legal forms tell (…有限公司 is an enterprise). The order, first that decides wins:

1. an explicit ``--type`` (or the mapping profile's ``entity_type``);
2. the type the name column implies (孵化器名称 → incubator);
3. a type column, per row;
4. words of the title rows or the sheet name (:data:`TITLE_TYPES`);
5. per row, the name's legal form (``codes.type_from_name``).

A row none of these decides is rejected, naming the name column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..columns import entity_type_from
from .codes import type_from_name
from .detect import Detection

#: (word in a title or sheet name, type of the rows). When several words occur, the one
#: ending last wins: in Chinese the head noun comes last (孵化器在孵企业名单 lists firms).
TITLE_TYPES: tuple[tuple[str, str], ...] = (
    ("孵化器", "incubator"), ("众创空间", "incubator"), ("加速器", "incubator"),
    ("孵化载体", "incubator"), ("孵化基地", "incubator"),
    ("新型研发机构", "institute"), ("科研机构", "institute"), ("科研院所", "institute"),
    ("高校", "institute"), ("高等院校", "institute"),
    ("重点实验室", "platform"), ("工程技术研究中心", "platform"), ("企业技术中心", "platform"),
    ("技术创新中心", "platform"), ("创新平台", "platform"), ("公共服务平台", "platform"),
    ("人才团队", "talent_team"), ("创新团队", "talent_team"), ("创业团队", "talent_team"),
    ("领军团队", "talent_team"),
    ("高新技术企业", "enterprise"), ("科技型中小企业", "enterprise"), ("专精特新", "enterprise"),
    ("小巨人", "enterprise"), ("上市公司", "enterprise"), ("隐形冠军", "enterprise"),
    ("企业", "enterprise"),
    ("产业园", "park"), ("科技园", "park"), ("小微园", "park"), ("园区", "park"),
    ("基金", "fund"),
)

#: examples: (title or sheet name, type); the tests check them
TITLE_EXAMPLES: tuple[tuple[str, str | None], ...] = (
    ("2023年瓯海区科技企业孵化器名单", "incubator"),
    ("温州市级众创空间认定名单（第一批）", "incubator"),
    ("孵化器在孵企业名单", "enterprise"),
    ("省级企业技术中心名单", "platform"),
    ("Sheet1", None),
)


def type_from_title(text: str) -> str | None:
    """The type a title's head noun names, or ``None``.

    >>> type_from_title("2023年瓯海区科技企业孵化器名单")
    'incubator'
    """
    best: tuple[int, int, str] | None = None
    for word, value in TITLE_TYPES:
        end = text.rfind(word)
        if end >= 0 and (best is None or (end + len(word), len(word)) > best[:2]):
            best = (end + len(word), len(word), value)
    return best[2] if best else None


@dataclass(frozen=True)
class SheetType:
    """The sheet-wide decision; ``per_row`` says rows decide when ``value`` is None."""

    value: str | None
    reason: str
    type_column: int | None = None   # position of the type column, when rows read it
    fallback: str | None = None      # title/sheet type for rows whose type cell is empty


def sheet_type(detection: Detection, explicit: str | None) -> SheetType:
    """Steps 1–4 of the module's order, for the sheet as a whole."""
    if explicit:
        return SheetType(explicit, f"given explicitly ({explicit})")
    for mapping in detection.columns:
        if mapping.role in ("name", "canonical") and _is_name(mapping.role, mapping.target) \
                and mapping.target_type:
            return SheetType(mapping.target_type, f"the name column {mapping.header} names "
                                                  f"{mapping.target_type} entities")
    grid = detection.grid
    words = [(detection.title, "the title"), (grid.sheet or "", "the sheet name"),
             (Path(grid.file).stem if grid.sheet is None else "", "the file name")]
    fallback = None
    for text, what in words:
        found = type_from_title(text) if text else None
        if found:
            fallback = (found, f"{what} {text!r} names {found} entities")
            break
    type_column = next((m.column for m in detection.columns if m.role == "type"
                        or (m.role == "canonical" and m.target == "type")), None)
    if type_column is not None:
        header = next(m.header for m in detection.columns if m.column == type_column)
        after = f"; empty cells: {fallback[1]}" if fallback else \
            "; empty cells: the name's legal form"
        return SheetType(None, f"per row from the {header} column{after}", type_column,
                         fallback[0] if fallback else None)
    if fallback:
        return SheetType(fallback[0], fallback[1])
    return SheetType(None, "per row from the name's legal form (…有限公司 → enterprise, "
                           "…大学 → institute)")


def _is_name(role: str, target: str) -> bool:
    return role == "name" or target == "name"


def row_type(decision: SheetType, name: str, type_cell: str) -> tuple[str | None, str]:
    """A row's type value (or the type word as written, which the loader checks), and
    ``""`` or the reason it cannot be told."""
    if decision.value:
        return decision.value, ""
    if type_cell:
        found = entity_type_from(type_cell)
        return (found.value if found else type_cell), ""
    if decision.fallback:
        return decision.fallback, ""
    by_name = type_from_name(name)
    if by_name:
        return by_name[0], ""
    return None, (f"type: cannot tell what {name!r} is from its name; give a 类型 column or "
                  "--type")
