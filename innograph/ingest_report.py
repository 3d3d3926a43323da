"""How ``innograph ingest`` reports a load to a person: how each sheet was read, what was
written, merged or withdrawn, what was rejected and what waits for review."""

from __future__ import annotations

from ingest.loader import LoadSummary
from ingest.shapes.model import Explanation

from .output import console, print_table

_ROLE_WORDS = {"name": "名称", "type": "类型", "property": "属性", "relation": "关系",
               "ignored": "忽略", "canonical": "标准列", "context": "分组"}


def print_explanation(explanation: Explanation) -> None:
    """The detected shape, header row, each column's mapping and the type decision."""
    console.print(f"[bold]{explanation.source}[/]: {explanation.shape} "
                  f"({explanation.shape_reason})", markup=True, highlight=False)
    console.print(f"  表头 header: {explanation.header_reason}", markup=False)
    console.print(f"  类型 type: {explanation.entity_type or '-'} — "
                  f"{explanation.type_reason or 'per row'}", markup=False)
    rows = []
    for column in explanation.columns:
        target = column.target + (f" → {column.target_type}" if column.target_type else "")
        rows.append((column.column + 1, column.header,
                     _ROLE_WORDS.get(column.role, column.role), target, column.reason))
    print_table("  列 columns", ["#", "header", "role", "maps to", "why"], rows)
    kinds: dict[str, int] = {}
    for skipped in explanation.skipped:
        kinds[skipped.kind] = kinds.get(skipped.kind, 0) + 1
    if kinds:
        shown = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        console.print(f"  {explanation.data_rows} data row(s); not data: {shown}", markup=False)
    for warning in explanation.warnings:
        console.print(f"  [yellow]note[/]: {warning}", highlight=False)


def print_summary(summary: LoadSummary, *, explain: bool) -> None:
    """The load (or the dry run) in tables and lines."""
    if explain:
        for explanation in summary.sources:
            print_explanation(explanation)
    verb = "would be" if summary.dry_run else ""
    rows = [(what, summary.created[what], summary.updated[what], summary.unchanged[what])
            for what in ("entities", "relations")]
    title = (f"{summary.rows_read} rows read from {len(summary.files)} file(s) in "
             f"{summary.seconds:.2f}s" + (" — dry run, nothing written" if summary.dry_run
                                           else ""))
    print_table(title, ["", f"created {verb}".strip(), "updated", "unchanged"], rows)
    merge = summary.merge
    if any(merge.merged.values()):
        console.print(f"merged with other sources' records: {merge.merged['entities']} "
                      f"entities, {merge.merged['relations']} relations (each keeps every "
                      "source's values; `innograph show NAME` lists them)", markup=False)
    if any(merge.withdrawn.values()):
        console.print(f"[yellow]withdrawn[/]: {merge.withdrawn['entities']} entity and "
                      f"{merge.withdrawn['relations']} relation claim(s) this file no longer "
                      f"states; deleted as no other source states them: "
                      f"{merge.deleted['entities']} entities, {merge.deleted['relations']} "
                      "relations", highlight=False)
    if merge.kept:
        console.print(f"kept (still linked by other sources): {', '.join(merge.kept[:10])}",
                      markup=False)
    if summary.resolved:
        console.print(f"{len(summary.resolved)} row(s) resolved to entities already in the "
                      "graph (credit code, name or alias)", markup=False)
    if summary.variants:
        console.print(f"[yellow]{len(summary.variants)} possible match(es)[/] loaded apart "
                      "and proposed for review (`innograph review list --kind match`):",
                      highlight=False)
        for variant in summary.variants[:10]:
            console.print(f"  {variant.incoming_name} (row {variant.row}) ⟷ "
                          f"{variant.existing_name}: {variant.reason}", markup=False)
    for source, columns in summary.extra_columns.items():
        console.print(f"{source}: extra columns kept as properties: {', '.join(columns)}",
                      markup=False)
    if summary.rejected:
        where = f" — see {summary.rejects_path}" if summary.rejects_path else ""
        console.print(f"[yellow]{summary.rejected} row(s) rejected[/]{where}")
        for reject in summary.rejects[:10]:
            console.print(f"  {reject.file} row {reject.row}, column {reject.column}: "
                          f"{reject.reason}", markup=False)
