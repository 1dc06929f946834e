"""Records survive a JSONL round trip (reliability.md §0 #9–10, d2): any text, including lone
surrogates, U+2028/U+2029, NEL, BOM, NUL and other control characters, written as JSON by any
writer, is read by curate's JSONL reader, written by its output writer and read again unchanged.

A lone surrogate cannot exist in UTF-8, so its record is either kept with U+FFFD in its place or
failed as `bad_json` naming its line: never a crash, never an invalid output line, never damage to
the records around it.
"""

from __future__ import annotations

import io
import json
import re

from hypothesis import given
from hypothesis import strategies as st

from curate import reasons
from curate.document import Document, Failed
from curate.inputs import read_jsonl_stream
from curate.outputs import dumps_record

NASTY = ["\x00", "\u2028", "\u2029", "\x85", "\ufeff", "\r", "\r\n", "\n", "\x1c", "\x1e", "\t", "\ud800",
         "\udfff", "\ud83d\ude00", "\U0001f600", '"', "\\", "\u202e", "\u0301"]
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
texts = st.lists(
    st.one_of(st.text(st.characters(categories=["L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Cs"]), max_size=40),
              st.sampled_from(NASTY)),
    min_size=1, max_size=12,
).map("".join)


def _read(data: bytes) -> list[Document | Failed]:
    return list(read_jsonl_stream(io.BytesIO(data), "mem.jsonl"))


def _as_python_reads_it(text: str) -> str:
    """json.loads joins a high and a low surrogate escape into one character; a surrogate left alone
    after that is a lone one."""
    loaded: str = json.loads(json.dumps(text))
    return loaded


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@given(texts=st.lists(texts, min_size=1, max_size=5), ascii_only=st.booleans())
def test_any_text_survives_read_write_read(texts: list[str], ascii_only: bool) -> None:
    lines = []
    for number, text in enumerate(texts):
        line = json.dumps({"id": f"r{number}", "text": text}, ensure_ascii=ascii_only)
        lines.append(line.encode("utf-8", "surrogatepass"))  # raw surrogates are what a broken writer emits
    items = _read(b"\n".join(lines) + b"\n")
    assert len(items) == len(texts)  # one outcome per line, whatever is in it
    for number, (item, text) in enumerate(zip(items, texts, strict=True)):
        expected = _as_python_reads_it(text)
        if isinstance(item, Failed):
            # only a lone surrogate, or surrogates written as raw bytes (invalid UTF-8), may fail a record
            assert LONE_SURROGATE.search(expected) or not _is_utf8(lines[number]), item
            assert item.reason == reasons.BAD_JSON and item.record == str(number + 1)
            continue
        assert item.id == f"r{number}"
        assert item.text == LONE_SURROGATE.sub("\ufffd", expected)
        written = dumps_record(item)
        assert written.endswith(b"\n") and written.count(b"\n") == 1  # U+2028 and friends stay in the string
        written.decode("utf-8")  # strict: the output is valid UTF-8
        again = _read(written)
        assert len(again) == 1 and isinstance(again[0], Document)
        assert (again[0].id, again[0].text) == (item.id, item.text)


@given(text=texts)
def test_a_bad_record_does_not_damage_its_neighbours(text: str) -> None:
    good = [json.dumps({"id": "before", "text": "plain words"}), json.dumps({"id": "after", "text": "more words"})]
    middle = json.dumps({"id": "middle", "text": text}, ensure_ascii=False).encode("utf-8", "surrogatepass")
    items = _read(good[0].encode() + b"\n" + middle + b"\n" + good[1].encode() + b"\n")
    assert len(items) == 3
    assert [(d.id, d.text) for d in (items[0], items[2]) if isinstance(d, Document)] == [
        ("before", "plain words"), ("after", "more words")]
