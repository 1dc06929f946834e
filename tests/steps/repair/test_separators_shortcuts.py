"""The shortcuts that make `repair` cheap give exactly what the plain computation gives.

Each shortcut is checked against the computation it replaces (kept here as the reference): the
glued-word cut with its higher floor and guarded-language shortcuts, the plain-word scan that counts
words before judging them, the lexicon's highest Zipf, the language guess's word sample and early
coverage exit, and the windowed search of ftfy's badness regex.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from pathlib import Path

import pytest
import wordfreq
from ftfy.badness import BADNESS_RE, is_bad

from curate.steps.repair.badness import _MAY_BE_BAD, _WIDTH, local_width, may_be_bad
from curate.steps.repair.lexicon import _SAMPLE, _WORD, Lexicon, _first_words
from curate.steps.repair.separators import GlueRules, common, glue, plain, punctuation
from tests.oracles.separators import reference_plain_cut
from tests.steps.repair.test_wordtable import _probes

RULES = GlueRules(
    min_part_zipf=3.5, min_camel_part_zipf=3.0, glue_margin=2.0, max_rare_glued_zipf=3.5,
    min_part_len=3, sentence_break=True,
)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tables")




def _glue_probes(lang: str) -> list[str]:
    """Glued pairs of frequent words (many of them forms wordfreq knows: "ofthe"), frequent and
    rare words, capitalised: the words the floor could wrongly reject."""
    rng = random.Random(lang)
    frequent = [w for w in wordfreq.top_n_list(lang, 3000) if w.isalpha()]
    rare = [w for w in wordfreq.top_n_list(lang, 60000)[40000:] if w.isalpha()]
    words = set(rng.sample(rare, 300)) | set(frequent[:200])
    for _ in range(1500):
        left, right = rng.choice(frequent[:400]), rng.choice(frequent)
        words.update({left + right, (left + right).capitalize()})
    words.update({"ofthe", "inthe", "eachother", "crisiscaused", "Thepresident", "onthe", "tothe"})
    words.update({"dela", "etle", "surle", "dansle", "pourla", "quela", "Dela", "alafin"})
    words.update({"надороге", "вгороде", "aufdem", "imhaus", "mitdem"})
    return sorted(words)


@pytest.mark.parametrize(("lang", "guarded"), [("en", False), ("fr", False), ("de", True),
                                               ("ru", True), ("en", True)])
def test_the_plain_cut_with_its_shortcuts_cuts_as_the_reference(
    lang: str, guarded: bool, cache: Path
) -> None:
    lexicon = Lexicon(lang, cache_folder=cache)
    results = {}
    for word in _glue_probes(lang):
        expected = reference_plain_cut(word, RULES, lexicon, guarded=guarded)
        assert plain._plain_cut(word, RULES, lexicon, guarded=guarded) == expected, word
        results[word] = expected
    cut = [word for word, found in results.items() if found is not None]
    assert len(cut) >= 20  # the probes reach the cuts, or the test proves little
    if not guarded:  # and the cuts of glued forms wordfreq knows, which the floor concerns
        assert any(lexicon.zipf(word.lower()) > 0 for word in cut)


@pytest.mark.parametrize("lang", ["en", "de", "ru", "tr", "ar", "vi", "sh"])
def test_no_word_is_more_frequent_than_the_lexicons_highest_zipf(lang: str, cache: Path) -> None:
    lexicon = Lexicon(lang, cache_folder=cache)
    top = wordfreq.top_n_list(lang, 1)[0]
    assert lexicon.max_zipf == wordfreq.zipf_frequency(top, lang)
    probes = _probes(lang, 150) + ["ofthe", "don't", "l'amour", "the the", "2024", "a1b2"]
    assert max(lexicon.zipf(word) for word in probes) <= lexicon.max_zipf


# Letters of every kind and their neighbours: titlecase (ǅ), modifier (ʰ) and other letters (ª º,
# Han), combining marks, digits that are no decimal ones (² ½), Greek, Cyrillic, Turkish İ and ı,
# German ß, apostrophes and hyphens.
PIECES = ["crisiscaused", "Thepresident", "word", "words", "ǅabc", "abǅcd", "ʰabcd", "abcdʰ", "ªbcde",
          "abcdº", "e\u0301tude", "etude\u0301", "café", "Café", "naïve", "abcd²", "½abcd", "İstanbul",
          "istanbul", "ıstanbul", "straße", "ΑΘΗΝΑ", "αθήνα", "Αθήνα", "москва", "Москва", "МОСКВА",
          "北京abcd", "abcd北京", "l'abcd", "abcd'", "abc-defg", "ABCD", "abCd", "x", "abc",
          "aujourd'hui", "ﬁnance", "ǆungla", "Ǆungla", "ꭰabcd", "abcdꭰ", "abcd\u200b", "ABCDé"]
SEPARATORS = [" ", " ", "\n", "", "", ", ", ".", "-", "'", "’", "2", "_", "\u0301"]


def _adversarial_texts(count: int) -> list[str]:
    rng = random.Random(9)
    rare = ["".join(rng.choice("abcdefghij") for _ in range(7)) for _ in range(2000)]
    pieces = PIECES + rare
    return ["".join(rng.choice(pieces) + rng.choice(SEPARATORS) for _ in range(rng.randrange(1, 60)))
            for _ in range(count)]


def test_the_plain_word_scan_finds_the_spans_the_full_scan_keeps(cache: Path) -> None:
    """Counting the words first, then finding the position of each rare one written once, gives
    the spans (and their order) of judging every _PLAIN_WORD match and then dropping those the
    document repeats (`_Context.seen`)."""
    lexicon = Lexicon("en", cache_folder=cache)
    found_any = 0
    for text in _adversarial_texts(3000):
        seen = Counter(common._WORD.findall(text))
        expected = [m.span() for m in glue._PLAIN_WORD.finditer(text)
                    if lexicon.zipf(m.group().lower()) < RULES.max_rare_glued_zipf
                    and seen[m.group()] == 1]
        words = list(glue._plain_words(text, RULES, lexicon))
        spans = [(glue._whole_word_at(text, word), glue._whole_word_at(text, word) + len(word))
                 for word in words]
        assert spans == expected, text
        positions = glue._positions(text, words)  # a search each, or one scan for many words
        assert [(positions[word], positions[word] + len(word)) for word in words] == expected
        found_any += len(words) > glue._FEW_WORDS
        elided = glue._words_before_apostrophes(text)
        for match in glue._PLAIN_WORD.finditer(text):
            if glue._elides(text, match.end()) or text[match.end() : match.end() + 1] in ("'", "’"):
                assert match.group() in elided, (match.group(), text)
    assert found_any > 100


@pytest.mark.parametrize("length", [0, 5, 150, 199, 200, 201, 1000, 5000])
def test_the_first_words_are_those_of_the_whole_text(length: int) -> None:
    rng = random.Random(length)
    words = [rng.choice(PIECES) * rng.choice([1, 1, 1, 40, 400]) for _ in range(length)]
    text = " ".join(words)
    expected = [m.group() for m in itertools.islice(_WORD.finditer(text), _SAMPLE)]
    assert _first_words(text) == expected
    long_word = "a" * 3000 + " " + text  # a first word far longer than the first prefix
    assert _first_words(long_word) == [m.group() for m in itertools.islice(_WORD.finditer(long_word), _SAMPLE)]


def test_the_coverage_stops_only_when_it_cannot_reach_the_share_asked(cache: Path) -> None:
    lexicon = Lexicon("en", cache_folder=cache)
    rng = random.Random(3)
    vocabulary = ["the", "cat", "crisiscaused", "zzqx", "qwrtp", "house", "xkcdq", "pflumb"]
    for _ in range(300):
        words = [rng.choice(vocabulary) for _ in range(rng.randrange(1, 60))]
        share = sum(lexicon._glue_or_word(word) for word in words) / len(words)
        assert lexicon.coverage(words) == share
        for at_least in (0.5, 0.85, 1.0):
            found = lexicon.coverage(words, at_least=at_least)
            assert found == (None if share < at_least else share)


# ftfy's badness regex, searched in windows around the characters every match needs.

BAD_ALPHABET = sorted(
    {chr(code) for code in range(0x20, 0x2600) if _MAY_BE_BAD and _MAY_BE_BAD.match(chr(code))}
    | set("aeoAZ Ã©Â€™ \n\t.,xß°×²") | set("ØÙ ­·´–—―…’вЂ‚Ä√≈œŒ")
)


def test_the_windowed_search_agrees_with_is_bad_on_random_text() -> None:
    assert _WIDTH is not None  # ftfy's pattern allows windows (else this tests nothing)
    rng = random.Random(5)
    bad = 0
    for _ in range(20000):
        # dense in the pattern's characters, with runs of plain text between them
        text = "".join(rng.choice(BAD_ALPHABET) if rng.random() < 0.3 else rng.choice("ab cd")
                       for _ in range(rng.randrange(1, 60)))
        assert may_be_bad(text) == is_bad(text), text
        bad += is_bad(text)
    assert bad > 1000


def test_a_match_at_the_start_of_the_line_is_found_in_its_window() -> None:
    """ftfy's "^[ÃÂ] " alternative matches at the start of the string only."""
    assert is_bad("Ã yes") and may_be_bad("Ã yes")
    assert not is_bad("1Ã yes") and not may_be_bad("1Ã yes")


