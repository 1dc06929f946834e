"""The repair step: fix broken text without touching correct text.

Passes run in order, each measured on the previous pass's output, so the concatenated events replay
exactly (`replay(input, events) == output`): ftfy (mojibake, entities, control characters), markdown
link remnants (`[text](#)` → `text`), lost separators (glued words, then a missing space after a comma
or full stop) and stray whitespace. They repeat until nothing changes (at most `_MAX_ROUNDS` rounds).
Every change is an event with the rule that made it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Final, Literal

import ftfy
import regex
import wordfreq

from curate.document import Document, Edit, Event, apply_edits
from curate.pipeline import DocumentStep
from curate.steps.repair_ftfy import ftfy_edits
from curate.steps.repair_separators import GlueRules, glue_edits, pronoun_edits, punct_edits
from curate.steps.repair_whitespace import whitespace_edits

LINK_ACTION: Final = "unwrap_link"
LINK_RULE: Final = "repair.markdown_link"
# A markdown link whose target is only an anchor ("#", "#top") or nothing: a remnant of a link the
# extractor could not resolve. Real targets stay: the text may be markdown on purpose. Not an image.
_DEAD_LINK: Final = regex.compile(r"(?<!!)\[([^\[\]\n]+)\]\((?:#[^()\s]*)?\)")
# One fix can reveal another: unwrapping "[[a](#)](#)" leaves "[a](#)", a no-break space turned into a
# space lets ftfy see whole mojibake, a restored space makes a glued word stand alone. So the passes
# run again while they change something (a second round on repaired text finds nothing and is cheap),
# which makes repair idempotent: repair(repair(x)) == repair(x).
_MAX_ROUNDS: Final = 4
# The language gate of the glued-words splitter: how many lowercase words of a document it reads, and
# the Zipf frequency above which a word counts as common in `glue_lang`.
_GATE_SAMPLE: Final = 300
_GATE_ZIPF: Final = 3.0
_LOWER_WORD: Final = regex.compile(r"(?<!\p{L})\p{Ll}{2,}(?!\p{L})")
_ZIPF_CACHE: Final = 1 << 16


@dataclass(frozen=True, slots=True)
class RepairConfig:
    """What `repair` fixes. The ftfy fields are passed to `ftfy.TextFixerConfig` (see its docs).

    fix_text: run ftfy at all. Lines a cheap check finds clean skip it either way (speed: ftfy with
        its defaults changes most real documents, mostly by "fixing" typography that is correct).
    unescape_html: "auto" decodes entities (&amp;, &#8217;) unless the document contains a literal
        "<", a sign that it is HTML source whose entities are meant; decided once per document.
    remove_terminal_escapes: ANSI colour codes are never content.
    fix_encoding: the point of ftfy, mojibake ("cafÃ©" → "café").
    restore_byte_a0, replace_lossy_sequences, decode_inconsistent_utf8: ftfy's defaults for the
        harder mojibake cases; each only runs when ftfy has already found mojibake on that line.
    fix_c1_controls: C1 controls (U+80–U+9F) are Windows-1252 read as Latin-1; nobody means them.
    fix_latin_ligatures: False. "ﬁ" → "fi" is a compatibility rewrite (NFKC territory), and the
        ligature may be intended typography; the rule is that correct text is never changed.
    fix_character_width: False. It would turn full-width CJK punctuation ("，", "？") into ASCII.
    uncurl_quotes: False. Curly quotes and apostrophes are correct typography.
    fix_line_breaks: CRLF, CR, U+2028/2029 and NEL become "\\n", which the whitespace pass and the
        line-based strip rules rely on.
    fix_surrogates: lone UTF-16 surrogates cannot even be written as UTF-8.
    remove_control_chars: invisible controls (NUL, BOM, bidi overrides) are never content.
    normalization: "NFC" composes "e" + combining accent into "é": no visible change, and exact
        dedup and langid then see one spelling. Never NFKC, which rewrites "²" as "2" and "…" as "...".
    unwrap_links: `[text](#)` and `[text]()` → `text`; links with a real target are kept.
    split_glued_words: split "UkraineThe", "BarcelonaUS", "crisiscaused" (see repair_separators).
    min_part_zipf: 3.5. In an all-lowercase word, both parts must be at least this frequent
        (wordfreq Zipf scale: "crisis" 4.6, "doom" 3.8, "scrolling" 3.5); high, because an unknown
        lowercase word with no case change is weak evidence of glue.
    min_camel_part_zipf: 3.0. For a lower→Upper glue ("UkraineThe"), whose case change is strong
        evidence; still high enough to keep brands such as "CoinDesk" (coin 3.9, desk 4.3 — but
        "coindesk" is in wordfreq) and "BlueSky" whole.
    max_glued_zipf: 0.0. The glued form must be unknown to wordfreq ("eachother" 3.2, "openai" 1.6
        and "youtube" 4.7 are known, so they stay).
    min_part_len: 3. Parts shorter than this are prefixes and particles (Mc, De, La, "in"+"fact").
    glue_lang: the wordfreq list used to judge words, and the language the all-lowercase rule runs on.
    min_known_ratio: 0.75. The all-lowercase rule runs only when at least this share of a document's
        lowercase words have Zipf >= 3 in `glue_lang` (English prose ~0.99, German/French/Spanish
        ~0.5; the margin on the English side leaves room for the glued words themselves and for short
        texts), or when the document is already tagged with `glue_lang`. Foreign words must not be
        cut into English ones.
    sentence_break: a glue before a word that opens sentences ("UkraineThe") lost a paragraph break:
        insert ". " rather than " ". Other glues ("BarcelonaUS") get a space.
    insert_punct_space: "can,due" → "can, due" and "end.The" → "end. The", never in numbers, URLs,
        e-mail addresses or abbreviations.
    lowercase_pronouns: "Klitschko, He urged" → "Klitschko, he urged": He/She/They/We capitalised
        after a comma that follows a lowercase-ending word and before a lowercase word. Not after
        "God", "Lord" and the like, where the capital is reverence, nor before a capital ("He Lifeng").
    normalize_whitespace: trailing spaces, extra blank lines, no-break spaces (see repair_whitespace).
    """

    fix_text: bool = True
    unescape_html: bool | Literal["auto"] = "auto"
    remove_terminal_escapes: bool = True
    fix_encoding: bool = True
    restore_byte_a0: bool = True
    replace_lossy_sequences: bool = True
    decode_inconsistent_utf8: bool = True
    fix_c1_controls: bool = True
    fix_latin_ligatures: bool = False
    fix_character_width: bool = False
    uncurl_quotes: bool = False
    fix_line_breaks: bool = True
    fix_surrogates: bool = True
    remove_control_chars: bool = True
    normalization: Literal["NFC"] | None = "NFC"
    unwrap_links: bool = True
    split_glued_words: bool = True
    min_part_zipf: float = 3.5
    min_camel_part_zipf: float = 3.0
    max_glued_zipf: float = 0.0
    min_part_len: int = 3
    glue_lang: str = "en"
    min_known_ratio: float = 0.75
    sentence_break: bool = True
    insert_punct_space: bool = True
    lowercase_pronouns: bool = True
    normalize_whitespace: bool = True

    def fixer_config(self) -> ftfy.TextFixerConfig:
        """The ftfy configuration these fields describe (explain=False: we diff, which is cheaper)."""
        return ftfy.TextFixerConfig(
            unescape_html=self.unescape_html,
            remove_terminal_escapes=self.remove_terminal_escapes,
            fix_encoding=self.fix_encoding,
            restore_byte_a0=self.restore_byte_a0,
            replace_lossy_sequences=self.replace_lossy_sequences,
            decode_inconsistent_utf8=self.decode_inconsistent_utf8,
            fix_c1_controls=self.fix_c1_controls,
            fix_latin_ligatures=self.fix_latin_ligatures,
            fix_character_width=self.fix_character_width,
            uncurl_quotes=self.uncurl_quotes,
            fix_line_breaks=self.fix_line_breaks,
            fix_surrogates=self.fix_surrogates,
            remove_control_chars=self.remove_control_chars,
            normalization=self.normalization,
            explain=False,
        )


class Repair(DocumentStep):
    """Fix mojibake, link remnants, lost separators and stray whitespace; one event per change."""

    name: ClassVar[str] = "repair"

    def __init__(self, config: RepairConfig) -> None:
        self.config = config
        self._fixer = config.fixer_config()
        self._glue = GlueRules(
            min_part_zipf=config.min_part_zipf,
            min_camel_part_zipf=config.min_camel_part_zipf,
            max_glued_zipf=config.max_glued_zipf,
            min_part_len=config.min_part_len,
            sentence_break=config.sentence_break,
        )
        self._zipf_cache: dict[str, float] = {}
        self._zipf("the")  # load the word list now, not inside the first document

    def apply(self, doc: Document) -> Document:
        text, events = doc.text, list[Event]()
        for _ in range(_MAX_ROUNDS):
            changed = False
            for edits_of in self._passes(doc):
                text, new_events = _run_pass(text, edits_of)
                events.extend(new_events)
                changed = changed or bool(new_events)
            if not changed:
                break
        return doc.edited(text, *events) if events else doc

    def repair_text(self, text: str) -> str:
        """The repaired text alone (for callers that do not need a Document)."""
        return self.apply(Document(id="", source="", text=text)).text

    def _passes(self, doc: Document) -> list[Callable[[str], list[Edit]]]:
        config = self.config
        passes: list[Callable[[str], list[Edit]]] = []
        if config.fix_text:
            passes.append(lambda text: ftfy_edits(text, self._fixer))
        if config.unwrap_links:
            passes.append(link_edits)
        if config.split_glued_words:
            passes.append(functools.partial(self._glue_edits, doc))
        if config.insert_punct_space:
            passes.append(punct_edits)
        if config.lowercase_pronouns:
            passes.append(pronoun_edits)
        if config.normalize_whitespace:
            passes.append(whitespace_edits)
        return passes

    def _glue_edits(self, doc: Document, text: str) -> list[Edit]:
        in_lang = functools.partial(self._in_glue_lang, doc, text)
        return glue_edits(text, self._glue, self._zipf, in_lang)

    def _zipf(self, word: str) -> float:
        """wordfreq's Zipf frequency, memoised: documents repeat their words, and a dict look-up is
        several times faster than wordfreq's own cache. Bounded by clearing, and picklable."""
        score = self._zipf_cache.get(word)
        if score is None:
            if len(self._zipf_cache) >= _ZIPF_CACHE:
                self._zipf_cache.clear()
            score = self._zipf_cache[word] = float(
                wordfreq.zipf_frequency(word, self.config.glue_lang)
            )
        return score

    def _in_glue_lang(self, doc: Document, text: str, glued: set[str]) -> bool:
        """Whether the text, apart from the `glued` words about to be split, is in `glue_lang`."""
        if doc.lang is not None:
            return doc.lang == self.config.glue_lang
        lower = (match.group() for match in _LOWER_WORD.finditer(text))
        words = list(itertools.islice((word for word in lower if word not in glued), _GATE_SAMPLE))
        known = sum(self._zipf(word) >= _GATE_ZIPF for word in words)
        return bool(words) and known >= self.config.min_known_ratio * len(words)


def link_edits(text: str) -> list[Edit]:
    """`[text](#)` → `text`: keep the anchor text of a link the extractor left without a target."""
    return [
        Edit(m.start(), m.end(), m.group(1), LINK_ACTION, LINK_RULE)
        for m in _DEAD_LINK.finditer(text)
    ]


def _run_pass(text: str, edits_of: Callable[[str], list[Edit]]) -> tuple[str, tuple[Event, ...]]:
    edits = edits_of(text)
    if not edits:
        return text, ()
    return apply_edits(text, edits, Repair.name)
