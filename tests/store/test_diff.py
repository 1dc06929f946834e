"""diff_versions and `curate diff`: added, removed, changed documents, in total and per source."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
from click.testing import CliRunner

from curate.cli import main
from curate.document import Document
from curate.store import Store, diff_versions

Commit = Callable[..., str]
Docs = Callable[..., list[Document]]


def _doc(doc_id: str, source: str, text: str) -> Document:
    return Document(id=doc_id, source=source, text=text, lang="en")


def _two_versions(commit: Commit) -> tuple[str, str]:
    first = commit([_doc("a", "x.jsonl", "alpha"), _doc("b", "x.jsonl", "beta"), _doc("c", "y.html", "gamma")])
    second = commit([_doc("a", "x.jsonl", "alpha, edited"), _doc("c", "y.html", "gamma"),
                     _doc("d", "y.html", "delta"), _doc("e", "z.txt", "epsilon")], fresh=True)
    return first, second


def test_diff_finds_added_removed_and_changed(store: Store, commit: Commit) -> None:
    old, new = _two_versions(commit)
    result = diff_versions(store, old, new)
    assert list(result.added) == ["d", "e"]
    assert list(result.removed) == ["b"]
    assert list(result.changed) == ["a"]


def test_diff_counts_per_source(store: Store, commit: Commit) -> None:
    old, new = _two_versions(commit)
    assert diff_versions(store, old, new).per_source() == {
        "x.jsonl": {"added": 0, "removed": 1, "changed": 1},
        "y.html": {"added": 1, "removed": 0, "changed": 0},
        "z.txt": {"added": 1, "removed": 0, "changed": 0},
    }


def test_diff_against_parent_lists_only_the_new_documents(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a", "b"))
    commit(docs("c"))
    result = diff_versions(store, "v0001", "v0002")
    assert (list(result.added), list(result.removed), list(result.changed)) == (["c"], [], [])


def test_diff_of_a_version_with_itself_is_empty(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a", "b"))
    assert diff_versions(store, "v0001", "v0001").totals() == {"added": 0, "removed": 0, "changed": 0}


def test_diff_command_prints_json(store: Store, commit: Commit) -> None:
    _two_versions(commit)
    result = CliRunner().invoke(main, ["diff", "v0001", "v0002", "--store", str(store.root), "--json"])
    assert result.exit_code == 0, result.output
    data = orjson.loads(result.output)
    assert data["totals"] == {"added": 2, "removed": 1, "changed": 1}
    assert data["removed"] == ["b"]


def test_diff_command_lists_ids_with_marks(store: Store, commit: Commit) -> None:
    _two_versions(commit)
    result = CliRunner().invoke(main, ["diff", "v0001", "v0002", "--store", str(store.root), "--ids"])
    assert result.exit_code == 0
    assert {"+ d", "+ e", "- b", "~ a"} <= set(result.output.splitlines())


def test_diff_command_names_an_unknown_version(store: Store, commit: Commit, docs: Docs) -> None:
    commit(docs("a"))
    result = CliRunner().invoke(main, ["diff", "v0001", "v0007", "--store", str(store.root)])
    assert result.exit_code == 1
    assert "v0007" in result.output and "no such manifest" in result.output


def test_diff_needs_a_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "v0001", "v0002", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no store at" in result.output
