"""The wheel carries every module, the shipped rule packs, the bundled sample, lint's prose and the report
template, and the curate installed from it cleans the sample."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _wheel(folder: Path) -> Path:
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools would reuse stale files from it
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(folder), str(ROOT)],
                   check=True, capture_output=True)
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    [wheel] = folder.glob("curate-*.whl")
    return wheel


def test_wheel_contains_packs_sample_and_templates(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "curate").rglob("*.py")}
    assert modules - names == set()  # a package left out of pyproject's list would be missing
    packs = {Path(n).name for n in names if n.startswith("curate/packs/") and n.endswith(".yaml")}
    shipped = {p.name for p in (ROOT / "rules").glob("*.yaml")}
    assert shipped and packs == shipped
    assert any(n.startswith("curate/sample/") and n.endswith(".txt") for n in names)
    assert "curate/reports/templates/index.html" in names
    assert "curate/checks/lint_prose.txt" in names  # what `rules lint` runs rules on
    assert "curate/steps/extract/content_model.json" in names  # the shipped content model


def test_the_installed_wheel_cleans_the_sample(tmp_path: Path) -> None:
    """Installed from the wheel (no source tree on the path), `curate clean --stdout` runs end to end."""
    wheel = _wheel(tmp_path / "dist")
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import curate; print(curate.__file__)"], cwd=tmp_path, env=env,
                           check=True, capture_output=True, text=True).stdout
    assert where.startswith(str(target))
    run = subprocess.run([sys.executable, "-m", "curate", "clean", "--stdout", "--workers", "1",
                          "--reports", str(tmp_path / "reports")], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) >= 5 and "read 8, kept" in run.stderr
