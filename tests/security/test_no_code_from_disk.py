"""Nothing curate reads from disk can run code (reliability.md §0 #6, #8): no pickle or marshal,
numpy arrays only with allow_pickle=False, YAML only through the safe loader, no eval/exec, no
shell. A scan of the package source, so a new call site fails here before it ships.
"""

from __future__ import annotations

import ast
import importlib.metadata
from collections.abc import Iterator
from pathlib import Path

from packaging.version import Version

CURATE = Path(__file__).resolve().parents[2] / "curate"

# Modules whose loaders execute code from the bytes they read. `pickle` itself may be imported to
# *dump* (engines/dask.py hashes the step factory's pickle); its loaders are in UNSAFE_CALLS.
UNSAFE_MODULES = {"cPickle", "_pickle", "dill", "cloudpickle", "marshal", "shelve", "joblib", "jsonpickle"}
PICKLE_LOADERS = {"load", "loads", "Unpickler"}
# Calls that unpickle or execute, by their dotted name as written.
UNSAFE_CALLS = {"pickle.load", "pickle.loads", "pickle.Unpickler", "eval", "exec", "__import__", "yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.full_load",
                "yaml.unsafe_load_all", "yaml.full_load_all", "pd.read_pickle", "pandas.read_pickle", "torch.load",
                "os.system", "os.popen"}
UNSAFE_LOADERS = {"Loader", "FullLoader", "UnsafeLoader", "CLoader", "CFullLoader", "CUnsafeLoader"}


def _sources() -> Iterator[tuple[str, ast.AST]]:
    for path in sorted(CURATE.rglob("*.py")):
        yield path.relative_to(CURATE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def _problems(name: str, tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in UNSAFE_MODULES:
                    yield f"{where}: imports {alias.name}"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UNSAFE_MODULES:
            yield f"{where}: imports from {node.module}"
        elif isinstance(node, ast.ImportFrom) and node.module == "pickle" and \
                {alias.name for alias in node.names} & PICKLE_LOADERS:
            yield f"{where}: imports a pickle loader"
        elif isinstance(node, ast.Attribute) and node.attr in UNSAFE_LOADERS and _dotted(node.value) == "yaml":
            yield f"{where}: uses yaml.{node.attr}"
        elif isinstance(node, ast.Call):
            called = _dotted(node.func)
            keywords = {k.arg: k.value for k in node.keywords}
            if called in UNSAFE_CALLS:
                yield f"{where}: calls {called}"
            if called.endswith(".load") and called.split(".")[0] in {"np", "numpy"}:
                flag = keywords.get("allow_pickle")
                if not (isinstance(flag, ast.Constant) and flag.value is False):
                    yield f"{where}: {called} without allow_pickle=False"
            shell = keywords.get("shell")
            if called.startswith("subprocess.") and not (isinstance(shell, ast.Constant) and shell.value is False) \
                    and shell is not None:
                yield f"{where}: {called} with shell="


# Unpickling that never touches disk, with the reason. A new one must be argued for here.
NOT_FROM_DISK = {
    # the supervised pool's pipes between curate and the worker processes it forked, as multiprocessing's
    "engines/supervised.py": {"calls pickle.loads"},
    "engines/worker.py": {"calls pickle.loads"},
}


def test_the_package_never_loads_code_from_what_it_reads() -> None:
    problems = [problem for name, tree in _sources() for problem in _problems(name, tree)
                if problem.split(": ", 1)[1] not in NOT_FROM_DISK.get(name, set())]
    assert problems == []


def test_the_scan_finds_what_it_looks_for() -> None:
    """The scan itself works: each forbidden form in a snippet is reported."""
    snippet = ast.parse(
        "import pickle\npickle.loads(b)\nfrom pickle import Unpickler\nfrom marshal import loads\n"
        "import numpy as np\nimport yaml\n"
        "np.load(p)\nnp.load(p, allow_pickle=True)\nnp.load(p, allow_pickle=False)\n"
        "yaml.load(t, Loader=yaml.Loader)\nyaml.safe_load(t)\neval(s)\nexec(s)\n"
        "import subprocess\nsubprocess.run(c, shell=True)\n")
    found = list(_problems("snippet.py", snippet))
    assert sorted(p.split(": ", 1)[1] for p in found) == sorted([
        "calls pickle.loads", "imports a pickle loader", "imports from marshal", "np.load without allow_pickle=False",
        "np.load without allow_pickle=False", "calls yaml.load", "uses yaml.Loader", "calls eval", "calls exec",
        "subprocess.run with shell="])


def test_stored_index_arrays_are_numpy_files_read_without_pickle(tmp_path: Path) -> None:
    """A store's index objects refuse an object array (which only pickle could hold)."""
    import numpy as np
    import pytest

    from curate.errors import StoreError
    from curate.store.arrays import encode_array, load_array

    with pytest.raises(StoreError, match="pickle"):
        encode_array(np.array([{"a": 1}], dtype=object))
    # an object array planted in the store (np.save pickles it) is refused on read, not unpickled
    planted = tmp_path / "objects" / "ab" / "planted.npy"
    planted.parent.mkdir(parents=True)
    np.save(planted, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(StoreError, match="does not load"):
        load_array(tmp_path, {"path": "objects/ab/planted.npy"})


def test_pyarrow_is_past_the_parquet_code_execution_fix() -> None:
    """CVE-2023-47248: reading untrusted Parquet with pyarrow < 14.0.1 could run code."""
    assert Version(importlib.metadata.version("pyarrow")) >= Version("14.0.1")
