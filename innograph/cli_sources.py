"""``innograph sources``: the files, uploads and writes a graph was assembled from, and
``innograph sources remove SOURCE`` to withdraw one as a whole."""

from __future__ import annotations

from typing import Annotated

import typer

from .context import store_for

sources_app = typer.Typer(help="The sources of the graph (files, sheets, uploads, api): list "
                               "them, or remove one as a whole.", no_args_is_help=False,
                          invoke_without_command=True)


@sources_app.callback()
def list_command(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List every source with the number of entities and relations it states."""
    if ctx.invoked_subcommand is not None:
        return
    from ingest.sources import list_sources

    from .output import print_json, print_table

    with store_for(read_only=True) as store:
        found = list_sources(store)
    if json_out:
        print_json({"sources": [s.to_json() for s in found]})
        return
    print_table(f"{len(found)} source(s)", ["source", "kind", "entities", "relations",
                                           "last run"],
                [(s.source, s.kind, s.entities, s.relations, s.last_run) for s in found])


@sources_app.command("remove")
def remove_command(
    source: Annotated[str, typer.Argument(help="The source as `innograph sources` lists it.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would go; change "
                                                            "nothing.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Withdraw everything one source stated: records other sources state stay (merged
    again without it); records only it stated are deleted."""
    from ingest.sources import remove_source

    from .output import console, print_json

    with store_for(read_only=dry_run) as store:
        report = remove_source(store, source, dry_run=dry_run)
    if json_out:
        print_json({"source": source, "dry_run": dry_run, **report.to_json()})
        return
    verb = "would withdraw" if dry_run else "withdrew"
    console.print(f"{source}: {verb} {report.withdrawn['entities']} entity and "
                  f"{report.withdrawn['relations']} relation claim(s); deleted (no other "
                  f"source): {report.deleted['entities']} entities, "
                  f"{report.deleted['relations']} relations", markup=False)
    if report.kept:
        console.print(f"kept (other sources' relations need them): {', '.join(report.kept)}",
                      markup=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(sources_app, name="sources")
