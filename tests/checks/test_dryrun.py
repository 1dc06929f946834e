"""`rules test`: dry run and the coloured diff."""

from __future__ import annotations

from collections.abc import Callable

from curate.checks.dryrun import dry_run, render_diff
from curate.document import Document
from curate.rules import load_ruleset

TEXT = "Title\nADVERTISEMENT\nSee [the report](#) today.\n"


def test_dry_run_pairs_each_document_with_its_stripped_form(
    make_doc: Callable[..., Document],
) -> None:
    [(before, after)] = list(dry_run(load_ruleset(), [make_doc(TEXT)]))
    assert before.text == TEXT and after.text == "Title\nSee the report today.\n"


def test_diff_marks_removed_lines_and_replacements_with_rule_ids(
    make_doc: Callable[..., Document],
) -> None:
    [(before, after)] = list(dry_run(load_ruleset(), [make_doc(TEXT)]))
    assert render_diff(before, after, color=False) == (
        "doc-1 (test.txt): 2 change(s)\n"
        "@ line 2  ads.placeholder (drop_line)\n"
        "- ADVERTISEMENT\n"
        "@ line 3  markup.markdown_link (replace)\n"
        "- [the report](#)\n"
        "+ the report\n"
    )


def test_diff_in_colour_paints_removals_red(make_doc: Callable[..., Document]) -> None:
    [(before, after)] = list(dry_run(load_ruleset(), [make_doc(TEXT)]))
    assert "\x1b[31m- ADVERTISEMENT\x1b[0m" in render_diff(before, after, color=True)


def test_no_changes_no_diff(make_doc: Callable[..., Document]) -> None:
    [(before, after)] = list(dry_run(load_ruleset(), [make_doc("Plain prose stays.\n")]))
    assert render_diff(before, after, color=False) == ""
