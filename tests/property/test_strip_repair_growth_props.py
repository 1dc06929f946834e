"""Strip and repair never raise and never grow a text beyond its input plus its recorded repairs.

Precisely, for a step's output document, with E the events the step added (those with a span):

    len(output) - len(input) == sum(len(e.replacement or "") - len(e.text or "") for e in E)
                             <= sum(max(0, len(e.replacement or "") - len(e.text or "")) for e in E)

The first line says every character that appeared or vanished is in an event; the second that only
an event replacing text by something longer (a repair) may add characters. Strip's own events only
remove or shorten, so strip never grows a text at all. `apply` is called directly (not `guarded`,
which would turn an exception into a Failed record), so any exception fails the test.

Texts mix furniture the shipped rules remove, repairable damage (mojibake, entities, markdown and
HTML remnants, glued words) and arbitrary characters, surrogates and line separators included.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from curate.document import Document, Dropped, Event
from curate.rules import load_ruleset
from curate.steps.repair import Repair, RepairConfig
from curate.steps.strip import Strip, StripConfig

STRIP = Strip(StripConfig(), load_ruleset())  # module level: hypothesis reruns the body, not fixtures
REPAIR = Repair(RepairConfig())

FURNITURE = ["ADVERTISEMENT", "Advertisement", "Share this article", "Subscribe to our newsletter",
             "Read more:", "Photo: Reuters", "By Jane Smith", "Related articles", "Sign up", "Cookie settings",
             "Follow us on Twitter", "(AP) —", "Copyright 2024 All rights reserved", "Tags: news, world",
             "Skip to main content", "Image caption", "- Home", "* Contact", "1. Item"]
DAMAGE = ["cafÃ©", "â€™", "&amp;", "&lt;b&gt;", "<b>", "</p>", "[text](#)", "![img](x.png)", "UkraineThe",
          "end.The", "can,due", "co-\noperation", "\u00a0", "\u200b", "\uff21\uff22", "  ", "\t", "Ã¼ber",
          "\u2028", "\u2029", "\x85", "\ufeff", "\x00", "\r\n", "\ud800", "\udfff", "\U0001f600"]
PROSE = ["The harbour ferry runs every hour in winter.", "The council published a new timetable today.",
         "Evening services on the river stop at ten.", "A paragraph repeated twice.", ""]
pieces = st.one_of(st.sampled_from(FURNITURE), st.sampled_from(DAMAGE), st.sampled_from(PROSE),
                   st.text(st.characters(categories=["L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Cs"]), max_size=30))
lines = st.lists(pieces, min_size=1, max_size=4).map(" ".join)
texts = st.lists(lines, min_size=1, max_size=14).map("\n".join)


def _new_events(before: Document, after: Document) -> list[Event]:
    events = list(after.provenance[len(before.provenance):])
    assert tuple(after.provenance[:len(before.provenance)]) == tuple(before.provenance)
    return [event for event in events if event.span is not None]


def _growth_bound(before: Document, after: Document) -> tuple[int, int, int]:
    events = _new_events(before, after)
    net = sum(len(e.replacement or "") - len(e.text or "") for e in events)
    added = sum(max(0, len(e.replacement or "") - len(e.text or "")) for e in events)
    return len(after.text) - len(before.text), net, added


def _apply(step: Strip | Repair, doc: Document) -> Document | None:
    outcome = step.apply(doc)
    if isinstance(outcome, Dropped):
        return None
    return outcome


@given(text=texts)
def test_strip_never_raises_and_never_grows_the_text(text: str) -> None:
    doc = Document(id="d", source="t.txt", text=text)
    out = _apply(STRIP, doc)
    if out is None:
        return
    change, net, added = _growth_bound(doc, out)
    assert change == net <= added
    assert len(out.text) <= len(text)  # the shipped rules only remove or shorten


@given(text=texts)
def test_repair_never_raises_and_grows_only_by_its_recorded_repairs(text: str) -> None:
    doc = Document(id="d", source="t.txt", text=text)
    out = _apply(REPAIR, doc)
    if out is None:
        return
    change, net, added = _growth_bound(doc, out)
    assert change == net
    assert change <= added


@given(text=texts)
def test_strip_then_repair_stays_within_input_plus_repairs(text: str) -> None:
    doc = Document(id="d", source="t.txt", text=text)
    stripped = _apply(STRIP, doc)
    if stripped is None:
        return
    repaired = _apply(REPAIR, stripped)
    if repaired is None:
        return
    _, _, added = _growth_bound(stripped, repaired)
    assert len(repaired.text) <= len(text) + added
