"""The ``innograph`` command line: a thin shell over the library.

Every query command takes ``--json``. Errors print one line on stderr and exit
with the error's code (1: nothing found, 2: bad input, 3: store problem).

Importing this module (and the ``cli_*`` modules it registers) stays cheap, so that
``innograph --help`` starts close to a bare typer app: top-level imports are typer, rich
and :mod:`schema`; the settings, the store, the loaders and the document pipeline are
imported inside the commands that use them (``tests/test_cli.py`` checks which modules an
import loads; ``bench/cli_startup.py`` times it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from schema import Entity, EntityType, InnographError, RelationType

from .context import chosen, settings, store_for
from .figures import FIGURES
from .output import console, errors, print_figure, print_json

if TYPE_CHECKING:  # each command imports the library modules it uses, when it runs
    from graph.settings import Settings
    from graph.store import GraphStore

APP_OPTIONS: dict[str, Any] = {
    "help": "innograph — 区域创新生态知识图谱 / knowledge graph of a regional innovation "
            "ecosystem.", "no_args_is_help": True, "add_completion": False,
    "pretty_exceptions_enable": False}
app = typer.Typer(**APP_OPTIONS)
F = TypeVar("F", bound=Callable[..., Any])

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@app.callback()
def main_options(
    store: Annotated[str | None, typer.Option(
        "--store", help="Store folder or bolt:// URI (default: $INNOGRAPH_STORE or the user "
                        "data folder).", show_default=False)] = None,
) -> None:
    chosen.store = store


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Table files or folders of them, and "
                                                "documents (.txt, .md, .docx).")],
    rejects: Annotated[Path | None, typer.Option(help="Where to write rejected rows (CSV).")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show the detected shape, header, column mapping, type and counts; "
                          "write nothing.")] = False,
    profile: Annotated[Path | None, typer.Option(
        help="Mapping profile (YAML) overriding detection: header row, columns, type.")] = None,
    type_: Annotated[EntityType | None, typer.Option(
        "--type", help="Entity type of a list's rows (overrides detection).")] = None,
    save_profile: Annotated[Path | None, typer.Option(
        help="Write the detected mapping of the (first) sheet as a profile to edit.")] = None,
    reference: Annotated[bool, typer.Option(
        "--reference", help="Load as the national reference layer (organisations outside "
                            "the district, e.g. data/reference): kept apart, and outranked "
                            "by the district's own sources.")] = False,
    second_reader: Annotated[bool | None, typer.Option(
        "--second-reader/--rules-only", help="Documents: the LAC model reads too, and each "
        "new organisation gets a calibrated confidence (default: $INNOGRAPH_SECOND_READER, "
        "else rules only).", show_default=False)] = None,
    auto_accept: Annotated[float | None, typer.Option(
        min=0.5, max=1.0, help="Documents, with the second reader: accept new organisations "
        "whose calibrated confidence is at least this (default: $INNOGRAPH_AUTO_ACCEPT, "
        "else none: all wait for review).", show_default=False)] = None,
    json_out: JsonOpt = False,
) -> None:
    """Load tables (government lists, registry and patent exports, CSV, XLSX, XLS, JSON) into
    the graph, and read documents into the review queue as candidates; print a summary.
    Exits 2 when every row of the tables was rejected."""
    from ingest.documents.pipeline import ingest_documents, review_queue_path
    from ingest.documents.readers import DOCUMENT_SUFFIXES
    from ingest.load_options import LoadOptions
    from ingest.loader import load_paths, new_run_id
    from ingest.shapes.limits import limits_from
    from ingest.shapes.profile import load_profile, profile_from

    from .cli_docs import print_document_summary
    from .ingest_report import print_summary
    from .progress import progress_bar

    documents = [p for p in paths if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES]
    tables = [p for p in paths if p not in documents]
    run_id = new_run_id()
    current = settings()
    rejects_path = rejects or current.rejects_dir / f"{run_id}.csv"
    with store_for(read_only=dry_run) as store:
        location = store.location
        summary = None
        if tables:
            queue = None if dry_run else _queue_path(current, store.location, review_queue_path)
            options = LoadOptions(entity_type=type_.value if type_ else None,
                                  profile=load_profile(profile) if profile else None,
                                  limits=limits_from(current), review_queue=queue,
                                  dry_run=dry_run)
            with progress_bar(enabled=not json_out) as tick:
                summary = load_paths(store, tables, rejects_path=rejects_path, progress=tick,
                                     run_id=run_id, options=options,
                                     origin="reference" if reference else None)
        reader = current.second_reader if second_reader is None else second_reader
        queued = ingest_documents(
            store, documents, queue_path=current.review_db, second_reader=reader,
            auto_accept=auto_accept if auto_accept is not None else current.auto_accept,
        ) if documents and not dry_run else None
    if summary is not None and not dry_run and current.save_indexes_from is not None:
        _save_indexes(location, current.save_indexes_from, quiet=json_out)
    if summary is not None and save_profile is not None and summary.sources:
        save_profile.write_text(profile_from(summary.sources[0]), encoding="utf-8")
    if json_out:
        if summary and queued:
            print_json({"tables": summary.to_json(), "documents": queued.to_json()})
        elif summary:
            print_json(summary.to_json())
        elif queued:
            print_document_summary(queued, json_out)
    else:
        if summary is not None:
            print_summary(summary, explain=dry_run)
        if queued:
            print_document_summary(queued, json_out)
    if summary is not None and summary.rows_read and summary.rejected == summary.rows_read:
        errors.print(f"error: all {summary.rows_read} rows were rejected; nothing was loaded",
                     markup=False)
        raise typer.Exit(2)


def _save_indexes(location: str, from_entities: int, quiet: bool) -> None:
    """Leave the server's indexes beside a large store, so that `serve` starts in seconds.
    Built in a process of its own once the load has closed the store: the build's ~5 GiB (at
    1M entities) then do not add to what the load's process still holds."""
    import json
    import subprocess
    import time

    from graph.index_files import folder_of
    from graph.memory import release_freed_memory

    if folder_of(location) is None:  # Neo4j keeps its indexes in the server's memory
        return
    release_freed_memory()
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "graph.saved_indexes", location,
                           str(from_entities)], capture_output=True, text=True)
    if done.returncode != 0:  # the load stands; the server builds its indexes itself
        reason = (done.stderr.strip().splitlines() or ["?"])[-1]
        errors.print("检索索引未能保存，`innograph serve` 启动时将自行建立 / indexes not saved: "
                     f"{reason}", markup=False)
    elif json.loads(done.stdout.splitlines()[-1])["saved"] and not quiet:
        errors.print(f"检索索引已保存 / indexes saved for `innograph serve` "
                     f"({time.perf_counter() - started:.0f} s)", markup=False)


