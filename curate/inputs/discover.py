"""Find the input files behind the paths a user gave, and say what kind each one is.

Folders are walked recursively in sorted order so a run over the same tree always reads the same files
in the same order (ids and shard bytes depend on it). `source` keeps the path as the user typed it,
joined with the part found under a folder, with '/' separators: never an absolute path, so ids do not
depend on the machine.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePath
from typing import Final

from curate.errors import InputError

log = logging.getLogger(__name__)

KINDS: Final = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".json": "jsonl",
                ".warc": "warc", ".parquet": "parquet"}
COMPRESSIONS: Final = {".gz": "gz", ".zst": "zst"}
# The compressions each kind may carry. WARC: only per-record gzip, which warcio reads itself (it has
# no zstd support, and .warc.zst uses a dictionary frame of its own). Parquet compresses inside the file.
ALLOWED_COMPRESSIONS: Final[dict[str, frozenset[str | None]]] = {
    "warc": frozenset({None, "gz"}),
    "parquet": frozenset({None}),
}
ANY_COMPRESSION: Final[frozenset[str | None]] = frozenset({None, "gz", "zst"})
# How the error for an explicit unsupported file describes what curate reads.
READABLE: Final = (".txt, .html, .htm, .jsonl, .json (each optionally .gz or .zst), .warc, .warc.gz, "
                   ".parquet")


@dataclass(frozen=True)
class InputFile:
    """One file to read: where it is, the name it goes by in reports and ids, its kind and compression."""

    path: Path
    source: str
    kind: str  # "text" | "html" | "jsonl" | "warc" | "parquet"
    compression: str | None = None  # "gz" | "zst" | None (a .warc.gz is "gz": warcio reads it itself)
    outside: str | None = None  # where a file link under an input folder leads, when out of that folder

    @property
    def refused(self) -> bool:
        """Whether the file is a link out of its input folder (read only with follow_links)."""
        return self.outside is not None


def sniff(name: str) -> tuple[str, str | None] | None:
    """Kind and compression from a file name, or None if curate does not read it.

    >>> sniff("a/page.HTML.gz")
    ('html', 'gz')
    >>> sniff("notes.md") is None, sniff("crawl.warc.zst") is None
    (True, True)
    """
    suffixes = [s.lower() for s in PurePath(name).suffixes]
    compression = COMPRESSIONS.get(suffixes[-1]) if suffixes else None
    if compression:
        suffixes = suffixes[:-1]
    kind = KINDS.get(suffixes[-1]) if suffixes else None
    if kind is None or compression not in ALLOWED_COMPRESSIONS.get(kind, ANY_COMPRESSION):
        return None
    return kind, compression


def discover(paths: Sequence[str | Path]) -> list[InputFile]:
    """The input files behind `paths`, in the given order, each folder's files sorted.

    Raises InputError for a path that does not exist or a file named explicitly that curate cannot
    read; unsupported files met inside a folder are skipped with a log message.
    """
    found: list[InputFile] = []
    seen: set[tuple[int, int]] = set()
    for given in paths:
        path = Path(given)
        shown = PurePath(given).as_posix()
        if path.is_dir():
            prefix = "" if shown == "." else shown.rstrip("/") + "/"
            root = path.resolve()
            candidates = [_outside(_file(p, prefix + rel, explicit=False), root) for p, rel in _walk(path)]
        elif path.exists():
            candidates = [_file(path, shown, explicit=True)]
        else:
            raise InputError(f"{shown}: no such file or folder; check the path")
        for item in candidates:
            if item is not None and _first_time(item.path, seen):
                found.append(item)
    return found


def _file(path: Path, source: str, *, explicit: bool) -> InputFile | None:
    kind = sniff(path.name)
    if kind is None:
        if explicit:
            raise InputError(f"{source}: curate does not read this kind of file (it reads {READABLE}); "
                             "rename it or leave it out")
        log.info("skipping %s: not a kind of file curate reads", source)
        return None
    # a name that is not UTF-8 (surrogate escapes) is shown as \xNN: reports, ids and shards need real text
    source = source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return InputFile(path=path, source=source, kind=kind[0], compression=kind[1])


def _outside(item: InputFile | None, root: Path) -> InputFile | None:
    """The file, marked when it is a link whose target lies outside the folder it was found in.

    A path the user names is its own root (read wherever it leads); under a folder, only links that
    stay inside the folder are read unless the user passes --follow-links."""
    if item is None or not item.path.is_symlink():
        return item
    target = item.path.resolve()
    if target.is_relative_to(root):
        return item
    return dataclasses.replace(item, outside=target.as_posix())


def _walk(root: Path) -> list[tuple[Path, str]]:
    """Regular, non-hidden files under root with their '/'-joined relative path, sorted by path parts."""
    out: list[tuple[Path, str]] = []
    hidden: list[str] = []
    # os.walk does not follow directory symlinks, so a link loop cannot trap the walk
    for folder, dirnames, filenames in os.walk(root):
        hidden += [(Path(folder) / d).as_posix() + "/" for d in dirnames if d.startswith(".")]
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            full = Path(folder) / name
            if name.startswith("."):
                hidden.append(full.as_posix())
                continue
            irregular = _irregular(full)
            if irregular:
                # a warning, not a failure: the file holds no documents to account for, but the user
                # should hear that something in the folder was left unread
                log.warning("skipping %s: %s", full.as_posix(), irregular)
                continue
            out.append((full, full.relative_to(root).as_posix()))
    out.sort(key=lambda item: item[1].split("/"))
    _say_hidden(root, sorted(hidden))
    return out


def _say_hidden(root: Path, hidden: list[str]) -> None:
    """One warning per folder for the hidden files and folders (names starting with '.') left unread."""
    if hidden:
        shown = ", ".join(hidden[:3]) + (", …" if len(hidden) > 3 else "")
        log.warning("skipping %d hidden file(s) or folder(s) under %s (names starting with '.'): %s",
                    len(hidden), root.as_posix(), shown)


def _irregular(path: Path) -> str | None:
    """Why `path` must not be opened, or None for a regular file (or a link to one).

    FIFOs, sockets and devices (or links to them, like /dev/zero) would block or never end when read;
    a link to nothing or a loop of links has nothing to read.
    """
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if path.is_symlink():
            return f"a symbolic link that leads nowhere ({exc.strerror or exc})"
        return f"cannot be looked at ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return None
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return f"{kind}, not a regular file (it could block or never end)"


def _first_time(path: Path, seen: set[tuple[int, int]]) -> bool:
    """Whether this file (by device and inode) was not listed before, e.g. via a folder and by name."""
    try:
        st = path.stat()
    except OSError:
        return True
    key = (st.st_dev, st.st_ino)
    if key in seen:
        log.info("skipping %s: already listed", path)
        return False
    seen.add(key)
    return True


def sample_paths() -> list[Path]:
    """The bundled sample crawl (seed articles and HTML pages), used when no input is given."""
    folder = resources.files("curate.sample")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".txt", ".html", ".jsonl")))


def resolve_inputs(inputs: Sequence[str | Path]) -> list[InputFile]:
    """The input files to read: the given paths, or the bundled sample when none are given."""
    if inputs:
        return discover(list(inputs))
    # Sources of the bundled sample are named "sample/<file>" wherever the package is installed,
    # so ids (derived from sources) are the same on every machine.
    return [dataclasses.replace(f, source=f"sample/{f.path.name}") for f in discover(sample_paths())]
