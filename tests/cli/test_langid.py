"""The langid options of `curate langid`, `curate filter` and `curate clean`, through CliRunner."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from curate import reasons
from curate.cli import main
from curate.document import Event, replay

ENGLISH = ("The city council approved the new budget on Tuesday after a long debate about public transport "
           "and the cost of repairing the old bridges that connect the two halves of the town.")
GERMAN = ("Der Stadtrat hat am Dienstag nach einer langen Debatte über den Nahverkehr den neuen Haushalt "
          "beschlossen, der auch die Sanierung der alten Brücken zwischen den beiden Stadtteilen vorsieht.")
ENGLISH_2 = ("Supporters said the plan would shorten commutes for thousands of workers, while critics warned "
             "that the money for new buses had been taken from the libraries and the parks.")
MIXED = "\n\n".join([GERMAN, ENGLISH, ENGLISH_2])


def _records(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def _run(args: list[str], text: str = MIXED) -> list[dict[str, object]]:
    result = CliRunner().invoke(main, args, input=json.dumps({"id": "1", "text": text}) + "\n")
    assert result.exit_code == 0, result.output
    return _records(result.stdout)


def test_langid_per_paragraph_writes_shares() -> None:
    (record,) = _run(["langid", "--per-paragraph"])
    assert record["lang"] == "en" and record["text"] == MIXED
    assert list(record["meta"]["lang_shares"]) == ["en", "de"]  # type: ignore[index]


def test_langid_drops_other_languages_with_replayable_events() -> None:
    (record,) = _run(["langid", "--drop-other-languages"])
    assert record["text"] == "\n\n".join([ENGLISH, ENGLISH_2])
    events = record["provenance"]
    assert [e["action"] for e in events] == ["tag", "drop_paragraph"]  # type: ignore[index, union-attr]
    drops = [e for e in events if e["span"]]  # type: ignore[index, union-attr]
    assert replay(MIXED, [Event.from_json(e) for e in drops]) == record["text"]


def test_langid_lang_chooses_the_paragraphs_kept() -> None:
    (record,) = _run(["langid", "--drop-other-languages", "--lang", "de"])
    assert (record["text"], record["lang"]) == (GERMAN, "de")


def test_langid_lang_without_drop_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["langid", "--lang", "en"], input="")
    assert result.exit_code == 2
    assert "--lang on langid chooses the paragraphs --drop-other-languages keeps." in result.output


def test_missing_backend_package_is_an_error_naming_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    result = CliRunner().invoke(main, ["langid", "--langid-backend", "py3langid"], input="")
    assert result.exit_code == 1
    assert "pip install 'curate[fastlang]'" in result.output


def test_filter_min_lang_score_drops_uncertain_documents() -> None:
    lines = "\n".join(json.dumps({"id": str(i), "text": "Good day", "lang": "en", "lang_score": score})
                      for i, score in enumerate([0.99, 0.5]))
    result = CliRunner().invoke(main, ["filter", "--min-lang-score", "0.9"], input=lines + "\n")
    assert result.exit_code == 0
    assert [r["id"] for r in _records(result.stdout)] == ["0"]


def test_filter_min_lang_score_out_of_range_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["filter", "--min-lang-score", "2"], input="")
    assert result.exit_code == 2


def test_clean_drops_other_languages_and_counts_uncertain_documents(tmp_path: Path) -> None:
    source = tmp_path / "docs.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in [{"id": "mixed", "text": MIXED},
                                                             {"id": "digits", "text": "12 34 56"}]))
    result = CliRunner().invoke(main, ["clean", "--stdout", "--no-dedup", "--drop-other-languages",
                                       "--min-lang-score", "0.5", "--workers", "1", "--reports",
                                       str(tmp_path / "reports"), str(source)])
    assert result.exit_code == 0, result.output
    (record,) = _records(result.stdout)
    assert record["id"] == "mixed" and GERMAN not in str(record["text"])
    summary = json.loads((tmp_path / "reports" / "stdout" / "summary.json").read_text())
    assert summary["counts"]["dropped"] == {reasons.LANG_UNCERTAIN: 1}
