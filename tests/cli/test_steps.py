"""The one-step commands: JSONL in, JSONL with provenance out, chained like a shell pipe."""

from __future__ import annotations

from pathlib import Path

import orjson
from click.testing import CliRunner

from curate.cli import main

SEEDS = Path(__file__).parent.parent / "data" / "seeds" / "articles"
ARTICLE_004 = SEEDS / "004_9cf68beebfb50db9.txt"


def _records(output: str) -> list[dict]:  # type: ignore[type-arg]
    return [orjson.loads(line) for line in output.splitlines() if line.strip()]


def _jsonl(*records: dict) -> str:  # type: ignore[type-arg]
    return "".join(orjson.dumps(r).decode() + "\n" for r in records)


def test_extract_turns_html_into_text_paragraphs(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>T</title></head><body><nav>Home | News</nav>"
                    "<p>First paragraph.</p><p>Second paragraph.</p></body></html>", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(page)])
    assert result.exit_code == 0, result.stderr
    [record] = _records(result.stdout)
    assert record["text"] == "First paragraph.\n\nSecond paragraph."
    assert record["title"] == "T" and "html" not in record


def test_strip_reads_a_file_and_records_rule_events() -> None:
    result = CliRunner().invoke(main, ["strip", str(ARTICLE_004)])
    assert result.exit_code == 0, result.stderr
    [record] = _records(result.stdout)
    assert "ADVERTISEMENT" not in record["text"]
    assert {e["action"] for e in record["provenance"]} >= {"drop_line"}


def test_strip_output_pipes_into_repair_keeping_provenance() -> None:
    stripped = CliRunner().invoke(main, ["strip", str(ARTICLE_004)]).stdout
    result = CliRunner().invoke(main, ["repair"], input=stripped)
    assert result.exit_code == 0, result.stderr
    [record] = _records(result.stdout)
    steps = [e["step"] for e in record["provenance"]]
    assert "strip" in steps and steps.index("strip") < len(steps)


def test_repair_fixes_glued_words_from_stdin() -> None:
    result = CliRunner().invoke(main, ["repair"], input=_jsonl({"id": "1", "text": "the energy crisiscaused by"}))
    assert result.exit_code == 0, result.stderr
    assert _records(result.stdout)[0]["text"] == "the energy crisis caused by"


def test_langid_tags_language_and_score() -> None:
    text = "Der schnelle braune Fuchs springt über den faulen Hund und läuft in den Wald."
    result = CliRunner().invoke(main, ["langid"], input=_jsonl({"id": "1", "text": text}))
    record = _records(result.stdout)[0]
    assert record["lang"] == "de" and record["lang_score"] > 0.9


def test_filter_drops_unwanted_languages_and_counts_them() -> None:
    records = _jsonl({"id": "1", "text": "hello there", "lang": "en"}, {"id": "2", "text": "hallo da", "lang": "de"})
    result = CliRunner().invoke(main, ["filter", "--lang", "en"], input=records)
    assert result.exit_code == 0
    assert [r["id"] for r in _records(result.stdout)] == ["1"]
    assert "read 2, kept 1, dropped 1, failed 0" in result.stderr


def test_dedup_drops_the_second_copy_and_annotate_keeps_both() -> None:
    text = " ".join(f"word{i}" for i in range(60))
    records = _jsonl({"id": "a", "text": text}, {"id": "b", "text": text})
    dropped = CliRunner().invoke(main, ["dedup"], input=records)
    assert [r["id"] for r in _records(dropped.stdout)] == ["a"]
    annotated = _records(CliRunner().invoke(main, ["dedup", "--annotate"], input=records).stdout)
    assert [r["meta"].get("duplicate_of") for r in annotated] == [None, "a"]


def test_bad_json_on_stdin_names_the_line_and_exits_1() -> None:
    result = CliRunner().invoke(main, ["strip"], input='{"id": "1", "text": "ok"}\nnot json\n')
    assert result.exit_code == 1
    assert "error: - record 2: bad_json" in result.stderr
    assert len(_records(result.stdout)) == 1


def test_output_file_option_writes_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["repair", "-o", str(out)], input=_jsonl({"id": "1", "text": "fine"}))
    assert result.exit_code == 0
    assert _records(out.read_text(encoding="utf-8"))[0]["text"] == "fine"
