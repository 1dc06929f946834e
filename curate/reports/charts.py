"""The audit charts of index.html, drawn with matplotlib as SVG and embedded in the page.

SVG keeps the page self-contained (no script, no image file, no network) and sharp at any zoom.
Text stays text (`svg.fonttype: none`), so the page's own font draws it and the file stays small;
the hash salt is fixed and the date left out, so the same statistics give the same bytes. Labels
are data (source names), so matplotlib's `$…$` math parsing is off. Clip paths are removed: a
bar chart never draws outside its axes, and `url(#…)` references are what a self-contained page
is checked for.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import Any, Final

from curate.reports.stats import AuditStats, SourceStats

# Sources per chart: the largest by documents read; the table below the charts lists them all.
MAX_SOURCES: Final = 25
MAX_LANGUAGES: Final = 15
LABEL_CHARS: Final = 40
COLOURS: Final = {"kept": "#3b8a4f", "dropped": "#d69a2d", "failed": "#c4453c", "furniture": "#7a5ea8",
                  "duplicate": "#d69a2d", "broken": "#c4453c", "lang": "#4a72b0", "length": "#4a72b0"}
RC: Final[dict[str, Any]] = {"svg.fonttype": "none", "svg.hashsalt": "curate", "text.parse_math": False,
             "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}
_CLIP: Final = re.compile(r'\s*clip-path="url\(#[^)]*\)"')
_CLIP_DEFS: Final = re.compile(r"<clipPath\b.*?</clipPath>\s*", re.S)
_METADATA: Final = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_PROLOGUE: Final = re.compile(r"^.*?(?=<svg\b)", re.S)


def audit_charts(stats: AuditStats) -> dict[str, str]:
    """name -> SVG markup for each chart that has data: outcomes, furniture, rates, languages,
    lengths."""
    import matplotlib  # imported when a page is drawn, not when curate starts

    settings: Any = RC  # matplotlib types its keys as a Literal of every rcParam name
    with matplotlib.rc_context(settings):
        return _charts(stats)


def _charts(stats: AuditStats) -> dict[str, str]:
    sources = sorted(stats.sources, key=lambda s: (-s.read, s.source))[:MAX_SOURCES]
    charts: dict[str, str] = {}
    if sources:
        charts["outcomes"] = _outcomes(sources)
        charts["rates"] = _rates(sources)
    if stats.lengths_known and any(s.furniture_share is not None for s in sources):
        charts["furniture"] = _furniture(sources)
    if stats.total.languages:
        charts["languages"] = _languages(stats.total.languages[:MAX_LANGUAGES])
    if stats.total.lengths:
        charts["lengths"] = _lengths(stats.total.lengths)
    return charts


def _outcomes(sources: Sequence[SourceStats]) -> str:
    fig, ax = _figure(len(sources))
    labels, left = _labels(sources), [0] * len(sources)
    for name in ("kept", "dropped", "failed"):
        values = [getattr(s, name) for s in sources]
        ax.barh(labels, values, left=left, color=COLOURS[name], label=name)
        left = [a + b for a, b in zip(left, values)]
    ax.set_xlabel("documents")
    _integer_axis(ax)
    _legend(ax)
    return _svg(fig, labels)


def _furniture(sources: Sequence[SourceStats]) -> str:
    fig, ax = _figure(len(sources))
    labels = _labels(sources)
    ax.barh(labels, [_percent(s.furniture_share) for s in sources], color=COLOURS["furniture"])
    ax.set_xlabel("% of the text removed as furniture (kept documents)")
    return _svg(fig, labels)


def _rates(sources: Sequence[SourceStats]) -> str:
    fig, ax = _figure(len(sources))
    positions = list(range(len(sources)))
    ax.barh([p - 0.2 for p in positions], [_percent(s.duplicate_rate) for s in sources], height=0.4,
            color=COLOURS["duplicate"], label="duplicates")
    ax.barh([p + 0.2 for p in positions], [_percent(s.broken_rate) for s in sources], height=0.4,
            color=COLOURS["broken"], label="broken text (ftfy)")
    labels = _labels(sources)
    ax.set_yticks(positions, labels)
    ax.set_xlabel("% of documents")
    _legend(ax)
    return _svg(fig, labels)


def _languages(languages: Sequence[tuple[str, int]]) -> str:
    fig, ax = _figure(len(languages))
    labels = [lang for lang, _ in languages]
    ax.barh(labels, [n for _, n in languages], color=COLOURS["lang"])
    ax.set_xlabel("documents")
    _integer_axis(ax)
    return _svg(fig, labels)


def _lengths(lengths: Sequence[int]) -> str:
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

    fig = Figure(figsize=(7.5, 2.6))
    ax = fig.add_subplot()
    low, high = max(min(lengths), 1), max(max(lengths), 10)
    # Log-spaced bins, four per decade: web documents range from a line to a book, and a linear axis
    # hides the short ones.
    bins = [10 ** (i / 4) for i in range(math.floor(4 * math.log10(low)), math.ceil(4 * math.log10(high)) + 2)]
    ax.hist([max(n, 1) for n in lengths], bins=bins, color=COLOURS["length"])
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("characters per kept document")
    ax.set_ylabel("documents")
    return _svg(fig, ["documents"])


def _integer_axis(ax: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _legend(ax: Any) -> None:
    # Above the plot, never over a bar.
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3, frameon=False, borderaxespad=0.2)


def _figure(rows: int) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 1.1 + 0.28 * max(rows, 1)))
    ax = fig.add_subplot()
    ax.invert_yaxis()  # the largest source first, as in the table
    return fig, ax


def _labels(sources: Sequence[SourceStats]) -> list[str]:
    labels = []
    for index, source in enumerate(sources):
        name = source.source if len(source.source) <= LABEL_CHARS else "..." + source.source[-LABEL_CHARS + 3:]
        # barh groups equal labels into one bar; two sources that cut alike stay apart
        labels.append(name if name not in labels else f"{name} ({index})")
    return labels


def _percent(value: float | None) -> float:
    return 0.0 if value is None else 100.0 * value


def _svg(fig: Any, labels: Sequence[str] = ()) -> str:
    # Fixed margins sized from the longest label: tight_layout would draw the figure twice.
    longest = max((len(label) for label in labels), default=4)
    width_in = fig.get_figwidth()
    fig.subplots_adjust(left=min(0.6, (0.25 + 0.065 * longest) / width_in), right=0.97,
                        top=1 - 0.35 / fig.get_figheight(), bottom=0.5 / fig.get_figheight())
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    text = _METADATA.sub("", text, count=1)
    text = _CLIP_DEFS.sub("", _CLIP.sub("", text))
    return text.replace("<svg ", '<svg class="plot" role="img" ', 1)
