"""Shared fixtures: documents, the seed articles and their expectations, a temporary store."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from curate.document import Document

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds" / "articles"

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("ci")


@pytest.fixture
def make_doc() -> Callable[..., Document]:
    def make(text: str = "", **fields: Any) -> Document:
        fields.setdefault("id", "doc-1")
        fields.setdefault("source", "test.txt")
        return Document(text=text, **fields)

    return make


@pytest.fixture
def seed_dir() -> Path:
    return SEEDS


@pytest.fixture
def seed_expectations() -> dict[str, Any]:
    return json.loads((DATA / "seeds" / "expected.json").read_text(encoding="utf-8"))["files"]


@pytest.fixture
def tmp_store(tmp_path: Path) -> Path:
    return tmp_path / "corpus"
