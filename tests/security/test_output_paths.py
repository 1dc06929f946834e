"""Output paths come from hashes and slugs, never from input names as given (reliability.md §0 #12):
inputs named with `..`, absolute paths, control characters, bidi overrides, Unicode variants that
normalise alike, bytes that are not UTF-8, and names near the 255-byte limit are all cleaned in one
real `curate clean`, and every file the run writes lands inside the store or the reports folder,
one distinct report per input.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import orjson

from curate.store import Store, verify

TEXT = "A short page about the harbour ferry and its winter timetable, written for the test.\n"
# Names as bytes, so one that is not UTF-8 can be made; each is a distinct file.
NAMES = [
    b"..hidden..txt",
    b"a..b...txt",
    b"line\nbreak.txt",
    b"tab\there.txt",
    "\u202eevil\u202dtxt.txt".encode(),  # right-to-left override
    "caf\u00e9.txt".encode(),  # é precomposed
    "cafe\u0301.txt".encode(),  # e + combining acute: the same name after NFC
    "\uff46\uff55\uff4c\uff4c.txt".encode(),  # fullwidth "full"
    "\U0001f600 smile.txt".encode(),
    b"Index.TXT.txt",
    b"index.txt.txt",
    b"bad-\xff\xfe-bytes.txt",  # not UTF-8: Python sees surrogate escapes
    b"x" * 240 + b".txt",  # near the 255-byte file name limit
    b"-rf.txt",
    b"~tilde.txt",
    b"%2e%2e%2fescape.txt",
]
REPORT_NAME = re.compile(r"^[a-z0-9._-]{1,80}-[0-9a-f]{10}\.json$")


def _files_under(root: Path) -> set[bytes]:
    found: set[bytes] = set()
    for folder, _, names in os.walk(os.fsencode(root)):
        found.update(os.path.join(folder, name) for name in names)
    return found


def test_hostile_input_names_cannot_steer_output_paths(tmp_path: Path) -> None:
    crawl, nested = tmp_path / "crawl", tmp_path / "crawl" / "sub" / "deeper"
    nested.mkdir(parents=True)
    for number, name in enumerate(NAMES):
        folder = nested if number % 2 else crawl
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(f"Page {number}. ".encode() + TEXT.encode())
    work = tmp_path / "cwd"  # the run's working folder: nothing may be written here either
    work.mkdir()
    store, reports = tmp_path / "out" / "corpus", tmp_path / "out" / "reports"
    before = _files_under(tmp_path)
    # inputs given three ways: a folder, a path climbing through `..`, and an absolute file path
    climbing = str(nested / ".." / ".." / "sub" / "deeper")
    absolute = os.fsdecode(os.path.join(os.fsencode(crawl), NAMES[0]))
    done = subprocess.run(
        [sys.executable, "-m", "curate", "clean", str(crawl), climbing, absolute, "--store", str(store),
         "--reports", str(reports), "--no-dedup", "--workers", "1"],
        cwd=work, capture_output=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr.decode(errors="replace")

    written = _files_under(tmp_path) - before
    outside = [p for p in written
               if not (p.startswith(os.fsencode(store) + b"/") or p.startswith(os.fsencode(reports) + b"/"))]
    assert outside == []
    files = sorted((reports / "v0001" / "files").iterdir())
    assert all(REPORT_NAME.match(path.name) and len(path.name.encode()) <= 255 for path in files), files
    summary = orjson.loads((reports / "v0001" / "summary.json").read_bytes())
    sources = [entry["source"] for entry in summary["inputs"]]
    assert len(files) == len(set(sources)) == len(sources)
    assert {entry["report"] for entry in summary["inputs"]} == {f"files/{p.name}" for p in files}
    # every object in the store is named by its own hash
    objects = [p for p in (store / "objects").rglob("*") if p.is_file()]
    assert objects and all(re.fullmatch(r"[0-9a-f]{64}\.(jsonl\.zst|npy|ledger\.jsonl\.zst)", p.name) for p in objects)
    assert all(p.parent.name == p.name[:2] for p in objects)
    assert verify(Store(store)) == []
