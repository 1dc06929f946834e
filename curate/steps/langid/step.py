"""The langid step: tag each document with its language (`lang`) and the detector's confidence
(`lang_score`); optionally per paragraph, with each language's share and other languages dropped.

The detector is langdetect's algorithm (curate.steps.langid.backends: its profiles loaded once per
process, every detection seeded, the random trials run on numpy), or py3langid when asked. A document is
judged by a sample: a few spans spread over the text, so a long document costs no more than a short one,
and a header in another language does not decide a long article (langdetect alone reads only the first
10,000 characters). The step never raises: text with nothing to judge gets `lang: "und"` and a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Final

import regex

from curate.document import Document, Event, apply_edits
from curate.pipeline import DocumentStep
from curate.steps.langid.backends import BACKENDS, NORMALISED, make_backend
from curate.steps.langid.paragraphs import (
    Verdict,
    classify_paragraphs,
    drop_edits,
    main_language,
    runs,
    shares,
)

UNDETERMINED: Final = "und"  # ISO 639-2 "undetermined": nothing to judge
RULE: Final = "langid.langdetect"  # the default backend's rule id; the other is langid.<backend>
_LETTER: Final = regex.compile(r"\p{L}")
_SPACE: Final = regex.compile(r"\s")
_LAST_SPACE: Final = regex.compile(r"(?r)\s")


@dataclass(frozen=True, slots=True)
class LangidConfig:
    """How `langid` samples and detects.

    seed: langdetect's random seed. 0, as dolma uses: any fixed value makes results repeatable; a
        different seed can move scores in the third decimal on short or mixed texts.
    backend: "langdetect" (default: the most accurate on our sentence benchmark) or "py3langid"
        (`pip install 'curate[fastlang]'`: about 10 times faster, deterministic without a seed,
        weaker on Croatian and Norwegian). Both answer from langdetect's 55 languages.
    trials: langdetect's number of random trials averaged per detection (its `n_trial`). 7, langdetect's
        own: fewer is faster but moves answers on short and mixed text away from langdetect's.
    sample_chars: at most this many characters are judged per document (or per paragraph), taken in
        `sample_spans` pieces spread evenly from the start to the end and cut on whitespace. 1,000
        characters (~150 words) give langdetect all the evidence it needs (its scores saturate long
        before) at a bounded cost; text this short is judged whole.
    sample_spans: how many pieces the sample is taken in. 3 (start, middle, end): a foreign header
        or footer is one piece of three, so it never outvotes the body it surrounds.
    runner_up: how many of the next most probable languages go into the event detail, for audits of
        mixed or uncertain documents.
    per_paragraph: judge every paragraph (blank-line separated) instead of the document's sample, and
        record each language's share of the characters in `meta["lang_shares"]`; `lang` is the language
        with the largest share, `lang_score` the mean probability (by characters) of its paragraphs.
        Paragraphs are judged by the backend's quick ranking (langdetect: naive Bayes over its profiles,
        as accurate on sentences and ~10 times faster than its random trials). Off by default: it costs
        one detection per paragraph.
    paragraph_min_letters: a paragraph with fewer letters is judged together with the short paragraphs
        next to it, or takes its neighbour's language. 40: langdetect is right on ~98% of ~100-character
        sentences but guesses on a few words, and a wrong guess here would drop a paragraph.
    drop_other_languages: remove the paragraphs whose language is not wanted (implies per_paragraph),
        each removal an event (rule langid.other_language). Wanted: `langs`, or else the main language.
    langs: the wanted languages for drop_other_languages (curate clean passes --lang). A document with
        no paragraph in them is left whole, for the filter to drop as lang_not_wanted.
    """

    seed: int = 0
    backend: str = "langdetect"
    trials: int = 7
    sample_chars: int = 1000
    sample_spans: int = 3
    runner_up: int = 2
    per_paragraph: bool = False
    paragraph_min_letters: int = 40
    drop_other_languages: bool = False
    langs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ValueError(f"unknown language backend {self.backend!r}; choose one of {', '.join(BACKENDS)}")
        if self.sample_spans < 1 or self.sample_chars < self.sample_spans or self.trials < 1:
            raise ValueError("sample_spans, trials and sample_chars must be positive, sample_chars >= spans")


class Langid(DocumentStep):
    """Set `lang` (ISO 639-1, or "und") and `lang_score` (top probability, 4 places); never raises."""

    name: ClassVar[str] = "langid"

    def __init__(self, config: LangidConfig) -> None:
        self.config = config
        self._backend = make_backend(config.backend, seed=config.seed, trials=config.trials)
        self._rule = f"langid.{self._backend.name}"
        self._keep = frozenset(config.langs)

    def apply(self, doc: Document) -> Document:
        if self.config.per_paragraph or self.config.drop_other_languages:
            return self._apply_per_paragraph(doc)
        detail = self.detect(doc.text)
        event = Event(step=self.name, action="tag", rule=self._rule, detail=detail)
        return doc.tagged(event, lang=detail["lang"], lang_score=detail["score"])

    def detect(self, text: str, *, quick: bool = False) -> dict[str, Any]:
        """The event detail for `text`: lang, score, runner_up (and raw, reason) from its sample;
        `quick` uses the backend's fast deterministic ranking where it has one (per paragraph)."""
        sample = sample_text(text, self.config.sample_chars, self.config.sample_spans)
        if not _LETTER.search(sample):
            return _undetermined("no_letters")
        rank = getattr(self._backend, "quick", self._backend.rank) if quick else self._backend.rank
        ranked = rank(sample)
        if not ranked:
            # e.g. letters only in URLs or e-mail addresses, which langdetect drops before counting
            return _undetermined("no_features")
        raw, score = ranked[0]
        detail: dict[str, Any] = {"lang": NORMALISED.get(raw, raw), "score": round(score, 4)}
        if raw != detail["lang"]:
            detail["raw"] = raw
        runners: list[list[Any]] = []
        for lang, prob in ranked[1:]:
            code = NORMALISED.get(lang, lang)
            if code != detail["lang"] and code not in (r[0] for r in runners):
                runners.append([code, round(prob, 4)])
        if runners[: self.config.runner_up]:
            detail["runner_up"] = runners[: self.config.runner_up]
        return detail

    def _verdict(self, text: str) -> Verdict:
        detail = self.detect(text, quick=True)
        return Verdict(detail["lang"], detail["score"])

    def _apply_per_paragraph(self, doc: Document) -> Document:
        paragraphs = classify_paragraphs(doc.text, self._verdict, self.config.paragraph_min_letters)
        if not paragraphs:
            detail = self.detect(doc.text)  # says why: no letters, or nothing the detector knows
            event = Event(step=self.name, action="tag", rule=self._rule, detail=detail)
            return doc.tagged(event, lang=detail["lang"], lang_score=detail["score"])
        drops: tuple[Event, ...] = ()
        text, kept = doc.text, paragraphs
        if self.config.drop_other_languages:
            keep = self._keep or frozenset({main_language(paragraphs).lang})
            text, drops = apply_edits(doc.text, drop_edits(paragraphs, keep), self.name)
            if drops:
                kept = [p for p in paragraphs if p.lang in keep]
        main = main_language(kept)
        detail = {"lang": main.lang, "score": main.score, "shares": shares(paragraphs),
                  "paragraphs": runs(paragraphs)}
        tag = Event(step=self.name, action="tag", rule=self._rule, detail=detail)
        meta = {**doc.meta, "lang_shares": shares(kept)}
        # the tag is measured on the text this step received, so it comes before the drops
        return doc.edited(text, tag, *drops).tagged(lang=main.lang, lang_score=main.score, meta=meta)


