"""discover(): kinds, sources, folder order, hidden and unsupported files, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from curate.errors import InputError
from curate.inputs import InputFile, discover


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
