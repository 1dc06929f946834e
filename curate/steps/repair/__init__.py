"""Text repair: one pass per kind of damage (`step` runs them in order): mojibake (`ftfy`, judged by
`badness`), characters (`chars`), markup remnants (`markup`), whitespace (`whitespace`) and lost
separators (`separators`, judged by the word lists of `lexicon`, `wordtable` and `langs`).
"""

from curate.steps.repair.step import Repair, RepairConfig

__all__ = ["RepairConfig", "Repair"]
