"""Export the whole graph as GraphML, CSV, JSON or an XLSX workbook.

CSV, JSON and XLSX use the ingest column format, so an export loads back into any store
(``innograph ingest``) and gives the same content hash. It lives in ``ingest`` because it is
the loader's format written out: the workbook's Chinese headers are the ones the header
vocabulary (``ingest/shapes/data/headers.csv``) reads back.

What people open: CSV is UTF-8 with a byte-order mark, so Excel on a Chinese Windows reads it
as UTF-8 (the loader strips the mark); the workbook has an 实体 sheet and a 关系 sheet with
Chinese headers and type labels, every cell written as text or a number, never a formula.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from graph.store.base import GraphStore
from schema import Entity, EntityType, Relation, RelationType

from .shapes.vocabulary import column_labels, header_entry

ENTITY_FIRST = ["id", "name", "type", "aliases"]
RELATION_FIRST = ["source", "target", "relation"]
#: sheet names of the workbook (the loader tells entities from relations by their columns)
ENTITY_SHEET, RELATION_SHEET = "实体", "关系"


class ExportFormat(StrEnum):
    graphml = "graphml"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


def entity_columns(entity: Entity) -> dict[str, Any]:
    """An entity as one flat row of the ingest format."""
    return {"id": entity.id, "name": entity.name, "type": entity.type.value,
            "aliases": "|".join(entity.aliases), **entity.props, **entity.provenance}


def relation_columns(relation: Relation) -> dict[str, Any]:
    """A relation as one flat row of the ingest format."""
    return {"source": relation.source, "target": relation.target,
            "relation": relation.type.value, **relation.props, **relation.provenance}


def _columns(rows: list[dict[str, Any]], first: list[str]) -> list[str]:
    columns = list(first)
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    return columns


def _write_csv(path: Path, rows: Iterator[dict[str, Any]], first: list[str]) -> int:
    materialised = list(rows)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=_columns(materialised, first))
        writer.writeheader()
        writer.writerows(materialised)
    return len(materialised)


def chinese_header(column: str) -> str:
    """The first Chinese spelling the header vocabulary reads back as ``column``, or the
    column itself when there is none.

    >>> chinese_header("name"), chinese_header("level"), chinese_header("no_such_column")
    ('实体名称', '级别', 'no_such_column')
    """
    return _labels().get(column, column)


@cache
def _labels() -> dict[str, str]:
    # only spellings the vocabulary reads back as the same column (a header two entries
    # could claim would not round-trip)
    return {column: header for column, header in column_labels().items()
            if (found := header_entry(header)) is not None and found.target == column}


def _cell(sheet: Worksheet, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # a name starting with = stays text, never a formula
    return cell


def _write_sheet(sheet: Worksheet, rows: list[dict[str, Any]], first: list[str],
                 label: Iterable[tuple[str, dict[str, str]]]) -> None:
    columns = _columns(rows, first)
    labels = dict(label)
    sheet.append([_cell(sheet, chinese_header(c)) for c in columns])
    for row in rows:
        sheet.append([_cell(sheet, _sheet_value(_labelled(labels.get(c), row.get(c))))
                      for c in columns])


def _labelled(labels: dict[str, str] | None, value: Any) -> Any:
    return labels.get(value, value) if labels and isinstance(value, str) else value


def _sheet_value(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False)


def _write_xlsx(store: GraphStore, out: Path) -> tuple[int, int]:
    book = Workbook(write_only=True)
    entities = [entity_columns(e) for e in store.iter_entities()]
    relations = [relation_columns(r) for r in store.iter_relations()]
    _write_sheet(book.create_sheet(ENTITY_SHEET), entities, ENTITY_FIRST,
                 [("type", {t.value: t.label for t in EntityType})])
    _write_sheet(book.create_sheet(RELATION_SHEET), relations, RELATION_FIRST,
                 [("relation", {r.value: r.label for r in RelationType})])
    book.save(out)
    return len(entities), len(relations)


def export_graph(store: GraphStore, fmt: ExportFormat, out: Path) -> dict[str, Any]:
    """Write the store's graph to ``out`` (a folder for CSV, a file otherwise)."""
    if fmt is ExportFormat.csv:
        out.mkdir(parents=True, exist_ok=True)
        n_entities = _write_csv(out / "entities.csv",
                                (entity_columns(e) for e in store.iter_entities()),
                                ENTITY_FIRST)
        n_relations = _write_csv(out / "relations.csv",
                                 (relation_columns(r) for r in store.iter_relations()),
                                 RELATION_FIRST)
        files = [str(out / "entities.csv"), str(out / "relations.csv")]
    elif fmt is ExportFormat.json:
        out.parent.mkdir(parents=True, exist_ok=True)
        entities = [entity_columns(e) for e in store.iter_entities()]
        relations = [relation_columns(r) for r in store.iter_relations()]
        out.write_text(json.dumps({"entities": entities, "relations": relations},
                                  ensure_ascii=False, indent=1), encoding="utf-8")
        n_entities, n_relations, files = len(entities), len(relations), [str(out)]
    elif fmt is ExportFormat.xlsx:
        out.parent.mkdir(parents=True, exist_ok=True)
        n_entities, n_relations = _write_xlsx(store, out)
        files = [str(out)]
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        graph = to_networkx(store)
        nx.write_graphml(graph, out)
        n_entities, n_relations = graph.number_of_nodes(), graph.number_of_edges()
        files = [str(out)]
    return {"format": fmt.value, "files": files, "entities": n_entities,
            "relations": n_relations}


def to_networkx(store: GraphStore) -> nx.MultiDiGraph[str]:
    """The whole graph as a NetworkX multigraph with flat (GraphML-safe) attributes."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for entity in store.iter_entities():
        attrs = {k: _scalar(v) for k, v in entity_columns(entity).items() if k != "id"}
        graph.add_node(entity.id, **attrs)
    for relation in store.iter_relations():
        attrs = {k: _scalar(v) for k, v in relation_columns(relation).items()
                 if k not in ("source", "target")}
        graph.add_edge(relation.source, relation.target, key=relation.id, **attrs)
    return graph


def _scalar(value: Any) -> str | int | float | bool:
    return value if isinstance(value, str | int | float | bool) else str(value)