def _queue_path(current: Settings, location: str, where: Callable[..., Path]) -> Path | None:
    """The review queue for likely matches, or None (a Neo4j store without a queue file:
    the load still reports them)."""
    try:
        return where(location, current.review_db)
    except InnographError:
        return None


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Name, alias, pinyin or initials.")],
    type_: Annotated[EntityType | None, typer.Option("--type", help="Entity type.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    json_out: JsonOpt = False,
) -> None:
    """Find entities by Chinese name (Simplified or Traditional), alias, pinyin or initials."""
    from graph.saved_indexes import search_index

    with store_for(read_only=True) as store:
        hits = search_index(store, pinyin_now=False).search(query, entity_type=type_, limit=limit)
    if json_out:
        print_json({"query": query, "items": [h.to_json() for h in hits]})
        return
    print_figure(FIGURES["search"],
                 [(f"{h.score:.2f}", h.name, h.type.label, f"{h.matched_on}: {h.matched_text}",
                   h.id) for h in hits], query=query)


@app.command()
def resolve(
    name: Annotated[str, typer.Argument(help="A name, alias or id.")],
    type_: Annotated[EntityType | None, typer.Option("--type", help="Entity type.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """The canonical entity for a name or alias; exit 1 if there is none."""
    from graph.saved_indexes import search_index

    with store_for(read_only=True) as store:
        row = search_index(store, pinyin_now=False).resolve(name, entity_type=type_)
        entity = store.get(row.id)
    assert entity is not None
    if json_out:
        print_json({"query": name, **entity.to_json()})
        return
    console.print(f"{entity.name} ({entity.type.label}) [dim]{entity.id}[/]")
    _say_if_outside(entity)
    if entity.aliases:
        console.print("别名: " + "、".join(entity.aliases))


@app.command()
def show(
    ref: Annotated[str, typer.Argument(metavar="NAME_OR_ID", help="Entity name, alias or id.")],
    json_out: JsonOpt = False,
) -> None:
    """An entity as the graph shows it, what each source stated, and where they disagree."""
    from schema.claims import conflicts

    with store_for(read_only=True) as store:
        entity = store.get(_resolve_id(store, ref))
    assert entity is not None
    sources = entity.sources()
    found = conflicts(sources, entity.type.value)
    if json_out:
        print_json({**entity.to_json(), "sources": [c.to_json() for c in sources],
                    "conflicts": [c.to_json() for c in found]})
        return
    console.print(f"{entity.name} ({entity.type.label}) [dim]{entity.id}[/]")
    _say_if_outside(entity)
    if entity.aliases:
        console.print("别名 aliases: " + "、".join(entity.aliases), markup=False)
    for key, value in sorted(entity.props.items()):
        console.print(f"  {key}: {value}", markup=False)
    print_figure(FIGURES["sources"],
                 [(c.source, c.kind, c.row, " ".join(f"{k}={v}" for k, v in c.props.items()))
                  for c in sources], count=len(sources))
    for conflict in found:
        values = "; ".join(f"{v} ({s.rsplit('/', 1)[-1]}, {k})" for v, s, k in conflict.values)
        console.print(f"[yellow]冲突 conflict[/] {conflict.field}: shown {conflict.chosen!r}; "
                      f"stated {values}", highlight=False)


def _say_if_outside(entity: Entity) -> None:
    if entity.layer == "reference":
        console.print("区外机构：只见于全国参考名录（--reference 导入），本地数据中没有 / "
                      "outside the district: known only from reference lists", markup=False)


def _resolve_id(store: GraphStore, ref: str) -> str:
    from graph.saved_indexes import search_index

    return search_index(store, pinyin_now=False).resolve(ref).id


@app.command()
def neighbors(
    ref: Annotated[str, typer.Argument(metavar="NAME_OR_ID", help="Entity name, alias or id.")],
    depth: Annotated[int, typer.Option(min=1, max=3, help="Hops from the entity.")] = 1,
    limit: Annotated[int, typer.Option(min=1, max=2000, help="At most this many nodes.")] = 200,
    relation: Annotated[list[RelationType] | None, typer.Option(
        help="Only these relation types (repeatable).")] = None,
    type_: Annotated[list[EntityType] | None, typer.Option(
        "--type", help="Only neighbours of these types (repeatable).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """The neighbourhood of an entity, bounded by depth and size."""
    with store_for(read_only=True) as store:
        center = _resolve_id(store, ref)
        hood = store.neighborhood(center, depth=depth, max_nodes=limit,
                                  relation_types=relation, entity_types=type_)
    if json_out:
        print_json(hood.to_json())
        return
    names = {n.id: n.name for n in hood.nodes}
    print_figure(FIGURES["neighbors"],
                 [(names[e.source], e.type.label, names[e.target],
                   " ".join(f"{k}={v}" for k, v in e.props.items())) for e in hood.edges],
                 name=names[center], depth=depth, count=len(hood.nodes) - 1,
                 truncated="（已截断 truncated）" if hood.truncated else "")


@app.command()
def path(
    source: Annotated[str, typer.Argument(metavar="A", help="Name, alias or id.")],
    target: Annotated[str, typer.Argument(metavar="B", help="Name, alias or id.")],
    max_hops: Annotated[int, typer.Option(min=1, max=8)] = 6,
    limit: Annotated[int, typer.Option(min=1, max=100, help="At most this many paths.")] = 5,
    json_out: JsonOpt = False,
) -> None:
    """Shortest paths between two entities (relations in either direction)."""
    with store_for(read_only=True) as store:
        a, b = _resolve_id(store, source), _resolve_id(store, target)
        paths = store.shortest_paths(a, b, max_hops=max_hops, limit=limit)
    if json_out:
        print_json({"source": a, "target": b, "paths": [p.to_json() for p in paths]})
        return
    if not paths:
        errors.print(f"no path within {max_hops} hops")
        raise typer.Exit(1)
    for found in paths:
        names = {n.id: n.name for n in found.nodes}
        steps = [found.nodes[0].name]
        for node, edge in zip(found.nodes[1:], found.edges, strict=True):
            arrow = "→" if edge.target == node.id else "←"
            steps.append(f" -[{edge.type.label}]{arrow} {names[node.id]}")
        console.print("".join(steps), markup=False)


@app.command()
def stats(json_out: JsonOpt = False) -> None:
    """Counts by type and the content hash of the whole graph."""
    with store_for(read_only=True) as store:
        result = store.stats()
    if json_out:
        print_json(result.to_json())
        return
    print_figure(FIGURES["stats"],
                 [*result.entities_by_type.items(), *result.relations_by_type.items()],
                 entities=result.entities, relations=result.relations)
    console.print(f"内容哈希 content hash {result.content_hash}")


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="xlsx (实体 and 关系 sheets, Chinese "
                                      "headers), csv (a folder; UTF-8 with BOM for Excel), "
                                      "json or graphml.")],
    out: Annotated[Path, typer.Option(help="Output file (folder for csv).")],
    json_out: JsonOpt = False,
) -> None:
    """Export the whole graph; XLSX, CSV and JSON load back with `innograph ingest`."""
    from ingest.export import ExportFormat, export_graph
    from schema import InvalidInput

    try:
        chosen = ExportFormat(fmt)
    except ValueError:
        raise InvalidInput("--format", f"must be one of {', '.join(ExportFormat)}, got "
                           f"{fmt!r}") from None
    with store_for(read_only=True) as store:
        result = export_graph(store, chosen, out)
    if json_out:
        print_json(result)
    else:
        console.print(f"wrote {result['entities']} entities and {result['relations']} "
                      f"relations to {', '.join(result['files'])}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
) -> None:
    """Serve the HTTP API over the store."""
    import uvicorn

    from api.app import create_app
    from api.serving import UVICORN_OPTIONS, log_access_to_stderr

    current = settings(host=host, port=port)
    log_access_to_stderr(current.access_log_flush_s)
    uvicorn.run(create_app(current), host=current.host, port=current.port, **UVICORN_OPTIONS)


@app.command()
def demo(
    host: Annotated[str | None, typer.Option(help="Interface (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Load only.")] = False,
) -> None:
    """Load the Wenzhou sample (data/wenzhou) into the store and serve the API."""
    from ingest.loader import load_paths, new_run_id

    current = settings()
    run_id = new_run_id()
    with store_for(read_only=False) as store:
        summary = load_paths(store, [current.sample_dir], run_id=run_id,
                             rejects_path=current.rejects_dir / f"{run_id}.csv")
        result = store.stats()
    console.print(f"Wenzhou sample in {current.store}: {result.entities} entities, "
                  f"{result.relations} relations ({summary.rejected} rows rejected)")
    if not no_serve:
        serve(host=host, port=port)


def _register_command_groups() -> None:
    # Each concern keeps its commands in its own module (cli_db, cli_analyze, cli_docs).
    from . import cli_analyze, cli_backup, cli_db, cli_docs, cli_sources

    for module in (cli_db, cli_analyze, cli_docs, cli_sources, cli_backup):
        module.register(app)


def _core_app() -> typer.Typer:
    """The app with this module's own commands only. typer turns every registered command
    into a click command each time it runs, reading their signatures: a command of this
    module run through it skips the ~40 of the groups (~40 ms, bench/cli_startup.py)."""
    core = typer.Typer(**APP_OPTIONS)
    core.registered_callback = app.registered_callback
    core.registered_commands = list(app.registered_commands)
    return core


CORE_APP = _core_app()
CORE_COMMANDS = frozenset(typer.main.get_command_name(c.name or c.callback.__name__)
                          for c in app.registered_commands if c.callback is not None)
_register_command_groups()


def _command_asked(argv: list[str]) -> str | None:
    """The command named in ``argv`` (after the global options), or ``None``."""
    rest = iter(argv)
    for token in rest:
        if token == "--store":
            next(rest, None)  # its value
        elif not token.startswith("-"):
            return token
    return None


# What each command would pay at start-up for nothing it uses (bench/cli_startup.py); a
# value the user set is kept:
# - innograph does no dense linear algebra, yet numpy's OpenBLAS starts a thread per core
#   when numpy is imported (~50 ms);
# - pydantic reads every installed package's entry points for its plugins, of which
#   innograph uses none (~10 ms; set PYDANTIC_DISABLE_PLUGINS= to load them).
START_UP_ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1", "PYDANTIC_DISABLE_PLUGINS": "__all__"}


def main() -> None:
    """Entry point: run the app, turning innograph errors into one line and an exit code."""
    for name, value in START_UP_ENVIRONMENT.items():
        os.environ.setdefault(name, value)  # read when numpy / a pydantic model first loads
    chosen = CORE_APP if _command_asked(sys.argv[1:]) in CORE_COMMANDS else app
    try:
        chosen()  # click handles usage errors itself (exit 2)
    except InnographError as e:
        errors.print(f"error: {e}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(e.exit_code)
