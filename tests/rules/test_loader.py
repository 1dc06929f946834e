"""Loading rule packs: every refusal names the file and the line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from curate.errors import ConfigError, RuleError
from curate.rules import default_pack_files, load_ruleset

GOOD_RULE = """\
pack: mine
description: Test pack.
rules:
  - id: mine.promo
    description: A promo label.
    category: ad
    kind: line
    pattern: 'PROMO'
"""


def write(tmp_path: Path, text: str, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dedent(text), encoding="utf-8")
    return path


def load_error(path: Path) -> RuleError:
    with pytest.raises(RuleError) as info:
        load_ruleset([path], include_defaults=False)
    return info.value


def test_good_pack_loads(tmp_path: Path) -> None:
    ruleset = load_ruleset([write(tmp_path, GOOD_RULE)], include_defaults=False)
    rule = ruleset.get("mine.promo")
    assert (rule.pack, rule.kind, rule.category, rule.pattern, rule.line) == (
        "mine",
        "line",
        "ad",
        "PROMO",
        4,
    )


def test_bad_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_RULE + "    pattern: [unclosed\n")
    error = load_error(path)
    assert error.path == str(path) and error.line == 10
    assert str(error).startswith(f"{path}:10:") and "not valid YAML" in str(error)


def test_duplicate_key_is_refused(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, GOOD_RULE + "    pattern: 'AGAIN'\n"))
    assert error.line == 9
    assert error.message == "duplicate key 'pattern' (first at line 8)"


def test_lang_no_is_a_yaml_surprise(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, GOOD_RULE + "    lang: no\n"))
    assert error.line == 9 and error.rule_id == "mine.promo"
    assert "YAML read 'no' as a boolean (False); quote it: 'no'" in error.message


def test_lang_list_item_no_names_its_line(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, GOOD_RULE + "    lang:\n      - en\n      - no\n"))
    assert error.line == 11 and "quote it: 'no'" in error.message


def test_number_where_a_string_is_expected(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, GOOD_RULE.replace("'PROMO'", "12:30")))
    assert error.line == 8 and "YAML read '12:30' as an integer (750)" in error.message


def test_date_where_a_string_is_expected(tmp_path: Path) -> None:
    error = load_error(
        write(tmp_path, GOOD_RULE.replace("description: A promo label.", "description: 2026-01-29"))
    )
    assert error.line == 5 and "YAML read '2026-01-29' as a date" in error.message


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, GOOD_RULE + "    patern: 'typo'\n"))
    assert error.line == 9 and error.message.startswith(
        "unknown field 'patern' in a rule of kind line"
    )


def test_missing_description_is_refused(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, GOOD_RULE.replace("    description: A promo label.\n", "")))
    assert error.rule_id == "mine.promo" and error.message == "missing field 'description'"


def test_bad_category_lists_the_known_ones(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, GOOD_RULE.replace("category: ad", "category: ads")))
    assert error.line == 6 and "unknown category 'ads'; known: ad, subscription" in error.message


def test_unknown_kind_lists_the_known_ones(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, GOOD_RULE.replace("kind: line", "kind: lines")))
    assert error.line == 7
    assert error.message == "unknown kind 'lines'; known kinds: block, line, replace, selector"


def test_pattern_that_does_not_compile(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, GOOD_RULE.replace("'PROMO'", "'(PROMO'")))
    assert error.line == 8 and error.message.startswith("field 'pattern' does not compile")


def test_id_must_belong_to_its_pack(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, GOOD_RULE.replace("id: mine.promo", "id: other.promo")))
    assert error.line == 4 and "must be 'mine.<name>'" in error.message


def test_duplicate_id_across_packs(tmp_path: Path) -> None:
    first = write(tmp_path, GOOD_RULE, "a.yaml")
    second = write(tmp_path, GOOD_RULE, "b.yaml")
    with pytest.raises(RuleError) as info:
        load_ruleset([tmp_path], include_defaults=False)
    assert info.value.path == str(second) and info.value.line == 4
    assert info.value.message == f"duplicate rule id (first defined at {first}:4)"


def test_missing_path_is_a_rule_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="no such rule pack file or folder"):
        load_ruleset([tmp_path / "nope.yaml"], include_defaults=False)


def test_disabled_rules_and_packs_are_left_out(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_RULE)
    assert len(load_ruleset([path], include_defaults=False, disabled=["mine.promo"])) == 0
    assert len(load_ruleset([path], include_defaults=False, disabled=["mine"])) == 0


def test_disabling_an_unknown_name_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot disable mine\.nope"):
        load_ruleset([write(tmp_path, GOOD_RULE)], include_defaults=False, disabled=["mine.nope"])


def test_default_packs_are_the_rules_folder() -> None:
    shipped = sorted(p.name for p in (Path(__file__).parents[2] / "rules").glob("*.yaml"))
    assert [f.name for f in default_pack_files()] == shipped


def test_default_ruleset_has_every_shipped_pack() -> None:
    names = {f.name.removesuffix(".yaml") for f in default_pack_files()}
    assert {rule.pack for rule in load_ruleset()} == names


def test_installed_packs_are_found_through_importlib_resources(tmp_path: Path) -> None:
    """From a wheel the packs are the data package `curate.packs`. A stand-in data package on
    sys.path (in a child process, so nothing here is patched) plays its part."""
    package = tmp_path / "standin_packs"
    package.mkdir()
    (package / "ads.yaml").write_text(GOOD_RULE, encoding="utf-8")
    code = (
        "import importlib.resources as r, curate.rules as c;"
        "c.files = lambda name: r.files('standin_packs');"
        "print([f.name for f in c.default_pack_files()], len(c.load_ruleset()))"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.stdout.strip() == "['ads.yaml'] 1", run.stderr


def test_user_packs_follow_the_defaults(tmp_path: Path) -> None:
    ruleset = load_ruleset([write(tmp_path, GOOD_RULE)])
    assert ruleset.rules[-1].id == "mine.promo" and len(ruleset) > 1


def test_digest_changes_with_a_rule_and_not_with_its_position(tmp_path: Path) -> None:
    base = load_ruleset([write(tmp_path, GOOD_RULE)], include_defaults=False).digest()
    moved = load_ruleset(
        [write(tmp_path, "\n\n" + GOOD_RULE, "moved.yaml")], include_defaults=False
    )
    changed = load_ruleset(
        [write(tmp_path, GOOD_RULE.replace("PROMO", "PROMO2"), "c.yaml")], include_defaults=False
    )
    assert moved.digest() == base and changed.digest() != base


def test_selectors_lists_selector_rules() -> None:
    selectors = dict(load_ruleset().selectors())
    assert "ads.slot_elements" in selectors and "ins.adsbygoogle" in selectors["ads.slot_elements"]
