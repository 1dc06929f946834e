"""Every user pattern runs with a time limit (reliability.md B8 #53): a catastrophic pattern on a
long line fails that one document as `rule_timeout`, never hangs the run, and the other documents
are cleaned as usual.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from curate import reasons
from curate.document import Document, Failed
from curate.rules import load_ruleset
from curate.steps.strip import Strip, StripConfig

CURATE = Path(__file__).resolve().parents[2] / "curate"
# `regex` does not optimise this one away (it does `(a+)+$` and `(x+x+)+y`): exponential in the line length
CATASTROPHIC = "'(a|aa)+$'"
# ends in a letter the pattern lacks, so no prefilter can rule the line out: the pattern must run
HOSTILE_LINE = "a" * 60 + "b"
KIND_FIELDS = {
    "line": f"kind: line\n    pattern: {CATASTROPHIC}",
    "block_start": f"kind: block\n    start: {CATASTROPHIC}\n    until: blank",
    "block_end": f"kind: block\n    start: 'START'\n    end: {CATASTROPHIC}",
    "replace": f"kind: replace\n    pattern: {CATASTROPHIC}\n    replacement: ''",
}


def _pack(tmp_path: Path, fields: str) -> Path:
    path = tmp_path / "slow.yaml"
    path.write_text("pack: slow\ndescription: A pack with a catastrophic pattern.\nrules:\n"
                    f"  - id: slow.rule\n    description: Backtracks.\n    category: ad\n    {fields}\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", sorted(KIND_FIELDS))
def test_a_catastrophic_pattern_fails_its_document_as_rule_timeout(tmp_path: Path, kind: str) -> None:
    ruleset = load_ruleset([_pack(tmp_path, KIND_FIELDS[kind])], include_defaults=False)
    step = Strip(StripConfig(regex_timeout=0.05), ruleset)
    hostile = Document(id="bad", source="x.txt", text=f"START\n{HOSTILE_LINE}\nA normal closing line.\n")
    started = time.process_time()
    outcome = step.guarded(hostile)
    assert time.process_time() - started < 10  # unbounded, 2**60 steps would never end
    assert isinstance(outcome, Failed), outcome
    assert outcome.reason == reasons.RULE_TIMEOUT and outcome.document_id == "bad"
    assert "timed out" in outcome.message and "slow.rule" in outcome.message  # names the rule to fix
    fine = step.guarded(Document(id="good", source="x.txt", text="A calm line of prose.\n"))
    assert isinstance(fine, Document)


def test_a_real_clean_ends_and_reports_the_timeout(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in [
        {"id": "hostile", "text": f"An opening sentence of this page.\n{HOSTILE_LINE}\n"},
        {"id": "calm", "text": "A calm page about the harbour, the ferry and the winter service timetable."},
    ]))
    reports = tmp_path / "reports"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "curate", "clean", str(crawl), "--rules", str(_pack(tmp_path, KIND_FIELDS["line"])),
         "--no-default-rules", "--no-dedup", "--workers", "1", "--store", str(tmp_path / "corpus"),
         "--reports", str(reports)],
        capture_output=True, text=True, timeout=300)
    assert time.monotonic() - started < 120
    assert done.returncode == 1, done.stderr  # a run with failures exits 1 after finishing
    summary = orjson.loads((reports / "v0001" / "summary.json").read_bytes())
    counts = summary["counts"]
    assert counts["read"] == 2 and counts["failed"] == {reasons.RULE_TIMEOUT: 1}
    assert counts["kept"] + sum(counts["dropped"].values()) == 1


def _function_calls(path: Path) -> list[tuple[str, ast.Call]]:
    """(enclosing function name, call) for every call inside a function of the module."""
    found: list[tuple[str, ast.Call]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.extend((node.name, call) for call in ast.walk(node) if isinstance(call, ast.Call))
    return found


# Patterns compiled inside functions that are not user patterns, and why each is safe without a
# timeout. A new run-time compile must be added here with its reason, or go through compile_pattern.
NOT_USER_PATTERNS = {
    ("steps/repair/langs.py", "_generate"),  # a constant pattern, in the table generator run by hand
    ("steps/repair/chars.py", "ascii_edits"),  # one character class of escaped constant characters
    ("steps/extract/selectors.py", "__init__"),  # alternation of re.escape'd selector literals: linear
    ("steps/extract/score.py", "_hint_pattern"),  # alternation of re.escape'd constant hint words
    ("rules/prefilter/scan.py", "__init__"),  # a trie of re.escape'd literal characters: no repetition at all
    ("steps/repair/badness.py", "required_class"),  # one class of re.escape'd characters from ftfy's own pattern
}


def test_user_patterns_are_compiled_in_one_place_only() -> None:
    """Patterns compiled at run time (not module constants) are rule patterns, compiled by kinds.py's
    compile_pattern (so the timeout test below covers every one of them), or escaped literals."""
    compiled_at_run_time = set()
    for path in CURATE.rglob("*.py"):
        for function, call in _function_calls(path):
            func = call.func
            if (isinstance(func, ast.Attribute) and func.attr == "compile"
                    and isinstance(func.value, ast.Name) and func.value.id in {"re", "regex"}):
                compiled_at_run_time.add((path.relative_to(CURATE).as_posix(), function))
    assert compiled_at_run_time - NOT_USER_PATTERNS == {("rules/kinds.py", "compile_pattern")}


MATCH_METHODS = {"match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split"}


def test_every_match_call_on_a_rule_pattern_passes_a_timeout() -> None:
    """In kinds.py, a match call on anything but a module constant (ALL_CAPS, our own fixed
    patterns) is a call on a user's pattern and must pass `timeout=`."""
    missing = []
    for function, call in _function_calls(CURATE / "rules" / "kinds.py"):
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr in MATCH_METHODS):
            continue
        receiver = func.value
        constant = isinstance(receiver, ast.Name) and receiver.id.lstrip("_").isupper()
        if not constant and not any(keyword.arg == "timeout" for keyword in call.keywords):
            missing.append(f"{function}: {ast.unparse(call)}")
    assert missing == []
