"""The word tables behind repair's Lexicon: wordfreq's values exactly, built once, shared, self-healing."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
import regex
import wordfreq
from wordfreq.tokens import SPACELESS_EXPR, lossy_tokenize

from curate.steps.repair.lexicon import Lexicon
from curate.steps.repair.wordtable import (
    WordTable,
    build_table,
    default_cache_folder,
    load_table,
    table_of,
    table_path,
)

# Plain languages (one look-up a word) and ones wordfreq rewrites before looking up (tr: dotted i,
# ar/he: marks removed, sh: Cyrillic transliterated, ro: comma below): both paths must agree with it.
LANGS = ["en", "de", "ru", "fi", "vi", "tr", "ar", "he", "sh", "ro"]
SPACELESS = regex.compile(f"[{SPACELESS_EXPR}]")


def _probes(lang: str, count: int) -> list[str]:
    """Words of the list and of no list: one of every frequency band, a random sample with pieces,
    glued pairs, other cases, digits, punctuation and several tokens."""
    rng = random.Random(lang)
    bands = wordfreq.get_frequency_list(lang, "best")
    words = [word for band in bands for word in band]
    probes = {band[0] for band in bands if band}
    for word in rng.sample(words, count):
        other = rng.choice(words)
        cut = rng.randrange(1, len(word)) if len(word) > 1 else 1
        probes.update({
            word, word[:cut], word[cut:], word + other, word.capitalize(), word.upper(), word + "1",
            "2019" + word, f"{word} {other}", f"{word}-{other}", f"l'{word}", f"{word}.", "İ" + word,
        })
    return sorted(probes)


def _split_plain_word(lexicon: Lexicon, word: str) -> bool:
    """A word of the plain path's shape that wordfreq's tokenizer still splits: one that mixes in a
    script written without spaces ("hòn年" → "hòn", "年"). The plain path looks it up whole, as the
    dict fast path did before the table (so output stays the same): a known, rare difference."""
    return (lexicon._plain and word.isalpha() and word.casefold() == word
            and unicodedata.is_normalized("NFC", word) and lossy_tokenize(word, lexicon.lang) != [word])


@pytest.mark.parametrize("lang", LANGS)
def test_the_lexicon_gives_wordfreqs_zipf_for_every_kind_of_word(lang: str, tmp_path: Path) -> None:
    lexicon = Lexicon(lang, cache_folder=tmp_path)
    probes = _probes(lang, 800)
    split = [word for word in probes if _split_plain_word(lexicon, word)]
    assert len(split) <= 2 and all(SPACELESS.search(word) for word in split)
    differing = [
        (word, lexicon.zipf(word), wordfreq.zipf_frequency(word, lang))
        for word in probes
        if word not in split and lexicon.zipf(word) != wordfreq.zipf_frequency(word, lang)
    ]
    assert differing == []


def test_a_plain_word_mixing_in_a_spaceless_script_is_looked_up_whole(tmp_path: Path) -> None:
    lexicon = Lexicon("vi", cache_folder=tmp_path)
    assert _split_plain_word(lexicon, "hòn年")
    assert lexicon.zipf("hòn年") == 0.0 != wordfreq.zipf_frequency("hòn年", "vi")


def test_a_table_holds_each_word_once_with_its_last_band_as_wordfreqs_dict_does() -> None:
    pack = [[], ["a", "b"], [], ["b", "c"], ["é"]]
    table = WordTable("xx", table_of("xx", pack, source_size=0))
    assert [table.band(word) for word in ["a", "b", "c", "é", "d", "", "A", "\ud800"]] == [
        1, 3, 3, 4, None, None, None, None
    ]
    assert len(table) == 4
    assert table.bands == 5


def test_an_empty_list_knows_no_word() -> None:
    table = WordTable("xx", table_of("xx", [[], []], source_size=0))
    assert len(table) == 0
    assert table.band("a") is None


def test_a_table_is_built_once_then_mapped_from_the_cache(tmp_path: Path) -> None:
    first = load_table("vi", tmp_path)
    path = table_path(tmp_path, "vi")
    written = path.stat()
    second = load_table("vi", tmp_path)
    assert first.mapped and second.mapped
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    assert sorted(p.name for p in path.parent.iterdir()) == [".vi.table.lock", "vi.table"]
    assert path.parent.name == f"wordfreq-{wordfreq_version()}"
    assert second.band("không") == first.band("không") is not None


def wordfreq_version() -> str:
    from importlib.metadata import version

    return version("wordfreq")


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) * 3 // 4] ^= 0x40  # inside the arrays: only the checksum can tell
    path.write_bytes(bytes(data))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def _another_language(path: Path) -> None:
    path.write_bytes(table_path(path.parents[2], "fil").read_bytes())


def _another_hash_function(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[64:72] = bytes(8)  # the header's hash of a probe word: what another xxhash would write
    path.write_bytes(bytes(data))


def _absurd_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[24:28] = b"\xff" * 4  # 2^32-1 prefix bits: must be refused, not computed with
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    [_truncate, _flip_a_byte, _empty, _garbage, _another_language, _another_hash_function, _absurd_header],
)
def test_a_damaged_table_is_rebuilt_and_gives_right_values(tmp_path: Path, damage: object) -> None:
    # Damaged in place, as a writer that crashed midway would leave it (curate itself only renames
    # whole files into place). No table of this process maps it meanwhile: a mapped file cut short
    # under a reader is a SIGBUS, not something a reader can check for.
    load_table("fil", tmp_path)
    load_table("vi", tmp_path)
    path = table_path(tmp_path, "vi")
    whole = path.read_bytes()
    assert callable(damage)
    damage(path)
    assert path.read_bytes() != whole
    healed = load_table("vi", tmp_path)
    assert healed.mapped
    assert path.read_bytes() == whole
    built = WordTable("vi", build_table("vi"))
    probes = _probes("vi", 200)
    assert [healed.band(word) for word in probes] == [built.band(word) for word in probes]
    lexicon = Lexicon("vi", cache_folder=tmp_path)
    assert [lexicon.zipf(w) for w in probes] == [wordfreq.zipf_frequency(w, "vi") for w in probes]


def test_a_writer_killed_midway_leaves_nothing_behind_once_the_table_is_rebuilt(tmp_path: Path) -> None:
    path = table_path(tmp_path, "vi")
    path.parent.mkdir(parents=True)
    leftover = path.with_name(f".{path.name}.k1ll3d.tmp")
    leftover.write_bytes(build_table("vi")[:1000])
    path.write_bytes(leftover.read_bytes())  # and the table itself cut short
    assert load_table("vi", tmp_path).mapped
    assert sorted(p.name for p in path.parent.iterdir()) == [".vi.table.lock", "vi.table"]


def test_an_unwritable_cache_folder_means_a_table_in_memory(tmp_path: Path) -> None:
    # A file where the folder should be: mkdir fails even for root (who may write anywhere else).
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    table = load_table("vi", blocked)
    assert not table.mapped
    lexicon = Lexicon("vi", cache_folder=blocked)
    probes = _probes("vi", 200)
    assert [lexicon.zipf(w) for w in probes] == [wordfreq.zipf_frequency(w, "vi") for w in probes]
    assert blocked.read_text() == ""


_BUILDER = """
import json, os, sys, time
from pathlib import Path
import wordfreq
from curate.steps.repair.lexicon import Lexicon
folder, go, lang = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
words = json.loads(Path(sys.argv[4]).read_text(encoding="utf-8"))
Path(f"{go}.{os.getpid()}.ready").touch()
while not go.exists():
    time.sleep(0.005)
