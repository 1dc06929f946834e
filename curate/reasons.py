"""Every reason a document is dropped or fails, as a named constant (DESIGN.md "counts" contract).

Tests and reports import these, so a typo is a NameError and not a new bucket in summary.json.
"""

from typing import Final

# Dropped: the document was read and processed, and a step decided not to keep it.
EMPTY: Final = "empty"  # nothing left after extraction and stripping
TOO_SHORT: Final = "too_short"  # fewer words than the filter's minimum
LANG_NOT_WANTED: Final = "lang_not_wanted"  # detected language not in --lang
LANG_UNCERTAIN: Final = "lang_uncertain"  # language detected with a score below --min-lang-score
EXACT_DUPLICATE: Final = "exact_duplicate"  # same normalised text as an earlier document
NEAR_DUPLICATE: Final = "near_duplicate"  # MinHash similarity above the threshold to an earlier one

# Failed: the record could not be read or a step raised on it.
BAD_JSON: Final = "bad_json"  # a JSONL line that does not parse as a JSON object
BAD_RECORD: Final = "bad_record"  # a JSON object with no usable text/html field
UNREADABLE: Final = "unreadable"  # a file that cannot be opened, decompressed or decoded
UNSUPPORTED: Final = "unsupported"  # a file whose kind curate does not read
RULE_TIMEOUT: Final = "rule_timeout"  # a rule pattern exceeded its time limit on this document
STEP_ERROR: Final = "step_error"  # a step raised an unexpected error on this document
TOO_LARGE: Final = "too_large"  # a page (file, line, record, cell) over ReadOptions.max_page_bytes
DECOMPRESSION_LIMIT: Final = "decompression_limit"  # a .gz/.zst that inflates like a bomb (compression.py)
STEP_TIMEOUT: Final = "step_timeout"  # a step ran past its per-document time limit on this document
WORKER_CRASHED: Final = "worker_crashed"  # the worker process died (segfault, OOM kill) on this document
OUTSIDE_INPUT: Final = "outside_input"  # a file link under an input folder that leads out of it
DUPLICATE_ID: Final = "duplicate_id"  # its id was read earlier in the run, or the parent version holds it

DROP_REASONS: Final = frozenset({EMPTY, TOO_SHORT, LANG_NOT_WANTED, LANG_UNCERTAIN, EXACT_DUPLICATE,
                                 NEAR_DUPLICATE})
FAIL_REASONS: Final = frozenset({BAD_JSON, BAD_RECORD, UNREADABLE, UNSUPPORTED, RULE_TIMEOUT, STEP_ERROR,
                                 TOO_LARGE, DECOMPRESSION_LIMIT, STEP_TIMEOUT, WORKER_CRASHED, DUPLICATE_ID,
                                 OUTSIDE_INPUT})
