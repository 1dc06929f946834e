"""The langid step: tag each document with its language (`lang`) and langdetect's confidence (`lang_score`).

langdetect guesses by random sampling of character n-grams, so it is deterministic only with a seed.
Each `Langid` owns its own `DetectorFactory` (profiles loaded once, in `__init__`) seeded from the
config, and makes a fresh Detector per document; nothing process-wide is touched, as dolma's
LangdetectTagger does. The text is sampled to a bounded size from its start, middle and end, so a long
document costs no more than a short one and a foreign-language footer still counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Final

import regex
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from curate.document import Document, Event
from curate.pipeline import DocumentStep

UNDETERMINED: Final = "und"  # ISO 639-2 "undetermined": nothing to judge
RULE: Final = "langid.langdetect"
_LETTER: Final = regex.compile(r"\p{L}")
_SPACE: Final = regex.compile(r"\s")
# langdetect answers these for Chinese; the script variant is not a language, so `lang` says "zh".
_NORMALISED: Final = {"zh-cn": "zh", "zh-tw": "zh"}
_PIECES: Final = 3  # start, middle and end of the text


@dataclass(frozen=True, slots=True)
class LangidConfig:
    """How `langid` samples and detects.

    seed: langdetect's random seed. 0, as dolma uses: any fixed value makes results repeatable; a
        different seed can move scores in the third decimal on short or mixed texts.
    sample_chars: at most this many characters are given to langdetect, taken in three pieces from the
        start, middle and end of the text and cut on whitespace. 1,000 characters (~150 words) give
        langdetect all the evidence it needs (its scores saturate long before) at a bounded cost.
    runner_up: how many of the next most probable languages go into the event detail, for audits of
        mixed or uncertain documents.
    """

    seed: int = 0
    sample_chars: int = 1000
    runner_up: int = 2


class Langid(DocumentStep):
    """Set `lang` (ISO 639-1, or "und") and `lang_score` (top probability, 4 places); never raises."""

    name: ClassVar[str] = "langid"

    def __init__(self, config: LangidConfig) -> None:
        self.config = config
        self._factory = DetectorFactory()
        self._factory.load_profile(PROFILES_DIRECTORY)
        self._factory.set_seed(config.seed)  # an instance attribute: other factories keep theirs

    def apply(self, doc: Document) -> Document:
        sample = sample_text(doc.text, self.config.sample_chars)
        detail = self._detect(sample)
        lang, score = detail["lang"], detail["score"]
        event = Event(step=self.name, action="tag", rule=RULE, detail=detail)
        return doc.tagged(event, lang=lang, lang_score=score)

    def _detect(self, sample: str) -> dict[str, Any]:
        if not _LETTER.search(sample):
            return _undetermined("no_letters")
        detector = self._factory.create()  # a Detector holds per-text state: one per document
        detector.append(sample)
        try:
            ranked = detector.get_probabilities()
        except LangDetectException as exc:
            # e.g. "No features in text.": letters, but only in URLs or e-mails, which langdetect drops
            return _undetermined("no_features", str(exc))
        if not ranked:
            return _undetermined("no_features")
        raw = ranked[0].lang
        detail: dict[str, Any] = {
            "lang": _NORMALISED.get(raw, raw),
            "score": round(ranked[0].prob, 4),
        }
        if raw != detail["lang"]:
            detail["raw"] = raw
        runners = [
            [guess.lang, round(guess.prob, 4)] for guess in ranked[1 : 1 + self.config.runner_up]
        ]
        if runners:
            detail["runner_up"] = runners
        return detail


def _undetermined(reason: str, message: str | None = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"lang": UNDETERMINED, "score": 0.0, "reason": reason}
    if message:
        detail["message"] = message
    return detail


def sample_text(text: str, budget: int) -> str:
    """At most `budget` characters from the start, middle and end of `text`, cut on whitespace.

    >>> sample_text("short text", 1000)
    'short text'
    >>> sample_text("aa bb cc dd ee ff gg hh ii jj", 14)
    'aa\\nee\\njj'
    """
    if len(text) <= budget:
        return text
    size = (budget - (_PIECES - 1)) // _PIECES  # room for the newlines that join the pieces
    starts = (0, (len(text) - size) // 2, len(text) - size)
    return "\n".join(piece for piece in (_piece(text, start, size) for start in starts) if piece)


def _piece(text: str, start: int, size: int) -> str:
    """text[start:start+size] without the partial words at either end. A piece with no whitespace at
    all (Chinese, Japanese, or one huge token) is kept whole: there is no word boundary to cut on."""
    end = start + size
    piece = text[start:end]
    spaces = [m.start() for m in _SPACE.finditer(piece)]
    if not spaces:
        return piece
    lo = spaces[0] + 1 if start > 0 and not text[start - 1].isspace() else 0
    hi = spaces[-1] if end < len(text) and not text[end].isspace() else len(piece)
    return piece[lo:hi].strip() if lo < hi else ""
