from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from curate.cli import main

SEEDS = Path(__file__).parent.parent / "data" / "seeds" / "articles"


def _pack(tmp_path: Path, pattern: str = r"(?i)^\s*advertisement\s*$") -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "pack: mine\ndescription: Test pack.\nrules:\n"
        "  - id: mine.ad\n    description: Ad label.\n    category: ad\n    kind: line\n"
        f"    pattern: '{pattern}'\n", encoding="utf-8")
    return path


def test_rules_list_shows_shipped_rules() -> None:
    result = CliRunner().invoke(main, ["rules", "list"])
    assert result.exit_code == 0
    assert any(line.startswith("ads.") for line in result.stdout.splitlines())


def test_rules_list_with_only_a_user_pack(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["rules", "list", "--no-default-rules", "--rules", str(_pack(tmp_path))])
    assert result.stdout.split()[0] == "mine.ad" and len(result.stdout.splitlines()) == 1


def test_rules_test_shows_what_the_pack_removes(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["rules", "test", str(_pack(tmp_path)), str(SEEDS / "004_9cf68beebfb50db9.txt"),
                                       "--no-color"])
    assert result.exit_code == 0, result.stderr
    assert "ADVERTISEMENT" in result.stdout and "mine.ad" in result.stdout
    assert "1 document(s) would change" in result.stderr


def test_rules_lint_accepts_a_good_pack_and_rejects_a_catastrophic_one(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["rules", "lint", str(_pack(tmp_path))]).exit_code == 0
    bad = _pack(tmp_path, r"^(a+)+$")
    result = CliRunner().invoke(main, ["rules", "lint", str(bad)])
    assert result.exit_code == 1
    assert "mine.ad" in result.stderr


def test_disabling_an_unknown_rule_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["rules", "list", "--disable", "nosuch.rule"])
    assert result.exit_code == 2
    assert "cannot disable nosuch.rule" in result.stderr


def test_disabling_a_pack_leaves_its_rules_out() -> None:
    result = CliRunner().invoke(main, ["rules", "list", "--disable", "byline"])
    assert result.exit_code == 0
    assert not any(line.startswith("byline.") for line in result.stdout.splitlines())


def test_rules_test_reports_a_pattern_that_runs_too_long_and_goes_on(tmp_path: Path) -> None:
    page = tmp_path / "hostile.txt"
    page.write_text("a" * 30000 + "b\n", encoding="utf-8")  # a letter the pattern lacks: it must run
    fine = tmp_path / "fine.txt"
    fine.write_text("ADVERTISEMENT\nA sentence.\n", encoding="utf-8")
    pack = _pack(tmp_path, r"(?i)^(a|a)*(?:advertisement)?$")
    result = CliRunner().invoke(main, ["rules", "test", str(pack), str(page), str(fine), "--no-color"])
    assert result.exit_code == 1
    assert "rule_timeout" in result.stderr
    assert "1 document(s) would change" in result.stderr


def test_rules_test_lists_elements_removed_by_selector_rules_and_counts_per_rule(tmp_path: Path) -> None:
    pack = tmp_path / "sel.yaml"
    pack.write_text(
        "pack: sel\ndescription: Test pack.\nrules:\n"
        "  - id: sel.promo\n    description: Promo boxes.\n    category: ad\n    kind: selector\n"
        "    selector: 'div.promo-box'\n"
        "  - id: sel.label\n    description: Ad label.\n    category: ad\n    kind: line\n"
        "    pattern: '(?i)advertisement'\n", encoding="utf-8")
    page = tmp_path / "page.html"
    body = "<p>" + "A real paragraph of the story with several words in it. " * 8 + "</p>"
    page.write_text(f"<html><body>{body}<div class='promo-box'>Buy our mugs</div><p>Advertisement</p>{body}"
                    "</body></html>", encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "test", str(pack), str(page), "--no-color"])
    assert result.exit_code == 0, result.stderr
    assert "sel.promo (drop_element)" in result.stdout and "- Buy our mugs" in result.stdout
    assert "     1  sel.label" in result.stderr and "     1  sel.promo" in result.stderr
