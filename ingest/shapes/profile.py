"""Mapping profiles: a saved, editable answer to "what does this spreadsheet mean".

When detection guesses wrong (or a bureau's sheet uses headers nobody else uses), the
user saves the detected mapping (:func:`profile_from`), edits it, and loads with it. A
profile overrides detection — header row, column roles, entity type, shape — and is
checked completely when loaded, so a typo is reported with the column it is in::

    shape: government_list
    sheet: 孵化器            # optional: the sheet it applies to
    header_row: 3
    entity_type: incubator
    columns:
      序号: ignored
      孵化器名称: name
      所在地区: {relation: located_in, target_type: region}
      认定年份: {property: recognised_year}
      片区: {context: region}
      带头人: {relation: leads, target_type: person, direction: in}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from schema import EntityType, InvalidInput, RelationType

from .detect import SHAPE_RULES
from .model import ColumnMapping, Explanation
from .row_kinds import CONTEXTS

#: every role a column can have (the vocabulary's roles, and a profile's ``context``)
ROLES: tuple[str, ...] = (
    "canonical", "name", "type", "aliases", "property", "relation", "context", "region_part",
    "industry_code", "shareholder_name", "shareholder_type", "share_ratio",
    "subscribed_amount", "subscribed_date", "paid_amount", "investee_name", "investor_name",
    "publication_number", "application_number", "application_date", "publication_date",
    "applicants", "applicant_address", "inventors", "current_owner", "first_applicant",
    "patent_title", "patent_type", "legal_status", "party_a", "party_b", "parties",
    "signed_date", "project_name", "project_content", "amount", "ignored",
)
SHAPES = tuple(rule.shape for rule in SHAPE_RULES)
#: the keys a role given as a mapping may have besides the role itself
SPEC_EXTRAS = ("target_type", "direction")
TOP_KEYS = ("shape", "sheet", "header_row", "entity_type", "columns")


@dataclass(frozen=True)
class Profile:
    """A checked mapping profile (see the module docstring for the file)."""

    path: str
    shape: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    entity_type: str | None = None
    columns: dict[str, ColumnMapping] = field(default_factory=dict)

    def applies_to(self, sheet: str | None) -> bool:
        return self.sheet is None or self.sheet == sheet


def _type_value(what: str, text: Any) -> str:
    values = {t.value for t in EntityType}
    if text not in values:
        raise InvalidInput(what, f"unknown entity type {text!r}; allowed: "
                                 + ", ".join(sorted(values)))
    return str(text)


def _mapping(where: str, header: str, spec: Any) -> ColumnMapping:
    """A column's mapping from its spec: ``role`` or ``{role: target, target_type: T}``."""
    what = f"{where} column {header}"
    reason = f"mapping profile {Path(where).name}"
    if isinstance(spec, str):
        if spec not in ROLES:
            raise InvalidInput(what, f"unknown role {spec!r}; allowed: {', '.join(ROLES)}")
        return ColumnMapping(header, 0, spec, spec if spec in ("name", "type", "aliases")
                             else "", "", reason)
    if not isinstance(spec, dict):
        raise InvalidInput(what, "a role is a word (name, ignored …) or a mapping such as "
                                 "{property: level}")
    roles = [k for k in spec if k not in SPEC_EXTRAS]
    unknown = [k for k in roles if k not in ROLES]
    if unknown or len(roles) != 1:
        raise InvalidInput(what, f"give exactly one role (one of {', '.join(ROLES)}); got "
                                 + ", ".join(map(str, roles or ["none"])))
    role, target = roles[0], str(spec[roles[0]] or "")
    target_type = str(spec.get("target_type") or "")
    direction = str(spec.get("direction") or "out")
    if role == "relation":
        relations = {r.value for r in RelationType} | {"co_applicant"}
        if target not in relations:
            raise InvalidInput(what, f"unknown relation {target!r}; allowed: "
                                     + ", ".join(sorted(relations)))
    if role == "context" and target not in CONTEXTS:
        raise InvalidInput(what, f"unknown context {target!r}; allowed: {', '.join(CONTEXTS)}")
    if role in ("property", "canonical") and not target:
        raise InvalidInput(what, f"{role}: name the column it fills, e.g. {{{role}: level}}")
    if target_type:
        _type_value(what, target_type)
    if direction not in ("in", "out"):
        raise InvalidInput(what, f"direction must be in or out, not {direction!r}")
    return ColumnMapping(header, 0, role, target, target_type, reason, direction)


def load_profile(path: Path) -> Profile:
    """Read and check a profile; raise :class:`InvalidInput` naming what is wrong."""
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise InvalidInput(where, f"not a readable YAML profile ({e})") from e
    if not isinstance(data, dict):
        raise InvalidInput(where, "a profile is a mapping with " + ", ".join(TOP_KEYS))
    unknown = [k for k in data if k not in TOP_KEYS]
    if unknown:
        raise InvalidInput(f"{where} {unknown[0]}", f"unknown key; allowed: {', '.join(TOP_KEYS)}")
    shape = data.get("shape")
    if shape is not None and shape not in SHAPES:
        raise InvalidInput(f"{where} shape", f"unknown shape {shape!r}; allowed: "
                                             + ", ".join(SHAPES))
    header_row = data.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise InvalidInput(f"{where} header_row", "must be a row number (1 or more)")
    entity_type = data.get("entity_type")
    if entity_type is not None:
        entity_type = _type_value(f"{where} entity_type", entity_type)
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise InvalidInput(f"{where} columns", "must map each header as written to its role")
    mappings = {str(h): _mapping(where, str(h), spec) for h, spec in columns.items()}
    sheet = data.get("sheet")
    return Profile(where, shape, None if sheet is None else str(sheet), header_row,
                   entity_type, mappings)


def _spec(mapping: ColumnMapping) -> Any:
    if mapping.role in ("name", "type", "aliases", "ignored") or (
            not mapping.target and not mapping.target_type):
        return mapping.role
    if mapping.role == "canonical" and mapping.target in ("name", "type", "aliases"):
        return mapping.target
    spec: dict[str, str] = {mapping.role: mapping.target}
    if mapping.target_type:
        spec["target_type"] = mapping.target_type
    if mapping.direction != "out":
        spec["direction"] = mapping.direction
    return spec


def profile_from(explanation: Explanation) -> str:
    """The detected mapping of a sheet as profile YAML, to save, edit and load with."""
    _, hash_sign, sheet = explanation.source.rpartition("#")
    data: dict[str, Any] = {"shape": explanation.shape}
    if hash_sign:
        data["sheet"] = sheet
    data["header_row"] = explanation.header_row
    if explanation.entity_type:
        data["entity_type"] = explanation.entity_type
    data["columns"] = {m.header: _spec(m) for m in explanation.columns}
    head = (f"# mapping profile detected from {explanation.source}\n"
            f"# shape: {explanation.shape_reason}\n# header: {explanation.header_reason}\n")
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                 default_flow_style=None)
