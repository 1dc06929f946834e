"""`rules lint`: compile errors, catastrophic backtracking, examples, every problem reported."""

from __future__ import annotations

from pathlib import Path

from curate.rules.lint import LintProblem, lint_paths

PACK = """\
pack: mine
description: Test pack.
rules:
  - id: mine.promo
    description: A promo label.
    category: ad
    kind: line
    pattern: {pattern}
    examples:
      drop: ["PROMO"]
      keep: ["A promo ran."]
"""


def write(tmp_path: Path, pattern: str, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(PACK.format(pattern=pattern), encoding="utf-8")
    return path


def test_shipped_packs_are_clean() -> None:
    assert lint_paths([Path(__file__).parents[2] / "rules"]) == []


def test_a_clean_user_pack_has_no_problems(tmp_path: Path) -> None:
    assert lint_paths([write(tmp_path, "'PROMO'")]) == []


def test_pattern_that_does_not_compile(tmp_path: Path) -> None:
    path = write(tmp_path, "'(PROMO'")
    [problem] = lint_paths([path])
    assert (problem.path, problem.line, problem.rule_id) == (str(path), 8, "mine.promo")
    assert problem.message.startswith("field 'pattern' does not compile")


def test_catastrophic_backtracking_is_found_by_a_probe(tmp_path: Path) -> None:
    path = write(tmp_path, r"'(?:\w+\s?)+$|PROMO'")
    [problem] = lint_paths([path], probe_timeout=0.05)
    assert problem.line == 4 and problem.rule_id == "mine.promo"
    assert "backtracks catastrophically" in problem.message


def test_examples_the_rule_gets_wrong(tmp_path: Path) -> None:
    [problem] = lint_paths([write(tmp_path, "'(?i).*promo.*'")])
    assert problem.message == "examples.keep 'A promo ran.' is changed by the rule"


def test_every_bad_rule_of_a_file_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "'(A'")
    path.write_text(
        path.read_text()
        + PACK.split("rules:\n")[1]
        .replace("mine.promo", "mine.other")
        .replace("pattern: '(A'", "pattern: '(B'")
    )
    problems = lint_paths([path])
    assert [p.rule_id for p in problems] == ["mine.promo", "mine.other"]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    write(tmp_path, "'PROMO'", "a.yaml")
    write(tmp_path, "'PROMO'", "b.yaml")
    [problem] = lint_paths([tmp_path])
    assert problem.path.endswith("b.yaml") and problem.message.startswith("duplicate rule id")


def test_problem_reads_like_a_rule_error() -> None:
    assert str(LintProblem("x.yaml", 3, "x.a", "bad")) == "x.yaml:3: rule x.a: bad"
