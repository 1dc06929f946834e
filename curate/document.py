"""The document model (DESIGN.md "Document record" contract): Document, Event, Dropped, Failed.

Records are immutable. Text changes only through `Document.edited`, which appends the events that
explain the change, so every edit can be audited and replayed with `replay`.

Span convention: an event's `span` is in the coordinates of the text as it stood just before that
event was applied. Events are applied in order, so `replay(step_input, step_events)` reproduces the
step's output exactly. `apply_edits` turns a batch of non-overlapping edits measured on one text into
such events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any, TypeAlias

from curate.reasons import EMPTY

JSONValue: TypeAlias = Any

_EMPTY: Mapping[str, JSONValue] = MappingProxyType({})


def _reduce(record: Any) -> tuple[Any, tuple[Any, ...]]:
    """Pickle support (worker processes): mapping proxies cannot be pickled, plain dicts can,
    and the constructor freezes them again."""
    values = (getattr(record, f.name) for f in fields(record))
    return type(record), tuple(dict(v) if isinstance(v, MappingProxyType) else v for v in values)


def _frozen(mapping: Mapping[str, JSONValue] | None) -> Mapping[str, JSONValue]:
    if not mapping:
        return _EMPTY
    if isinstance(mapping, MappingProxyType):
        return mapping
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class Event:
    """One thing a step did to a document: a removed line, a repaired span, a drop decision."""

    step: str
    action: str
    rule: str | None = None
    span: tuple[int, int] | None = None
    text: str | None = None
    replacement: str | None = None
    detail: Mapping[str, JSONValue] = field(default_factory=lambda: _EMPTY)

    __reduce__ = _reduce

    def __post_init__(self) -> None:
        object.__setattr__(self, "detail", _frozen(self.detail))
        if self.span is not None:
            object.__setattr__(self, "span", (int(self.span[0]), int(self.span[1])))

    def to_json(self) -> dict[str, JSONValue]:
        """The five contract keys always; `replacement` and `detail` only when set."""
        out: dict[str, JSONValue] = {
            "step": self.step,
            "rule": self.rule,
            "action": self.action,
            "span": list(self.span) if self.span is not None else None,
            "text": self.text,
        }
        if self.replacement is not None:
            out["replacement"] = self.replacement
        if self.detail:
            out["detail"] = dict(self.detail)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> Event:
        span = data.get("span")
        return cls(
            step=str(data["step"]),
            action=str(data["action"]),
            rule=data.get("rule"),
            span=(int(span[0]), int(span[1])) if span is not None else None,
            text=data.get("text"),
            replacement=data.get("replacement"),
            detail=data.get("detail") or {},
        )


@dataclass(frozen=True, slots=True)
class Document:
    """A page or record on its way through the pipeline, with its history in `provenance`."""

    id: str
    source: str
    text: str
    html: str | None = None
    lang: str | None = None
    lang_score: float | None = None
    title: str | None = None
    url: str | None = None
    meta: Mapping[str, JSONValue] = field(default_factory=lambda: _EMPTY)
    provenance: tuple[Event, ...] = ()

    __reduce__ = _reduce

    def __post_init__(self) -> None:
        object.__setattr__(self, "meta", _frozen(self.meta))
        object.__setattr__(self, "provenance", tuple(self.provenance))

    def edited(self, text: str, *events: Event) -> Document:
        """A copy with new text and the events that explain the change appended."""
        return replace(self, text=text, provenance=self.provenance + events)

    def tagged(self, *events: Event, **fields: Any) -> Document:
        """A copy with fields such as lang/lang_score/html set and events appended."""
        return replace(self, provenance=self.provenance + events, **fields)

    def to_json(self, *, provenance: bool = True, html: bool = False) -> dict[str, JSONValue]:
        """The contract record. Corpus shards use provenance=False; html is for step-to-step pipes."""
        out: dict[str, JSONValue] = {"id": self.id, "source": self.source, "text": self.text}
        if self.lang is not None:
            out["lang"] = self.lang
        if self.lang_score is not None:
            out["lang_score"] = self.lang_score
        if self.title is not None:
            out["title"] = self.title
        if self.url is not None:
            out["url"] = self.url
        out["meta"] = dict(self.meta)
        if html and self.html is not None:
            out["html"] = self.html
        if provenance:
            out["provenance"] = [event.to_json() for event in self.provenance]
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> Document:
        """Build from a contract record (as written by `to_json`)."""
        score = data.get("lang_score")
        return cls(
            id=str(data["id"]),
            source=str(data.get("source", "")),
            text=str(data.get("text") or ""),
            html=data.get("html"),
            lang=data.get("lang"),
            lang_score=float(score) if score is not None else None,
            title=data.get("title"),
            url=data.get("url"),
            meta=data.get("meta") or {},
            provenance=tuple(Event.from_json(e) for e in data.get("provenance") or ()),
        )


@dataclass(frozen=True, slots=True)
class Dropped:
    """A document a step decided not to keep, with the reason (a constant of curate.reasons)."""

    document: Document
    reason: str
    detail: Mapping[str, JSONValue] = field(default_factory=lambda: _EMPTY)

    __reduce__ = _reduce

    def __post_init__(self) -> None:
        object.__setattr__(self, "detail", _frozen(self.detail))


@dataclass(frozen=True, slots=True)
class Failed:
    """An input record that could not be processed; names its source and record."""

    source: str
    record: str | None
    reason: str
    message: str
    document_id: str | None = None


Outcome: TypeAlias = Document | Dropped | Failed


@dataclass(frozen=True, slots=True)
class Edit:
    """A change measured on one text: replace text[start:end] with `replacement`."""

    start: int
    end: int
    replacement: str
    action: str
    rule: str | None = None
    detail: Mapping[str, JSONValue] = field(default_factory=lambda: _EMPTY)


def apply_edits(text: str, edits: Iterable[Edit], step: str) -> tuple[str, tuple[Event, ...]]:
    """Apply non-overlapping edits measured on `text`; return the new text and sequential events.

    >>> new, events = apply_edits("a XX b", [Edit(2, 5, "", "drop_line", "x.rule")], "strip")
    >>> new, events[0].span, events[0].text
    ('a b', (2, 5), 'XX ')
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    pieces: list[str] = []
    events: list[Event] = []
    cursor = 0
    shift = 0  # how much earlier edits moved offsets in the text as it now stands
    for edit in ordered:
        if edit.start < cursor:
            raise ValueError(f"overlapping edits at {edit.start} (previous ended at {cursor})")
        old = text[edit.start : edit.end]
        if old == edit.replacement:
            continue
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.replacement)
        start = edit.start + shift
        events.append(
            Event(
                step=step,
                action=edit.action,
                rule=edit.rule,
                span=(start, start + len(old)),
                text=old,
                replacement=edit.replacement or None,
                detail=edit.detail,
            )
        )
        shift += len(edit.replacement) - len(old)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces), tuple(events)


def replay(text: str, events: Sequence[Event]) -> str:
    """Re-apply events to the text a step received; equals that step's output.

    Raises ValueError if an event's recorded `text` is not what stands at its span.

    >>> replay("a XX b", [Event("strip", "drop_line", span=(2, 5), text="XX ")])
    'a b'
    """
    for event in events:
        if event.span is None:
            continue
        start, end = event.span
        if event.text is not None and text[start:end] != event.text:
            raise ValueError(f"event {event.rule or event.action} does not match the text at {start}:{end}")
        text = text[:start] + (event.replacement or "") + text[end:]
    return text


def edited_or_dropped(doc: Document, edits: Sequence[Edit], step: str, rule: str,
                      count_key: str) -> Document | Dropped:
    """Apply `edits` to the document; one left with no text is Dropped as `empty`, naming the rule.

    For steps that remove parts shared with other documents (learned lines, common paragraphs),
    where removing them all can leave nothing.
    """
    text, events = apply_edits(doc.text, edits, step)
    edited = doc.edited(text, *events)
    if text.strip():
        return edited
    event = Event(step=step, action="drop_doc", rule=rule, detail={count_key: len(edits)})
    return Dropped(edited.tagged(event), EMPTY, {"rule": rule})
