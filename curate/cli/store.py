"""The versioned store: `versions`, `show`, `verify`, `export`, `diff`, `gc`, `report`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from curate.cli.main import main
from curate.errors import CurateError, OutputError, StoreError
from curate.outputs import open_output
from curate.reports.rebuild import rebuild_reports
from curate.store import Store, collect_garbage, diff_versions, export_jsonl, export_parquet, verify

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
    """Re-hash every shard, index array and ledger and check every manifest (one version, or all).

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
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet"]), default="jsonl", show_default=True,
              help="Output format; parquet needs -o FILE.")
@click.option("-o", "--output", default="-", show_default=True, type=click.Path(allow_dash=True),
              help="File to write; '-' is stdout.")
def export(version: str, store: str, fmt: str, output: str) -> None:
    """Write every document of a version as JSONL (to a file or stdout) or Parquet.

    Both load with the Hugging Face datasets library.

    \b
    Example:
        curate export v0001 -o corpus-v0001.jsonl
        curate export v0001 --format parquet -o corpus-v0001.parquet
        curate export v0001 | head -n 1
    """
    if fmt == "parquet" and output == "-":
        raise click.UsageError("--format parquet writes a file: pass -o FILE.")
    opened = open_store(store)
    try:
        if fmt == "parquet":
            count = export_parquet(opened, version, Path(output))
        else:
            with open_output(output) as out:
                count = export_jsonl(opened, version, out)
    except (StoreError, OutputError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"exported {count} documents of {version}", err=True)


@main.command()
@click.argument("old")
@click.argument("new")
@store_option
@click.option("--ids", is_flag=True, help="Also list each id: '+' added, '-' removed, '~' changed.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole diff as JSON.")
def diff(old: str, new: str, store: str, ids: bool, as_json: bool) -> None:
    """Documents NEW added, removed and changed against OLD, in total and per source.

    \b
    Example:
        curate diff v0001 v0002 --store corpus
        curate diff v0001 v0002 --ids | grep '^-'
    """
    try:
        result = diff_versions(open_store(store), old, new)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    rows: list[tuple[str, ...]] = [("source", "added", "removed", "changed")]
    rows += [(source, *(str(n) for n in c.values())) for source, c in result.per_source().items()]
    rows.append(("total", *(str(n) for n in result.totals().values())))
    width = max(len(row[0]) for row in rows)
    for row in rows:
        click.echo("  ".join([row[0].ljust(width), *(cell.rjust(7) for cell in row[1:])]))
    if ids:
        for mark, kind in (("+", result.added), ("-", result.removed), ("~", result.changed)):
            for doc_id in kind:
                click.echo(f"{mark} {doc_id}")


@main.command()
@store_option
@click.option("--yes", is_flag=True, help="Delete what is found (without it, gc only lists it).")
def gc(store: str, yes: bool) -> None:
    """List, and with --yes delete, objects no version references and leftovers of killed runs.

    Refuses while a `curate clean` holds the store's lock.

    \b
    Example:
        curate gc --store corpus
        curate gc --store corpus --yes
    """
    try:
        found = collect_garbage(open_store(store), delete=yes)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    for path in found.paths:
        click.echo(path)
    verb = "deleted" if found.deleted else "unreferenced (run with --yes to delete)"
    click.echo(f"{len(found.paths)} {verb}, {found.bytes} bytes", err=True)


@main.command()
@click.argument("version")
@store_option
@click.option("--reports", default="reports", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write VERSION's reports into (as REPORTS/VERSION/).")
def report(version: str, store: str, reports: str) -> None:
    """Write a version's reports again from the store: summary.json, index.html, files/*.json.

    The same bytes `curate clean` wrote, rebuilt from the ledger the version stores: for reports
    lost to a run killed after its commit, a deleted folder or another disk. A report folder
    already there is replaced. Versions committed before curate stored ledgers have none.

    \b
    Example:
        curate report v0001 --store corpus --reports reports
    """
    try:
        folder = rebuild_reports(open_store(store), version, Path(reports))
    except CurateError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"reports: {folder}")
