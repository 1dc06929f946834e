"""The language detectors by name: their interface (`Backend`), `make_backend`, `require` (fail before a
run when an optional backend's package is missing) and the optional py3langid backend."""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Sequence
from typing import Any, Final, Protocol

from curate.steps.langid.backends.detector import PROB_THRESHOLD, LangdetectBackend
from curate.steps.langid.backends.profiles import langdetect_languages

Ranked = list[tuple[str, float]]

BACKENDS: Final = ("langdetect", "py3langid")
_PY3LANGID_MISSING: Final = "the py3langid backend needs py3langid: pip install 'curate[fastlang]'"


class Backend(Protocol):
    """A language detector: languages with their probabilities, most probable first.

    An empty list means the text has nothing the detector can judge (no features); `rank` never raises
    on text, whatever it holds.
    """

    name: str

    def rank(self, text: str) -> Ranked: ...


class NoBackend(ImportError):
    """An optional backend whose package is not installed; the message names the pip command."""


def require(name: str) -> None:
    """Raise NoBackend now (naming the pip command) if backend `name` needs a package that is missing,
    so a run fails before it starts rather than in every worker."""
    if name == "py3langid" and importlib.util.find_spec("py3langid") is None:
        raise NoBackend(_PY3LANGID_MISSING)


def make_backend(name: str, *, seed: int = 0, trials: int = 7) -> Backend:
    """The backend called `name` (one of BACKENDS), configured; raises ValueError or NoBackend."""
    if name == "langdetect":
        return LangdetectBackend(seed=seed, trials=trials)
    if name == "py3langid":
        return Py3langidBackend()
    raise ValueError(f"unknown language backend {name!r}; choose one of {', '.join(BACKENDS)}")


@functools.cache
def _py3langid_model(langs: tuple[str, ...] | None) -> Any:
    try:
        from py3langid.langid import (  # type: ignore[import-untyped,unused-ignore]
            MODEL_FILE,
            LanguageIdentifier,
        )
    except ImportError as exc:
        raise NoBackend(_PY3LANGID_MISSING) from exc
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if langs:
        identifier.set_languages([code for code in langs if code in set(identifier.labels)])
    return identifier


class Py3langidBackend:
    """py3langid (naive Bayes over byte n-grams; model inside the package, no randomness).

    langs: the languages it may answer. By default langdetect's 55 (Chinese as one), so switching the
        backend never introduces a code the default could not produce; pass () for all of its 97.
    """

    name = "py3langid"

    def __init__(self, langs: Sequence[str] | None = None) -> None:
        chosen = langdetect_languages() if langs is None else tuple(langs)
        self._model = _py3langid_model(chosen or None)

    def rank(self, text: str) -> Ranked:
        if not any(ch.isalpha() for ch in text):
            return []
        ranked: list[tuple[str, float]] = self._model.rank(text)
        return [(lang, float(prob)) for lang, prob in ranked if prob > PROB_THRESHOLD]
