"""ftfy's own published test cases (tests/data/ftfy_cases, see its README) through `repair`.

What is kept of ftfy: every case ftfy fixes, curate fixes, and every negative case curate leaves as
ftfy does, apart from the deliberate differences named below (docs/steps.md lists them):

- `OPTIONS`: ftfy fixers `RepairConfig` leaves off (curly quotes, ligatures, character width). The
  ftfy part of repair (`FTFY_ONLY`: every other kind switched off) gives what ftfy gives with those
  fixers off, and ftfy's own fixers applied to that give the case's `fixed` text.
- `CASES`: cases where curate's ftfy pass itself decides otherwise than ftfy, each with its output.
- `KINDS`: with the default configuration, curate's other kinds of repair (whitespace, invisible
  characters, full-width forms, missing spaces, glued words) also change some cases; each entry
  names the kinds and the cases, and switching those kinds off gives the ftfy part's output.

Cases ftfy itself does not pass with the installed version (newer cases) are reported by
`test_cases_ftfy_does_not_pass_are_reported`, not expected of curate.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import ftfy
import ftfy.fixes
import pytest

from curate.steps.repair import Repair, RepairConfig

DATA = Path(__file__).parents[2] / "data" / "ftfy_cases"
FIX_FILES = ("in-the-wild", "synthetic", "language-names")


@dataclass(frozen=True, slots=True)
class Case:
    """One of ftfy's test cases: `fixed` is what `ftfy.fix_text(original)` is expected to give."""

    file: str
    label: str
    original: str
    fixed: str


def _load(*files: str) -> list[Case]:
    """The "pass" cases of `files` (ftfy's known failures are not expected of anyone)."""
    cases = []
    for file in files:
        for raw in json.loads((DATA / f"{file}.json").read_text("utf-8")):
            if raw["expect"] == "pass":
                cases.append(Case(file, raw["label"], raw["original"], raw["fixed"]))
    return cases


def _ftfy_passes(case: Case) -> bool:
    return bool(ftfy.fix_text(case.original) == case.fixed)


_FIX_ALL, _NEGATIVE_ALL = _load(*FIX_FILES), _load("negative")
FIX_CASES = [case for case in _FIX_ALL if _ftfy_passes(case)]
NEGATIVE_CASES = [case for case in _NEGATIVE_ALL if _ftfy_passes(case)]
# ftfy 6.3.1 does not pass these (they were added with later fixes: ftfy issues #222 and #231).
FTFY_FAILS = {
    "Russian text in KOI8-R mojibake",
    "Synthetic: mojibake at the beginning of a string (Ã¥ for å)",
}

# The kinds of repair other than ftfy: switched off, repair is its ftfy pass alone.
OTHER_KINDS = (
    "unwrap_links", "drop_tags", "remove_invisible", "fix_fullwidth", "dedupe_punct",
    "join_hyphenated", "split_glued_words", "insert_punct_space", "lowercase_pronouns",
    "normalize_whitespace",
)
FTFY_ONLY = Repair(RepairConfig(**{kind: False for kind in OTHER_KINDS}))  # type: ignore[arg-type]
DEFAULT = Repair(RepairConfig())


@dataclass(frozen=True, slots=True)
class Option:
    """An ftfy fixer `RepairConfig` turns off (its field is False), and why."""

    name: str
    field: str
    fixer: Callable[[str], str]
    reason: str


OPTIONS = (  # in the order ftfy.fix_text runs them
    Option("ligatures_kept", "fix_latin_ligatures", ftfy.fixes.fix_latin_ligatures,
           "ﬁ, ŉ, ǌ are compatibility forms that may be intended; correct text is never changed"),
    Option("character_width_kept", "fix_character_width", ftfy.fixes.fix_character_width,
           "it would turn CJK full-width punctuation into ASCII; `fix_fullwidth` does the safe part"),
    Option("curly_quotes_kept", "uncurl_quotes", ftfy.fixes.uncurl_quotes,
           "curly quotes and apostrophes are correct typography; `--ascii-quotes` asks for ASCII"),
)


