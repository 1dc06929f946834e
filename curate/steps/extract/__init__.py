"""HTML to text: the main content of a page (`step`), its blocks (`text`), the
score that chooses them (`score`) and the rule packs' selectors (`selectors`); the learned
content model's block features (`features`) and its numpy tree evaluator (`trees`, which loads
the shipped `content_model.json`), not yet used by the step (issue 19).
"""

from curate.steps.extract.step import Extract, ExtractConfig

__all__ = ["ExtractConfig", "Extract"]
