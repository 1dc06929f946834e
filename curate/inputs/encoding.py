"""Bytes to text for .txt, .html and WARC inputs: detect the encoding instead of assuming UTF-8.

Order (the WHATWG sniffing order, plus the lesson that detectors misjudge short UTF-8): a byte-order
mark, then the charset the transport declared (a WARC record's HTTP Content-Type), then strict UTF-8,
then, for HTML, the `<meta charset>` that bs4's EncodingDetector finds, each only when the bytes decode
under it; then a small multi-byte check for undeclared Japanese, Korean and Chinese; then windows-1252,
and latin-1 (which maps every byte) as the last resort, so decoding never fails.

bs4's UnicodeDammit is not used for the guess on purpose: it consults whatever statistical detector
happens to be installed (charset-normalizer arrives with trafilatura), which makes the result depend on
the machine and is wrong on short text (4 bytes of "café" came back as UTF-16-BE).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Final

from bs4.dammit import EncodingDetector

_ASCII: Final = bytes(range(128))
# Multi-byte CJK text is mostly bytes >= 0x80; European text in a single-byte code page rarely over 10%.
MIN_HIGH_SHARE: Final = 0.3
# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS: Final = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                (codecs.BOM_UTF16_BE, "utf-16"))
# WHATWG: these labels mean windows-1252 in a web page (it is a superset that browsers apply).
_WEB_ALIASES: Final = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
                       "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
                       "x-sjis": "cp932", "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932",
                       "gb2312": "gb18030", "gbk": "gb18030"}
# Single-byte code pages a mislabelled UTF-8 page is usually declared as (codecs.lookup names).
_LATIN_CODECS: Final = frozenset({"cp1252", "latin-1", "iso8859-1", "iso8859-15"})


@dataclass(frozen=True)
class Decoded:
    """Text and the Python codec it was decoded with ("utf-8", "cp1252", "cp932", ...)."""

    text: str
    encoding: str


def decode_bytes(data: bytes, *, is_html: bool, declared: str | None = None) -> Decoded:
    """Decode raw bytes; never raises. `declared` is a charset label from outside the bytes (HTTP).

    >>> decode_bytes("café".encode("cp1252"), is_html=False).encoding
    'cp1252'
    >>> decode_bytes("\\ufeffhi".encode("utf-8"), is_html=False)
    Decoded(text='hi', encoding='utf-8')
    >>> decode_bytes("é".encode("cp1252"), is_html=True, declared="ISO-8859-1")
    Decoded(text='é', encoding='cp1252')
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec.replace("-sig", ""))
            except UnicodeDecodeError:
                break
    header = _declared_header(data, declared)
    if header is not None:
        return header
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_codec(data) if is_html else None
    candidates = ([declared] if declared else []) + [guess_multibyte(data) or "cp1252"]
    for codec in candidates:
        try:
            return Decoded(data.decode(codec), codec)
        except UnicodeDecodeError:
            continue
    return Decoded(data.decode("latin-1"), "latin-1")


def _declared_header(data: bytes, label: str | None) -> Decoded | None:
    """The bytes decoded under the transport's charset, if it names a codec they decode under.

    One exception to "the header wins": a header naming a single-byte Latin code page over bytes that
    are valid, non-ASCII UTF-8. Servers that default to ISO-8859-1 while the page is UTF-8 are the most
    common mislabelling on the web, and real windows-1252 text is practically never valid UTF-8.
    """
    codec = codec_for_label(label) if label else None
    if codec is None:
        return None
    if codec in _LATIN_CODECS and not data.isascii():
        try:
            return Decoded(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode(codec), codec)
    except UnicodeDecodeError:
        return None


def codec_for_label(label: str) -> str | None:
    """The Python codec for a web charset label (WHATWG aliases applied), or None if unknown.

    >>> codec_for_label(" Windows-1252 "), codec_for_label("latin1"), codec_for_label("no-such")
    ('cp1252', 'cp1252', None)
    """
    label = label.strip().strip("\"'").lower()
    try:
        return codecs.lookup(_WEB_ALIASES.get(label, label)).name
    except LookupError:
        return None


def declared_codec(data: bytes) -> str | None:
    """The Python codec of the charset an HTML page declares, or None if none or unknown.

    >>> declared_codec(b'<meta charset="Shift_JIS"><p>x')
    'cp932'
    """
    label = EncodingDetector.find_declared_encoding(data, is_html=True)
    return codec_for_label(label) if label else None


def guess_multibyte(data: bytes) -> str | None:
    """A CJK encoding that decodes `data` strictly into text that looks like CJK prose, else None.

    Deliberately small: Japanese (Shift-JIS/cp932, EUC-JP; must contain kana), Korean (EUC-KR; mostly
    Hangul) and simplified Chinese (GB18030). Big5 is not guessed: without frequency tables it cannot be
    told from GB18030, so Big5 pages need a declared charset or an installed detector.

    >>> guess_multibyte("こんにちは、世界。".encode("shift_jis"))
    'cp932'
    >>> guess_multibyte("déjà vu".encode("cp1252")) is None
    True
    """
    if not data or len(data.translate(None, _ASCII)) < MIN_HIGH_SHARE * len(data):
        return None
    for encoding, looks_right in _CANDIDATES:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if looks_right(_script_counts(text)):
            return encoding
    return None


def _script_counts(text: str) -> dict[str, int]:
    counts = {"other": 0, "kana": 0, "hangul": 0, "han": 0}
    for char in text:
        code = ord(char)
        if code < 0x80:
            continue
        if 0x3040 <= code <= 0x30FF:
            counts["kana"] += 1
        elif 0xAC00 <= code <= 0xD7AF:
            counts["hangul"] += 1
        elif (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3000 <= code <= 0x303F
              or 0xFF01 <= code <= 0xFF60 or 0xF900 <= code <= 0xFAFF):
            counts["han"] += 1  # ideographs plus CJK and full-width punctuation
        else:
            counts["other"] += 1  # includes half-width katakana, which mis-decoded bytes produce
    return counts


def _share(counts: dict[str, int], *scripts: str) -> float:
    total = sum(counts.values())
    return sum(counts[s] for s in scripts) / total if total else 0.0


def _japanese(counts: dict[str, int]) -> bool:
    return _share(counts, "kana", "han") >= 0.9 and _share(counts, "kana") >= 0.1


def _korean(counts: dict[str, int]) -> bool:
    return _share(counts, "hangul") >= 0.8


def _chinese(counts: dict[str, int]) -> bool:
    return _share(counts, "han") >= 0.9


_CANDIDATES: Final = (("cp932", _japanese), ("euc_jp", _japanese), ("euc_kr", _korean),
                      ("gb18030", _chinese))
