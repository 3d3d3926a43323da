"""CLI commands for documents: ``extract`` (no writes) and ``review`` (the candidate queue).

``innograph ingest`` hands .txt/.md/.docx paths to
:func:`ingest.documents.pipeline.ingest_documents` and prints the result with
:func:`print_document_summary`. The document pipeline (and its rjieba tagger) is imported by
commands that read documents, not with this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from .context import settings, store_for
from .output import console, errors, print_json, print_table

if TYPE_CHECKING:
    from graph.store.base import GraphStore
    from ingest.documents.pipeline import DocumentSummary
    from ingest.documents.queue import Candidate, ReviewQueue

__all__ = ["print_document_summary", "register"]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
review_app = typer.Typer(help="Review candidates read from documents, and possible matches "
                              "of table rows with the graph: list, accept, edit, reject.",
                         no_args_is_help=True)


def _table(title: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """A table whose cells are document text: escaped, so `[...]` in a report is not markup."""
    print_table(escape(title), columns,
                [tuple(escape(str(v)) if v is not None else "" for v in row) for row in rows])


def print_document_summary(summary: DocumentSummary, json_out: bool) -> None:
    """Print what :func:`ingest.documents.pipeline.ingest_documents` queued."""
    if json_out:
        print_json(summary.to_json())
        return
    _table(f"{len(summary.documents)} document(s), {summary.characters} characters in "
                f"{summary.seconds:.2f}s → review queue {summary.queue}",
                ["document", "created", "updated", "unchanged", "obsolete"],
                [(d.doc_id + (" (unchanged)" if d.document_unchanged else ""), d.created,
                  d.updated, d.unchanged, d.obsolete) for d in summary.documents])
    console.print("Review with `innograph review list`.")


def _queue_path() -> Path:
    from ingest.documents.pipeline import review_queue_path


    current = settings()
    return review_queue_path(current.store, getattr(current, "review_db", None))


@contextmanager
def _queue(read_only: bool) -> Iterator[ReviewQueue]:
    from ingest.documents.queue import ReviewQueue

    with ReviewQueue(_queue_path(), read_only=read_only) as queue:
        yield queue


@contextmanager
def _gazetteer_store(enabled: bool) -> Iterator[GraphStore | None]:
    """The store read-only for its names, or ``None`` (disabled, or no graph yet)."""
    from graph.store import open_store
    from schema import StoreUnavailable


    if not enabled:
        yield None
        return
    current = settings()
    try:
        store = open_store(current.store, read_only=True, buffer_pool_mb=current.buffer_pool_mb)
    except StoreUnavailable as e:
        errors.print(f"note: no gazetteer ({e}); extracting with patterns only", markup=False)
        yield None
        return
    try:
        yield store
    finally:
        store.close()


def extract(
    files: Annotated[list[Path], typer.Argument(help=".txt, .md or .docx documents.")],
    no_gazetteer: Annotated[bool, typer.Option(
        "--no-gazetteer", help="Patterns only: do not use the graph's names and aliases.")
    ] = False,
    second_reader: Annotated[bool | None, typer.Option(
        "--second-reader/--rules-only", help="The LAC model reads too: each mention says "
        "who read it and why, with a calibrated confidence (default: "
        "$INNOGRAPH_SECOND_READER, else rules only).", show_default=False)] = None,
    json_out: JsonOpt = False,
) -> None:
    """Extract entity mentions and relations from documents (writes nothing).

    With --json: one JSON object a line, `record` = mention or relation; offsets are
    character offsets into the document as written.
    """
    from ingest.documents.extract import extract_path
    from ingest.documents.pipeline import gazetteer_for

    with _gazetteer_store(enabled=not no_gazetteer) as store:
        gazetteer = gazetteer_for(store)
    second = None
    if settings().second_reader if second_reader is None else second_reader:
        from ingest.documents.second_reading import second_reader as shipped

        second = shipped()
    extractions = [extract_path(path, gazetteer, second) for path in files]
    for extraction in extractions:
        lines = list(extraction.lines())
        if json_out:
            for line in lines:
                print_json(line)
            continue
        mentions = [m for m in lines if m["record"] == "mention"]
        readers = second is not None  # then: who read each name (--json has why)
        _table(f"{extraction.document.doc_id}: mentions",
                    ["section", "name", "canonical", "type", "conf", "known",
                     *(["read by"] if readers else [])],
                    [(m["section"], m["name"], m["canonical"], m["type"], m["confidence"],
                      m["entity_id"] or "", *(["+".join(m.get("readers", []))] if readers
                                              else [])) for m in mentions])
        _table(f"{extraction.document.doc_id}: relations",
                    ["source", "relation", "target", "kind", "status", "year", "conf"],
                    [(r["source"]["canonical"], r["relation"], r["target"]["canonical"],
                      r["kind"], r["status"], r["year"], r["confidence"])
                     for r in lines if r["record"] == "relation"])


def _describe(candidate: Candidate) -> str:
    data = candidate.data
    if candidate.kind == "entity":  # with the second reader: who read it, and why
        why = f" — {data['explanation']}" if data.get("explanation") else ""
        return f"{data['canonical']} ({data['type']}){why}"
    if candidate.kind == "match":
        return (f"{data['incoming']['name']} ⟷ {data['existing']['name']} (in the graph): "
                f"{data.get('reason', '')}")
    extra = " ".join(f"{k}={data[k]}" for k in ("kind", "status", "year") if data.get(k))
    problem = f" [not allowed: {data['endpoint_problem']}]" if data.get("endpoint_problem") else ""
    return (f"{data['source']['canonical']} -{data['relation']}→ {data['target']['canonical']}"
            f" {extra}{problem}")


@review_app.command("list")
def review_list(
    status: Annotated[str | None, typer.Option(
        help="pending, accepted, rejected or obsolete.")] = "pending",
    doc: Annotated[str | None, typer.Option(help="Only this document id.")] = None,
    kind: Annotated[str | None, typer.Option(help="entity, relation or match.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
    json_out: JsonOpt = False,
) -> None:
    """List candidates (pending ones by default), highest confidence first."""
    with _queue(read_only=True) as queue:
        found = queue.candidates(status=status, doc_id=doc, kind=kind, limit=limit)
        counts = queue.counts()
    if json_out:
        print_json({"counts": counts, "items": [c.to_json() for c in found]})
        return
    _table(f"{len(found)} candidate(s) — " + ", ".join(f"{k} {v}" for k, v in
                                                           sorted(counts.items())),
                ["id", "kind", "conf", "says", "evidence", "where"],
                [(c.id, c.kind, f"{c.confidence:.2f}", _describe(c), c.evidence[:40],
                  f"{c.doc_id} {c.section} {c.start}-{c.end}") for c in found])


def _decided(results: list[dict[str, Any]], json_out: bool) -> None:
    if json_out:
        print_json({"items": results})
        return
    for result in results:
        console.print(" ".join(f"{k}={v}" for k, v in result.items()), markup=False)


@review_app.command("accept")
def review_accept(
    ids: Annotated[list[str], typer.Argument(help="Candidate ids (c:…).")],
    json_out: JsonOpt = False,
) -> None:
    """Accept candidates: they join the graph with their evidence as provenance (a match
    merges its table row's entity into the one in the graph)."""
    from ingest.documents.review import accept


    with store_for(read_only=False) as store, _queue(read_only=False) as queue:
        results = [accept(store, queue, the_id) for the_id in ids]
    _decided(results, json_out)


@review_app.command("edit")
def review_edit(
    the_id: Annotated[str, typer.Argument(metavar="ID", help="Candidate id (c:…).")],
    name: Annotated[str | None, typer.Option(help="Entity: canonical name.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Entity: type.")] = None,
    relation: Annotated[str | None, typer.Option(help="Relation: relation type.")] = None,
    kind: Annotated[str | None, typer.Option(help="Partnership kind (共建, 战略合作 …).")] = None,
    status: Annotated[str | None, typer.Option(help="Partnership status (签约, 落地 …).")] = None,
    year: Annotated[int | None, typer.Option(help="Partnership year.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Correct what a pending candidate says (it stays pending until accepted)."""
    from ingest.documents.review import edit
    from schema import InvalidInput

    changes = {k: v for k, v in (("canonical", name), ("type", type_), ("relation", relation),
                                 ("kind", kind), ("status", status), ("year", year))
               if v is not None}
    if not changes:
        raise InvalidInput("edit", "give at least one of --name, --type, --relation, --kind, "
                                   "--status, --year")
    with _queue(read_only=False) as queue:
        candidate = edit(queue, the_id, changes)
    if json_out:
        print_json(candidate.to_json())
    else:
        console.print(f"{candidate.id}: {_describe(candidate)}", markup=False)


@review_app.command("reject")
def review_reject(
    ids: Annotated[list[str], typer.Argument(help="Candidate ids (c:…).")],
    reason: Annotated[str | None, typer.Option(help="Why (kept with the decision).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Reject candidates (kept as rejected, so re-reading does not bring them back)."""
    from ingest.documents.review import reject

    with _queue(read_only=False) as queue:
        results = [reject(queue, the_id, reason).to_json() for the_id in ids]
    _decided([{"id": r["id"], "status": r["status"]} for r in results], json_out)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command(name="extract")(extract)
    app.add_typer(review_app, name="review")