def _undetermined(reason: str) -> dict[str, Any]:
    return {"lang": UNDETERMINED, "score": 0.0, "reason": reason}


def sample_text(text: str, budget: int, spans: int = 3) -> str:
    """At most `budget` characters in `spans` pieces spread from the start to the end of `text`, cut
    on whitespace and joined by newlines.

    >>> sample_text("short text", 1000)
    'short text'
    >>> sample_text("aa bb cc dd ee ff gg hh ii jj", 14)
    'aa\\nee\\njj'
    """
    if len(text) <= budget:
        return text
    size = (budget - (spans - 1)) // spans  # room for the newlines that join the pieces
    starts = [(len(text) - size) * i // (spans - 1) for i in range(spans)] if spans > 1 else [0]
    return "\n".join(piece for piece in (_piece(text, start, size) for start in starts) if piece)


def _piece(text: str, start: int, size: int) -> str:
    """text[start:start+size] without the partial words at either end. A piece with no whitespace at
    all (Chinese, Japanese, or one huge token) is kept whole: there is no word boundary to cut on."""
    end = start + size
    piece = text[start:end]
    first = _SPACE.search(piece)
    if first is None:
        return piece
    last = _LAST_SPACE.search(piece)  # a reverse search: the last whitespace, without listing them all
    assert last is not None
    lo = first.start() + 1 if start > 0 and not text[start - 1].isspace() else 0
    hi = last.start() if end < len(text) and not text[end].isspace() else len(piece)
    return piece[lo:hi].strip() if lo < hi else ""

