"""The library never imports click: cli/ imports the library, never the reverse (STYLE.md §2)."""

from __future__ import annotations

import subprocess
import sys


def test_library_modules_import_without_click() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'click' or name.startswith('click.'):\n"
        "            raise ImportError('click is blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import curate, curate.runner, curate.steps.strip.step, curate.steps.repair.step, curate.steps.langid.step\n"
        "import curate.steps.dedup.step, curate.steps.extract.step, curate.store, curate.reports, curate.rules\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
