"""The glued-word cut of curate/steps/repair/separators/plain.py before its shortcuts (every cut
tried, with the low floor): the frozen reference the shortcuts are checked against."""

from __future__ import annotations

from curate.steps.repair.lexicon import Lexicon
from curate.steps.repair.separators import GlueRules, common
from curate.steps.repair.separators import plain as rs


def reference_plain_cut(word: str, rules: GlueRules, lexicon: Lexicon, *, guarded: bool) -> int | None:
    """`_plain_cut` as it was before its shortcuts: every cut tried, with the low floor."""
    lower = word.lower()
    glued = lexicon.zipf(lower)
    if glued >= rules.max_rare_glued_zipf:
        return None
    best: tuple[float, int] | None = None
    lowest = rules.min_part_zipf - rs._NEXT_TO_FUNCTION
    if glued == 0:
        lowest = min(lowest, rs._LONG_PART_ZIPF)
    for cut in range(1, len(word)):
        left, right = lower[:cut], lower[cut:]
        if len(right) == 1 and not (lexicon.lang == "en" and right in lexicon.top):
            continue
        if not (rs._may_be_part(left, lowest, rules, lexicon)
                and rs._may_be_part(right, lowest, rules, lexicon)):
            continue
        floor = rules.min_part_zipf - (
            rs._NEXT_TO_FUNCTION if left in lexicon.top or right in lexicon.top else 0
        )
        if glued == 0 and min(len(left), len(right)) >= rs._LONG_PART_LEN:
            floor = min(floor, rs._LONG_PART_ZIPF)
        if not (rs._is_part(left, floor, rules, lexicon) and rs._is_part(right, floor, rules, lexicon)):
            continue
        if not rs._plausible_pair(word, left, right, glued, rules, lexicon):
            continue
        if guarded and not rs._guarded_pair(word, left, right, glued, rules, lexicon):
            continue
        score = lexicon.zipf(left) + lexicon.zipf(right)
        if best is None or score > best[0]:
            best = (score, cut)
    if best is None or rs._lost_accent(word, lexicon):
        return None
    if glued > 0 and best[0] - common._BIGRAM_OFFSET - rules.glue_margin < glued:
        return None
    return best[1]