@dataclass(frozen=True, slots=True)
class Decision:
    """A case where curate's ftfy pass decides otherwise than ftfy: what curate gives, and why."""

    name: str
    label: str
    curate: str
    reason: str


CASES = (
    Decision("mixed_line_word_fixed", "Sort of negative: this inconsistent mojibake could be "
             "Latin-1 or MacRoman, and it was meant to be Latin-1, but it's safest to not decode "
             "it as either", "Bremer/Mccoy – Dråber",
             "ftfy re-decodes a whole line or nothing, and the correct en dash stops it; curate then "
             "fixes the word ftfy's is_bad still flags (as in 'myÅ¡i - ověření'), and the Latin-1 "
             "reading is the one ftfy's label says was meant"),
)


@dataclass(frozen=True, slots=True)
class Kind:
    """Other kinds of repair (RepairConfig fields) that change these cases under the defaults."""

    name: str
    fields: tuple[str, ...]
    labels: tuple[str, ...]
    reason: str


KINDS = (
    Kind("no_break_spaces_and_trailing_spaces", ("normalize_whitespace",), (
        "UTF-8 / sloppy Windows-1250 mixup in English",
        "The same text as above, but as a UTF-8 / ISO-8859-2 mixup",
        "A complex, lossy pile-up of mojibake in Portuguese",
        "Synthetic, negative: Romanian word before a non-breaking space",
        "Synthetic, negative: U+1A on its own",
        "Negative: 'è' preceded by a non-breaking space is not a small capital Y",
        "Negative: copyright sign preceded by non-breaking space",
        "Negative: Finnish Ä followed by a non-breaking space",
    ), "the whitespace kind turns no-break spaces into spaces and drops trailing spaces"),
    Kind("c1_control_removed", ("remove_invisible", "normalize_whitespace"), (
        "Synthetic, negative: don't leak our internal use of byte 0x1A",
    ), "a C1 control with no Windows-1252 meaning (U+0081) is never content; ftfy keeps it"),
    Kind("full_width_comma", ("fix_fullwidth", "insert_punct_space"), (
        "Wide comma in UTF-8 / Windows-1252",
    ), "a full-width comma in text without CJK letters becomes ',' (as ftfy's own width fix "
       "does), then gets its missing space: 'Ningbo, China'"),
    Kind("space_after_full_stop", ("insert_punct_space",), (
        "UTF-8 / Windows-1252 mixup in mixed French and Arabic",
    ), "'سعيد.Que' lost the space after its full stop: 'سعيد. Que'"),
    Kind("camel_case_split", ("split_glued_words",), (
        "Synthetic, negative: Camel-cased Serbian that looks like a UTF-8 / Windows-1251 mixup",
    ), "a lower→Upper join inside a word is read as a lost sentence break ('UkraineThe'); here it "
       "splits a made-up name: a known false split, left to the split-evidence work of issue 20"),
)


def _ids(cases: list[Case]) -> list[str]:
    return [f"{case.file}:{case.label[:60]}" for case in cases]


def _undo_options(text: str) -> str:
    """`text` with the ftfy fixers curate leaves off applied, in ftfy's order."""
    for option in OPTIONS:
        text = option.fixer(text)
    return text


_DECIDED = {decision.label: decision for decision in CASES}


def _check_ftfy_part(case: Case) -> None:
    got = FTFY_ONLY.repair_text(case.original)
    if case.label in _DECIDED:
        assert got == _DECIDED[case.label].curate
        return
    assert got == ftfy.fix_text(case.original, RepairConfig().fixer_config())
    assert _undo_options(got) == case.fixed


@pytest.mark.parametrize("case", FIX_CASES, ids=_ids(FIX_CASES))
def test_ftfy_fix_case(case: Case) -> None:
    """Every case ftfy fixes, curate's ftfy pass fixes, up to the named options."""
    _check_ftfy_part(case)


@pytest.mark.parametrize("case", NEGATIVE_CASES, ids=_ids(NEGATIVE_CASES))
def test_ftfy_negative_case(case: Case) -> None:
    """Every negative case curate's ftfy pass leaves as ftfy does, apart from the named decisions."""
    _check_ftfy_part(case)


