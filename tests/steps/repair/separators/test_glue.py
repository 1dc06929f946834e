"""The evidence of the document in `repair`'s separator pass (separators/glue.py): a pair the
document writes apart elsewhere is split, and one without that evidence stays."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from curate.document import Document

# the document's own spelling of a pair


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "The Electoral Commission met today. Officials of the ElectoralCommission said so.",
            "en",
            "The Electoral Commission met today. Officials of the Electoral Commission said so.",
        ),
        (
            "Die Deutsche Bahn fährt. Die DeutscheBahn meldet Verspätungen.",
            "de",
            "Die Deutsche Bahn fährt. Die Deutsche Bahn meldet Verspätungen.",
        ),
        # without a word list too
        (
            "Nairobi City Council ilisema. Baadaye NairobiCity ilikubali mpango huo.",
            "sw",
            "Nairobi City Council ilisema. Baadaye Nairobi City ilikubali mpango huo.",
        ),
    ],
)
def test_a_pair_the_document_writes_apart_is_split(
    run: Callable[..., Document], text: str, lang: str, expected: str
) -> None:
    assert run(text, lang=lang).text == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # written apart only inside longer words: no evidence
        ("The Electoral Commissioner met today. The ElectoralCommission said so.", "en"),
        ("Play the Station game. Then the PlayStation started again.", "en"),  # not adjacent
        ("The team joined SportsBusiness after a Sports meeting on Business", "en"),
    ],
)
def test_a_pair_without_the_documents_evidence_stays(
    run: Callable[..., Document], text: str, lang: str
) -> None:
    assert run(text, lang=lang).provenance == ()
