"""The punctuation rules of `repair`'s separator pass (separators/punctuation.py): a stop without
its space gets one in several languages, and abbreviations, file names and hosts stay."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from curate.document import Document

# a full stop without its space, before a one-letter word or an acronym, after an acronym


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("small losses earlier.A breakthrough came", "small losses earlier. A breakthrough came"),
        ("owners tend to be introverts.I mean it", "owners tend to be introverts. I mean it"),
        ("what I call rewind design.I’m not sure", "what I call rewind design. I’m not sure"),
        ("Raab told the BBC.Twitter pledged", "Raab told the BBC. Twitter pledged"),
        ("CAN THEY SAVE THEMSELVES?New Jersey", "CAN THEY SAVE THEMSELVES? New Jersey"),
        ("the plague is fatal, says WHO.From 2010", "the plague is fatal, says WHO. From 2010"),
        ("the researchers said.NASA believes", "the researchers said. NASA believes"),
        ("down 2.74% on the day.On Wall Street", "down 2.74% on the day. On Wall Street"),
        ("as a financial hub.It is also", "as a financial hub. It is also"),
    ],
)
def test_a_stop_before_a_short_word_or_acronym_gets_its_space(
    run: Callable[..., Document], text: str, expected: str
) -> None:
    assert run(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "zisk ve výši 34 022 tis.Kč a obrat",  # an abbreviation before a unit
        "Šárka ORLÍKOVÁ, roz.CHLEPKOVÁ se narodila",  # an abbreviation before a name in capitals
        "see the attached report.PDF for details",  # a file name
        "items No.A and Sec.I of the law",  # numbering
        "the U.S.A. and e.g.The case",
        "a page on www.Example.Com today",
    ],
)
def test_stops_inside_abbreviations_file_names_and_hosts_stay(
    run: Callable[..., Document], text: str
) -> None:
    assert run(text).provenance == ()
