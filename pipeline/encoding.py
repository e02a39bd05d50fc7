"""Tell text from binary, and decode the bytes of a file as text.

- UTF-16 is recognised by its BOM, or without one by the pattern of plain text in it: a NUL
  byte in every other position (after each character for little-endian, before it for
  big-endian);
- UTF-8 (with or without a BOM) is read as is; bytes that are not UTF-8 fall back to UTF-8
  with the bad bytes replaced, cp1252 or latin-1;
- a few NUL bytes in otherwise plain text (at most one in a thousand bytes, and no other
  control byte than tab, line ends and form feed) are dropped, the rest read as text;
- anything else with a NUL byte in it is binary.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

UTF_8 = "utf-8"
UTF_16_LE = "utf-16-le"
UTF_16_BE = "utf-16-be"
# How many NUL bytes may be dropped from text: one per this many bytes (and always one).
_NUL_SPACING = 1000
# Control bytes that plain text never holds (tab, line feed, vertical tab, form feed and
# carriage return are text).
_CONTROL_BYTES = re.compile(rb"[\x01-\x08\x0e-\x1f]")
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f]")
# The share of a text's characters that may be controls when it is read as UTF-16.
_MAX_CONTROL_SHARE = 0.01
# The share of code units whose high byte must be NUL for BOM-less UTF-16 (Latin text has
# nearly all; text mixing in other scripts fewer).
_MIN_NUL_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class Encoding:
    """How a file's bytes are text: the codec, and how many bytes of BOM to pass over."""

    name: str
    bom: int = 0

    @property
    def utf16(self) -> bool:
        return self.name in (UTF_16_LE, UTF_16_BE)


def sniff(data: bytes) -> Encoding | None:
    """The encoding of `data` (a whole file, or its first bytes); None when it is binary."""
    if data.startswith(codecs.BOM_UTF16_LE):
        return Encoding(UTF_16_LE, len(codecs.BOM_UTF16_LE))
    if data.startswith(codecs.BOM_UTF16_BE):
        return Encoding(UTF_16_BE, len(codecs.BOM_UTF16_BE))
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    nuls = data.count(0)
    if not nuls:
        return Encoding(UTF_8, bom)
    utf16 = _utf16_order(data)
    if utf16:
        return Encoding(utf16)
    if nuls <= max(1, len(data) // _NUL_SPACING) and not _CONTROL_BYTES.search(data):
        return Encoding(UTF_8, bom)
    return None


def _utf16_order(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when `data` reads as UTF-16 text without a BOM: NUL high
    bytes in one position of most code units, almost none in the other, and few controls."""
    units = len(data) // 2
    if units < 2:
        return None
    even, odd = data[0 : 2 * units : 2].count(0), data[1 : 2 * units : 2].count(0)
    if odd >= units * _MIN_NUL_SHARE and even <= units * _MAX_CONTROL_SHARE:
        name = UTF_16_LE
    elif even >= units * _MIN_NUL_SHARE and odd <= units * _MAX_CONTROL_SHARE:
        name = UTF_16_BE
    else:
        return None
    try:  # not final: the sniffed bytes may end inside a surrogate pair
        text = codecs.getincrementaldecoder(name)("strict").decode(data[: 2 * units])
    except UnicodeDecodeError:
        return None
    controls = len(_CONTROL_CHARS.findall(text))
    return name if controls <= len(text) * _MAX_CONTROL_SHARE else None


def decode(data: bytes) -> tuple[str, str] | None:
    """A whole file's bytes as text (its BOM and stray NULs removed), and the fallback
    encoding used ('' when none was needed); None if binary."""
    encoding = sniff(data)
    if encoding is None:
        return None
    return decode_line(data[encoding.bom :], encoding)


def decode_line(data: bytes, encoding: Encoding) -> tuple[str, str]:
    """Bytes (a file or a line of it, without BOM) as text, NULs dropped, and the fallback
    encoding used for bytes that are not valid UTF-8 ('' when none was needed)."""
    if encoding.utf16:
        return data.decode(encoding.name, errors="replace").replace("\x00", ""), ""
    data = data.replace(b"\x00", b"")
    try:
        return data.decode(UTF_8), ""
    except UnicodeDecodeError:
        return decode_fallback(data)


def decode_fallback(data: bytes) -> tuple[str, str]:
    """Bytes that are not valid UTF-8 as text, and the encoding used: UTF-8 with the bad
    bytes replaced when its valid multi-byte characters are at least as many (a stray byte
    in a UTF-8 file), else cp1252, else latin-1 (which decodes any bytes)."""
    lenient = data.decode(UTF_8, errors="replace")
    replaced = lenient.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(lenient) - len(lenient.encode("ascii", errors="ignore"))
    if non_ascii - replaced >= replaced:
        return lenient, "UTF-8 with the invalid bytes replaced"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"
