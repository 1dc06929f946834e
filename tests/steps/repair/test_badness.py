"""The pre-test in front of ftfy's is_bad: it must never hide a line is_bad would flag."""

from __future__ import annotations

import re
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

import pytest
from ftfy.badness import BADNESS_RE, is_bad

from curate.steps.repair.badness import _MAY_BE_BAD, may_be_bad, required_class

SENTENCES = [
    "Über die Brücke gehen täglich „viele“ Menschen – sagt Jörg Müller.",
    "Le garçon a mangé à midi, « très vite », près de l’école.",
    "La canción más popular del año: ¿quién la cantó? Señor Núñez.",
    "Москва — столица России, «Известия» пишут о ней каждый день.",
    "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας και «η πόλη» του φωτός.",
    "Łódź i Kraków są pięknymi miastami; żółć też występuje.",
    "Bugün İstanbul’da hava güzel, şöyle böyle ağır değil.",
    "Rīga un Viļņa ir galvaspilsētas — tā teica Jānis.",
    "北京是中国的首都，人口很多。",
    "東京は日本の首都です。「こんにちは」",
    "مرحبا بكم في القاهرة، عاصمة مصر.",
    "नमस्ते, दिल्ली भारत की राजधानी है।",
    "Giá 100 € hay 50 £ — ©2024 • Tất cả quyền được bảo lưu",
]
CODECS = ["sloppy-windows-1252", "latin-1", "sloppy-windows-1251", "sloppy-windows-1253",
          "sloppy-windows-1257", "sloppy-windows-1250", "macroman", "cp437"]


def _a_match(alternative: _parser.SubPattern) -> str | None:
    """One string the alternative matches, built from its first characters; None for shapes
    this test does not build."""
    out = []
    for op, value in alternative.data:
        if op is c.LITERAL:
            out.append(chr(value))
        elif op is c.IN:
            item_op, item = value[0]
            if item_op is c.LITERAL:
                out.append(chr(item))
            elif item_op is c.RANGE:
                out.append(chr(item[0]))
            else:
                return None
        elif op is c.ANY:
            out.append("x")
        elif op is c.AT or (op is c.MAX_REPEAT and value[0] == 0):
            continue  # an anchor (the sample starts the string) or an optional part
        else:
            return None
    return "".join(out)


def test_every_alternative_of_ftfys_pattern_passes_the_pre_test() -> None:
    alternatives = _parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags).data[0][1][1]
    built = [s for s in (_a_match(a) for a in alternatives) if s is not None]
    assert len(built) >= 30  # the test builds most of them, or it proves little
    for sample in built:
        assert is_bad(sample), sample  # the construction is right
        assert may_be_bad(sample), sample


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("codec", CODECS)
def test_the_pre_test_agrees_with_is_bad_on_mojibake(sentence: str, codec: str) -> None:
    broken = sentence.encode("utf-8").decode(codec, errors="replace")
    for text in (sentence, broken, f"{sentence} {broken}"):
        for cut in range(0, len(text), 7):  # and on pieces, as lines come
            piece = text[cut : cut + 23]
            assert may_be_bad(piece) == is_bad(piece), (codec, piece)


def test_clean_lines_in_many_scripts_skip_is_bad() -> None:
    """The pre-test does work: clean lines in many scripts never reach is_bad (a capital with an
    accent does: after a lowercase accented letter it is one of ftfy's signs)."""
    assert _MAY_BE_BAD is not None
    for sentence in ("Москва столица России", "Η Αθήνα είναι η πρωτεύουσα", "北京是中国的首都",
                     "مرحبا بكم في القاهرة", "नमस्ते, दिल्ली भारत की राजधानी है", "w mieście są łódki",
                     "bugün hava güzel, şöyle böyle", "café, naïve, über, straße"):
        assert _MAY_BE_BAD.search(sentence) is None, sentence


def test_no_pre_test_for_a_pattern_it_cannot_read() -> None:
    assert required_class(re.compile(r"ab|[^x]\w")) is None  # an alternative without a positive class
    assert required_class(re.compile("é", re.IGNORECASE)) is None
    assert required_class(re.compile("(?:é)")) is None  # not a top-level alternation
    found = required_class(re.compile("aé|b[ñÑ]"))
    assert found is not None and found.pattern == "[Ñéñ]"
