"""`curate rules test`: run the strip step without writing anything and show what would go.

`dry_run` pairs each document with its stripped version; `render_diff` draws the strip events of
that pair as a diff (removed lines "- " in red, replacements "- "/"+ " pairs), each change headed by
its line number, rule id and action. The library writes ANSI colour itself so it never needs click.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Final

from curate.document import Document, Event, Failed
from curate.rules.model import RuleSet
from curate.steps.strip import Strip, StripConfig

_RED: Final = "\x1b[31m"
_GREEN: Final = "\x1b[32m"
_CYAN: Final = "\x1b[36m"
_RESET: Final = "\x1b[0m"


def dry_run(
    ruleset: RuleSet,
    docs: Iterable[Document],
    config: StripConfig = StripConfig(),  # noqa: B008 - frozen, so one shared default is safe
) -> Iterator[tuple[Document, Document | Failed]]:
    """(before, after) for each document; `after` is a Failed when a pattern ran over its time
    limit (or the step raised) on that document, so one hostile page does not end the dry run."""
    step = Strip(config, ruleset)
    for doc in docs:
        outcome = step.guarded(doc)
        yield doc, outcome if isinstance(outcome, Document | Failed) else outcome.document


def render_diff(before: Document, after: Document, *, color: bool) -> str:
    """The strip events that turned `before` into `after`, as a readable diff ("" when none)."""
    events = strip_events(before, after)
    if not events:
        return ""
    out = [_paint(f"{before.id} ({before.source}): {len(events)} change(s)", _CYAN, color)]
    shift = 0  # events' spans are sequential; map them back to the input text for line numbers
    for event in events:
        if event.span is None:
            continue
        start = event.span[0] - shift
        line = before.text.count("\n", 0, start) + 1
        out.append(_paint(f"@ line {line}  {event.rule} ({event.action})", _CYAN, color))
        out.extend(_event_lines(event, color))
        shift += len(event.replacement or "") - len(event.text or "")
    return "\n".join(out) + "\n"


def render_elements(doc: Document, rule_ids: Collection[str], *, color: bool) -> str:
    """The HTML elements that `selector` rules among `rule_ids` removed from `doc` during extraction."""
    events = element_events(doc, rule_ids)
    if not events:
        return ""
    out = [_paint(f"{doc.id} ({doc.source}): {len(events)} element(s) removed before extraction", _CYAN, color)]
    for event in events:
        out.append(_paint(f"@ <{event.detail.get('tag', '?')}>  {event.rule} ({event.action})", _CYAN, color))
        out.extend(_event_lines(event, color))
    return "\n".join(out) + "\n"


def element_events(doc: Document, rule_ids: Collection[str]) -> list[Event]:
    return [e for e in doc.provenance if e.step == "extract" and e.rule in rule_ids]


def strip_events(before: Document, after: Document) -> list[Event]:
    return [e for e in after.provenance[len(before.provenance) :] if e.step == Strip.name]


def _event_lines(event: Event, color: bool) -> list[str]:
    removed = (event.text or "").rstrip("\n").split("\n")
    lines = [_paint(f"- {text}", _RED, color) for text in removed]
    if event.replacement is not None or event.action == "replace":
        added = (event.replacement or "").split("\n")
        lines.extend(_paint(f"+ {text}", _GREEN, color) for text in added)
    return lines


def _paint(text: str, colour: str, color: bool) -> str:
    return f"{colour}{text}{_RESET}" if color else text
