"""Export the whole graph as GraphML, CSV or JSON.

CSV and JSON use the ingest column format, so an export loads back into any
store (``innograph ingest``) and gives the same content hash.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import networkx as nx

from schema import Entity, Relation

from .store.base import GraphStore


class ExportFormat(StrEnum):
    graphml = "graphml"
    csv = "csv"
    json = "json"


def entity_columns(entity: Entity) -> dict[str, Any]:
    """An entity as one flat row of the ingest format."""
    return {"id": entity.id, "name": entity.name, "type": entity.type.value,
            "aliases": "|".join(entity.aliases), **entity.props, **entity.provenance}


def relation_columns(relation: Relation) -> dict[str, Any]:
    """A relation as one flat row of the ingest format."""
    return {"source": relation.source, "target": relation.target,
            "relation": relation.type.value, **relation.props, **relation.provenance}


def _write_csv(path: Path, rows: Iterator[dict[str, Any]], first: list[str]) -> int:
    materialised = list(rows)
    columns = list(first)
    for row in materialised:
        columns.extend(k for k in row if k not in columns)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(materialised)
    return len(materialised)


def export_graph(store: GraphStore, fmt: ExportFormat, out: Path) -> dict[str, Any]:
    """Write the store's graph to ``out`` (a folder for CSV, a file otherwise)."""
    if fmt is ExportFormat.csv:
        out.mkdir(parents=True, exist_ok=True)
        n_entities = _write_csv(out / "entities.csv",
                                (entity_columns(e) for e in store.iter_entities()),
                                ["id", "name", "type", "aliases"])
        n_relations = _write_csv(out / "relations.csv",
                                 (relation_columns(r) for r in store.iter_relations()),
                                 ["source", "target", "relation"])
        files = [str(out / "entities.csv"), str(out / "relations.csv")]
    elif fmt is ExportFormat.json:
        out.parent.mkdir(parents=True, exist_ok=True)
        entities = [entity_columns(e) for e in store.iter_entities()]
        relations = [relation_columns(r) for r in store.iter_relations()]
        out.write_text(json.dumps({"entities": entities, "relations": relations},
                                  ensure_ascii=False, indent=1), encoding="utf-8")
        n_entities, n_relations, files = len(entities), len(relations), [str(out)]
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
