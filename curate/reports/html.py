"""index.html of a report folder (DESIGN.md "Reports" contract), rendered from the summary.

A self-contained page: inline CSS, inline SVG charts, no scripts and no external requests, so it
opens from a file system or an archive. With audit statistics (reports/stats.py) the page also has
the per-source audit: matplotlib charts (reports/charts.py) and a table. Source names and rule ids are hostile input, so the
template is rendered with autoescaping on; chart geometry is computed here, not in the template.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Final

import jinja2
import orjson
from markupsafe import Markup

from curate.reports.charts import MAX_SOURCES, audit_charts
from curate.reports.stats import AuditStats

# The rule chart shows the most frequent rules only; summary.json lists them all.
TOP_RULES_SHOWN: Final = 20
LABEL_WIDTH: Final = 260  # px for bar labels, enough for most rule ids at 12px
PLOT_WIDTH: Final = 420  # px for the longest bar
ROW_HEIGHT: Final = 22
LABEL_CHARS: Final = 38  # longer labels are cut; the full text is in the bar's tooltip
# Keys of the summary that the page shows in their own sections rather than in the run table.
COMPUTED_KEYS: Final = frozenset({"version", "counts", "inputs", "top_rules", "languages"})


@dataclass(frozen=True)
class Bar:
    """One bar to draw: its label, value, CSS class (kept/dropped/failed/rule) and tooltip."""

    label: str
    value: int
    kind: str
    title: str


@dataclass(frozen=True)
class Row:
    """A bar placed on the chart."""

    y: int
    width: int
    label: str
    value: int
    kind: str
    title: str


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart laid out in pixels."""

    rows: tuple[Row, ...]
    label_width: int
    width: int
    height: int


def render_index(summary: Mapping[str, Any], stats: AuditStats | None = None) -> str:
    """The HTML page for a summary as built by `build_summary`, with the per-source audit when
    `stats` is given."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    text = files("curate.reports").joinpath("templates/index.html").read_text(encoding="utf-8")
    rules = summary["top_rules"][:TOP_RULES_SHOWN]
    return env.from_string(text).render(
        summary=summary,
        totals=_totals(summary["counts"]),
        outcome_chart=layout(outcome_bars(summary["counts"])),
        rule_chart=layout(rule_bars(rules)),
        rules_shown=len(rules),
        run_fields=run_fields(summary),
        stats=stats,
        audit_rows=[*stats.sources, stats.total] if stats and stats.sources else [],
        max_sources=MAX_SOURCES,
        charts={name: Markup(svg) for name, svg in audit_charts(stats).items()} if stats else {},
        percent=percent,
    )


def percent(value: float | None) -> str:
    """
    >>> percent(0.1234), percent(None)
    ('12.3%', '-')
    """
    return "-" if value is None else f"{100 * value:.1f}%"


def _totals(counts: Mapping[str, Any]) -> dict[str, int]:
    return {
        "read": counts["read"],
        "kept": counts["kept"],
        "dropped": sum(counts["dropped"].values()),
        "failed": sum(counts["failed"].values()),
    }


def outcome_bars(counts: Mapping[str, Any]) -> list[Bar]:
    """Kept, then each drop reason, then each fail reason."""
    bars = [Bar("kept", counts["kept"], "kept", f"kept: {counts['kept']}")]
    for outcome in ("dropped", "failed"):
        for reason, n in sorted(counts[outcome].items()):
            label = f"{outcome}: {reason}"
            bars.append(Bar(label, n, outcome, f"{label}: {n}"))
    return bars


def rule_bars(rules: Iterable[Mapping[str, Any]]) -> list[Bar]:
    """One bar per rule, its tooltip naming the step, action and characters removed."""
    return [
        Bar(
            rule["rule"],
            rule["count"],
            "rule",
            f"{rule['rule']} ({rule['step']}/{rule['action']}): "
            f"{rule['count']} times, {rule['chars']} chars removed",
        )
        for rule in rules
    ]


def layout(bars: Iterable[Bar]) -> Chart:
    """Place bars one per row, lengths proportional to the largest value."""
    bars = list(bars)
    top = max((bar.value for bar in bars), default=0) or 1
    rows = tuple(
        Row(
            y=index * ROW_HEIGHT,
            width=round(PLOT_WIDTH * bar.value / top),
            label=_cut(bar.label),
            value=bar.value,
            kind=bar.kind,
            title=bar.title,
        )
        for index, bar in enumerate(bars)
    )
    # Room after the longest bar for its value label.
    width = LABEL_WIDTH + PLOT_WIDTH + 60
    return Chart(rows=rows, label_width=LABEL_WIDTH, width=width, height=len(rows) * ROW_HEIGHT)


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 3] + "..."


def run_fields(summary: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The run's own fields (created, tool, digests …) as sorted (name, text) pairs."""
    return [
        (key, value if isinstance(value, str) else _json_text(value))
        for key, value in sorted(summary.items())
        if key not in COMPUTED_KEYS
    ]


def _json_text(value: Any) -> str:
    return orjson.dumps(value, default=str, option=orjson.OPT_SORT_KEYS).decode("utf-8")
