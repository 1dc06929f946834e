"""The repair step: fix broken text without touching correct text.

Passes run in order, each measured on the previous pass's output, so the concatenated events replay
exactly (`replay(input, events) == output`): markup remnants (markdown links and images, HTML tags),
ftfy (mojibake, entities, control characters), invisible characters and accidental full-width forms,
doubled punctuation, lost separators (glued words, a missing space after punctuation, words broken
across lines), optional ASCII quotes and stray whitespace. They repeat until nothing changes (at most
`_MAX_ROUNDS` rounds). Every change is an event with the rule that made it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Final, Literal

import ftfy

from curate.document import Document, Edit, Event, apply_edits
from curate.pipeline import DocumentStep
from curate.steps.repair.chars import ascii_edits, fullwidth_edits, invisible_edits
from curate.steps.repair.ftfy import ftfy_edits
from curate.steps.repair.lexicon import Lexicon, Lexicons
from curate.steps.repair.markup import link_edits, tag_edits
from curate.steps.repair.markup import punct_edits as doubled_edits
from curate.steps.repair.separators import (
    GlueRules,
    glue_edits,
    hyphen_edits,
    pronoun_edits,
    punct_edits,
)
from curate.steps.repair.whitespace import whitespace_edits

# One fix can reveal another: unwrapping "[[a](#)](#)" leaves "[a](#)", a no-break space turned into a
# space lets ftfy see whole mojibake, a restored space makes a glued word stand alone. So the passes
# run again while they change something (a second round on repaired text finds nothing and is cheap),
# which makes repair idempotent: repair(repair(x)) == repair(x).
_MAX_ROUNDS: Final = 4
Pass = Callable[[str], list[Edit]]


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
    fix_character_width: False. It would turn full-width CJK punctuation ("，", "？") into ASCII;
        `fix_fullwidth` does the safe part.
    uncurl_quotes: False. Curly quotes and apostrophes are correct typography (see `ascii_quotes`).
    fix_line_breaks: CRLF, CR, U+2028/2029 and NEL become "\\n", which the whitespace pass and the
        line-based strip rules rely on.
    fix_surrogates: lone UTF-16 surrogates cannot even be written as UTF-8.
    remove_control_chars: invisible controls (NUL, BOM, bidi overrides) are never content.
    normalization: None. NFC would compose "e" + combining accent into "é", but it also rewrites
        correct Bengali, Punjabi or Romanian text (11% of Bengali words on langid-dev) without a
        visible change; the rule is that correct text is never changed. "NFC" turns it on. Never
        NFKC, which rewrites "²" as "2" and "…" as "...".
    unwrap_links: markdown links keep their text ("[text](https://…)" → "text"), images go
        (markup.py): in scraped text they are remnants of the page, not markdown written on purpose.
    drop_tags: tags of known HTML elements go ("<b>", "</span>", "<br/>"); other angle brackets stay.
    remove_invisible: soft hyphens, zero-width spaces, word joiners, bidi controls (chars.py).
    fix_fullwidth: full-width ASCII forms ("Ｔｒｕｍｐ") → ASCII, only in documents without CJK letters.
    dedupe_punct: ",," → ",", ".." → "." after a word; "..." and "!!" stay.
    split_glued_words: split "UkraineThe", "BarcelonaUS", "crisiscaused" (see separators/).
    min_part_zipf: 3.5. The parts of a glued lowercase word (3+ letters) must be at least this
        frequent (wordfreq Zipf scale: "crisis" 4.6, "doom" 3.8, "scrolling" 3.5); high, because an
        unknown word with no case change is weak evidence of glue. Shorter parts must be among the
        language's 120 most frequent words ("of", "the", "в").
    min_camel_part_zipf: 3.0. For a lower→Upper glue ("UkraineThe"), whose case change is strong
        evidence, the left part must be at least this frequent.
    glue_margin: 2.0. A glued form wordfreq knows is still glue when it is at least this much
        (Zipf) rarer than its two parts side by side would be: "ofthe" (3.3) against "of the" (6.1),
        but not "eachother" (3.2 against 2.7) or "onto" (4.7 against 5.4).
    max_rare_glued_zipf: 3.5. Glued forms at least this frequent are words, never split.
    min_part_len: 3. Parts shorter than this are prefixes and particles (Mc, De, La) unless they
        are frequent words; camelCase left parts must be this long.
    plain_split_langs: the languages (wordfreq codes) in which a word without a case change is
        split ("crisiscaused"). Only languages that rarely build words by joining others: in
        German, Dutch, the Nordic and Slavic languages, Finnish, Hungarian, Turkish, Indonesian,
        an unknown word made of two known ones is usually a compound or an inflection (Danish
        "radioindslag", Bulgarian "по-забравени" written "позабравени", Indonesian "adillah"), and
        splitting it cost 40-220 false repairs per 10,000 words on langid-dev.
    guarded_split_langs: languages where such a word is split only with more evidence: it is
        lowercase, wordfreq does not know it at all, one part is a function word of two letters
        or more (one-letter "в", "с" are prefixes as often) and the other a frequent word of four
        letters or more ("надороге" → "на дороге"; "вгороде" stays). The
        languages whose wordfreq list is large (it reaches Zipf 1, so "unknown" means rare indeed)
        and in which this rule made no false repair on langid-dev, plus Vietnamese, which never
        writes two syllables as one word. Not Danish, Norwegian, Dutch (small lists, or separable
        verb particles: "vedlagt", Afrikaans "uitleef" read as Dutch), nor the languages where a
        preposition is also a productive prefix and the list is small (bg, sl, hr, lv, lt, tl).
        Case-change joins ("UkraineThe") are split in every language with spaces and capitals,
        with a word list or without (see separators/).
    sentence_break: a glue before one of the language's most frequent words ("UkraineThe") lost a
        sentence or paragraph break: insert ". " rather than " ".
    insert_punct_space: "can,due" → "can, due" and "end.The" → "end. The", never in numbers, URLs,
        e-mail addresses or abbreviations.
    join_hyphenated: "infra-\\nstructure" → "infrastructure" where the joined form is a word.
    lowercase_pronouns: "Klitschko, He urged" → "Klitschko, he urged": He/She/They/We capitalised
        after a comma that follows a lowercase-ending word and before a lowercase word. Not after
        "God", "Lord" and the like, where the capital is reverence, nor before a capital ("He Lifeng").
    normalize_whitespace: trailing spaces, extra blank lines, no-break spaces (see whitespace.py).
    ascii_quotes: False. Curly quotes and apostrophes → ASCII, only when asked (`--ascii-quotes`):
        they are correct typography.
    ascii_dashes: False. En and em dashes → "-" and "--", only when asked (library only).
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
    normalization: Literal["NFC"] | None = None
    unwrap_links: bool = True
    drop_tags: bool = True
    remove_invisible: bool = True
    fix_fullwidth: bool = True
    dedupe_punct: bool = True
    split_glued_words: bool = True
    min_part_zipf: float = 3.5
    min_camel_part_zipf: float = 3.0
    glue_margin: float = 2.0
    max_rare_glued_zipf: float = 3.5
    min_part_len: int = 3
    plain_split_langs: tuple[str, ...] = ("en", "fr", "es", "it", "pt", "ca")
    guarded_split_langs: tuple[str, ...] = (
        "cs", "de", "el", "fi", "mk", "pl", "ru", "sk", "sv", "uk", "vi"
    )
    sentence_break: bool = True
    insert_punct_space: bool = True
    join_hyphenated: bool = True
    lowercase_pronouns: bool = True
    normalize_whitespace: bool = True
    ascii_quotes: bool = False
    ascii_dashes: bool = False

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
    """Fix mojibake, markup remnants, lost separators and stray whitespace; one event per change."""

    name: ClassVar[str] = "repair"

    def __init__(self, config: RepairConfig) -> None:
        self.config = config
        self._fixer = config.fixer_config()
        self._glue = GlueRules(
            min_part_zipf=config.min_part_zipf,
            min_camel_part_zipf=config.min_camel_part_zipf,
            glue_margin=config.glue_margin,
            max_rare_glued_zipf=config.max_rare_glued_zipf,
            min_part_len=config.min_part_len,
            sentence_break=config.sentence_break,
        )
        self._lexicons = Lexicons()

    def apply(self, doc: Document) -> Document:
        text, events = doc.text, list[Event]()
        lexicon = _Deferred(self._lexicons, doc.lang)
        for _ in range(_MAX_ROUNDS):
            changed = False
            for edits_of in self._passes(lexicon):
                text, new_events = _run_pass(text, edits_of)
                events.extend(new_events)
                changed = changed or bool(new_events)
            if not changed:
                break
        return doc.edited(text, *events) if events else doc

    def repair_text(self, text: str) -> str:
        """The repaired text alone (for callers that do not need a Document)."""
        return self.apply(Document(id="", source="", text=text)).text

    def _passes(self, lexicon: _Deferred) -> list[Pass]:
        config = self.config
        chosen: list[tuple[bool, Pass]] = [
            (config.unwrap_links, link_edits),
            (config.drop_tags, tag_edits),
            (config.fix_text, lambda text: ftfy_edits(text, self._fixer)),
            (config.remove_invisible, invisible_edits),
            (config.fix_fullwidth, fullwidth_edits),
            (config.dedupe_punct, doubled_edits),
            (config.join_hyphenated, lambda text: hyphen_edits(text, lexicon.of(text))),
            (config.split_glued_words, functools.partial(self._glue_edits, lexicon)),
            (config.insert_punct_space, punct_edits),
            (config.lowercase_pronouns, pronoun_edits),
            (config.ascii_quotes or config.ascii_dashes, self._ascii_edits),
            (config.normalize_whitespace, whitespace_edits),
        ]
        return [edits_of for enabled, edits_of in chosen if enabled]

    def _glue_edits(self, lexicon: _Deferred, text: str) -> list[Edit]:
        found = lexicon.of(text)
        lang = found.lang if found is not None else None
        guarded = lang in self.config.guarded_split_langs
        plain = guarded or lang in self.config.plain_split_langs
        return glue_edits(text, self._glue, found, plain=plain, guarded=guarded)

    def _ascii_edits(self, text: str) -> list[Edit]:
        return ascii_edits(text, quotes=self.config.ascii_quotes, dashes=self.config.ascii_dashes)


class _Deferred:
    """The document's Lexicon, guessed on first need (from the text as repaired so far: mojibake
    and markup would mislead the guess) and then kept for the rest of the document."""

    def __init__(self, lexicons: Lexicons, tag: str | None) -> None:
        self._lexicons, self._tag = lexicons, tag
        self._done = False
        self._lexicon: Lexicon | None = None

    def of(self, text: str) -> Lexicon | None:
        if not self._done:
            self._lexicon, self._done = self._lexicons.for_text(text, self._tag), True
        return self._lexicon


def _run_pass(text: str, edits_of: Pass) -> tuple[str, tuple[Event, ...]]:
    edits = edits_of(text)
    if not edits:
        return text, ()
    return apply_edits(text, edits, Repair.name)
