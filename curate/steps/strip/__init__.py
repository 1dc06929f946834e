"""Boilerplate removal: rule packs applied to text (`step`), text-mode furniture (`text`) and what
repeats across a source (`learn`).
"""

from curate.steps.strip.step import Strip, StripConfig

__all__ = ["StripConfig", "Strip"]