def test_only_patterns_whose_matches_depend_on_their_span_get_windows() -> None:
    assert local_width(re.compile("ab[cd]|é.")) == 3
    assert local_width(re.compile("^é|x(?:ab|c)?y")) == 4
    assert local_width(BADNESS_RE) is not None
    for pattern in ["a(?=b)", "(?<!a)b", r"\bé", "é$", "é+", "(?m:^)é", r"(a)\1", "é{1,}"]:
        assert local_width(re.compile(pattern)) is None, pattern
    assert local_width(re.compile("^é", re.MULTILINE)) is None


# The cheap searches that let a pass skip its full scan: whenever the full scan finds something,
# the cheap one does too.

TEXT_PIECES = PIECES + ["He", "She", "They", "We", "Mr", "U.S.", "e.g.", "NASA", "Év", "Ωμέγα",
                        "Женя", "ไทย", "漢字", "عربي", "עברית", "한국", "A", "i", "said, He",
                        "ǅa, She", "Lord, They", "москва, We", "x, He\u00a0"]
PUNCTS = [",", ", ", ".", ". ", "!", "?", ".\"", ".”", "’", "»", ")", ",,", ";;", ";", " ", "\n",
          " \n", "\u00a0", "\t", "\n\n", "\u2028", "\u200b", "\u00ad", "", "-\n", "2"]


