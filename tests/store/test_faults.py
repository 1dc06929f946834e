"""Store faults beyond a killed `clean` (reliability.md B10, d3, d4): a killed `gc` and a killed
`export`, torn manifests and shards left in the store, leftovers of crashed runs, a file-size limit
hit while writing (EFBIG, the unprivileged stand-in for a full disk), and `clean` racing `gc`.

Real subprocesses and real files. In every case: earlier versions stay byte-identical, `verify`
names what is damaged, and no later command trusts a damaged file.
"""

from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import orjson
import pytest

from curate.errors import StoreError
from curate.store import Store, diff_versions, export_jsonl, orphans, verify
from curate.store.gc import referenced_paths
from curate.store.layout import TMP_PREFIX

WORDS = ("harbour", "ferry", "council", "budget", "winter", "service", "evening", "station", "library",
         "museum", "river", "bridge", "market", "school", "hospital", "tram", "festival", "garden")


def _crawl(path: Path, documents: int, seed: int, *, words: int = 80, letters: bool = False) -> Path:
    """JSONL documents, new for every seed; with `letters`, random letter words that compress poorly."""
    rng = random.Random(seed)
    with path.open("wb") as handle:
        for n in range(documents):
            if letters:
                body = " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
                                for _ in range(words))
            else:
                body = " ".join(rng.choice(WORDS) for _ in range(words))
            handle.write(orjson.dumps({"id": f"s{seed}-{n}", "text": f"Report {seed} number {n}. {body}."}) + b"\n")
    return path


