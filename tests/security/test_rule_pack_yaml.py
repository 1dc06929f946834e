"""Rule packs are untrusted YAML (reliability.md B8 #48–51): nothing in one runs as code, expands
into a bomb, or slips past the schema; every refusal names the file, the line and, inside a rule,
the rule.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from curate.errors import RuleError
from curate.rules import load_ruleset
from curate.rules.loader import MAX_PACK_BYTES

HEAD = "pack: mine\ndescription: Test pack.\nrules:\n"


def rule(extra: str = "", *, pattern: str = "'PROMO'", rule_id: str = "mine.promo") -> str:
    return (f"  - id: {rule_id}\n    description: A promo label.\n    category: ad\n    kind: line\n"
            f"    pattern: {pattern}\n{extra}")


def refusal(tmp_path: Path, text: str) -> RuleError:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_ruleset([path], include_defaults=False)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)
    return info.value


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!custom 'x'",
])
def test_a_tag_the_safe_loader_lacks_is_refused_naming_file_line_and_rule(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    error = refusal(tmp_path, HEAD + rule(pattern=tag.format(marker=marker)))
    assert "rules.unsafe_tag" in error.message
    assert error.line == 8 and error.rule_id == "mine.promo"
    assert not marker.exists()


def test_an_unsafe_tag_outside_any_rule_names_file_and_line(tmp_path: Path) -> None:
    error = refusal(tmp_path, "pack: mine\ndescription: !!python/object/apply:os.getcwd []\nrules: []\n")
    assert "rules.unsafe_tag" in error.message and error.line == 2 and error.rule_id is None


def test_a_python_tag_runs_nothing_through_the_cli(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    pack = tmp_path / "mine.yaml"
    pack.write_text(HEAD + rule(pattern=f"!!python/object/apply:os.system ['touch {marker}']"), encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_text("Hello there, a plain page.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "curate", "clean", str(page), "--rules", str(pack),
                           "--store", str(tmp_path / "corpus"), "--reports", str(tmp_path / "reports")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert str(pack) in done.stderr and "mine.promo" in done.stderr and "rules.unsafe_tag" in done.stderr
    assert not marker.exists() and not (tmp_path / "corpus").exists()


def _alias_bomb(levels: int, width: int = 9) -> str:
    """The "billion laughs" shape: each level is a list of `width` aliases of the previous one."""
    lines = [f"x0: &x0 [{', '.join(['lol'] * width)}]"]
    for n in range(1, levels + 1):
        lines.append(f"x{n}: &x{n} [{', '.join([f'*x{n - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_quickly_without_expanding(tmp_path: Path) -> None:
    # 9**12 leaves if expanded (and 9**12 JSON strings if the digest ever serialised it)
    started = time.process_time()
    error = refusal(tmp_path, HEAD + rule() + "    examples:\n      " +
                    _alias_bomb(12).replace("\n", "\n      ").rstrip() + "\n")
    assert time.process_time() - started < 2.0
    assert "rules.alias" in error.message and error.rule_id == "mine.promo"


def test_a_single_alias_is_refused_with_its_line(tmp_path: Path) -> None:
    text = HEAD + rule("    examples: {drop: &d ['PROMO'], keep: *d}\n")
    error = refusal(tmp_path, text)
    assert "rules.alias" in error.message and "*d" in error.message and error.line == 9


def test_a_merge_key_is_refused(tmp_path: Path) -> None:
    text = ("pack: mine\ndescription: Test pack.\nbase: &base {category: ad}\nrules:\n"
            "  - id: mine.promo\n    <<: *base\n    description: A.\n    kind: line\n    pattern: 'P'\n")
    error = refusal(tmp_path, text)
    assert "rules.alias" in error.message and error.rule_id == "mine.promo" and error.line == 6


@pytest.mark.parametrize(("extra", "words", "line"), [
    ("    colour: red\n", "unknown field 'colour'", 9),
    ("    lang: no\n", "YAML read 'no' as a boolean", 9),
    ("    lang: [en, 12]\n", "must be a language code", 9),
    ("    description: twice\n", "duplicate key 'description' (first at line 5)", 9),
    ("    examples: {drop: PROMO}\n", "must be a list of strings", 9),
    ("    examples: {drop: !!binary aGVsbG8=}\n", "must be a list of strings", 9),
])
def test_schema_refuses_unknown_keys_wrong_types_and_duplicates(
        tmp_path: Path, extra: str, words: str, line: int) -> None:
    error = refusal(tmp_path, HEAD + rule(extra))
    assert words in error.message and error.line == line and error.rule_id == "mine.promo"


def test_a_number_where_a_pattern_belongs_is_refused(tmp_path: Path) -> None:
    error = refusal(tmp_path, HEAD + rule(pattern="0123"))
    assert "'0123' as an integer (83)" in error.message and error.line == 8


def test_a_huge_pack_is_refused_before_parsing(tmp_path: Path) -> None:
    error = refusal(tmp_path, HEAD + rule() + "# " + "x" * MAX_PACK_BYTES + "\n")
    assert "over" in error.message


def test_deep_nesting_is_a_rule_error_not_a_crash(tmp_path: Path) -> None:
    error = refusal(tmp_path, HEAD + rule("    examples: " + "[" * 20_000 + "]" * 20_000 + "\n"))
    assert "nested too deeply" in error.message
