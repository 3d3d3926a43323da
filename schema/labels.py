"""Chinese words for the fixed keys and values people see: provenance fields and how a fact
is known. Type and relation labels live with their enums (``schema.types``); property
labels come from the header vocabulary (``ingest.shapes.vocabulary.column_labels``)."""

from __future__ import annotations

from .types import Evidence

#: provenance fields, as the viewer and exports show them
PROVENANCE_LABELS: dict[str, str] = {
    "source_doc": "来源文件", "source_section": "章节", "source_span": "原文位置",
    "evidence": "依据", "quote": "原文", "note": "备注"}

EVIDENCE_LABELS: dict[Evidence, str] = {
    Evidence.report: "报告原文", Evidence.inference: "推断",
    Evidence.domain_knowledge: "领域常识", Evidence.user: "用户提供"}
