"""wordfreq's word list for one language as a compact table on disk, memory-mapped and shared.

wordfreq hands out a language's frequencies as a Python dict of up to 730k words: 35-130 MB and up
to 0.5 CPU s to load for a large list, in every worker process, for each of the ~30 languages a crawl
meets. The table holds the same
data in ~10 bytes a word: the words' 64-bit hashes (xxh3, seeded; stable across processes, unlike
Python's hash()) sorted, each with its frequency band, and a prefix index into them. It is built once
per language and wordfreq version into the cache folder and opened with mmap, so every process on the
machine reads the same pages of the page cache.

The cache is derived data, safe to delete: a missing, truncated or corrupt file (size, header, hash
function and checksum are checked on every open) is rebuilt from wordfreq's own files, never from the network. When
the folder cannot be written the table is built in memory (still ~10x smaller than the dict).

A word's entry is its band: wordfreq's "cB pack" index, so the frequency is wordfreq.cB_to_freq(-band),
exactly the value wordfreq's dict holds. A word not in the list that shares a 64-bit hash with one that
is would read that word's band: fewer than one chance in 10^13 a look-up (n / 2^64); two listed words
that share a hash are caught at build time, which then tries the next seed.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import logging
import mmap
import os
import struct
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Final

import numpy as np
import wordfreq
import xxhash

try:
    import fcntl
except ImportError:  # not POSIX
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

FORMAT_VERSION: Final = 1
_MAGIC: Final = b"curate wordtable"
# magic, format version, hash seed, prefix bits, bands, words, source size, payload checksum, hash
# of _PROBE, language, wordfreq version, byte order of the arrays.
_HEADER: Final = struct.Struct("<16sIIIIQQQQ16s24s8s")
_HEADER_SIZE: Final = 128  # the header padded, so that the arrays start 8-byte aligned
_MAX_SEEDS: Final = 16
# Hashed into the header: a hash function that changed (another xxhash) makes old tables invalid.
_PROBE: Final = "curate word table"
_CACHE_ENV: Final = "CURATE_CACHE"


def default_cache_folder() -> Path | None:
    """The folder of curate's derived-data cache: $CURATE_CACHE, else $XDG_CACHE_HOME/curate, else
    ~/.cache/curate (None when there is no home folder to put it in)."""
    configured = os.environ.get(_CACHE_ENV)
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "curate"
    try:
        return Path.home() / ".cache" / "curate"
    except RuntimeError:  # no HOME and no passwd entry
        return None


def table_path(cache_folder: Path, lang: str) -> Path:
    """Where the table of `lang` lives: keyed by the wordfreq version whose data it holds."""
    return cache_folder / "lexicon" / f"wordfreq-{_wordfreq_version()}" / f"{lang}.table"


@functools.cache
def _wordfreq_version() -> str:
    return version("wordfreq")


class WordTable:
    """The bands of one language's words, read from a buffer laid out by `build_table`."""

    def __init__(self, lang: str, buffer: bytes | mmap.mmap) -> None:
        header = _Header.unpack(buffer)
        self.lang = lang
        self.mapped = isinstance(buffer, mmap.mmap)  # False: built in memory, this process's own
        self.bands = header.bands
        self._seed = header.seed
        self._shift = 64 - header.prefix_bits
        view = memoryview(buffer)
        hashes_end = _HEADER_SIZE + 8 * header.words
        starts_end = hashes_end + 4 * ((1 << header.prefix_bits) + 1)
        # Native-order views (the header's byte order was checked): indexing one gives a Python int
        # without numpy's per-call overhead, and bisect runs over them in C.
        self._hashes = view[_HEADER_SIZE:hashes_end].cast("Q")
        self._starts = view[hashes_end:starts_end].cast("I")
        self._bands = view[starts_end:starts_end + 2 * header.words].cast("H")

    def __len__(self) -> int:
        return len(self._hashes)

    def min_band(self) -> int:
        """The band of the most frequent words (the table must not be empty)."""
        return int(np.frombuffer(self._bands, dtype=np.uint16).min())

    def band(self, word: str) -> int | None:
        """The word's band (its frequency is wordfreq.cB_to_freq(-band)), or None when the list
        does not have it."""
        key = _hash(word, self._seed)
        prefix = key >> self._shift
        end = self._starts[prefix + 1]
        at = bisect.bisect_left(self._hashes, key, self._starts[prefix], end)
        return self._bands[at] if at < end and self._hashes[at] == key else None


