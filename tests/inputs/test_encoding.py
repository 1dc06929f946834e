"""Encoding detection for .txt and .html bytes."""

from __future__ import annotations

from curate.inputs.encoding import decode_bytes


def test_valid_utf8_is_utf8() -> None:
    assert decode_bytes("naïve – ok".encode(), is_html=False).encoding == "utf-8"


def test_cp1252_bytes_are_detected() -> None:
    decoded = decode_bytes("Le café coûte 3,50 € – déjà".encode("cp1252"), is_html=False)
    assert (decoded.text, decoded.encoding) == ("Le café coûte 3,50 € – déjà", "cp1252")


def test_latin1_bytes_decode_without_replacement() -> None:
    decoded = decode_bytes("Größe und Maß".encode("latin-1"), is_html=False)
    assert decoded.text == "Größe und Maß"


def test_undeclared_shift_jis_text_is_detected() -> None:
    text = "東京の図書館は、冬の間、夜十時まで開いています。学生たちは喜んでいます。"
    decoded = decode_bytes(text.encode("shift_jis"), is_html=False)
    assert (decoded.text, decoded.encoding) == (text, "cp932")


def test_declared_html_charset_is_honoured() -> None:
    text = "こんにちは、世界。"
    data = b'<meta charset="Shift_JIS"><p>' + text.encode("shift_jis")
    decoded = decode_bytes(data, is_html=True)
    assert decoded.encoding == "cp932" and text in decoded.text


def test_a_declared_charset_that_lies_is_overruled() -> None:
    data = b'<meta charset="utf-8"><p>' + "café".encode("cp1252")
    assert decode_bytes(data, is_html=True).text.endswith("café")


def test_utf16_with_bom_is_detected() -> None:
    assert decode_bytes("héllo".encode("utf-16"), is_html=False).text == "héllo"


def test_bytes_no_codec_decodes_become_latin1_never_an_error() -> None:
    decoded = decode_bytes(b"\x81\x8d\x8f\x90 odd bytes", is_html=False)
    assert decoded.encoding == "latin-1" and decoded.text.endswith(" odd bytes")


def test_a_declared_charset_comes_before_the_meta_tag() -> None:
    data = '<meta charset="windows-1252"><p>Привет, мир</p>'.encode("koi8-r")
    decoded = decode_bytes(data, is_html=True, declared="koi8-r")
    assert decoded.encoding == "koi8-r" and "Привет, мир" in decoded.text


def test_a_declared_charset_the_bytes_do_not_fit_is_ignored() -> None:
    decoded = decode_bytes("café".encode("cp1252"), is_html=False, declared="utf-8")
    assert (decoded.text, decoded.encoding) == ("café", "cp1252")


def test_utf8_declared_as_latin1_by_the_server_is_read_as_utf8() -> None:
    decoded = decode_bytes("naïve café".encode(), is_html=True, declared="ISO-8859-1")
    assert (decoded.text, decoded.encoding) == ("naïve café", "utf-8")


def test_an_unknown_declared_charset_falls_back_to_detection() -> None:
    assert decode_bytes(b"ok", is_html=False, declared="x-no-such").encoding == "utf-8"
