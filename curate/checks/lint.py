"""`curate rules lint`: validate rule packs and reject rules that would fail or overreach in a run.

Beyond what loading checks (YAML, fields, ids, patterns that do not compile), every rule is run the
way its kind runs in the pipeline, under the strip step's time limit (curate.checks.probes):

- on hostile probes, ordinary prose in several languages and the sample crawl: a pattern that
  overruns the limit on any of them is an error naming the probe;
- on ordinary prose: a line or replace pattern that matches the empty string, a rule that drops or
  rewrites more than half of the prose lines (MAX_PROSE_SHARE), a block whose start matches more
  than half of them, a selector that removes more than half of the text of the sample pages and
  the prose page, is an error: such a rule would delete or rewrite whole documents;
- on its own examples: `drop` examples must be removed by the rule, `keep` ones kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from curate.checks.probes import (
    HOSTILE,
    PROBE_CHARS,
    PROBES,
    first_timeout,
    prose_share,
    prose_starts,
)
from curate.document import Document
from curate.errors import RuleError
from curate.rules.kinds import LineMatcher, ReplaceMatcher
from curate.rules.loader import parse_yaml, read_pack_text
from curate.rules.model import Rule, RuleSet, build_pack
from curate.steps.strip import Strip, StripConfig

__all__ = ["PROBES", "PROBE_CHARS", "PROBE_TIMEOUT", "LintProblem", "check_examples", "lint_paths",
           "lint_rule"]

PROBE_TIMEOUT: Final = StripConfig().regex_timeout  # the strip step's limit per pattern call
MAX_PROSE_SHARE: Final = 0.5  # a rule may remove or rewrite at most half of ordinary prose


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
    """Time limit probes, what the rule does to ordinary prose, and the rule's own examples."""
    timed_out = _timeout(rule, probe_timeout)
    if timed_out:  # the other checks would only time out again
        return [_at(rule, timed_out)]
    try:
        messages = overreach(rule, probe_timeout)
    except TimeoutError as exc:  # on the prose as a whole document, which the lines passed
        return [_at(rule, f"a pattern runs past the time limit on ordinary prose: {exc}")]
    return [_at(rule, message) for message in messages + check_examples(rule)]


def overreach(rule: Rule, timeout: float = PROBE_TIMEOUT) -> list[str]:
    """Messages for a rule that matches (nearly) everything: a line or replace pattern that matches
    the empty string, or a rule that removes or rewrites most of ordinary prose."""
    messages = []
    matcher = rule.matcher
    if isinstance(matcher, LineMatcher) and matcher.pattern.fullmatch("", timeout=timeout):
        messages.append("the pattern matches the empty string, so it matches far more than "
                        "furniture (e.g. '.*' or '(x)?'); make it require the words it is about")
    if isinstance(matcher, ReplaceMatcher) and matcher.pattern.search("", timeout=timeout):
        messages.append("the pattern matches the empty string (e.g. '\\s*', 'x?' or '.*'); require "
                        "at least one character ('+' rather than '*') so it rewrites only what it names")
    touched, total = prose_share(rule, timeout)
    if touched > MAX_PROSE_SHARE * total:
        messages.append(_share_message(rule, touched, total))
    starts = prose_starts(rule, timeout)
    if starts > MAX_PROSE_SHARE * total:
        messages.append(f"the start pattern matches {starts} of {total} lines of ordinary prose "
                        f"(the limit is half): a block starting on nearly every line swallows text")
    return messages


def _share_message(rule: Rule, touched: int, total: int) -> str:
    if rule.kind == "selector":
        return (f"the selector removes {touched:,} of {total:,} characters of the sample pages and "
                f"a prose page (the limit is half): it would empty whole pages; name the furniture's "
                f"own classes or ids")
    verb = "rewrites" if rule.kind == "replace" else "drops"
    return (f"{verb} {touched} of {total} lines of ordinary prose (the limit is half): it would "
            f"{verb[:-1]} whole documents; make the pattern name the furniture, not any text")


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


def _timeout(rule: Rule, timeout: float) -> str | None:
    """A message naming the first probe (hostile, prose, sample crawl) a pattern overruns on."""
    probe = first_timeout(rule, timeout)
    if probe is None:
        return None
    if probe.kind == HOSTILE:
        shown = probe.text[:12] + f"... ({len(probe.text)} chars)"
        return (f"a pattern backtracks catastrophically: the hostile probe {shown!r} did not finish "
                f"within {timeout}s; remove nested or overlapping quantifiers such as (a+)+ or "
                f"(\\w+\\s?)*")
    return (f"a pattern backtracks catastrophically on real text: the {probe.shown()} did not finish "
            f"within {timeout}s, so a run would fail such documents (rule_timeout); remove nested, "
            f"overlapping or bounded repeats of word pieces such as (\\w+\\s?){{2,60}}")


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
