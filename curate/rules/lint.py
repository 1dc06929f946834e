"""`curate rules lint`: validate rule packs and reject patterns that backtrack catastrophically.

Beyond what loading checks (YAML, fields, ids, patterns that do not compile), every pattern is run
the way the strip step runs it against adversarial probe strings under a short time limit, and each
rule's own examples are checked: `drop` examples must be removed by the rule, `keep` ones kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from curate.document import Document
from curate.errors import RuleError
from curate.rules.loader import parse_yaml, read_pack_text
from curate.rules.model import Rule, RuleSet, build_pack
from curate.steps.strip import Strip, StripConfig

# Strings that make a backtracking engine explode on patterns with nested or overlapping
# quantifiers: long runs of one class, runs of words and separators, and unclosed link syntax.
# They are long because the regex package memoises some cases into "only" quadratic time, e.g.
# ^(a+)+$ takes ~0.25 s on 5,000 characters; at 20,000 such a pattern reliably overruns the limit
# while a linear one needs a few milliseconds.
PROBE_CHARS: Final = 20_000
PROBES: Final = tuple(
    head + unit * (PROBE_CHARS // len(unit)) + tail
    for head, unit, tail in (
        ("", "a", "!"),
        ("a", " ", "!"),
        ("", "word ", "!"),
        ("", "Word ", "!"),
        ("", "A", "!"),
        ("", "Aa Bb, ", "!"),
        ("", "1", "x"),
        ("By ", "Jane Doe, ", "!"),
        ("", "[a](", ""),
        ("", "a.", "!"),
        ("", "A/", "!"),
    )
)
PROBE_TIMEOUT: Final = 0.5  # seconds; sane patterns finish every probe in a few milliseconds


@dataclass(frozen=True, slots=True)
class LintProblem:
    """One thing wrong with a rule pack, located as precisely as known."""

    path: str
    line: int | None
    rule_id: str | None
    message: str

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line is not None else "")
        who = f" rule {self.rule_id}:" if self.rule_id else ""
        return f"{where}:{who} {self.message}"


def lint_paths(
    paths: Sequence[str | Path], *, probe_timeout: float = PROBE_TIMEOUT
) -> list[LintProblem]:
    """Every problem in the given pack files and folders (an empty list means they are clean)."""
    from curate.rules import (
        pack_files,
    )  # the package imports this module's siblings, not the reverse

    try:
        files = pack_files(paths)
    except RuleError as exc:
        return [_problem(exc)]
    problems: list[LintProblem] = []
    rules: list[Rule] = []
    for path in files:
        file_rules, file_problems = _load(path)
        rules.extend(file_rules)
        problems.extend(file_problems)
    problems.extend(_duplicates(rules))
    for rule in rules:
        problems.extend(lint_rule(rule, probe_timeout=probe_timeout))
    return problems


def lint_rule(rule: Rule, *, probe_timeout: float = PROBE_TIMEOUT) -> list[LintProblem]:
    """Backtracking probes and the rule's own examples."""
    problems = [_at(rule, message) for message in _backtracking(rule, probe_timeout)]
    if not problems:  # examples would only time out again
        problems.extend(_at(rule, message) for message in check_examples(rule))
    return problems


def check_examples(rule: Rule) -> list[str]:
    """Messages for examples the rule gets wrong: a `drop` it leaves, a `keep` it changes."""
    if rule.kind == "selector":
        return _check_selector_examples(rule)
    step = Strip(StripConfig(dedup_paragraphs=False), RuleSet((rule,)))
    messages = []
    for text in rule.examples.drop:
        after = step.apply(Document(id="example", source=rule.path, text=text)).text
        replaced = rule.kind == "replace"
        if (after == text) if replaced else bool(after.strip()):
            messages.append(f"examples.drop {text!r} is not {'changed' if replaced else 'removed'}")
    for text in rule.examples.keep:
        if step.apply(Document(id="example", source=rule.path, text=text)).text != text:
            messages.append(f"examples.keep {text!r} is changed by the rule")
    return messages


def _check_selector_examples(rule: Rule) -> list[str]:
    import lxml.html
    from lxml.cssselect import CSSSelector

    select = CSSSelector(rule.selector or "")
    messages = []
    for wanted, snippets in ((True, rule.examples.drop), (False, rule.examples.keep)):
        for snippet in snippets:
            if bool(select(lxml.html.fragment_fromstring(snippet, create_parent="div"))) != wanted:
                verb = "does not select" if wanted else "selects"
                messages.append(
                    f"the selector {verb} the {'drop' if wanted else 'keep'} example {snippet!r}"
                )
    return messages


def _backtracking(rule: Rule, timeout: float) -> list[str]:
    for probe in PROBES:
        try:
            rule.matcher.probe(probe, timeout)
        except TimeoutError:
            shown = probe[:12] + f"... ({len(probe)} chars)"
            return [
                f"a pattern backtracks catastrophically: the probe {shown!r} did not finish within "
                f"{timeout}s; remove nested or overlapping quantifiers such as (a+)+ or (\\w+\\s?)*"
            ]
    return []


def _load(path: Path) -> tuple[list[Rule], list[LintProblem]]:
    errors: list[RuleError] = []
    try:
        display, text = read_pack_text(path)
        pack = build_pack(parse_yaml(text, display), display, errors=errors)
    except RuleError as exc:
        return [], [_problem(exc)]
    return list(pack.rules), [_problem(exc) for exc in errors]


def _duplicates(rules: Iterable[Rule]) -> list[LintProblem]:
    seen: dict[str, Rule] = {}
    problems = []
    for rule in rules:
        first = seen.setdefault(rule.id, rule)
        if first is not rule:
            problems.append(
                _at(rule, f"duplicate rule id (first defined at {first.path}:{first.line})")
            )
    return problems


def _problem(exc: RuleError) -> LintProblem:
    return LintProblem(exc.path, exc.line, exc.rule_id, exc.message)


def _at(rule: Rule, message: str) -> LintProblem:
    return LintProblem(rule.path, rule.line, rule.id, message)
