"""The repair step: each repair with its event, what must never change, and the seed articles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from curate.document import Document, Event
from curate.steps.repair import Repair, RepairConfig
from curate.steps.repair import ftfy as repair_ftfy

NEGATIVE = Path(__file__).parents[2] / "data" / "clean_prose" / "repair_negative.txt"


def only(doc: Document) -> Event:
    assert len(doc.provenance) == 1, doc.provenance
    return doc.provenance[0]


# ftfy


def test_mojibake_is_fixed_with_a_minimal_span(run: Callable[..., Document]) -> None:
    out = run("The cafÃ© opened.")
    assert out.text == "The café opened."
    event = only(out)
    assert (event.step, event.action, event.rule) == ("repair", "fix_encoding", "ftfy.fix_text")
    assert (event.span, event.text, event.replacement) == ((7, 9), "Ã©", "é")


def test_each_mojibake_sequence_is_its_own_event(run: Callable[..., Document]) -> None:
    out = run("â€œHelloâ€\x9d, she said.")
    assert out.text == "“Hello”, she said."
    assert [(e.text, e.replacement) for e in out.provenance] == [("â€œ", "“"), ("â€\x9d", "”")]


def test_html_entities_are_decoded(run: Callable[..., Document]) -> None:
    out = run("Fish &amp; chips")
    assert out.text == "Fish & chips"
    assert (only(out).span, only(out).text, only(out).replacement) == ((5, 10), "&amp;", "&")


def test_entities_stay_in_text_that_holds_angle_brackets(run: Callable[..., Document]) -> None:
    out = run("The play <The Palace> is on &amp; sold out")
    assert out.text == "The play <The Palace> is on &amp; sold out"
    assert out.provenance == ()


def test_entities_are_decoded_once_stray_tags_are_gone(run: Callable[..., Document]) -> None:
    out = run("Write <b>&amp;</b> in HTML")
    assert out.text == "Write & in HTML"
    assert [e.action for e in out.provenance] == ["drop_tag", "drop_tag", "fix_encoding"]


def test_control_characters_are_removed(run: Callable[..., Document]) -> None:
    out = run("nul\x00l and bom\ufeff here")
    assert out.text == "null and bom here"
    assert [(e.action, e.text, e.replacement) for e in out.provenance] == [
        ("fix_encoding", "\x00", None),
        ("fix_encoding", "\ufeff", None),
    ]


def test_windows_line_breaks_become_newlines(run: Callable[..., Document]) -> None:
    out = run("one\r\ntwo")
    assert out.text == "one\ntwo"
    assert (only(out).span, only(out).text, only(out).replacement) == ((3, 4), "\r", None)


def test_decomposed_accents_stay_by_default(run: Callable[..., Document]) -> None:
    assert run("cafe\u0301").provenance == ()


def test_decomposed_accents_are_composed_on_request(make_doc: Callable[..., Document]) -> None:
    out = Repair(RepairConfig(normalization="NFC")).apply(make_doc(text="cafe\u0301"))
    assert out.text == "caf\u00e9"
    assert only(out).rule == "ftfy.fix_text"


def test_mojibake_next_to_correct_accents_is_fixed_word_by_word(
    run: Callable[..., Document],
) -> None:
    out = run("Toto je však jen pouze Å¡pičkou ledovce, pozdÄ›jšího vítěze.")
    assert out.text == "Toto je však jen pouze špičkou ledovce, pozdějšího vítěze."
    assert {e.rule for e in out.provenance} == {"ftfy.fix_text"}


def test_accented_capitals_before_a_quote_are_not_mojibake(run: Callable[..., Document]) -> None:
    assert run("Le titre «CAFÉ» et «L’ÉTÉ» restent.").provenance == ()


@pytest.mark.parametrize(
    "text",
    ["“Curly” ‘quotes’ stay", "「你好，世界」？", "ﬁne ligature", "ＡＢＣ、全角", "x² and …"],
)
def test_typography_is_kept(run: Callable[..., Document], text: str) -> None:
    out = run(text)
    assert out.text == text
    assert out.provenance == ()


def test_clean_ascii_never_reaches_ftfy(
    repair: Repair, make_doc: Callable[..., Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("ftfy ran on clean text")

    monkeypatch.setattr(repair_ftfy.ftfy, "fix_text", refuse)
    assert repair.apply(make_doc(text="Plain text, U.S. style.\nSecond line.")).provenance == ()


def test_only_suspect_lines_reach_ftfy(
    repair: Repair, make_doc: Callable[..., Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real = repair_ftfy.ftfy.fix_text

    def spy(text: str, config: object) -> str:
        seen.append(text)
        return real(text, config)  # type: ignore[arg-type]

    monkeypatch.setattr(repair_ftfy.ftfy, "fix_text", spy)
    repair.apply(make_doc(text="clean line\n“curly” line\ncafÃ© line"))
    assert seen == ["cafÃ© line"]


@pytest.mark.parametrize("text", ["plain ascii", "“curly” café 你好", "ﬁ and ＡＢＣ"])
def test_needs_ftfy_is_false_on_clean_text(text: str) -> None:
    assert not repair_ftfy.needs_ftfy(text)


@pytest.mark.parametrize("text", ["cafÃ©", "a &amp; b", "nul\x00", "cr\r\n", "e\u0301", "c1\x85"])
def test_needs_ftfy_is_true_on_broken_text(text: str) -> None:
    assert repair_ftfy.needs_ftfy(text)


# markdown link remnants


def test_dead_markdown_link_keeps_its_text(run: Callable[..., Document]) -> None:
    out = run("during [trilateral meetings](#) between")
    assert out.text == "during trilateral meetings between"
    event = only(out)
    assert (event.action, event.rule) == ("unwrap_link", "repair.markdown_link")
    assert (event.span, event.text, event.replacement) == (
        (7, 31),
        "[trilateral meetings](#)",
        "trilateral meetings",
    )


@pytest.mark.parametrize("link", ["[top](#top)", "[empty]()"])
def test_anchor_only_and_empty_targets_are_dead_links(
    run: Callable[..., Document], link: str
) -> None:
    out = run(f"see {link} here")
    assert out.text == f"see {link[1 : link.index(']')]} here"
    assert only(out).action == "unwrap_link"


def test_links_with_targets_keep_their_text(run: Callable[..., Document]) -> None:
    out = run("see [the docs](https://example.com/a) here")
    assert out.text == "see the docs here"
    assert only(out).action == "unwrap_link"


def test_images_go_with_the_space_before_them(run: Callable[..., Document]) -> None:
    out = run("a photo ![Residents queue](https://x.org/a.jpg) here")
    assert out.text == "a photo here"
    event = only(out)
    assert (event.action, event.rule) == ("drop_image", "repair.markdown_image")
    assert event.text == " ![Residents queue](https://x.org/a.jpg)"


# HTML tags


def test_tags_of_html_elements_go(run: Callable[..., Document]) -> None:
    out = run('a <b>bold</b> and <a href="https://x.org">linked</a> word')
    assert out.text == "a bold and linked word"
    assert {(e.action, e.rule) for e in out.provenance} == {("drop_tag", "repair.html_tag")}


def test_a_void_tag_goes_with_the_space_before_it(run: Callable[..., Document]) -> None:
    assert run("first line <br/> second line").text == "first line second line"


def test_a_line_break_tag_between_words_becomes_a_space(run: Callable[..., Document]) -> None:
    assert run("first<br>second").text == "first second"


@pytest.mark.parametrize("text", ["a < b and c > d", "<The Palace: Tale of Jang Noksu>", "<3 you"])
def test_other_angle_brackets_stay(run: Callable[..., Document], text: str) -> None:
    assert run(text).provenance == ()


# invisible characters and full-width forms


@pytest.mark.parametrize("char", ["\u00ad", "\u200b", "\u2060", "\u202e", "\u2066", "\x9d"])
def test_invisible_characters_go(run: Callable[..., Document], char: str) -> None:
    out = run(f"infra{char}structure")
    assert out.text == "infrastructure"
    assert {e.rule for e in out.provenance} <= {"repair.invisible", "ftfy.fix_text"}


def test_zero_width_space_between_thai_letters_stays(run: Callable[..., Document]) -> None:
    assert run("ภาษา\u200bไทย").provenance == ()


@pytest.mark.parametrize("text", ["می\u200cخواهم", "क्\u200dष", "שלום \u200f123"])
def test_joiners_and_bidi_marks_in_right_to_left_text_stay(
    run: Callable[..., Document], text: str
) -> None:
    assert run(text).provenance == ()


def test_bidi_marks_in_latin_text_go(run: Callable[..., Document]) -> None:
    assert run("price\u200e 12").text == "price 12"


def test_full_width_letters_in_latin_text_become_ascii(run: Callable[..., Document]) -> None:
    out = run("President Ｔｒｕｍｐ said")
    assert out.text == "President Trump said"
    assert (only(out).action, only(out).rule) == ("fix_width", "repair.fullwidth")


# punctuation


def test_doubled_commas_become_one(run: Callable[..., Document]) -> None:
    out = run("the city,, the river")
    assert out.text == "the city, the river"
    assert only(out).rule == "repair.repeated_punct"


@pytest.mark.parametrize("text", ["Wait for it...", "the end.. or not", "What?!", "No!!"])
def test_ellipses_and_emphasis_stay(run: Callable[..., Document], text: str) -> None:
    assert run(text).provenance == ()


def test_ascii_quotes_on_request(make_doc: Callable[..., Document]) -> None:
    out = Repair(RepairConfig(ascii_quotes=True)).apply(make_doc(text="“It’s” — fine"))
    assert out.text == '"It\'s" — fine'
    assert {e.rule for e in out.provenance} == {"repair.ascii"}


def test_ascii_dashes_on_request(make_doc: Callable[..., Document]) -> None:
    out = Repair(RepairConfig(ascii_dashes=True)).apply(make_doc(text="1–2 — ok"))
    assert out.text == "1-2 -- ok"


def test_nested_dead_links_unwrap_completely(run: Callable[..., Document]) -> None:
    out = run("a [[b](#)](#) c")
    assert out.text == "a b c"
    assert [e.text for e in out.provenance] == ["[b](#)", "[b](#)"]


# glued words


def test_glue_before_a_sentence_opener_restores_the_full_stop(run: Callable[..., Document]) -> None:
    out = run("with respect to UkraineThe US president said")
    assert out.text == "with respect to Ukraine. The US president said"
    event = only(out)
    assert (event.action, event.rule) == ("split_join", "repair.glued_words")
    assert (event.span, event.text, event.replacement) == ((23, 23), "", ". ")
    assert dict(event.detail) == {"word": "UkraineThe", "left": "Ukraine", "right": "The"}


def test_glue_before_an_acronym_gets_a_space(run: Callable[..., Document]) -> None:
    out = run("BarcelonaUS President Donald Trump", lang="en")
    assert out.text == "Barcelona US President Donald Trump"
    assert (only(out).span, only(out).replacement) == ((9, 9), " ")


def test_sentence_break_can_be_turned_off(make_doc: Callable[..., Document]) -> None:
    config = RepairConfig(sentence_break=False)
    out = Repair(config).apply(make_doc(text="to UkraineThe US", lang="en"))
    assert out.text == "to Ukraine The US"


def test_unknown_lowercase_word_made_of_two_words_is_split(run: Callable[..., Document]) -> None:
    out = run("the energy crisiscaused by the offensive", lang="en")
    assert out.text == "the energy crisis caused by the offensive"
    assert (only(out).span, only(out).replacement) == ((17, 17), " ")
    assert dict(only(out).detail) == {"word": "crisiscaused", "left": "crisis", "right": "caused"}


@pytest.mark.parametrize(
    "word",
    [
        "iPhone",
        "eBay",
        "macOS",
        "McDonald",
        "MacArthur",
        "DeSantis",
        "LeBron",
        "YouTube",
        "PlayStation",
        "PowerPoint",
        "JavaScript",
        "LinkedIn",
        "OpenAI",
        "ChatGPT",
        "getElementById",
        "eachother",
        "nonscientific",
        "hyperlocal",
        "doomscrolling",
        "Donaudampfschiff",
    ],
)
def test_words_brands_and_names_are_not_split(run: Callable[..., Document], word: str) -> None:
    text = f"They talked about {word} at length in the office yesterday."
    assert run(text).provenance == ()


@pytest.mark.parametrize(
    "token",
    ["#UkraineThe", "@crisiscaused", "example.com/UkraineThe", "UkraineThe2", "snake_caseThe"],
)
def test_hashtags_urls_and_code_are_not_split(run: Callable[..., Document], token: str) -> None:
    assert run(f"See {token} now").provenance == ()


GERMAN = "Die neuen Regeln gelten ab dem nächsten Jahr für alle Unternehmen im Land."


def test_lowercase_rule_skips_text_in_another_language(run: Callable[..., Document]) -> None:
    # "gelten" is not in the English word list but "gel" and "ten" are.
    assert run(GERMAN).provenance == ()


def test_german_is_judged_with_the_german_word_list(make_doc: Callable[..., Document]) -> None:
    # tagged German: the plain rule is off for German (compounds), so "gelten" can never be cut
    assert Repair(RepairConfig()).apply(make_doc(text=GERMAN, lang="de")).provenance == ()


def test_glue_after_a_function_word_gets_a_space(run: Callable[..., Document]) -> None:
    out = run("He sold the phones toHuawei last year", lang="en")
    assert out.text == "He sold the phones to Huawei last year"


def test_lowercase_word_glued_to_a_capital_is_a_lost_sentence_break(
    run: Callable[..., Document],
) -> None:
    out = run("They failed to answer the invitationInstead, they went", lang="en")
    assert out.text == "They failed to answer the invitation. Instead, they went"


def test_common_glued_pair_known_as_web_noise_is_split(run: Callable[..., Document]) -> None:
    assert run("the end ofthe war", lang="en").text == "the end of the war"


def test_capitalised_glue_after_a_function_word_is_split(run: Callable[..., Document]) -> None:
    assert run("Thepresident said so", lang="en").text == "The president said so"


def test_plain_split_waits_for_well_spelt_text(run: Callable[..., Document]) -> None:
    # lost letters ("autr") make an unknown word ("versin") no evidence of glue
    assert run("Esta versin es algo más corta que la otra del autr", lang="es").provenance == ()


def test_a_word_the_document_repeats_is_not_glue(run: Callable[..., Document]) -> None:
    text = "the backglass is new and the backglass is big"
    assert run(text, lang="en").provenance == ()


def test_case_change_glue_is_split_in_other_languages(run: Callable[..., Document]) -> None:
    out = run("Die Regierung hat entschiedenDie Opposition protestiert", lang="de")
    assert out.text == "Die Regierung hat entschieden. Die Opposition protestiert"


def test_no_language_no_glue_split(run: Callable[..., Document]) -> None:
    assert run("crisiscaused").provenance == ()


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # a rare verb (no frequent-word evidence on either side) before a capitalised opener
        (
            "не надо себя запугиватьКомандиры прислушались к совету",
            "ru",
            "не надо себя запугивать. Командиры прислушались к совету",
        ),
        # a heading glued to its paragraph, in Latvian
        (
            "Jauna patēriņa efektivitāteViens no spēkiem ir cena",
            "lv",
            "Jauna patēriņa efektivitāte. Viens no spēkiem ir cena",
        ),
        # German capitalises nouns: after its function words a capital is a noun, not a sentence
        (
            "Wir fahren heute zumBahnhof und dann weiter",
            "de",
            "Wir fahren heute zum Bahnhof und dann weiter",
        ),
        # a frequent noun is no preposition: a sentence may end on it
        (
            "It took a long timeTrump said on Friday",
            "en",
            "It took a long time. Trump said on Friday",
        ),
    ],
)
def test_lowercase_word_glued_to_a_capitalised_one_is_split_in_every_language(
    run: Callable[..., Document], text: str, lang: str, expected: str
) -> None:
    out = run(text, lang=lang)
    assert out.text == expected
    assert only(out).rule == "repair.glued_words"


def test_lowercase_to_capital_join_is_split_without_a_word_list(
    run: Callable[..., Document],
) -> None:
    # Estonian: wordfreq has no list; the shape alone (lowercase word, capitalised word) decides
    out = run("Ilm oli eile väga ilusTäna sajab vihma kogu päeva", lang="et")
    assert out.text == "Ilm oli eile väga ilus. Täna sajab vihma kogu päeva"


def test_a_title_glued_to_a_name_gets_its_full_stop_back(run: Callable[..., Document]) -> None:
    out = run("Still, MrGarrett, who was the first pick, said so", lang="en")
    assert out.text == "Still, Mr. Garrett, who was the first pick, said so"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Мы ехали надороге домой очень долго", "ru", "Мы ехали на дороге домой очень долго"),
        (
            "Die Kinder spielen imgarten mit dem Hund",
            "de",
            "Die Kinder spielen im garten mit dem Hund",
        ),
        ("Wir haben dasHaus gestern gesehen", "de", "Wir haben das Haus gestern gesehen"),
    ],
)
def test_languages_that_join_words_split_only_beside_a_function_word(
    run: Callable[..., Document], text: str, lang: str, expected: str
) -> None:
    assert run(text, lang=lang).text == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Мы ехали вгороде домой очень долго", "ru"),  # "в" is a prefix as often as a word
        ("Die Kinder haben den Raum aufgeräumt und gespielt", "de"),
        ("Die Bundesregierung plant eine Verkehrswendeoffensive im Land", "de"),  # a compound
        ("Han lavede radioindslag på DR hver dag", "da"),  # Danish: no plain splits at all
    ],
)
def test_compounds_and_prefixed_words_stay_whole(
    run: Callable[..., Document], text: str, lang: str
) -> None:
    assert run(text, lang=lang).provenance == ()


def test_the_language_guess_prefers_the_list_that_knows_most_words(
    run: Callable[..., Document],
) -> None:
    # "links in" votes for German first; the English list knows every word
    out = run("Ferries arecrucial transportation links in British Columbia.")
    assert out.text == "Ferries are crucial transportation links in British Columbia."


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Jacob deGrom pitched for the Mets", "en"),
        ("a painting by vanDyke and others", "en"),
        ("Leonardo diCaprio won the award", "en"),
        ("Pētījums par YouTube un PlayStation lietotājiem", "lv"),  # brands known to English
        ("Ilm oli eile väga ilus ja eBay müüb iPhone telefone", "et"),
        ("Seuraava peli julkaistaan PlayStation konsolille", "fi"),
    ],
)
def test_names_particles_and_brands_keep_their_camel_case(
    run: Callable[..., Document], text: str, lang: str
) -> None:
    assert run(text, lang=lang).provenance == ()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("partly by underdelivering at launch and overpromising", "en"),  # word-forming prefix
        ("the large backglass is a retractable panel", "en"),
        ("O prof. Carlos Nadalim apresenta, neste vídeo, o método", "pt"),  # a name cut in two
        ("A caixanet está disponível todos os dias", "pt"),  # a rare three-letter part
        ("Esta versin es algo más corta que la otra", "es"),  # "versión" without its "ó"
    ],
)
def test_correct_or_otherwise_damaged_words_are_not_split(
    run: Callable[..., Document], text: str, lang: str
) -> None:
    assert run(text, lang=lang).provenance == ()


@pytest.mark.parametrize(
    "text", ["東京は日本の首都です。人口は約千四百万人です。", "ภาษาไทยไม่มีช่องว่าง"]
)
def test_scripts_without_spaces_are_never_split(run: Callable[..., Document], text: str) -> None:
    assert run(text).provenance == ()


# line-end hyphenation


def test_word_broken_across_lines_is_joined(run: Callable[..., Document]) -> None:
    out = run("the new infra-\nstructure of the city", lang="en")
    assert out.text == "the new infrastructure of the city"
    event = only(out)
    assert (event.action, event.rule, event.text) == (
        "join_hyphenated",
        "repair.line_hyphen",
        "-\n",
    )


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("a well-\nknown fact", "en"),
        # wordfreq lists "recordbreaking" (Zipf 1.15, web noise), barely above "record breaking"
        ("the city saw record-\nbreaking heat", "en"),
        ("a cross-\nborder deal", "en"),
        # a doubled word: Indonesian plurals are written with a hyphen
        ("anak-\nanak bermain di taman", "id"),
        # "bulun" is a word, so the unknown "bulundurulacak" may be a compound
        ("zehir bulun-\ndurulacak", "tr"),
        # one letter before the hyphen: hyphenation leaves at least two
        ("send an e-\nmail today", "en"),
    ],
)
def test_hyphenated_compound_at_a_line_end_stays(run: Callable[..., Document], text: str, lang: str) -> None:
    assert run(text, lang=lang).provenance == ()


@pytest.mark.parametrize(
    ("text", "lang", "joined"),
    [
        # a frequent word either way it is written
        ("a new start-\nup in town", "en", "a new startup in town"),
        # German writes compounds as one word: a rare joined form is enough
        ("30. Auflage Tabellen-\nbuch für Schüler", "de", "30. Auflage Tabellenbuch für Schüler"),
        # inflected forms wordfreq does not list, cut where neither side is a word
        ("domov roztrú-\nsených na stráni", "sk", "domov roztrúsených na stráni"),
        ("a külföldön voks-\nolók négy képviselőt", "hu", "a külföldön voksolók négy képviselőt"),
    ],
)
def test_word_broken_across_lines_is_joined_when_no_compound_explains_it(
    run: Callable[..., Document], text: str, lang: str, joined: str
) -> None:
    assert run(text, lang=lang).text == joined


def test_lowercase_rule_trusts_an_existing_language_tag(run: Callable[..., Document]) -> None:
    assert run("the energy crisiscaused it", lang="de").provenance == ()


# missing space after punctuation


def test_missing_space_after_comma_is_inserted(run: Callable[..., Document]) -> None:
    out = run("If they can,due to the cold")
    assert out.text == "If they can, due to the cold"
    event = only(out)
    assert (event.action, event.rule) == ("insert_space", "repair.punct_space")
    assert (event.span, event.text, event.replacement) == ((12, 12), "", " ")


def test_missing_space_after_full_stop_is_inserted(run: Callable[..., Document]) -> None:
    out = run("It ended.The next day began")
    assert out.text == "It ended. The next day began"
    assert (only(out).span, only(out).replacement, dict(only(out).detail)) == (
        (9, 9),
        " ",
        {"after": "."},
    )


def test_an_abbreviation_before_a_unit_stays_as_written(run: Callable[..., Document]) -> None:
    assert run("zisk ve výši 34 022 tis.Kč a obrat", lang="cs").provenance == ()


@pytest.mark.parametrize(
    "text",
    [
        "1,000,000 and 3.14",
        "the U.S.-backed plan",
        "e.g.The case",
        "a@b.org,and more",
        "example.com",
        "see www.Example.Com today",
        "https://x.org/a,b.Page",
        "Ph.D.Thesis",
        "x,y plot",
    ],
)
def test_punctuation_inside_numbers_addresses_and_abbreviations_stays(
    run: Callable[..., Document], text: str
) -> None:
    assert run(text).provenance == ()


def test_capitalised_pronoun_after_a_comma_is_lowercased(run: Callable[..., Document]) -> None:
    out = run("Mayor Vitaliy Klitschko, He urged residents")
    assert out.text == "Mayor Vitaliy Klitschko, he urged residents"
    event = only(out)
    assert (event.action, event.rule) == ("lowercase", "repair.pronoun_case")
    assert (event.span, event.text, event.replacement) == ((25, 26), "H", "h")


@pytest.mark.parametrize(
    "text", ["Meanwhile, He Lifeng said", "In 2019, He was", "Lord, He is good", "I, You, He, She"]
)
def test_surnames_reverence_and_lists_keep_their_capital(
    run: Callable[..., Document], text: str
) -> None:
    assert run(text).provenance == ()


# whitespace


def test_trailing_spaces_are_removed(run: Callable[..., Document]) -> None:
    out = run("one  \ntwo\t")
    assert out.text == "one\ntwo"
    assert [(e.action, e.rule, e.text, dict(e.detail)) for e in out.provenance] == [
        ("normalize_whitespace", "repair.whitespace", "  ", {"kind": "trailing_space"}),
        ("normalize_whitespace", "repair.whitespace", "\t", {"kind": "trailing_space"}),
    ]


def test_runs_of_blank_lines_become_one(run: Callable[..., Document]) -> None:
    out = run("one\n\n \n\ntwo\n\nthree")
    assert out.text == "one\n\ntwo\n\nthree"
    assert (only(out).span, only(out).text, only(out).replacement) == ((3, 8), "\n\n \n\n", "\n\n")


def test_leading_and_trailing_blank_lines_go(run: Callable[..., Document]) -> None:
    out = run("\n \nbody\n\n\n")
    assert out.text == "body"
    assert [(e.span, e.text, dict(e.detail)["kind"]) for e in out.provenance] == [
        ((0, 3), "\n \n", "leading"),
        ((4, 7), "\n\n\n", "ending"),
    ]


def test_no_break_spaces_in_prose_become_spaces(run: Callable[..., Document]) -> None:
    out = run("Kyiv Mayor\u00a0Vitaly Klitschko, everywhere,\u00a0 exactly")
    assert out.text == "Kyiv Mayor Vitaly Klitschko, everywhere, exactly"
    assert [(e.text, e.replacement, dict(e.detail)) for e in out.provenance] == [
        ("\u00a0", " ", {"kind": "nbsp"}),
        ("\u00a0 ", " ", {"kind": "nbsp"}),
    ]


def test_no_break_space_indentation_goes(run: Callable[..., Document]) -> None:
    assert run("\u00a0\u00a0Indented\n  kept").text == "Indented\n  kept"


def test_whitespace_only_text_becomes_empty(run: Callable[..., Document]) -> None:
    assert run(" \n\t\n ").text == ""


# the step as a whole


def test_passes_run_in_order_and_events_replay(run: Callable[..., Document]) -> None:
    text = "\n[cafÃ©](#) crisiscaused it,then  \n\n\n\nend"
    out = run(text, lang="en")
    assert out.text == "café crisis caused it, then\n\nend"
    assert [e.action for e in out.provenance] == [
        "unwrap_link",
        "fix_encoding",
        "split_join",
        "insert_space",
        "normalize_whitespace",
        "normalize_whitespace",
        "normalize_whitespace",
    ]


def test_unchanged_document_is_returned_as_is(
    repair: Repair, make_doc: Callable[..., Document]
) -> None:
    doc = make_doc(text="Nothing to repair here.")
    assert repair.apply(doc) is doc


def test_every_pass_can_be_turned_off(make_doc: Callable[..., Document]) -> None:
    config = RepairConfig(
        fix_text=False,
        unwrap_links=False,
        split_glued_words=False,
        insert_punct_space=False,
        normalize_whitespace=False,
        drop_tags=False,
        remove_invisible=False,
        fix_fullwidth=False,
        dedupe_punct=False,
        join_hyphenated=False,
        lowercase_pronouns=False,
    )
    text = "cafÃ© [a](#) <b>crisiscaused</b> can,due,, Ｔ\u200b in-\nfra  \n\n\n"
    assert Repair(config).apply(make_doc(text=text)).text == text


def test_final_newline_goes(run: Callable[..., Document]) -> None:
    out = run("body\n")
    assert out.text == "body"
    assert (only(out).span, only(out).text, dict(only(out).detail)) == (
        (4, 5),
        "\n",
        {"kind": "ending"},
    )


def test_clean_prose_passes_byte_identical(run: Callable[..., Document]) -> None:
    text = NEGATIVE.read_text(encoding="utf-8").rstrip("\n")  # a file ends with "\n", a record not
    assert len(text.splitlines()) >= 40
    out = run(text)
    assert out.text == text
    assert out.provenance == ()


@pytest.mark.parametrize("line", NEGATIVE.read_text(encoding="utf-8").splitlines())
def test_each_clean_prose_line_is_untouched(run: Callable[..., Document], line: str) -> None:
    assert run(line).provenance == ()


# the seed articles


def seed(seed_dir: Path, prefix: str) -> str:
    return next(seed_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_seed_000_lost_separators_are_restored(
    run: Callable[..., Document], seed_dir: Path
) -> None:
    out = run(seed(seed_dir, "000")).text
    for glued in ("BarcelonaUS", "UkraineThe", "can,due", "crisiscaused"):
        assert glued not in out
    assert "energy crisis caused" in out
    assert "If they can, due to" in out


def test_seed_001_clean_article_only_loses_trailing_blank_lines(
    run: Callable[..., Document], seed_dir: Path
) -> None:
    text = seed(seed_dir, "001")
    out = run(text)
    assert out.text == text.rstrip("\n")
    assert [dict(e.detail)["kind"] for e in out.provenance] == ["ending"]


def test_seed_002_link_remnants_keep_their_text(
    run: Callable[..., Document], seed_dir: Path
) -> None:
    out = run(seed(seed_dir, "002")).text
    assert "](#)" not in out
    for phrase in (
        "took place during trilateral meetings between",
        "citing Russian violations of",
        "in May of last year",
    ):
        assert phrase in out


def test_seed_003_no_break_space_becomes_a_space(
    run: Callable[..., Document], seed_dir: Path
) -> None:
    out = run(seed(seed_dir, "003")).text
    assert "Mayor Vitaly Klitschko" in out
    assert "\u00a0" not in out


@pytest.mark.parametrize("lang", ["en", "de", "ru", "es", "tr", "ar"])
def test_the_lexicon_reads_the_same_frequencies_as_wordfreq(lang: str) -> None:
    """The table fast path (plain lowercase words in languages wordfreq does not rewrite) gives exactly
    wordfreq.zipf_frequency's value, for known words, pieces of them, glued pairs and capitalised forms;
    tr and ar tokenize first as wordfreq does (dotted i, removed marks). More in test_repair_wordtable."""
    import itertools
    import random

    import wordfreq

    from curate.steps.repair.lexicon import Lexicon

    rng = random.Random(lang)
    words = list(itertools.islice(wordfreq.iter_wordlist(lang), 50_000))
    probes = set()
    for word in rng.sample(words, 400):
        cut = rng.randrange(1, len(word)) if len(word) > 1 else 1
        probes.update({word, word[:cut], word[cut:], word + rng.choice(words), word.capitalize(), word + "1"})
    lexicon = Lexicon(lang)
    differing = [w for w in sorted(probes) if lexicon.zipf(w) != wordfreq.zipf_frequency(w, lang)]
    assert differing == []
    assert lexicon._plain == (lang not in {"tr", "ar"})
