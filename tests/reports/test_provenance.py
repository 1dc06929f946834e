"""report_name: readable, collision-free, always a valid file name; per-file report content."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curate.pipeline import Ledger
from curate.reports import InputInfo, report_name
from curate.reports.provenance import build_file_report

A = "crawl/a.jsonl"
EMPTY = "crawl/empty.txt"

VALID_FILE = re.compile(r"[a-z0-9][a-z0-9._-]*-[0-9a-f]{10}\.json")


def _file_part(name: str) -> str:
    folder, _, file = name.partition("/")
    assert folder == "files"
    return file


def _assert_valid(name: str) -> None:
    file = _file_part(name)
    assert VALID_FILE.fullmatch(file), file
    assert ".." not in file
    assert len(file.encode("utf-8")) <= 255


def test_same_file_name_in_two_folders_does_not_collide() -> None:
    assert report_name("a/index.html") != report_name("b/index.html")


def test_case_variants_do_not_collide() -> None:
    assert report_name("Site/Index.html") != report_name("site/index.html")


def test_unicode_normalisation_variants_do_not_collide() -> None:
    nfc = unicodedata.normalize("NFC", "café.html")
    nfd = unicodedata.normalize("NFD", "café.html")
    assert report_name(nfc) != report_name(nfd)


def test_name_keeps_a_readable_slug_of_the_path() -> None:
    assert report_name("crawl/site/index.html").startswith("files/crawl_site_index.html-")


def test_name_is_stable() -> None:
    assert report_name("crawl/a.jsonl") == report_name("crawl/a.jsonl")


@pytest.mark.parametrize(
    "source",
    [
        "",
        "..",
        "../../etc/passwd",
        "a\x00b",
        "x" * 300,
        "😀" * 100,
        "/",
        "\\\\server\\share",
        ".hidden",
        "<script>alert(1)</script>",
        "line\nbreak",
        "https://example.com/a?b=c#d",
    ],
    ids=[
        "empty",
        "dotdot",
        "traversal",
        "nul",
        "300-chars",
        "emoji",
        "slash",
        "unc",
        "hidden",
        "script",
        "newline",
        "url",
    ],
)
def test_hostile_names_give_valid_file_names(source: str) -> None:
    _assert_valid(report_name(source))


@given(st.text())
def test_any_source_gives_a_valid_file_name(source: str) -> None:
    _assert_valid(report_name(source))


def test_file_report_lists_documents_in_ledger_order(
    ledger: Ledger, inputs: list[InputInfo]
) -> None:
    report = build_file_report(inputs[0], ledger)
    assert [(doc["id"], doc["outcome"]) for doc in report["documents"]] == [
        ("a1", "kept"),
        ("a2", "dropped"),
        (None, "failed"),
    ]


def test_file_report_carries_identity_and_counts(ledger: Ledger, inputs: list[InputInfo]) -> None:
    report = build_file_report(inputs[0], ledger)
    assert (report["source"], report["sha256"], report["bytes"]) == (A, "a" * 64, 300)
    assert report["counts"] == ledger.per_source[A].to_json()


def test_file_report_of_an_input_without_documents_is_empty(
    ledger: Ledger, inputs: list[InputInfo]
) -> None:
    report = build_file_report(inputs[2], ledger)
    assert report["source"] == EMPTY
    assert report["documents"] == []
    assert report["counts"] == {"read": 0, "kept": 0, "dropped": {}, "failed": {}}
