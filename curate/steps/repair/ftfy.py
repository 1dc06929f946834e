"""The ftfy pass of `repair`: fix what is broken, record minimal edits, skip text that is clean.

ftfy works line by line (`fix_text` fixes each "\\n"-terminated segment on its own), so this pass does
the same: a cheap check picks the lines that could possibly change, only those go through ftfy, and a
character diff of each changed line becomes `fix_encoding` edits with spans as small as the change.

ftfy re-decodes a whole segment or nothing, so a line that mixes mojibake with correct accented
text ("myÅ¡i - ověření") stays broken at line level. Two narrower fixes follow on such a line: the
words ftfy's own `is_bad` still flags go through ftfy one by one ("myÅ¡i" → "myši"), and then each
run of characters that spells a UTF-8 sequence in Windows-1252 ("Ä›" for "ě", "Ã…" for "Å") and
decodes strictly is decoded: a run needs a lead character (Â-ô) followed by the right number of
continuation characters (the symbols cp1252 puts at 0x80-0xBF), which real words almost never hold.
A word's runs are decoded only if the word then holds nothing `is_bad` flags and each letter they
make is of the script beside them: what ftfy keeps of its own test cases (tests/steps/repair/test_ftfy.py).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from typing import Final

import ftfy
import ftfy.fixes
import regex
from ftfy.badness import is_bad

from curate.document import Edit
from curate.steps.repair.badness import lines_to_test, may_be_bad

ACTION: Final = "fix_encoding"
RULE: Final = "ftfy.fix_text"

# Characters some enabled ftfy fixer would touch whatever their context: C0/C1 controls (including
# ESC of terminal escapes and the CR of CRLF), Unicode line/paragraph separators, the invisible
# formatting characters remove_control_chars drops, and lone surrogates.
# (Python's re, not regex: for a class of code points and an ASCII shape they agree, and re scans
# a whole text for them several times faster.)
_SUSPECT_CHARS: Final = re.compile(
    "[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f\u2028\u2029\u206a-\u206f\ufeff\ufff9-\ufffc\ud800-\udfff]"
)
# The entity shape ftfy's unescape_html decodes (ftfy.chardata.HTML_ENTITY_RE).
_ENTITY: Final = re.compile(r"&#?[0-9A-Za-z]{1,24};")
_NON_SPACE: Final = regex.compile(r"\S+")
# A word for decoding runs: split at ASCII spaces only, since a no-break space is the last byte
# of "à", "Š" or "Р" in cp1252-read UTF-8 ("Å\u00a0toviše" → "Štoviše").
_CHUNK: Final = regex.compile(r"[^ \t\n\r\f\v]+")
# Layers of mojibake one word's runs are decoded through ("’" read as cp1252 twice, in part).
_MAX_LAYERS: Final = 3
# UTF-8 read as Windows-1252 (ftfy's "sloppy" variant, which maps every byte): lead bytes 0xC2-0xF4
# and continuation bytes 0x80-0xBF as the characters they become.
_CONT: Final = regex.escape(bytes(range(0x80, 0xC0)).decode("sloppy-windows-1252"))
_LEAD2, _LEAD3, _LEAD4 = "\u00c2-\u00df", "\u00e0-\u00ef", "\u00f0-\u00f4"
_LEAD_CONT: Final = regex.compile(f"[{_LEAD2}{_LEAD3}{_LEAD4}][{_CONT}]")
_SEQUENCES: Final = regex.compile(
    f"(?:[{_LEAD2}][{_CONT}]|[{_LEAD3}][{_CONT}]{{2}}|[{_LEAD4}][{_CONT}]{{3}})+"
)
# Two changes closer than this are reported as one event: "Ã¢â‚¬â„¢" → "’" is one repair, even if
# the character diff happens to align a stray character in the middle of it.
_MERGE_GAP: Final = 3


def needs_ftfy(segment: str, *, normalizes: bool = True) -> bool:
    """Whether ftfy (as `Repair` configures it) could change this segment; False means surely not.

    ftfy's mojibake fixers only run when `is_bad` is true on non-ASCII text, the other fixers only on
    specific characters, and NFC only on text that is not already NFC, so this is sound and cheap.

    >>> needs_ftfy("plain ASCII, nothing to do"), needs_ftfy("caf\\u00c3\\u00a9"), needs_ftfy("a &amp; b")
    (False, True, True)
    """
    return _needs_ftfy(segment, normalizes=normalizes, suspect=True, entity=True)


def _needs_ftfy(segment: str, *, normalizes: bool, suspect: bool, entity: bool) -> bool:
    """`needs_ftfy`, skipping the searches for suspect characters or entities (`suspect`, `entity`
    False) where the whole text has none: neither pattern can match across a line break."""
    if (suspect and _SUSPECT_CHARS.search(segment)) or (entity and _ENTITY.search(segment)):
        return True
    if segment.isascii():
        return False
    return may_be_bad(segment) or (normalizes and not unicodedata.is_normalized("NFC", segment))


def ftfy_edits(text: str, config: ftfy.TextFixerConfig) -> list[Edit]:
    """The edits that turn `text` into what ftfy makes of it, one per changed span."""
    if text.isascii() and not needs_ftfy(text):
        return []
    if config.unescape_html == "auto":
        # A literal "<" means the text is (or quotes) HTML source whose entities must stay; ftfy decides
        # this per segment from the first "<" on, we decide once for the whole document.
        config = config._replace(unescape_html="<" not in text)
    normalizes = config.normalization is not None
    # Most documents have no suspect character nor entity: one search of the whole text each, not
    # two of every line (a match in a line is a match in the text: neither pattern looks around).
    suspect = _SUSPECT_CHARS.search(text) is not None
    entity = _ENTITY.search(text) is not None
    lines = None if suspect or entity or normalizes else lines_to_test(text)
    # Without those, only a line that holds a character of the badness pre-test can need ftfy.
    edits: list[Edit] = []
    for start, line in _lines(text) if lines is None else lines:
        if not _needs_ftfy(line, normalizes=normalizes, suspect=suspect, entity=entity):
            continue
        fixed = ftfy.fix_text(line, config)
        if config.fix_encoding and not fixed.isascii():
            fixed = _decode_sequences(_fix_words(fixed, config) if is_bad(fixed) else fixed)
        if fixed != line:
            edits.extend(diff_edits(line, fixed, start))
    return edits


def _fix_words(line: str, config: ftfy.TextFixerConfig) -> str:
    """Fix, word by word, the mojibake a whole-line fix left: each word ftfy's `is_bad` flags, if
    the fix shortens it (undoing mojibake always does; "�" → "ďż˝" is ftfy guessing wrong)."""

    def fix(match: regex.Match[str]) -> str:
        word: str = match.group()
        if not is_bad(word):
            return word
        fixed = ftfy.fix_text(word, config)
        return fixed if len(fixed) < len(word) else word

    return str(_NON_SPACE.sub(fix, line))


def _decode_sequences(line: str) -> str:
    """Decode each run of cp1252-read UTF-8 sequences ("vÄ›dách" → "vědách"), see the docstring."""
    if not _LEAD_CONT.search(line):
        return line
    return str(_CHUNK.sub(_decode_word, line))


def _decode_word(match: regex.Match[str]) -> str:
    """One word with its runs decoded, layer after layer ("â€â„¢" → "â€™" → "’"), if that leaves
    nothing ftfy's `is_bad` flags in it (C1 controls read as cp1252, as ftfy's next round does);
    else the word as it was. A word that stays bad is a pile-up ftfy itself gave up on
    ("ã†â€™ãƒâ€", ftfy's "hopeless garble" case): decoding the runs in it that happen to spell
    UTF-8 is a step, repeated each round, towards Han and katakana noise, not towards the text."""
    word: str = match.group()
    decoded = word
    for _ in range(_MAX_LAYERS):
        if not _LEAD_CONT.search(decoded):
            break
        decoded, before = str(_SEQUENCES.sub(_decode_run, decoded)), decoded
        if decoded == before:
            break
    if decoded == word or is_bad(ftfy.fixes.fix_c1_controls(decoded)):
        return word
    return decoded


def _decode_run(match: regex.Match[str]) -> str:
    run: str = match.group()
    start: int = match.start()
    if start and run[0].isupper() and str(match.string[start - 1]).isupper():
        return run  # "CAFÉ»": an accented capital inside a word in capitals, then a quote
    try:
        decoded = run.encode("sloppy-windows-1252").decode("utf-8")
    except UnicodeError:
        return run
    neighbours = match.string[start - 1 : start] + match.string[match.end() : match.end() + 1]
    return decoded if _same_script(decoded, neighbours) else run


def _same_script(decoded: str, neighbours: str) -> bool:
    """Whether each letter the decode makes is of the script of the letters beside the run: "Ä›"
    in "vÄ›dách" is "ě", Latin in a Latin word; "é" and a no-break space in "které\u00a0se" spell
    "頠", which no Czech word holds (a correct letter, then a space, not mojibake)."""
    scripts = {_script(char) for char in neighbours if char.isalpha()}
    return all(_script(char) in scripts for char in decoded if char.isalpha()) if scripts else True


def _script(char: str) -> str:
    """The script of a letter as the first word of its Unicode name ("LATIN", "CJK", "HANGUL")."""
    return unicodedata.name(char, "?").split(" ", 1)[0]


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for every line, each keeping its "\\n": the segments ftfy.fix_text uses."""
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos) + 1 or len(text)
        yield pos, text[pos:end]
        pos = end