def test_case_counts() -> None:
    """Issue 20's measure, on ftfy 6.3.1's 120 fix cases and 31 negative cases: the ftfy part
    fixes all 120 (up to the named options) and keeps 30 (before this test: 119 and 30)."""
    assert (len(FIX_CASES), len(NEGATIVE_CASES)) == (120, 31)
    fixed = sum(_undo_options(FTFY_ONLY.repair_text(case.original)) == case.fixed
                for case in FIX_CASES)
    kept = sum(_undo_options(FTFY_ONLY.repair_text(case.original)) == case.fixed
               for case in NEGATIVE_CASES)
    assert (fixed, kept) == (120, 30)  # the one negative case left is `CASES`' decision


def test_cases_ftfy_does_not_pass_are_reported() -> None:
    """The cases the installed ftfy does not pass are exactly the known newer ones."""
    failing = {case.label for case in _FIX_ALL + _NEGATIVE_ALL if not _ftfy_passes(case)}
    assert failing == FTFY_FAILS


@pytest.mark.parametrize("option", OPTIONS, ids=[option.name for option in OPTIONS])
def test_option_difference(option: Option) -> None:
    """Each ftfy fixer curate leaves off is off in RepairConfig and matters to some case."""
    assert getattr(RepairConfig(), option.field) is False
    outputs = [FTFY_ONLY.repair_text(case.original) for case in FIX_CASES + NEGATIVE_CASES]
    assert any(option.fixer(text) != text for text in outputs)


@pytest.mark.parametrize("decision", CASES, ids=[decision.name for decision in CASES])
def test_case_difference(decision: Decision) -> None:
    """Each decision of curate's own is a real difference from ftfy, on a case ftfy passes."""
    case = next(case for case in FIX_CASES + NEGATIVE_CASES if case.label == decision.label)
    assert FTFY_ONLY.repair_text(case.original) == decision.curate != case.fixed


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_kind_difference(kind: Kind) -> None:
    """Each named kind changes its cases under the defaults, and switching it off undoes that."""
    without = Repair(replace(RepairConfig(), **{field: False for field in kind.fields}))
    for case in (case for case in FIX_CASES + NEGATIVE_CASES if case.label in kind.labels):
        ftfy_part = FTFY_ONLY.repair_text(case.original)
        assert DEFAULT.repair_text(case.original) != ftfy_part
        assert without.repair_text(case.original) == ftfy_part


_NAMED_KINDS = {label for kind in KINDS for label in kind.labels}
_ALL = FIX_CASES + NEGATIVE_CASES


@pytest.mark.parametrize("case", _ALL, ids=_ids(_ALL))
def test_default_config_differs_only_by_named_kinds(case: Case) -> None:
    """With every kind on, a case differs from the ftfy part only where a `KINDS` entry says so."""
    if case.label not in _NAMED_KINDS:
        assert DEFAULT.repair_text(case.original) == FTFY_ONLY.repair_text(case.original)


@pytest.mark.parametrize(("line", "decoded"), [
    ("vÄ›dách", "vědách"),  # a run in a word of its script
    ("Å\u00a0toviše", "Štoviše"),  # a no-break space is the last byte of "Š"
    ("as â€â„¢n Duitsertjie", "as ’n Duitsertjie"),  # two layers, in part
    ("de lÂ’usine", "de l\x92usine"),  # a C1 control, which ftfy's next round reads as cp1252
    ("které\u00a0\u00a0se", "které\u00a0\u00a0se"),  # "é" and two no-break spaces spell "頠"
    ("ã†â€™ãƒâ€", "ã†â€™ãƒâ€"),  # still bad once decoded: ftfy's hopeless garble
])
def test_decode_sequences(line: str, decoded: str) -> None:
    """Runs of cp1252-read UTF-8 are decoded only into a word that is then clean and of the script
    of its letters around the run."""
    from curate.steps.repair.ftfy import _decode_sequences

    assert _decode_sequences(line) == decoded
