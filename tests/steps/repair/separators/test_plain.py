"""The plain glued-word rules of `repair`'s separator pass (separators/plain.py): words glued without
a case change are split in several languages, and the correct words that look like them stay."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from curate.document import Document

# plain glued words


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # "un" is a prefix in English but an article in the Romance languages
        (
            "Ha comprado unnuevo coche para la familia",
            "es",
            "Ha comprado un nuevo coche para la familia",
        ),
        (
            "Il a trouvé enun instant la réponse juste",
            "fr",
            "Il a trouvé en un instant la réponse juste",
        ),
        # a one-letter English article on the right
        ("the police stoppeda car on the road", "en", "the police stopped a car on the road"),
        # two long parts of an unknown glued form may be rarer words
        (
            "it was the deadlybubonic strain that spread",
            "en",
            "it was the deadly bubonic strain that spread",
        ),
        # an elided article ("d'", "l'") glued to the word before it
        ("prenons un typed'exemple simple", "fr", "prenons un type d'exemple simple"),
        # one rare word in a short text is no sign of a broken page ("amainat")
        (
            "La tempesta ha amainat i ara el grupteatral pot assajar",
            "ca",
            "La tempesta ha amainat i ara el grup teatral pot assajar",
        ),
    ],
)
def test_plain_glued_words_are_split(
    run: Callable[..., Document], text: str, lang: str, expected: str
) -> None:
    assert run(text, lang=lang).text == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("we need some unknowable things", "en"),  # "un" stays a prefix in English
        ("Les gens passara a estar al servei", "ca"),  # a one-letter ending, not the article
        ("Recibe novedades, ofertas y noticias", "es"),
        ("C'est aujourd'hui que tout commence", "fr"),  # the apostrophe inside a word
        ("Vado a casa quest'anno con mia madre", "it"),
        ("Він хотів з'ясувати, чи існують ліки", "uk"),
        # an unknown word without its accent makes the page suspect ("versin")
        ("Esta versin es algo corta y unnuevo libro sale", "es"),
        # languages that join words keep the strict spelling gate: one unknown word
        # ("виявлялии") is enough to leave "незлочинності" whole
        ("близнюка і незлочинності іншого вони виявлялии", "uk"),
    ],
)
def test_correct_words_beside_plain_rules_stay(
    run: Callable[..., Document], text: str, lang: str
) -> None:
    assert run(text, lang=lang).provenance == ()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Il presidente dell'associazione nell'anno sull'isola, quell'uomo e sant'Antonio", "it"),
        ("C'est aujourd'hui jusqu'à ce que quelqu'un arrive sur la presqu'île", "fr"),
    ],
)
def test_elided_articles_that_belong_to_the_word_stay(
    run: Callable[..., Document], text: str, lang: str
) -> None:
    assert run(text, lang=lang).provenance == ()
