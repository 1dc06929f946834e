"""The progress bar of a run: documents read, megabytes, rate and ETA, on a terminal only (issue 9).

The bar counts what the readers have produced, in bytes of input: each document adds the size of
its text or HTML, at most up to its file's size, and when the next file starts the previous one
counts as wholly read. With the inputs' sizes as the total this gives an ETA; for compressed
inputs the bar moves by whole files (a document's text says little about its compressed size).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any, TextIO

from tqdm import tqdm

from curate.document import Document, Failed
from curate.inputs import InputFile


def progress_wanted(choice: bool | None, stream: TextIO | None = None,
                    environ: Mapping[str, str] | None = None) -> bool:
    """`--progress`/`--no-progress` when given; otherwise only on a terminal and never under CI."""
    if choice is not None:
        return choice
    stream = stream if stream is not None else sys.stderr
    environ = environ if environ is not None else os.environ
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):  # a closed or file-less stream
        terminal = False
    return terminal and not environ.get("CI")


class ReadProgress:
    """A tqdm bar over the input bytes the readers have got through; `track` feeds it."""

    def __init__(self, files: Iterable[InputFile], *, enabled: bool, stream: TextIO | None = None) -> None:
        self.sizes: dict[str, int] = {}
        self.compressed: set[str] = set()
        for file in files:
            self.sizes[file.source] = _size(file)
            if file.compression:
                self.compressed.add(file.source)
        total = sum(self.sizes.values())
        self.documents = 0
        self._source: str | None = None
        self._credited = 0  # bytes counted for the current file
        self.bar: Any = tqdm(total=total or None, unit="B", unit_scale=True, desc="clean", leave=False,
                             disable=not enabled, file=stream if stream is not None else sys.stderr,
                             mininterval=0.5, dynamic_ncols=True)

    def track(self, items: Iterable[Document | Failed]) -> Iterator[Document | Failed]:
        for item in items:
            self._count(item)
            yield item
        self._finish_file()
        self.bar.refresh()

    def _count(self, item: Document | Failed) -> None:
        source = item.source
        if source != self._source:
            self._finish_file()
            self._source, self._credited = source, 0
        self.documents += 1
        if isinstance(item, Document) and source not in self.compressed:
            room = self.sizes.get(source, 0) - self._credited
            step = min(room, len(item.html or item.text))
            if step > 0:
                self._credited += step
                self.bar.update(step)
        if not self.bar.disable and self.documents % 16 == 1:
            elapsed = self.bar.format_dict["elapsed"] or 1e-9
            self.bar.set_postfix_str(f"{self.documents} docs, {self.documents / elapsed:.1f} docs/s",
                                     refresh=False)

    def _finish_file(self) -> None:
        if self._source is not None:
            rest = self.sizes.get(self._source, 0) - self._credited
            if rest > 0:
                self._credited += rest
                self.bar.update(rest)

    def close(self) -> None:
        self.bar.close()

    def __enter__(self) -> ReadProgress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def _size(file: InputFile) -> int:
    try:
        return file.path.stat().st_size
    except OSError:  # stdin, or a file the reader will report as unreadable
        return 0
