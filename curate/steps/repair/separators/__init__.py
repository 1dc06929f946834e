"""The separator pass of `repair`: restore separators lost when a page was flattened to text.

Each kind of damage is fixed only with strong evidence, because correct text must never change. A
module per kind:

* `glue`: glued words ("crisiscaused", "UkraineThe"), found in the text and checked against the
  rest of the document; `plain` cuts a word without a case change inside, `camel` judges one with a
  case change (a lost sentence break or space, or a brand that stays);
* `punctuation`: a missing space after a comma or a sentence end between words ("can,due",
  "end.The"), and a pronoun capitalised after a comma ("Klitschko, He urged");
* `hyphens`: a word broken across lines by a hyphen ("infra-\\nstructure");
* `common`: the thresholds of the glued-word rules (`GlueRules`) and the helpers several kinds share.
"""

from curate.steps.repair.separators.camel import camel_split_without_lexicon
from curate.steps.repair.separators.common import GlueRules
from curate.steps.repair.separators.glue import SPLIT_ACTION, SPLIT_RULE, glue_edits
from curate.steps.repair.separators.hyphens import HYPHEN_ACTION, HYPHEN_RULE, hyphen_edits
from curate.steps.repair.separators.punctuation import (
    CASE_ACTION,
    CASE_RULE,
    PUNCT_ACTION,
    PUNCT_RULE,
    pronoun_edits,
    punct_edits,
)

__all__ = [
    "CASE_ACTION",
    "CASE_RULE",
    "HYPHEN_ACTION",
    "HYPHEN_RULE",
    "PUNCT_ACTION",
    "PUNCT_RULE",
    "SPLIT_ACTION",
    "SPLIT_RULE",
    "GlueRules",
    "camel_split_without_lexicon",
    "glue_edits",
    "hyphen_edits",
    "pronoun_edits",
    "punct_edits",
]