def _curate(*args: str, preexec: Callable[[], None] | None = None, **kwargs: object) -> subprocess.Popen[bytes]:
    process: subprocess.Popen[bytes] = subprocess.Popen(  # type: ignore[call-overload]
        [sys.executable, "-m", "curate", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=preexec, **kwargs)
    return process


def _run(*args: str, preexec: Callable[[], None] | None = None) -> tuple[int, str, str]:
    process = _curate(*args, preexec=preexec)
    out, err = process.communicate(timeout=300)
    return process.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def _clean(tmp_path: Path, store: Path, crawl: Path, *extra: str, preexec: Callable[[], None] | None = None
           ) -> tuple[int, str, str]:
    return _run("clean", str(crawl), "--store", str(store), "--reports", str(tmp_path / "reports"),
                "--workers", "1", *extra, preexec=preexec)


def _snapshot(store: Store) -> dict[str, bytes]:
    files = {f"versions/{v}/manifest.json": store.layout.manifest(v).read_bytes() for v in store.versions()}
    files.update({path: (store.root / path).read_bytes() for path in referenced_paths(store.layout)})
    return files


def _unchanged(store: Store, before: dict[str, bytes]) -> list[str]:
    return [path for path, data in before.items()
            if not (store.root / path).is_file() or (store.root / path).read_bytes() != data]


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with two versions made by real runs; tests copy it before changing anything."""
    root = tmp_path_factory.mktemp("two_versions")
    store = root / "corpus"
    for seed in (1, 2):
        code, _, err = _clean(root, store, _crawl(root / f"crawl-{seed}.jsonl", 60, seed))
        assert code == 0, err
    return store


def _copy(store: Path, tmp_path: Path) -> Store:
    target = tmp_path / "corpus"
    subprocess.run(["cp", "-a", str(store), str(target)], check=True)  # noqa: S603, S607
    return Store(target)


def _plant_garbage(store: Store, files: int) -> int:
    """Unreferenced objects and temp folders of crashed runs, as a killed clean leaves them."""
    for n in range(files):
        name = f"{n:064x}"
        path = store.layout.objects / name[:2] / f"{name}.jsonl.zst"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"orphan")
    for n in range(20):
        temp = store.layout.versions / f"{TMP_PREFIX}crashed{n}"
        temp.mkdir(exist_ok=True)
        (temp / "manifest.json").write_bytes(b'{"version": "v00')
    return _garbage_left(store)


def _garbage_left(store: Store) -> int:
    """Planted orphans still there (all in objects/00/, which the real objects almost never use)."""
    folder = store.layout.objects / "00"
    return len(os.listdir(folder)) if folder.is_dir() else 0


def test_a_killed_gc_never_deletes_what_a_version_needs(two_versions: Path, tmp_path: Path) -> None:
    store = _copy(two_versions, tmp_path)
    before, versions = _snapshot(store), store.versions()
    for remaining in (0.7, 0.2):  # kill early and late in the deletion
        planted = _plant_garbage(store, 1500)
        process = _curate("gc", "--yes", "--store", str(store.root))
        deadline = time.monotonic() + 120
        while _garbage_left(store) > planted * remaining and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert store.versions() == versions
        assert _unchanged(store, before) == []
        assert verify(store) == []
    code, _, err = _run("gc", "--yes", "--store", str(store.root))  # the dead gc's lock died with it
    assert code == 0, err
    assert orphans(store) == [] and verify(store) == [] and _unchanged(store, before) == []


# Runs the CLI with os.replace wrapped so that the process SIGKILLs itself just before it renames the
# finished temp file onto the target: the latest a kill can land, every byte written and nothing renamed.
# (Polling for the temp file and killing from outside raced a small export finishing first.)
_DIE_BEFORE_RENAME = """
import os, runpy, signal, sys
target, real_replace = sys.argv[1], os.replace
def replace(source, destination, *args, **kwargs):
    if os.fspath(destination) == target:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(source, destination, *args, **kwargs)
os.replace = replace
sys.argv = ["curate", *sys.argv[2:]]
runpy.run_module("curate", run_name="__main__")
"""


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_a_killed_export_leaves_no_partial_output(two_versions: Path, tmp_path: Path, fmt: str) -> None:
    store = _copy(two_versions, tmp_path)
    version = store.latest()
    assert version is not None
    expected = store.manifest(version)["documents"]
    out = tmp_path / f"out.{fmt}"
    temp = out.with_name(f".{out.name}.tmp")
    process = subprocess.run(
        [sys.executable, "-c", _DIE_BEFORE_RENAME, str(out),
         "export", version, "--store", str(store.root), "--format", fmt, "-o", str(out)],
        capture_output=True, timeout=300)
    # killed with the whole export in its temp file: the output file is absent, never partial
    assert process.returncode == -signal.SIGKILL, process.stderr.decode(errors="replace")
    assert temp.stat().st_size > 0 and not out.exists()
    code, _, err = _run("export", version, "--store", str(store.root), "--format", fmt, "-o", str(out))
    assert code == 0 and f"exported {expected} documents" in err, err
    if fmt == "jsonl":
        assert len(out.read_bytes().splitlines()) == expected
    assert not temp.exists()  # the rerun's temp file replaced the dead one's


def test_a_torn_manifest_is_reported_and_never_built_on(two_versions: Path, tmp_path: Path) -> None:
    store = _copy(two_versions, tmp_path)
    manifest = store.layout.manifest("v0002")
    manifest.write_bytes(manifest.read_bytes()[:200])  # as a non-atomic copy or a broken disk leaves it
    before = _snapshot_v1(store)
    problems = verify(store)
    assert len(problems) == 1 and problems[0].startswith("v0002:") and "does not parse" in problems[0]
    code, _, err = _run("verify", "--store", str(store.root))
    assert code != 0 and "v0002" in err
    code, _, err = _clean(tmp_path, store.root, _crawl(tmp_path / "next.jsonl", 20, 3))
    assert code == 1 and "manifest does not parse" in err and str(manifest) in err, err
    assert store.layout.version_dirs() == ["v0001", "v0002"]  # nothing committed on top of it
    with pytest.raises(StoreError, match="does not parse"):
        list(store.iter_records("v0002"))
    # gc cannot know what the torn manifest referenced, so it deletes nothing
    code, _, err = _run("gc", "--yes", "--store", str(store.root))
    assert code == 1 and "deletes nothing" in err, err
    assert all((store.root / s["path"]).is_file() for s in store.manifest("v0001")["shards"])
    assert _unchanged(store, before) == []
    # --fresh does not need the parent, so it commits beside the damage (and verify still names it)
    code, _, err = _clean(tmp_path, store.root, tmp_path / "next.jsonl", "--fresh")
    assert code == 0, err
    assert store.layout.version_dirs() == ["v0001", "v0002", "v0003"]
    assert [p.split(":")[0] for p in verify(store)] == ["v0002"]


def _snapshot_v1(store: Store) -> dict[str, bytes]:
    files = {"versions/v0001/manifest.json": store.layout.manifest("v0001").read_bytes()}
    files.update({s["path"]: (store.root / s["path"]).read_bytes() for s in store.manifest("v0001")["shards"]})
    return files


def test_leftovers_of_crashed_runs_are_never_versions(two_versions: Path, tmp_path: Path) -> None:
    store = _copy(two_versions, tmp_path)
    (store.layout.versions / f"{TMP_PREFIX}dead").mkdir()
    (store.layout.versions / f"{TMP_PREFIX}dead" / "manifest.json").write_bytes(b'{"version": "v0003", "sha')
    (store.layout.versions / "v0003").mkdir()  # a version folder with no manifest
    (store.layout.objects / f"{TMP_PREFIX}half.jsonl.zst").write_bytes(b"\x28\xb5\x2f\xfd")
    assert store.versions() == ["v0001", "v0002"]
    assert [p.split(":")[0] for p in verify(store)] == ["v0003"]  # the stray folder is named
    code, out, err = _run("versions", "--store", str(store.root))
    assert code == 0 and "v0003" not in out, err
    code, _, err = _clean(tmp_path, store.root, _crawl(tmp_path / "next.jsonl", 20, 3))
    assert code == 0, err
    # the next version skips the stray number rather than reuse it, and builds on v0002
    assert store.versions() == ["v0001", "v0002", "v0004"]
    assert store.manifest("v0004")["parent"] == "v0002"
    leftovers = {path.name for path in orphans(store)}
    assert {f"{TMP_PREFIX}dead", f"{TMP_PREFIX}half.jsonl.zst"} <= leftovers


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_a_damaged_shard_is_reported_and_never_read(two_versions: Path, tmp_path: Path, damage: str) -> None:
    store = _copy(two_versions, tmp_path)
    old = {s["path"] for s in store.manifest("v0001")["shards"]}
    shard = next(s for s in store.manifest("v0002")["shards"] if s["path"] not in old)  # v0002's own
    path = store.root / shard["path"]
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data[len(data) // 2] ^= 0x01  # one bit, same size
    path.write_bytes(bytes(data))
    problems = verify(store)
    assert problems and all(shard["path"] in p and shard["sha256"] in p for p in problems)
    assert {p.split(":")[0] for p in problems} == {"v0002"}
    out = tmp_path / "export.jsonl"
    code, _, err = _run("export", "v0002", "--store", str(store.root), "-o", str(out))
    assert code == 1 and "damaged" in err and shard["sha256"] in err and not out.exists(), err
    with pytest.raises(StoreError, match="damaged"), open(os.devnull, "wb") as sink:
        export_jsonl(store, "v0002", sink)
    with pytest.raises(StoreError, match="damaged"):
        diff_versions(store, "v0001", "v0002")
    code, _, err = _clean(tmp_path, store.root, _crawl(tmp_path / "next.jsonl", 20, 3))
    if damage == "truncate":  # the size check before committing refuses to inherit it
        assert code == 1 and "is damaged" in err and shard["path"] in err, err
        assert store.versions() == ["v0001", "v0002"]
    else:  # a same-size bit flip is found by verify, export and diff, not by every commit
        assert code == 0, err
        assert any(p.startswith("v0003:") and shard["path"] in p for p in verify(store))


def test_a_damaged_object_written_again_by_a_later_run_is_repaired(tmp_path: Path) -> None:
    store = Store(tmp_path / "corpus")
    crawl = _crawl(tmp_path / "crawl.jsonl", 20, 1)
    code, _, err = _clean(tmp_path, store.root, crawl, "--no-dedup")
    assert code == 0, err
    shard = store.manifest("v0001")["shards"][0]
    path = store.root / shard["path"]
    good = path.read_bytes()
    path.write_bytes(good[:100])  # torn at its content address
    assert verify(store)
    code, _, err = _clean(tmp_path, store.root, crawl, "--no-dedup", "--fresh")  # the same documents again
    assert code == 0, err
    assert path.read_bytes() == good
    assert verify(store) == []


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # writes past it fail with EFBIG

    return apply


@pytest.mark.parametrize("extra", [(), ("--learn-repeated", "0")],
                         ids=["a temporary file fills up", "the shard fills up"])
def test_file_too_large_aborts_cleanly_and_leaves_the_store_as_it_was(
        two_versions: Path, tmp_path: Path, extra: Sequence[str]) -> None:
    """EFBIG from `ulimit -f` stands in for a full disk (ENOSPC needs a small filesystem, which needs
    root to mount): a write fails partway through the run."""
    store = _copy(two_versions, tmp_path)
    before = _snapshot(store)
    crawl = _crawl(tmp_path / "big.jsonl", 40, 9, words=300, letters=True)  # a shard of about 45 KB
    code, _, err = _clean(tmp_path, store.root, crawl, "--no-dedup", *extra, preexec=_file_size_limit(24 * 1024))
    assert code == 1, err
    assert "Traceback" not in err and "File too large" in err, err
    assert store.versions() == ["v0001", "v0002"] and _unchanged(store, before) == []
    assert verify(store) == []
    assert not [p for p in store.layout.objects.rglob(f"{TMP_PREFIX}*")]  # its temp files were removed
    if extra:  # with room, the rerun commits (once is enough: the runs differ only in where they failed)
        code, _, err = _clean(tmp_path, store.root, crawl, "--no-dedup", *extra)
        assert code == 0, err
        assert store.versions() == ["v0001", "v0002", "v0003"] and verify(store) == []


def test_gc_beside_a_running_clean_waits_its_turn(two_versions: Path, tmp_path: Path) -> None:
    """gc and clean share the writer lock: gc started while a clean runs fails clearly (it never deletes
    the clean's not-yet-committed objects), and the clean commits a complete version."""
    store = _copy(two_versions, tmp_path)
    crawl = _crawl(tmp_path / "next.jsonl", 200, 4)
    cleaning = _curate("clean", str(crawl), "--store", str(store.root), "--reports", str(tmp_path / "reports"),
                       "--workers", "1")
    lock = store.layout.lock
    deadline = time.monotonic() + 60
    while lock.read_bytes().split()[:1] != [str(cleaning.pid).encode()] and time.monotonic() < deadline:
        time.sleep(0.01)  # the clean has taken the lock when it wrote its pid into it
    outcomes = [_run("gc", "--yes", "--store", str(store.root)) for _ in range(3)]
    _, err = cleaning.communicate(timeout=300)
    assert cleaning.returncode == 0, err.decode()
    for code, _, gc_err in outcomes:
        assert code == 0 or (code == 1 and "locked by a running curate command" in gc_err), gc_err
    assert any(code == 1 for code, _, _ in outcomes), "no gc ran while the clean held the lock"
    assert store.versions() == ["v0001", "v0002", "v0003"]
    assert verify(store) == []
