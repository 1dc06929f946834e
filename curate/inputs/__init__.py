"""Reading inputs (DESIGN.md "Inputs" contract): find files, detect kinds and encodings, yield documents.

    files = discover(["crawl/", "extra.jsonl.zst"])
    for item in read_inputs(files):   # Document or Failed, in file order
        ...

Every reader yields `Document`s, and a `Failed` for each record or file it cannot read, then goes on;
nothing here raises for bad data. Only `discover` raises (InputError), for a path that is not there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Final

from curate import reasons
from curate.document import Document, Failed
from curate.inputs.discover import InputFile, discover, resolve_inputs, sample_paths
from curate.inputs.html import read_html
from curate.inputs.jsonl import read_jsonl, read_jsonl_stream
from curate.inputs.options import ReadOptions
from curate.inputs.text import read_text

__all__ = ["InputFile", "ReadOptions", "discover", "resolve_inputs", "sample_paths", "file_digest", "read_file", "read_inputs",
           "read_jsonl_stream"]

Reader = Callable[[InputFile, ReadOptions], Iterator[Document | Failed]]


# WARC and Parquet readers import their libraries (warcio, fsspec, pyarrow: ~0.35 s) on first use,
# not at every start of the command: most runs read neither.
def read_warc(file: InputFile, options: ReadOptions) -> Iterator[Document | Failed]:
    from curate.inputs.warc import read_warc as read

    yield from read(file, options)


def read_parquet(file: InputFile, options: ReadOptions) -> Iterator[Document | Failed]:
    from curate.inputs.parquet import read_parquet as read

    yield from read(file, options)


READERS: Final[dict[str, Reader]] = {
    "text": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
    "warc": read_warc,
    "parquet": read_parquet,
}


def read_inputs(files: Iterable[InputFile], options: ReadOptions = ReadOptions()) -> Iterator[Document | Failed]:
    """Documents and failures of every file, file after file."""
    for file in files:
        yield from read_file(file, options)


def read_file(file: InputFile, options: ReadOptions = ReadOptions()) -> Iterator[Document | Failed]:
    """Documents and failures of one file, by its kind."""
    if file.refused and not options.follow_links:
        yield Failed(file.source, None, reasons.OUTSIDE_INPUT,
                     f"{file.source}: a link to {file.outside}, outside the input folder; not read "
                     "(pass --follow-links to read links that leave the folder)")
        return
    reader = READERS.get(file.kind)
    if reader is None:
        yield Failed(file.source, None, reasons.UNSUPPORTED,
                     f"{file.source}: no reader for kind {file.kind!r}; leave the file out")
        return
    yield from reader(file, options)


def file_digest(path: Path) -> tuple[str, int]:
    """sha256 hex of the file's raw bytes and its size in bytes, for the manifest's input list.

    A file that cannot be read (no permission, vanished) gives ("", 0): its reader reports the
    failure with the file's name, and one unreadable input must not stop the whole run here.
    """
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return "", 0
    return digest.hexdigest(), size