def _hash(word: str, seed: int) -> int:
    # surrogatepass: a lone surrogate cannot be in the list, but must not raise either.
    return int(xxhash.xxh3_64_intdigest(word.encode("utf-8", "surrogatepass"), seed))


@dataclass(frozen=True, slots=True)
class _Header:
    seed: int
    prefix_bits: int
    bands: int
    words: int
    source_size: int
    checksum: int
    probe: int
    lang: str
    wordfreq_version: str
    byteorder: str

    def pack(self) -> bytes:
        packed = _HEADER.pack(
            _MAGIC, FORMAT_VERSION, self.seed, self.prefix_bits, self.bands, self.words,
            self.source_size, self.checksum, self.probe, self.lang.encode(), self.wordfreq_version.encode(),
            self.byteorder.encode(),
        )
        return packed.ljust(_HEADER_SIZE, b"\0")

    @classmethod
    def unpack(cls, buffer: bytes | mmap.mmap) -> _Header:
        if len(buffer) < _HEADER_SIZE:
            raise ValueError("shorter than a header")
        (magic, format_version, seed, prefix_bits, bands, words, source_size, checksum, probe, lang,
         wordfreq_version, byteorder) = _HEADER.unpack_from(buffer)
        if magic != _MAGIC or format_version != FORMAT_VERSION or not 1 <= prefix_bits <= 32:
            raise ValueError("not a word table of this format")
        return cls(seed, prefix_bits, bands, words, source_size, checksum, probe, _text(lang),
                   _text(wordfreq_version), _text(byteorder))

    def size(self) -> int:
        """The size of the whole table this header describes."""
        return _HEADER_SIZE + 10 * self.words + 4 * ((1 << self.prefix_bits) + 1)


def _text(field: bytes) -> str:
    return field.rstrip(b"\0").decode("ascii", "replace")


def _source(lang: str) -> Path:
    """wordfreq's file for `lang`'s "best" list (what wordfreq.get_frequency_dict(lang, "best") reads)."""
    available = wordfreq.available_languages("best")
    if lang not in available:
        raise LookupError(f"wordfreq has no word list for language {lang!r}")
    return Path(available[lang])


def build_table(lang: str) -> bytes:
    """The table of `lang`'s wordfreq list, built from wordfreq's own file (~0.2-0.6 CPU s)."""
    source = _source(lang)
    return table_of(lang, wordfreq.read_cBpack(str(source)), source.stat().st_size)


def table_of(lang: str, pack: list[list[str]], source_size: int) -> bytes:
    """The table of a wordfreq "cB pack" (pack[band] = the words of that band)."""
    words = [word for bucket in pack for word in bucket]
    bands = np.repeat(np.arange(len(pack), dtype=np.uint16), [len(bucket) for bucket in pack])
    for seed in range(_MAX_SEEDS):
        keys = np.fromiter((_hash(word, seed) for word in words), dtype=np.uint64, count=len(words))
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        repeated = np.flatnonzero(keys[1:] == keys[:-1])
        if any(words[order[at]] != words[order[at + 1]] for at in repeated):
            continue  # two different words share a hash: another seed
        # A word listed twice keeps its last band, as in wordfreq's dict (later bands overwrite).
        # The stable sort keeps list order among equal keys, so the last of each run is the one kept.
        kept = np.ones(len(keys), dtype=bool)
        kept[repeated] = False
        return _layout(lang, seed, keys[kept], bands[order][kept], len(pack), source_size)
    raise RuntimeError(f"no hash seed separates the words of wordfreq's {lang!r} list")


