"""HTML to text: the main content of a page (`step`), its blocks (`text`), the
score that chooses them (`score`) and the rule packs' selectors (`selectors`).
"""

from curate.steps.extract.step import Extract, ExtractConfig

__all__ = ["ExtractConfig", "Extract"]
