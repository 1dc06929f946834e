"""Fixtures shared by the repair tests (repair/test_step.py, repair/separators/test_*.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from curate.document import Document, replay
from curate.steps.repair import Repair, RepairConfig


@pytest.fixture(scope="module")
def repair() -> Repair:
    return Repair(RepairConfig())


@pytest.fixture
def run(repair: Repair, make_doc: Callable[..., Document]) -> Callable[..., Document]:
    """Repair a text; also check that the events replay to the output, as every test should.
    (Modules with a `run` of their own, such as test_dedup.py, override this one.)"""

    def run_(text: str, **fields: object) -> Document:
        out = repair.apply(make_doc(text=text, **fields))
        assert replay(text, out.provenance) == out.text
        return out

    return run_
