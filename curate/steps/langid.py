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
        except LangDetectException as exc:  # e.g. "No features in text." for letters langdetect skips
            return _undetermined("no_features", str(exc))
        if not ranked:
            return _undetermined("no_features")
        raw = ranked[0].lang
        detail: dict[str, Any] = {"lang": _NORMALISED.get(raw, raw), "score": round(ranked[0].prob, 4)}
        if raw != detail["lang"]:
            detail["raw"] = raw
        runners = [[guess.lang, round(guess.prob, 4)] for guess in ranked[1 : 1 + self.config.runner_up]]
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
    >>> sample_text("aa bb cc dd ee ff gg hh ii jj", 12)
    'aa\\nff\\nii jj'
    """
    if len(text) <= budget:
        return text
    size = budget // _PIECES
    starts = (0, (len(text) - size) // 2, len(text) - size)
    return "\n".join(_piece(text, start, size) for start in starts)


def _piece(text: str, start: int, size: int) -> str:
    """text[start:start+size] without the partial words at either end (unless it is one long word)."""
    piece = text[start : start + size]
    if start > 0 and not text[start - 1].isspace():
        head = regex.search(r"\s", piece)
        piece = piece[head.end() :] if head else piece
    end = start + size
    if end < len(text) and not text[end].isspace():
        cut = max(piece.rfind(" "), piece.rfind("\n"))
        piece = piece[:cut] if cut > 0 else piece
    return piece.strip()
