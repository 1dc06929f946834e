"""discover(): kinds, sources, folder order, hidden and unsupported files, errors."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import orjson
import pytest
import zstandard
from click.testing import CliRunner

from curate.cli import main
from curate.document import Document
from curate.errors import InputError
from curate.inputs import InputFile, discover, read_inputs


def touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_kinds_and_compression_come_from_the_name(tmp_path: Path) -> None:
    names = ["a.txt", "b.html", "c.htm", "d.jsonl", "e.json", "f.jsonl.gz", "g.html.zst"]
    for name in names:
        touch(tmp_path / name)
    found = {f.path.name: (f.kind, f.compression) for f in discover([tmp_path])}
    assert found == {"a.txt": ("text", None), "b.html": ("html", None), "c.htm": ("html", None),
                     "d.jsonl": ("jsonl", None), "e.json": ("jsonl", None),
                     "f.jsonl.gz": ("jsonl", "gz"), "g.html.zst": ("html", "zst")}


def test_warc_and_parquet_are_kinds_with_their_own_compressions(tmp_path: Path) -> None:
    for name in ["a.warc", "b.warc.gz", "c.parquet", "d.warc.zst", "e.parquet.gz"]:
        touch(tmp_path / name)
    found = {f.path.name: (f.kind, f.compression) for f in discover([tmp_path])}
    assert found == {"a.warc": ("warc", None), "b.warc.gz": ("warc", "gz"), "c.parquet": ("parquet", None)}


def test_explicit_warc_zst_raises_listing_what_is_read(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"crawl.warc.zst: curate does not read .* \.warc\.gz, \.parquet"):
        discover([touch(tmp_path / "crawl.warc.zst")])


def test_folder_is_recursed_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b/z.txt", "a.txt", "b/a.txt", "c.txt", "b/sub/m.txt"]:
        touch(tmp_path / "crawl" / name)
    sources = [f.source for f in discover([tmp_path / "crawl"])]
    root = (tmp_path / "crawl").as_posix()
    assert sources == [f"{root}/{n}" for n in ["a.txt", "b/a.txt", "b/sub/m.txt", "b/z.txt", "c.txt"]]


def test_source_keeps_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path / "seeds" / "articles" / "000_x.txt")
    monkeypatch.chdir(tmp_path / "seeds")
    assert [f.source for f in discover(["../seeds/articles/"])] == ["../seeds/articles/000_x.txt"]
    assert discover(["articles/000_x.txt"]) == [
        InputFile(Path("articles/000_x.txt"), "articles/000_x.txt", "text", None)]


def test_hidden_and_unsupported_files_in_a_folder_are_skipped(tmp_path: Path) -> None:
    touch(tmp_path / ".hidden.txt")
    touch(tmp_path / ".git" / "x.txt")
    touch(tmp_path / "notes.md")
    touch(tmp_path / "page.html")
    assert [f.path.name for f in discover([tmp_path])] == ["page.html"]


def test_missing_path_raises_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nowhere.txt: no such file"):
        discover([tmp_path / "nowhere.txt"])


def test_explicit_unsupported_file_raises_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="notes.md: curate does not read"):
        discover([touch(tmp_path / "notes.md")])


def test_same_file_named_twice_is_listed_once(tmp_path: Path) -> None:
    page = touch(tmp_path / "page.html")
    assert len(discover([tmp_path, page])) == 1


# Faults a real crawl brings (issue 25): files from outside the input, hidden files skipped without a word.
SECRET = "root:x:0:0:the secret line of a file outside the crawl"


def _crawl_with_links(tmp_path: Path) -> Path:
    outside = tmp_path / "elsewhere" / "passwd.txt"
    outside.parent.mkdir()
    outside.write_text(SECRET + "\n", encoding="utf-8")
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "page.txt").write_text("The ferry runs twice a day from May, the port authority said.\n", encoding="utf-8")
    (crawl / "notes.txt").symlink_to(outside)
    (crawl / "inside.txt").symlink_to(crawl / "page.txt")  # a link that stays in the folder is read
    return crawl


def _clean(tmp_path: Path, crawl: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    store = tmp_path / "corpus"
    result = CliRunner().invoke(main, ["clean", str(crawl), "--store", str(store), "--reports",
                                       str(tmp_path / "reports"), "--workers", "1", "--no-dedup", *extra])
    return result.exit_code, orjson.loads((store / "versions" / "v0001" / "manifest.json").read_bytes())


def test_fault_a_file_link_out_of_the_input_folder_is_refused_unread(tmp_path: Path) -> None:
    crawl = _crawl_with_links(tmp_path)
    code, manifest = _clean(tmp_path, crawl)
    assert code == 1  # a run with failed inputs
    counts = {i["path"]: i["counts"] for i in manifest["inputs"]}
    assert counts[f"{crawl.as_posix()}/notes.txt"]["failed"] == {"outside_input": 1}
    assert counts[f"{crawl.as_posix()}/inside.txt"]["kept"] == 1
    for path in [*(tmp_path / "corpus").rglob("*"), *(tmp_path / "reports").rglob("*")]:
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".zst":
                data = zstandard.ZstdDecompressor().stream_reader(data).read()
            assert b"the secret line" not in data, path
    entry = next(i for i in manifest["inputs"] if i["path"].endswith("notes.txt"))
    assert entry["sha256"] == "" and entry["bytes"] == 0  # not even hashed


def test_fault_follow_links_reads_a_link_out_of_the_folder(tmp_path: Path) -> None:
    crawl = _crawl_with_links(tmp_path)
    code, manifest = _clean(tmp_path, crawl, "--follow-links")
    assert code == 0
    assert {i["path"].rsplit("/", 1)[1]: i["counts"]["kept"] for i in manifest["inputs"]} == {
        "inside.txt": 1, "notes.txt": 1}  # page.txt is the file inside.txt links to: listed once


def test_fault_hidden_files_are_skipped_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "..name.txt").write_text("hidden text\n", encoding="utf-8")
    (tmp_path / "page.txt").write_text("shown text\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="curate.inputs.discover"):
        files = discover([tmp_path])
    assert [f.path.name for f in files] == ["page.txt"]
    assert "..name.txt" in caplog.text and "1 hidden" in caplog.text


def test_fault_a_txt_that_is_not_utf8_is_read_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Un café à Paris, s'il vous plaît.\n".encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="curate.inputs.text"):
        [doc] = list(read_inputs(discover([path])))
    assert isinstance(doc, Document) and doc.meta["encoding"] == "cp1252" and "café" in doc.text
    assert "legacy.txt: not valid UTF-8, read as cp1252" in caplog.text
    caplog.clear()
    (tmp_path / "fine.txt").write_text("Un café.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="curate.inputs.text"):
        list(read_inputs(discover([tmp_path / "fine.txt"])))
    assert caplog.text == ""
