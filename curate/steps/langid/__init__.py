"""Language identification: the step (`step`), its backends (`backends`) and per-paragraph
tagging (`paragraphs`).
"""

from curate.steps.langid.step import Langid, LangidConfig

__all__ = ["LangidConfig", "Langid"]
