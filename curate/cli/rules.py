"""Rule packs: `rules list`, `rules test` (dry run with a diff), `rules lint`."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator

import click

from curate.checks.dryrun import dry_run, element_events, render_diff, render_elements, strip_events
from curate.checks.lint import lint_paths
from curate.cli.helpers import load_rules, make_read_options, make_rule_spec, read_items
from curate.cli.main import main
from curate.cli.options import input_arguments, rules_options
from curate.document import Document, Failed
from curate.rules.spec import RuleSpec
from curate.steps.extract import Extract, ExtractConfig


@main.group()
def rules() -> None:
    """List, try out and check rule packs."""


@rules.command(name="list")
@rules_options
def list_rules(rule_paths: tuple[str, ...], no_default_rules: bool, disable: tuple[str, ...]) -> None:
    """List the active rules: id, category, kind, pack and description.

    \b
    Example:
        curate rules list
        curate rules list --rules my-site.yaml --no-default-rules
    """
    ruleset = load_rules(make_rule_spec(rule_paths, no_default_rules, disable))
    rows = [(r.id, r.category, r.kind, r.pack, r.description) for r in ruleset.rules]
    widths = [max([len(row[i]) for row in rows] + [0]) for i in range(4)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths)) + "  " + row[4])
    click.echo(f"{len(rows)} rules, digest {ruleset.digest()[:12]}", err=True)


@rules.command(name="test")
@click.argument("rules_path", metavar="RULES", type=click.Path(exists=True))
@input_arguments
@click.option("--with-defaults", is_flag=True, help="Also apply the shipped packs.")
@click.option("--color/--no-color", default=None, help="Colour the diff [default: on a terminal].")
def test_rules(rules_path: str, inputs: tuple[str, ...], with_defaults: bool, color: bool | None) -> None:
    """Dry-run a rule pack on inputs and show what it would remove, rule by rule.

    Nothing is written. HTML inputs are extracted first, and the elements the pack's
    selector rules remove are listed. Each removed line is shown with '-' and the rule
    that removed it; a count per rule follows on stderr.

    \b
    Example:
        curate rules test my-site.yaml crawl/sample.html
        curate rules test rules/ads.yaml docs.jsonl --no-color | less
    """
    spec = make_rule_spec((rules_path,), not with_defaults, ())
    ruleset = load_rules(spec)
    use_color = color if color is not None else sys.stdout.isatty()
    rule_ids = {rule.id for rule in ruleset.rules}
    fired: Counter[str] = Counter()
    changed = failed = 0
    for before, after in dry_run(ruleset, _extracted(inputs, spec)):
        elements = element_events(before, rule_ids)
        if isinstance(after, Failed):
            failed += 1
            click.echo(f"error: {after.source} record {after.record}: {after.reason}: {after.message}", err=True)
            continue
        edits = strip_events(before, after)
        if elements or edits:
            changed += 1
            fired.update(str(event.rule) for event in elements + edits)
            click.echo(render_elements(before, rule_ids, color=use_color) + render_diff(before, after, color=use_color))
    for rule_id, count in sorted(fired.items(), key=lambda item: (-item[1], item[0])):
        click.echo(f"{count:6d}  {rule_id}", err=True)
    click.echo(f"{changed} document(s) would change", err=True)
    if failed:
        raise SystemExit(1)


def _extracted(inputs: tuple[str, ...], spec: RuleSpec) -> Iterator[Document]:
    extract = Extract(ExtractConfig(), spec.load())
    for item in read_items(inputs, make_read_options("text", "html", "id")):
        if isinstance(item, Document):
            outcome = extract.guarded(item)
            if isinstance(outcome, Document):
                yield outcome


@rules.command(name="lint")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def lint(paths: tuple[str, ...]) -> None:
    """Check rule packs: schema, unique ids, patterns that do not compile, and rules that
    would fail or overreach in a run.

    Every rule runs as its kind runs, under the strip step's time limit, on hostile probes,
    ordinary prose in 14 languages and the sample crawl: a pattern that times out, or a rule
    that matches the empty string or removes or rewrites more than half of ordinary prose,
    is an error. Exits 1 and lists each problem with its file, line and rule id.

    \b
    Example:
        curate rules lint my-site.yaml
        curate rules lint rules/
    """
    problems = lint_paths(list(paths))
    for problem in problems:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        rule = f" {problem.rule_id}:" if problem.rule_id else ""
        click.echo(f"{where}:{rule} {problem.message}", err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"ok: {len(paths)} path(s) checked")