def _punct_texts(count: int) -> list[str]:
    rng = random.Random(11)
    return ["".join(rng.choice(TEXT_PIECES) + rng.choice(PUNCTS) for _ in range(rng.randrange(1, 25)))
            for _ in range(count)]


def test_the_hints_hold_wherever_the_full_patterns_match() -> None:
    matched = Counter[str]()
    for text in _punct_texts(20000):
        for name, full, hint in (
            ("comma", punctuation._COMMA, punctuation._COMMA_HINT),
            ("stop", punctuation._STOP, punctuation._STOP_HINT),
            ("pronoun", punctuation._PRONOUN, punctuation._PRONOUN_HINT),
        ):
            if full.search(text):
                matched[name] += 1
                assert hint.search(text), (name, text)
    assert min(matched.values()) > 50 and len(matched) == 3


def test_the_whitespace_pass_skips_only_texts_it_would_not_change() -> None:
    from curate.steps.repair.whitespace import _line_edits, whitespace_edits

    changed = 0
    for text in _punct_texts(20000) + ["", " ", "\n", "a", "a\n", "\na", "a \nb", "a\n\nb", "a\u00a0b"]:
        assert whitespace_edits(text) == _line_edits(text), text
        changed += bool(_line_edits(text))
    assert 1000 < changed < 19000


def test_the_invisible_pass_and_the_doubled_punctuation_pass_agree_with_their_full_scans() -> None:
    from curate.steps.repair.chars import _INVISIBLE, _INVISIBLE_CHAR
    from curate.steps.repair.markup import _DOUBLED, punct_edits

    for text in _punct_texts(5000):
        if _INVISIBLE.search(text):
            assert _INVISIBLE_CHAR.search(text), text
        assert len(punct_edits(text)) == len(list(_DOUBLED.finditer(text)))


def test_ftfys_suspects_are_found_by_re_as_by_regex() -> None:
    """The whole-text searches run in Python's re: the same characters as the regex module."""
    import regex

    from curate.steps.repair.ftfy import _ENTITY, _SUSPECT_CHARS

    for pattern in (_SUSPECT_CHARS, _ENTITY):
        other = regex.compile(pattern.pattern)
        for code in itertools.chain(range(0x3000), range(0xD700, 0x10000), range(0x1F000, 0x1F100)):
            text = f"x&#{chr(code)};y{chr(code)}&a{chr(code)};"
            assert (pattern.search(text) is None) == (other.search(text) is None), hex(code)
            assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in other.finditer(text)]
