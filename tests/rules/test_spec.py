"""RuleSpec.load: one parse per process for the same packs, a fresh one when a pack changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from curate.errors import RuleError
from curate.rules.spec import RuleSpec

PACK = """\
pack: mine
description: Test pack.
rules:
  - id: mine.promo
    description: A promo label.
    category: ad
    kind: line
    pattern: '{pattern}'
"""


def test_the_same_spec_over_the_same_packs_is_parsed_once(tmp_path: Path) -> None:
    pack = tmp_path / "mine.yaml"
    pack.write_text(PACK.format(pattern="PROMO"), encoding="utf-8")
    spec = RuleSpec(paths=(str(pack),))
    assert spec.load() is RuleSpec(paths=(str(pack),)).load()
    assert spec.load() is not RuleSpec(paths=(str(pack),), include_defaults=False).load()


def test_an_edited_pack_is_read_again(tmp_path: Path) -> None:
    pack = tmp_path / "mine.yaml"
    pack.write_text(PACK.format(pattern="PROMO"), encoding="utf-8")
    spec = RuleSpec(paths=(str(pack),), include_defaults=False)
    assert spec.load().get("mine.promo").pattern == "PROMO"
    pack.write_text(PACK.format(pattern="PROMX"), encoding="utf-8")  # same size, maybe same mtime
    assert spec.load().get("mine.promo").pattern == "PROMX"


def test_a_missing_pack_is_still_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError):
        RuleSpec(paths=(str(tmp_path / "gone.yaml"),)).load()