lexicon = Lexicon(lang, cache_folder=folder)
print(json.dumps({"zipf": [lexicon.zipf(w) for w in words],
                  "loaded_dicts": wordfreq.get_frequency_dict.cache_info().currsize}))
"""


def test_processes_building_the_same_table_at_once_all_read_right_values(tmp_path: Path) -> None:
    lang = "ca"
    words = _probes(lang, 300)
    go, listed = tmp_path / "go", tmp_path / "words.json"
    listed.write_text(json.dumps(words), encoding="utf-8")
    builders = [
        subprocess.Popen(
            [sys.executable, "-c", _BUILDER, str(tmp_path / "cache"), str(go), lang, str(listed)],
            stdout=subprocess.PIPE, text=True,
        )
        for _ in range(3)
    ]
    _wait_until(lambda: len(list(tmp_path.glob("go.*.ready"))) == 3)  # all imported: start together
    go.write_text("")
    results = [json.loads(builder.communicate(timeout=120)[0]) for builder in builders]
    assert all(builder.returncode == 0 for builder in builders)
    expected = [wordfreq.zipf_frequency(w, lang) for w in words]
    assert [result["zipf"] for result in results] == [expected] * 3
    # Neither path loaded wordfreq's dict: the whole point of the table.
    assert [result["loaded_dicts"] for result in results] == [0, 0, 0]
    path = table_path(tmp_path / "cache", lang)
    assert sorted(p.name for p in path.parent.iterdir()) == [f".{path.name}.lock", path.name]
    assert load_table(lang, tmp_path / "cache").mapped


def test_the_cache_folder_is_curate_cache_then_xdg_then_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURATE_CACHE", "/somewhere/curate-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert default_cache_folder() == Path("/somewhere/curate-cache")
    monkeypatch.delenv("CURATE_CACHE")
    assert default_cache_folder() == Path("/xdg/curate")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "/home/someone")
    assert default_cache_folder() == Path("/home/someone/.cache/curate")


def test_the_test_suite_keeps_its_tables_out_of_the_home_folder() -> None:
    assert default_cache_folder() != Path.home() / ".cache" / "curate"



def _wait_until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_a_builder_waits_for_the_lock_holder_and_maps_its_table(tmp_path: Path) -> None:
    import fcntl

    folder, lang = tmp_path / "cache", "vi"
    path = table_path(folder, lang)
    path.parent.mkdir(parents=True)
    words = _probes(lang, 100)
    go, listed = tmp_path / "go", tmp_path / "words.json"
    listed.write_text(json.dumps(words), encoding="utf-8")
    go.write_text("")
    with open(path.with_name(f".{path.name}.lock"), "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a process building the table would hold it
        builder = subprocess.Popen(
            [sys.executable, "-c", _BUILDER, str(folder), str(go), lang, str(listed)],
            stdout=subprocess.PIPE, text=True,
        )
        _wait_until(lambda: any(tmp_path.glob("go.*.ready")))
        time.sleep(0.5)
        assert builder.poll() is None and not path.exists()  # waiting: nothing built or written
        path.write_bytes(build_table(lang))
        ours = path.stat().st_ino
    result = json.loads(builder.communicate(timeout=120)[0])
    assert result["zipf"] == [wordfreq.zipf_frequency(w, lang) for w in words]
    assert path.stat().st_ino == ours  # it mapped the table built meanwhile, not a build of its own
