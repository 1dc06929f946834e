"""Language detectors behind the langid step: one interface, `rank(text)` -> [(lang, prob), ...].

`LangdetectBackend` (the default) is langdetect 1.0.9's algorithm and profiles, reimplemented so that its
random trials run as numpy array operations instead of a Python loop over 55 languages per n-gram. It
draws the same seeded random numbers in the same order as `langdetect.Detector`, so its answers are
langdetect's own (equal up to floating-point rounding, checked in the tests against langdetect itself),
at several times the speed. `Py3langidBackend` is the optional one (`pip install 'curate[fastlang]'`):
py3langid's naive Bayes model, shipped inside its package, deterministic and faster still.

Models are immutable data, loaded lazily once per process (not at import) and shared by every step that
uses them; each backend instance keeps its own settings (seed, trials), so nothing global is mutated.

Modules: `registry` (the interface, the backends by name, py3langid), `detector` (LangdetectBackend),
`profiles` (langdetect's profiles as one matrix), `ngrams` (a text's n-grams as profile rows) and
`trials` (the seeded random trials that score the languages).
"""

from curate.steps.langid.backends.detector import LangdetectBackend
from curate.steps.langid.backends.profiles import (
    NORMALISED,
    LangdetectProfiles,
    langdetect_languages,
    langdetect_profiles,
)
from curate.steps.langid.backends.registry import (
    BACKENDS,
    Backend,
    NoBackend,
    Py3langidBackend,
    Ranked,
    make_backend,
    require,
)

__all__ = [
    "BACKENDS", "NORMALISED", "Backend", "LangdetectBackend", "LangdetectProfiles", "NoBackend",
    "Py3langidBackend", "Ranked", "langdetect_languages", "langdetect_profiles", "make_backend", "require",
]
