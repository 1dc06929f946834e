"""`rules lint`: compile errors, catastrophic backtracking on hostile probes and real text, rules that
match everything, examples, every problem reported."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from curate import reasons
from curate.checks.lint import PROBES, LintProblem, check_examples, lint_paths
from curate.checks.probes import prose_text
from curate.cli import main
from curate.document import Document, Failed
from curate.rules import load_pack, load_ruleset
from curate.rules.model import Rule, RuleSet
from curate.steps.strip import Strip, StripConfig

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


# Faults a real crawl brings (issue 25): rules the old probes and examples passed, which then time
# out on real text or delete whole documents. Each pack has only `drop` examples, which hold, so the
# old lint (hostile probes and examples) found nothing in any of them.
FAULT_PACK = """\
pack: mine
description: Test pack.
rules:
  - id: mine.{name}
    description: A rule that looks harmless.
    category: ad
    kind: {kind}
{fields}
    examples:
      drop: [{drop}]
"""


def write_fault(tmp_path: Path, name: str, kind: str, fields: str, drop: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    text = FAULT_PACK.format(name=name, kind=kind, fields=fields, drop=drop)
    path.write_text(text, encoding="utf-8")
    return path


def lint_cli(path: Path) -> Result:
    return CliRunner().invoke(main, ["rules", "lint", str(path)])


def assert_found(path: Path, rule_id: str, *wanted: str) -> None:
    """The library and the CLI both report each of `wanted` (one problem each) for the rule at its
    line, and the CLI exits 1."""
    problems = lint_paths([path])
    for text in wanted:
        assert [(p.rule_id, p.line) for p in problems if text in p.message] == [(rule_id, 4)], problems
    result = lint_cli(path)
    assert result.exit_code == 1
    assert f"{path}:4: {rule_id}:" in result.stderr and all(text in result.stderr for text in wanted)


def test_fault_replace_that_times_out_on_real_text(tmp_path: Path) -> None:
    # A bounded repeat of overlapping word pieces: instant on every hostile probe, seconds on a
    # sentence with "the" and a long run of words and no colon.
    fields = "    pattern: '(?i)\\bthe\\s(?:\\w+\\s?){2,60}:\\s'\n    replacement: ''"
    path = write_fault(tmp_path, "lead_in", "replace", fields, '"Read the following story: Rain."')
    [rule] = load_pack(path).rules
    sentence = "Nobody on the street could remember a winter like this one and the older residents said so."
    failed = Strip(StripConfig(), RuleSet((rule,))).guarded(Document(id="d", source="d", text=sentence))
    assert isinstance(failed, Failed) and failed.reason == reasons.RULE_TIMEOUT  # as in a run
    assert all(_finishes(rule, probe) for probe in PROBES)  # the old lint's only timing check
    assert check_examples(rule) == []
    # the probe kind is named
    assert_found(path, "mine.lead_in", "backtracks catastrophically on real text: the ordinary prose line")


def _finishes(rule: Rule, probe: str) -> bool:
    try:
        rule.matcher.probe(probe, StripConfig().regex_timeout)
    except TimeoutError:
        return False
    return True


def test_fault_line_rule_that_matches_every_line(tmp_path: Path) -> None:
    path = write_fault(tmp_path, "sponsor", "line", "    pattern: '(?i).*(?:sponsored)?.*'", '"Sponsored"')
    assert_found(path, "mine.sponsor", "drops 30 of 30 lines of ordinary prose", "matches the empty string")


def test_fault_replace_that_matches_the_empty_string(tmp_path: Path) -> None:
    # Meant to remove "Sponsored content" and the space after it; the optional group makes it
    # remove every run of spaces, gluing every sentence into one word.
    fields = "    pattern: '(?i)(?:sponsored content)?\\s*'\n    replacement: ''"
    path = write_fault(tmp_path, "sponsor", "replace", fields, '"Sponsored content Read this"')
    assert_found(path, "mine.sponsor", "matches the empty string", "rewrites 28 of 30 lines of ordinary prose")


def test_fault_block_that_swallows_every_document(tmp_path: Path) -> None:
    fields = "    start: '(?i)(?:related stories:?)?.*'\n    until: end"
    path = write_fault(tmp_path, "related", "block", fields, '"Related stories:\\n- One\\n- Two"')
    assert_found(path, "mine.related", "drops 30 of 30 lines", "the start pattern matches 30 of 30 lines")


def test_fault_selector_that_empties_every_page(tmp_path: Path) -> None:
    path = write_fault(tmp_path, "promo", "selector", "    selector: '.promo, p'", "'<p class=\"promo\">x</p>'")
    assert_found(path, "mine.promo", "the selector removes")


def test_fault_checks_leave_a_good_pack_alone(tmp_path: Path) -> None:
    fields = "    pattern: '(?i)\\bsponsored content:\\s'\n    replacement: ''"
    replace = write_fault(tmp_path, "sponsor", "replace", fields, '"Sponsored content: Read this"')
    block = write_fault(tmp_path, "related", "block", "    start: '(?i)related stories:?'\n    until: list",
                        '"Related stories:\\n- One\\n- Two"')
    selector = write_fault(tmp_path, "promo", "selector", "    selector: '.promo'", "'<p class=\"promo\">x</p>'")
    for path in (write(tmp_path, "'PROMO'"), replace, block, selector):
        assert lint_paths([path]) == []
        result = lint_cli(path)
        assert result.exit_code == 0 and result.stdout.startswith("ok:"), result.stderr
    assert lint_cli(Path(__file__).parents[2] / "rules").exit_code == 0


def test_lint_prose_is_prose_the_shipped_packs_leave_alone() -> None:
    text = prose_text()
    after = Strip(StripConfig(), load_ruleset()).apply(Document(id="p", source="p", text=text))
    assert after.text == text and len([line for line in text.split("\n") if line.strip()]) >= 25
