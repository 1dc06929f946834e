"""The filter step: drop whole documents (empty, too short, language unwanted or uncertain).

It never edits text: editing belongs to strip, repair and langid (--drop-other-languages); a predicate
that edits is the anti-pattern STYLE.md warns about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from curate import reasons
from curate.document import Document, Dropped, Event
from curate.pipeline import DocumentStep


@dataclass(frozen=True, slots=True)
class FilterConfig:
    """What a document must have to be kept.

    langs: language codes to keep (empty = every language). A document whose `lang` is not listed is
        dropped as `lang_not_wanted`; "und" (no letters to judge) is dropped too when a list is given,
        because a user who asks for languages wants text known to be in them.
    min_words: fewer whitespace-separated words than this is `too_short`. Default 1, i.e. only documents
        left empty by extraction and stripping go (as `empty`): length thresholds are corpus-specific, so
        the default keeps every document that still has text.
    min_lang_score: a document whose `lang_score` (the detector's probability for `lang`; no score
        counts as 0) is below this is dropped as `lang_uncertain`. Default 0.0, i.e. off: langdetect's
        scores are near 1.0 for most prose and low mostly on mixed or very short text, so the useful
        threshold depends on how much of that a corpus can keep (0.9 is a common choice).
    """

    langs: tuple[str, ...] = ()
    min_words: int = 1
    min_lang_score: float = 0.0


class Filter(DocumentStep):
    name: ClassVar[str] = "filter"

    def __init__(self, config: FilterConfig) -> None:
        self.config = config
        self._langs = frozenset(config.langs)

    def apply(self, doc: Document) -> Document | Dropped:
        words = len(doc.text.split())
        if words == 0:
            return self._drop(doc, reasons.EMPTY, {"words": 0})
        if words < self.config.min_words:
            return self._drop(doc, reasons.TOO_SHORT, {"words": words, "min_words": self.config.min_words})
        if self._langs and doc.lang not in self._langs:
            return self._drop(doc, reasons.LANG_NOT_WANTED, {"lang": doc.lang, "wanted": sorted(self._langs)})
        score = doc.lang_score or 0.0
        if score < self.config.min_lang_score:
            detail: dict[str, object] = {"lang": doc.lang, "lang_score": score,
                                         "min_lang_score": self.config.min_lang_score}
            return self._drop(doc, reasons.LANG_UNCERTAIN, detail)
        return doc

    def _drop(self, doc: Document, reason: str, detail: dict[str, object]) -> Dropped:
        event = Event(step=self.name, action="drop_doc", rule=f"filter.{reason}", detail=detail)
        return Dropped(doc.tagged(event), reason, detail)
