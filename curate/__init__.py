"""curate: clean scraped web text into a versioned, auditable corpus.

The library API; the `curate` command is a thin layer over these names.
"""

from curate.config import CleanConfig
from curate.document import Document, Dropped, Event, Failed, replay
from curate.inputs import ReadOptions, discover, read_inputs
from curate.pipeline import Ledger, run_steps
from curate.rules import RuleSet, load_ruleset
from curate.rules.spec import RuleSpec
from curate.runner import CleanResult, clean_documents, clean_to_store
from curate.store import Store
from curate.version import __version__

__all__ = [
    "CleanConfig", "CleanResult", "Document", "Dropped", "Event", "Failed", "Ledger", "ReadOptions",
    "RuleSet", "RuleSpec", "Store", "__version__", "clean_documents", "clean_to_store", "discover",
    "load_ruleset", "read_inputs", "replay", "run_steps",
]