def _layout(lang: str, seed: int, keys: np.ndarray, bands: np.ndarray, band_count: int,
            source_size: int) -> bytes:
    # About 2-4 words share a prefix of this many bits, so a look-up bisects a few entries only.
    prefix_bits = max(1, len(keys).bit_length() - 2)
    prefixes = np.arange(1 << prefix_bits, dtype=np.uint64) << np.uint64(64 - prefix_bits)
    starts = np.append(np.searchsorted(keys, prefixes), len(keys)).astype(np.uint32)
    payload = b"".join(array.astype(array.dtype.newbyteorder("=")).tobytes()
                       for array in (keys, starts, bands))
    header = _Header(seed, prefix_bits, band_count, len(keys), source_size,
                     xxhash.xxh3_64_intdigest(payload), _hash(_PROBE, seed), lang, _wordfreq_version(),
                     sys.byteorder)
    return header.pack() + payload


def _valid(buffer: bytes | mmap.mmap, lang: str, source_size: int) -> bool:
    """Whether `buffer` is a whole, unaltered table of `lang` for this wordfreq version and machine."""
    try:
        header = _Header.unpack(buffer)
    except (ValueError, struct.error):
        return False
    return (header.lang == lang and header.wordfreq_version == _wordfreq_version()
            and header.byteorder == sys.byteorder and header.source_size == source_size
            and header.probe == _hash(_PROBE, header.seed)
            and header.size() == len(buffer)
            and xxhash.xxh3_64_intdigest(memoryview(buffer)[_HEADER_SIZE:]) == header.checksum)


def _open_mapped(path: Path, lang: str, source_size: int) -> mmap.mmap | None:
    try:
        with path.open("rb") as file:
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable, or empty (mmap refuses a 0-byte file)
        return None
    if _valid(mapped, lang, source_size):
        return mapped
    mapped.close()
    return None


def _write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that no reader ever sees a part of it: a temporary file in the same
    folder, renamed over `path` (two processes building the same table both write whole files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)  # derived public data: readable by others sharing the folder
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def load_table(lang: str, cache_folder: Path | None) -> WordTable:
    """The table of `lang`: mapped from the cache folder, built there first when it is missing or
    damaged, or built in memory when the folder cannot be written (or is None)."""
    source_size = _source(lang).stat().st_size
    if cache_folder is None:
        return WordTable(lang, build_table(lang))
    path = table_path(cache_folder, lang)
    mapped = _open_mapped(path, lang, source_size)
    if mapped is not None:
        return WordTable(lang, mapped)
    built: bytes | None = None
    try:
        with _build_lock(path):
            # Another process may have built it while this one waited for the lock.
            mapped = _open_mapped(path, lang, source_size)
            if mapped is None:
                _remove_leftovers(path)
                built = build_table(lang)
                _write_atomically(path, built)
                # Mapped from the file, so that its pages are shared; the built bytes are dropped.
                mapped = _open_mapped(path, lang, source_size)
    except OSError as error:
        _warn_unwritable(path.parent, error)
    if mapped is not None:
        return WordTable(lang, mapped)
    return WordTable(lang, build_table(lang) if built is None else built)


def _remove_leftovers(path: Path) -> None:
    """Temporary files of writers killed midway (the per-document time limit kills workers): only
    the lock holder writes this table, so none of them is in use."""
    if fcntl is None:
        return
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """Held while building `path`, so that the workers meeting a new language at once build it once
    (the others wait ~0.1-0.6 s, then map the file). The lock dies with its process; without flock
    (not POSIX) the builds simply race, which the atomic rename makes safe."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a+b") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield  # closing the file releases the lock


_warned: Final[set[Path]] = set()


def _warn_unwritable(folder: Path, error: OSError) -> None:
    if folder in _warned:
        return
    _warned.add(folder)
    logger.warning("cannot write the word table cache in %s (%s); building tables in memory "
                   "(set %s to a writable folder to share them between processes)",
                   folder, error, _CACHE_ENV)


@functools.cache
def shared_table(lang: str, cache_folder: Path | None) -> WordTable:
    """`load_table`, once per process for each language and folder (forked workers inherit it)."""
    return load_table(lang, cache_folder)
