"""The backends by name: an unknown one is refused, a missing optional one names its install command,
and py3langid (optional) answers within langdetect's languages."""

from __future__ import annotations

import importlib.util

import pytest

from curate.steps.langid.backends.registry import NoBackend, make_backend, require

GERMAN = "Der Stadtrat hat am Dienstag nach einer langen Debatte über den Nahverkehr den Haushalt beschlossen."


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language backend 'cld9'"):
        make_backend("cld9")


def test_missing_optional_backend_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(NoBackend, match=r"pip install 'curate\[fastlang\]'"):
        require("py3langid")


def test_default_backend_needs_nothing_optional() -> None:
    require("langdetect")


def test_py3langid_detects_within_langdetects_languages() -> None:
    pytest.importorskip("py3langid")
    backend = make_backend("py3langid")
    (lang, prob), *_ = backend.rank(GERMAN)
    assert lang == "de" and 0.5 < prob <= 1.0
    assert backend.rank(GERMAN) == backend.rank(GERMAN)
    assert backend.rank("1234 !!!") == []
