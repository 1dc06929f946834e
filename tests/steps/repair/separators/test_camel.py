"""The case-change rules of `repair`'s separator pass (separators/camel.py): a word glued to a
Capitalised one is split at a lost sentence break or space in several languages, and the brands,
names, hosts and code that look like it stay."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from curate.document import Document

# lowercase word glued to a capitalised one


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # the document ends sentences on "it" elsewhere: not a preposition before a name
        (
            "They say you cannot locate all of it. I found it anyway and kept itHe said",
            "en",
            "They say you cannot locate all of it. I found it anyway and kept it. He said",
        ),
        # a glued form that is a rare word is no brand ("manas")
        (
            "Everything turned to normal for the manAs he related, the course changed",
            "en",
            "Everything turned to normal for the man. As he related, the course changed",
        ),
        # a two-letter abbreviation that lost its full stop with the space
        (
            "Rikkaiden länsimaiden ohella mmUgandassa ja Thaimaassa on kuivaa",
            "fi",
            "Rikkaiden länsimaiden ohella mm. Ugandassa ja Thaimaassa on kuivaa",
        ),
        # after a hyphenated word or an elided article, the case change alone decides
        (
            "avant même de passer au e-commerceIls décident de vivre ensemble",
            "fr",
            "avant même de passer au e-commerce. Ils décident de vivre ensemble",
        ),
        (
            "una baixa que determini l'AjuntamentUbicació del centre",
            "ca",
            "una baixa que determini l'Ajuntament. Ubicació del centre",
        ),
    ],
)
def test_lowercase_glued_to_a_capital_is_split(
    run: Callable[..., Document], text: str, lang: str, expected: str
) -> None:
    assert run(text, lang=lang).text == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # no evidence that "to" ends sentences: a preposition before a name
        ("He sold the phones toHuawei last year", "en", "He sold the phones to Huawei last year"),
        ("Ha lavorato perGoogle per molti anni", "it", "Ha lavorato per Google per molti anni"),
        # an article in French or Catalan, a name particle in English ("laGuardia" stays)
        ("La décision de laBanque centrale", "fr", "La décision de la Banque centrale"),
    ],
)
def test_a_preposition_glued_to_a_name_gets_a_space(
    run: Callable[..., Document], text: str, lang: str, expected: str
) -> None:
    assert run(text, lang=lang).text == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The site linkedIn is popular with recruiters", "en"),  # a known word, written so
        ("Al-Qaeda and alQaeda are spelt both ways", "en"),  # a particle
        ("Het boek van de schrijver laGuardia lag op tafel", "nl"),
    ],
)
def test_lowercase_camel_case_words_stay(
    run: Callable[..., Document], text: str, lang: str
) -> None:
    assert run(text, lang=lang).provenance == ()


# two capitalised words glued


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # a sentence opener of the language that English does not know
        (
            "jako jsou například Turecko a MaltaTakové řešení by starostu jistě potěšilo",
            "cs",
            "jako jsou například Turecko a Malta. Takové řešení by starostu jistě potěšilo",
        ),
        (
            "Então é isso, TadeuMande aí um abraço para o pessoal",
            "pt",
            "Então é isso, Tadeu. Mande aí um abraço para o pessoal",
        ),
        # a language without a word list: neither part is an English word
        (
            "Dit is die tweede boek in die BybelHulle sal maar selde geglo word",
            "af",
            "Dit is die tweede boek in die Bybel. Hulle sal maar selde geglo word",
        ),
    ],
)
def test_two_capitalised_words_glued_at_a_sentence_break_are_split(
    run: Callable[..., Document], text: str, lang: str, expected: str
) -> None:
    assert run(text, lang=lang).text == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("SeniorRådet vil opfordre til, at der bygges flere boliger", "da"),  # English part
        ("Festivalul GayFest a avut loc în iunie", "ro"),
        ("KanguruClone to nazwa programu do kopiowania", "pl"),
        ("De partij GroenLinks won in Amsterdam", "nl"),
        ("Deel dit op FacebookΚοινοποίηση", "el"),  # a label in another script
        ("Avaleht → SmartPostiga kohaletoimetamine Eestis", "et"),  # no list, English brand part
        ("Korisnici ScotRail vlakova su zadovoljni", "hr"),
        ("The team joined the SportsBusiness network and MinnesotaCare", "en"),
    ],
)
def test_brands_of_two_capitalised_words_stay(
    run: Callable[..., Document], text: str, lang: str
) -> None:
    assert run(text, lang=lang).provenance == ()


# a dotted abbreviation glued to the next sentence


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Tickets go on sale at 10 a.mFriday, Dec. 6, at the box office",
            "en",
            "Tickets go on sale at 10 a.m. Friday, Dec. 6, at the box office",
        ),
        (
            "zamierzał wyrzucić książki m.inGombrowicza i innych autorów",
            "pl",
            "zamierzał wyrzucić książki m.in. Gombrowicza i innych autorów",
        ),
    ],
)
def test_an_abbreviation_glued_to_a_capitalised_word_gets_its_stop_and_space(
    run: Callable[..., Document], text: str, lang: str, expected: str
) -> None:
    assert run(text, lang=lang).text == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Notizie da Libertas.smSan Marino e dintorni", "it"),  # a host name
        ("Call s.isEmpty on the list before you read it", "en"),  # code
        ("Die Fahrgäste der DeutscheBahn warten lange", "de"),  # German capitalises nouns
    ],
)
def test_host_names_code_and_german_nouns_stay(
    run: Callable[..., Document], text: str, lang: str
) -> None:
    assert run(text, lang=lang).provenance == ()
