"""A cheap test that rules a pattern out before the regex engine is asked: its required literals.

The strip step runs every line rule on every line. With the `regex` package a call that carries a
`timeout` costs about 3 µs before any matching starts, and ~50 rules times ~30 lines a page made
that overhead most of strip's time. Nearly every rule names words ("advertisement", "published",
"©"): a line that contains none of the words a pattern cannot match without is not worth a call.

`required_literals` reads the pattern's parse tree (the regex package's own parser, so its syntax is
understood exactly) and returns a set of strings one of which every match must contain, or None when
it cannot tell (a pattern made only of classes such as `\\p{Lu}+`, or a construct it does not know).
The test is made on case-folded text (`fold`), so it holds for case-insensitive patterns too; a
character whose case variants do not fold alike (the dotted İ) ends a literal there. The filter can
only say "no match possible" when that is certain: every other line still goes to the pattern, with
its timeout.

A pattern with no required literal may still need a digit (a date or time line: `\\d{1,2}/\\d{4}`);
its requirement is then the marker `DIGIT`, which `LiteralScan.present` reports for a line holding a
digit. Most lines of prose hold none, and the date patterns are among the costliest to run.

A whole-line rule (a fullmatch) is also ruled out by the line's shape (`Prefilter.fits`), each test
read off the parse tree and sound by construction: more characters (`max_chars`), more
non-whitespace characters (`max_solid`) or more runs of whitespace, i.e. words (`max_gaps`), than
any match can hold; a start that no match has (`prefixes`); or one of a few common punctuation and
digit characters that no part of the pattern can match (`absent_probes`). Prose lines fail most
of these for most rules. A hostile line such a test rules out is then never run, so it cannot time
out either: the answer (no match) is the one the pattern would give.

The modules: `parse` (the parse tree and `fold`), `literals` (required literals, `DIGIT`,
prefixes), `bounds` (the shape bounds and the line measures they bound), `pattern` (one pattern's
`Prefilter`), `scan` (the per-line `LiteralScan`, `Candidates`, `LineFacts`) and `alternation`
(the trie pattern the scan searches with).
"""

from curate.rules.prefilter.alternation import literal_alternation
from curate.rules.prefilter.bounds import (
    PROBES,
    absent_probes,
    max_chars,
    max_gaps,
    max_solid,
    probes_in,
    solid_length,
    space_runs,
)
from curate.rules.prefilter.literals import DIGIT, needs_digit, prefixes, required_literals
from curate.rules.prefilter.parse import Literals, fold
from curate.rules.prefilter.pattern import Prefilter, prefilter
from curate.rules.prefilter.scan import (
    SCAN_MAX_CHARS,
    Candidates,
    LineFacts,
    LiteralScan,
    candidates_for,
)

__all__ = [
    "DIGIT", "PROBES", "SCAN_MAX_CHARS", "Candidates", "LineFacts", "LiteralScan", "Literals",
    "Prefilter", "absent_probes", "candidates_for", "fold", "literal_alternation", "max_chars",
    "max_gaps", "max_solid", "needs_digit", "prefilter", "prefixes", "probes_in",
    "required_literals", "solid_length", "space_runs",
]
