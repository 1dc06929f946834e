"""The versioned store: `versions`, `show`, `verify`, `export`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from curate.cli import main
from curate.errors import StoreError
from curate.outputs import open_output
from curate.store import Store, export_jsonl, verify

store_option = click.option("--store", default="corpus", show_default=True,
                            type=click.Path(file_okay=False), help="The store to read.")


def open_store(path: str) -> Store:
    if not Path(path).is_dir():
        raise click.ClickException(f"no store at {path}: run `curate clean` first or pass --store DIR")
    return Store(Path(path))


@main.command()
@store_option
def versions(store: str) -> None:
    """List the store's versions: id, creation time, documents, parent and message.

    \b
    Example:
        curate versions --store corpus
    """
    opened = open_store(store)
    rows = [("version", "created", "documents", "parent", "message")]
    try:
        for version in opened.versions():
            manifest = opened.manifest(version)
            rows.append((version, str(manifest.get("created", "")), str(manifest.get("documents", "")),
                         str(manifest.get("parent") or "-"), str(manifest.get("message") or "")))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if len(rows) == 1:
        click.echo(f"{store}: no versions yet")
        return
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths)) + "  " + row[4])


@main.command()
@click.argument("version")
@store_option
def show(version: str, store: str) -> None:
    """Print a version's manifest: inputs, shards, counts, config and rules digests.

    \b
    Example:
        curate show v0001 --store corpus
    """
    try:
        manifest = open_store(store).manifest(version)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(manifest, indent=2, ensure_ascii=False))


@main.command(name="verify")
@click.argument("version", required=False)
@store_option
def verify_command(version: str | None, store: str) -> None:
    """Re-hash every shard and check every manifest (one version, or all).

    Exits 1 and lists each problem when anything does not match.

    \b
    Example:
        curate verify --store corpus
        curate verify v0002
    """
    opened = open_store(store)
    try:
        problems = verify(opened, version)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        raise SystemExit(1)
    checked = version or f"{len(opened.versions())} version(s)"
    click.echo(f"ok: {checked} verified")


@main.command()
@click.argument("version")
@store_option
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
              help="Output format.")
@click.option("-o", "--output", default="-", show_default=True, type=click.Path(allow_dash=True),
              help="File to write; '-' is stdout.")
def export(version: str, store: str, fmt: str, output: str) -> None:
    """Write every document of a version as JSONL (to a file or stdout).

    \b
    Example:
        curate export v0001 -o corpus-v0001.jsonl
        curate export v0001 | head -n 1
    """
    opened = open_store(store)
    try:
        with open_output(output) as out:
            count = export_jsonl(opened, version, out)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"exported {count} documents of {version}", err=True)
