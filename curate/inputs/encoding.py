"""Bytes to text for .txt and .html inputs: detect the encoding instead of assuming UTF-8.

Order (the WHATWG sniffing order, plus the lesson that detectors misjudge short UTF-8): a byte-order
mark, then strict UTF-8, then, for HTML, the `<meta charset>` that bs4's EncodingDetector finds, when the
bytes decode under it; then a small multi-byte check for undeclared Japanese, Korean and Chinese; then
windows-1252, and latin-1 (which maps every byte) as the last resort, so decoding never fails.

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


@dataclass(frozen=True)
class Decoded:
    """Text and the Python codec it was decoded with ("utf-8", "cp1252", "cp932", ...)."""

    text: str
    encoding: str


def decode_bytes(data: bytes, *, is_html: bool) -> Decoded:
    """Decode raw file bytes; never raises.

    >>> decode_bytes("café".encode("cp1252"), is_html=False).encoding
    'cp1252'
    >>> decode_bytes("\\ufeffhi".encode("utf-8"), is_html=False)
    Decoded(text='hi', encoding='utf-8')
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec.replace("-sig", ""))
            except UnicodeDecodeError:
                break
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


def declared_codec(data: bytes) -> str | None:
    """The Python codec of the charset an HTML page declares, or None if none or unknown.

    >>> declared_codec(b'<meta charset="Shift_JIS"><p>x')
    'cp932'
    """
    label = EncodingDetector.find_declared_encoding(data, is_html=True)
    if not label:
        return None
    label = label.strip().lower()
    try:
        return codecs.lookup(_WEB_ALIASES.get(label, label)).name
    except LookupError:
        return None


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
