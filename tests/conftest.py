"""Shared fixtures: documents, the seed articles and their expectations, a temporary store."""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import settings

from curate.document import Document

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds" / "articles"

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    """Repair's word tables are built into a folder of this run (removed at its end), not the user's
    ~/.cache/curate: the suite neither depends on nor fills it. Doctests under curate/ and forked
    or spawned workers see the same folder through the environment."""
    config.stash[_USER_CACHE] = os.environ.get("CURATE_CACHE")
    os.environ["CURATE_CACHE"] = tempfile.mkdtemp(prefix="curate-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop("CURATE_CACHE"), ignore_errors=True)
    user_cache = config.stash.get(_USER_CACHE, None)
    if user_cache is not None:
        os.environ["CURATE_CACHE"] = user_cache


_USER_CACHE = pytest.StashKey[str | None]()


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


WORDS = ("harbour", "ferry", "council", "budget", "winter", "service", "evening", "station", "library",
         "museum", "river", "bridge", "market", "school", "hospital", "tram", "festival", "garden")


def seeded_text(seed: int) -> str:
    """A text of 60 random words: no two seeds give duplicates (dedup keeps each)."""
    rng = random.Random(seed)
    return f"Report {seed}. " + " ".join(rng.choice(WORDS) for _ in range(60)) + "."


def id_records(path: Path, records: list[tuple[str, int]]) -> Path:
    """(id, text seed) records as a JSONL file, for the tests of ids (duplicate_id)."""
    path.write_bytes(b"".join(orjson.dumps({"id": doc_id, "text": seeded_text(seed)}) + b"\n"
                              for doc_id, seed in records))
    return path
