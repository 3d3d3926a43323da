"""Database commands: ``innograph init-db`` (prepare a Neo4j database) and
``innograph migrate --from SRC --to DST`` (copy a whole graph between two stores)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

import typer

from .context import settings, store_for


def init_db(
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Create Neo4j's constraints and indexes (ids, names, a `cjk` full-text index over names
    and aliases). Idempotent; a first load does it too. An embedded store is created, or
    upgraded in place from an older innograph's schema."""
    from graph.store import is_neo4j_uri
    from graph.store.neo4j import Neo4jStore

    from .output import console, print_json

    current = settings()
    if not is_neo4j_uri(current.store):
        with store_for(read_only=False) as embedded:
            counts = embedded.counts()
        if json_out:
            print_json({"store": current.store, "entities": counts.entities})
        else:
            console.print(f"{current.store}：存储结构就绪，{counts.entities} 个实体 / schema ready",
                          markup=False)
        return
    store = Neo4jStore(current.store, current.neo4j_options())
    try:
        statements = store.ensure_schema()
    finally:
        store.close()
    location = store.location
    if json_out:
        print_json({"store": location, "statements": statements})
        return
    console.print(f"{location}：{len(statements)} 个约束与索引已就绪（实体 id 唯一、名称索引、"
                  "名称与别名的全文索引 `entity_names`，cjk 分词）/ constraints and indexes in "
                  "place", markup=False)


def migrate(
    source: Annotated[str, typer.Option("--from", help="Store to copy: folder or Neo4j URI.")],
    destination: Annotated[str, typer.Option(
        "--to", help="Empty store to copy into (or the target of an interrupted migration).")],
    checkpoint: Annotated[Path | None, typer.Option(
        help="Progress file, to resume an interrupted run (default: in the user data "
             "folder, one per source/destination pair).", show_default=False)] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=100_000,
                                            help="Records per batch.")] = 5000,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Copy the whole graph from one store to another, in batches, resumably, and verify
    that both have the same content hash. Neo4j URIs use the INNOGRAPH_NEO4J_* settings."""
    from platformdirs import user_data_path

    from graph.migrate import migrate as run_migration
    from graph.store import is_neo4j_uri, open_store
    from schema import InvalidInput

    from .output import console, print_json
    from .progress import progress_bar

    current = settings()
    if not is_neo4j_uri(source) and not is_neo4j_uri(destination) \
            and Path(source).expanduser().resolve() == Path(destination).expanduser().resolve():
        raise InvalidInput("--to", f"source and destination are the same folder ({source})")
    progress_file = checkpoint or default_checkpoint(user_data_path("innograph"), source,
                                                     destination)

    options = current.neo4j_options()
    with open_store(source, read_only=True, buffer_pool_mb=current.buffer_pool_mb,
                    neo4j=options) as src, \
            open_store(destination, buffer_pool_mb=current.buffer_pool_mb, neo4j=options) as dst, \
            progress_bar(enabled=not json_out) as advance:
        copied: dict[str, int] = {}

        def tick(phase: str, done: int, _total: int) -> None:
            advance(f"{_PHASES[phase]} {phase}", done - copied.get(phase, 0))
            copied[phase] = done

        report = run_migration(src, dst, progress_file, batch_size=batch_size, progress=tick)
    if json_out:
        print_json(report.to_json())
        return
    if report.already_identical:
        console.print(f"{report.destination} 已有同一图谱（内容哈希 {report.content_hash[:16]}…），"
                      "无需复制 / already holds this graph; nothing to copy", markup=False)
        return
    resumed = ("（从已复制的 {:,} 个实体、{:,} 条关系处续传）".format(*report.resumed_from[:2])
               if any(report.resumed_from) else "")
    scores = f"、{report.scores:,} 个实体的得分" if report.scores else ""
    console.print(f"已从 {report.source} 复制 {report.entities:,} 个实体、{report.relations:,} 条"
                  f"关系{scores}到 {report.destination}，用时 {report.seconds:.1f} 秒{resumed}；"
                  f"内容哈希 {report.content_hash[:16]}… 一致 / copied and verified",
                  markup=False)


_PHASES = {"entities": "复制实体", "relations": "复制关系", "scores": "复制得分"}


def default_checkpoint(data_dir: Path, source: str, destination: str) -> Path:
    """One checkpoint file per (source, destination) pair, in the user data folder.

    >>> default_checkpoint(Path("/d"), "/a", "bolt://h:7687").parent
    PosixPath('/d/migrations')
    """
    from graph.store import is_neo4j_uri

    ends = [end if is_neo4j_uri(end) else str(Path(end).expanduser().resolve())
            for end in (source, destination)]
    key = hashlib.sha256("\n".join(ends).encode()).hexdigest()[:16]
    return data_dir / "migrations" / f"{key}.json"


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command(name="init-db")(init_db)
    app.command(name="migrate")(migrate)
