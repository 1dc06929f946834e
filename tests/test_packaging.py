"""The wheel carries the shipped rule packs, the bundled sample, lint's prose and the report template."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_wheel_contains_packs_sample_and_templates(tmp_path: Path) -> None:
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools would reuse stale files from it
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    [wheel] = tmp_path.glob("curate-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packs = {Path(n).name for n in names if n.startswith("curate/packs/") and n.endswith(".yaml")}
    shipped = {p.name for p in (ROOT / "rules").glob("*.yaml")}
    assert shipped and packs == shipped
    assert any(n.startswith("curate/sample/") and n.endswith(".txt") for n in names)
    assert "curate/reports/templates/index.html" in names
    assert "curate/checks/lint_prose.txt" in names  # what `rules lint` runs rules on