def diff_edits(before: str, after: str, offset: int = 0) -> list[Edit]:
    """Minimal edits from `before` to `after`, shifted by `offset`; near changes are grouped, and a
    change inside an HTML entity covers the whole entity ("&amp;" → "&", not "amp;" → "").

    >>> [(e.start, e.end, e.replacement) for e in diff_edits("caf\u00c3\u00a9 ok", "caf\u00e9 ok")]
    [(3, 5, 'é')]
    """
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    groups: list[list[int]] = []  # [i1, i2, j1, j2] per group of nearby changes
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if groups and i1 - groups[-1][1] < _MERGE_GAP and j1 - groups[-1][3] < _MERGE_GAP:
            groups[-1][1], groups[-1][3] = i2, j2
        else:
            groups.append([i1, i2, j1, j2])
    if "&" in before:
        groups = _widen_to_entities(before, after, groups)
    return [Edit(offset + i1, offset + i2, after[j1:j2], ACTION, RULE) for i1, i2, j1, j2 in groups]


def _widen_to_entities(before: str, after: str, groups: list[list[int]]) -> list[list[int]]:
    """Stretch each group over the entities it touches, where the stretch is unchanged text."""
    entities = [m.span() for m in _ENTITY.finditer(before)]
    widened: list[list[int]] = []
    for i1, i2, j1, j2 in groups:
        starts = [start for start, end in entities if start < i2 and end > i1 or start == i1 == i2]
        ends = [end for start, end in entities if start < i2 and end > i1 or end == i1 == i2]
        left = i1 - min(starts + [i1])
        right = max(ends + [i2]) - i2
        floor = widened[-1][1] if widened else 0
        if (
            i1 - left >= floor
            and before[i1 - left : i1] == after[j1 - left : j1]
            and before[i2 : i2 + right] == after[j2 : j2 + right]
        ):
            i1, j1, i2, j2 = i1 - left, j1 - left, i2 + right, j2 + right
        widened.append([i1, i2, j1, j2])
    return widened
