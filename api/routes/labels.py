"""``GET /labels``: the Chinese words the viewer shows for keys and values, from the data that
defines them (types and relations from their enums, properties from the header vocabulary,
provenance and evidence from ``schema.labels``), so no English key reaches a user."""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter

from api.models import LabelsOut
from ingest.shapes.vocabulary import column_labels
from schema import EntityType, RelationType
from schema.labels import EVIDENCE_LABELS, PROVENANCE_LABELS

router = APIRouter(tags=["viewer"])


@router.get("/labels", response_model=LabelsOut, summary="界面用的中文标签：属性、出处、依据、类型与关系")
def labels() -> LabelsOut:
    return _labels()


@cache
def _labels() -> LabelsOut:
    return LabelsOut(properties=column_labels(), provenance=PROVENANCE_LABELS,
                     evidence={e.value: label for e, label in EVIDENCE_LABELS.items()},
                     types={t.value: t.label for t in EntityType},
                     relations={r.value: r.label for r in RelationType})
