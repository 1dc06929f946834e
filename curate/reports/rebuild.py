"""`curate report`: a version's reports written again from the store, byte for byte as `clean` wrote them.

A version's reports are made of its ledger object and run fields (store/ledger.py) and, for the
page's statistics, the documents the version added. They are staged and renamed like `clean`'s
(reports/staging.py), so a folder already there is replaced whole, never mixed with the new one.
"""

from __future__ import annotations

from pathlib import Path

from curate.errors import ReportError
from curate.reports import InputInfo, StagedReports, write_reports
from curate.reports.learned import write_learned
from curate.reports.stats import version_lengths
from curate.store import Store


def rebuild_reports(store: Store, version: str, reports: Path) -> Path:
    """Write `version`'s reports to `reports/<version>/` from the store; returns that folder.
    ReportError for a version that stores no ledger (committed before curate stored one)."""
    stored = store.ledger(version)
    if stored is None:
        raise ReportError(
            f"{version} of store {store.root} has no ledger: it was committed by an older curate, which did not "
            "store what the reports are made of, so they cannot be written again. Its documents are intact "
            f"(`curate export {version}`); a new `curate clean` of its inputs makes a version with a ledger")
    inputs = [InputInfo(str(i["source"]), str(i["sha256"]), int(i["bytes"])) for i in stored.inputs]
    lengths = version_lengths(store.root, version)
    with StagedReports(reports, version) as staged:
        if stored.learned is not None:
            write_learned(staged.folder, stored.learned)
        write_reports(staged.folder, ledger=stored.ledger, inputs=inputs, version=version, run=stored.run,
                      lengths=lengths)
    return staged.publish()
