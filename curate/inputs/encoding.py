"""Bytes to text for .txt and .html inputs: detect the encoding instead of assuming UTF-8.

Order (after the WHATWG sniffing order and the lesson that detectors misjudge short UTF-8): a UTF-8 BOM,
then strict UTF-8, then, for HTML, the declared `<meta charset>`; then bs4's UnicodeDammit (which also uses
a statistical detector such as charset-normalizer when one is installed). Without such a detector
UnicodeDammit can only fall back to windows-1252, which turns undeclared Japanese, Chinese or Korean into
mojibake, so a small multi-byte check runs first when nothing is declared. Bytes nothing decodes cleanly
end as latin-1, which never fails and maps each byte to one character (no U+FFFD).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Final

from bs4.dammit import EncodingDetector, UnicodeDammit

_ASCII: Final = bytes(range(128))
# Multi-byte CJK text is mostly bytes >= 0x80; European text in a single-byte code page rarely over 10%.
MIN_HIGH_SHARE: Final = 0.3
_BOMS: Final = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
                codecs.BOM_UTF32_BE)


@dataclass(frozen=True)
class Decoded:
    """Text and the encoding it was decoded from (Python codec name as bs4 or the codecs module says)."""

    text: str
    encoding: str
    replaced: bool = False  # True if some bytes could not be decoded and became U+FFFD


def decode_bytes(data: bytes, *, is_html: bool) -> Decoded:
    """Decode raw file bytes; never raises.

    >>> decode_bytes("café".encode("cp1252"), is_html=False).encoding
    'windows-1252'
    >>> decode_bytes("\\ufeffhi".encode("utf-8"), is_html=False)
    Decoded(text='hi', encoding='utf-8', replaced=False)
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    declared = EncodingDetector.find_declared_encoding(data, is_html=True) if is_html else None
    if not declared and not data.startswith(_BOMS):
        guess = guess_multibyte(data)
        if guess is not None:
            return Decoded(data.decode(guess), guess)
    dammit = UnicodeDammit(data, is_html=is_html)
    if dammit.unicode_markup is None or (dammit.contains_replacement_characters and not declared):
        return Decoded(data.decode("latin-1"), "iso-8859-1")
    return Decoded(dammit.unicode_markup, str(dammit.original_encoding),
                   bool(dammit.contains_replacement_characters))


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
