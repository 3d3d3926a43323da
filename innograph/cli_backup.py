"""Backup commands: ``innograph backup --out FILE`` (the whole graph into one file, while a
server may be running) and ``innograph restore FILE --to STORE`` (into an empty store,
verified against the backup's content hash). See ``docs/backup.md``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .context import settings, store_for


def backup(
    out: Annotated[Path, typer.Option("--out", help="The backup file to write (a zip; "
                                                    "replaced atomically if it exists).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Write every entity and relation as stored (with what each source stated), the
    analytics scores and the content hash into one file. Opens the store read-only, so it
    runs while `innograph serve` holds the store."""
    from graph.backup import backup as run_backup

    from .output import console, print_json

    with store_for(read_only=True) as store:
        report = run_backup(store, out)
    if json_out:
        print_json(report.to_json())
        return
    scores = f", scores of {report.scores:,} entities" if report.scores else ""
    console.print(f"backed up {report.entities:,} entities, {report.relations:,} relations"
                  f"{scores} from {report.store} to {report.path} ({report.bytes:,} bytes); "
                  f"content hash {report.content_hash[:16]}…", markup=False, highlight=False)


def restore(
    bundle: Annotated[Path, typer.Argument(metavar="FILE", help="A file `innograph backup` "
                                                                "wrote.")],
    to: Annotated[str, typer.Option("--to", help="Empty store to restore into: a new folder or "
                                                 "a Neo4j URI (INNOGRAPH_NEO4J_* settings).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Load a backup into an empty store and verify that its content hash is the backup's.
    The backup is checked whole (sizes, digests, content hash) before anything is written."""
    from graph.backup import read_bundle
    from graph.backup import restore as run_restore
    from graph.store import open_store

    from .output import console, print_json

    current = settings()
    checked = read_bundle(bundle)
    with open_store(to, buffer_pool_mb=current.buffer_pool_mb,
                    neo4j=current.neo4j_options()) as destination:
        report = run_restore(checked, destination)
    if json_out:
        print_json(report.to_json())
        return
    scores = f", scores of {report.scores:,} entities" if report.scores else ""
    console.print(f"restored {report.entities:,} entities, {report.relations:,} relations"
                  f"{scores} from {report.path} (taken {report.taken}) into "
                  f"{report.destination}; content hash {report.content_hash[:16]}… verified",
                  markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command(name="backup")(backup)
    app.command(name="restore")(restore)
