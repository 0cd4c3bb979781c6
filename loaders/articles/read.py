"""Read an article file into text, or say in one line why it cannot be read.

Returns `(text, encoding)`; raises `InputError(reason)` for empty, binary or undecodable files
and for text without any Chinese. Encodings are detected with charset-normalizer, restricted to
the encodings Chinese articles come in, never guessed by hand.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

# Encodings Chinese news text arrives in; charset-normalizer chooses among them.
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16", "utf_16_le", "utf_16_be", "utf_32"]
MAX_BYTES = 5 * 1024 * 1024
CJK = re.compile(r"[\u4e00-\u9fff]")
# control characters other than \t \n \f \r (one regex pass, not a Python loop over the characters)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


class InputError(Exception):
    """A file that cannot become a document; the message is the reason, for one line of output."""


def decode(data: bytes) -> tuple[str, str]:
    if not data.strip():
        raise InputError("empty file")
    if len(data) > MAX_BYTES:
        raise InputError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    for bom, enc in ((codecs.BOM_UTF8, "utf_8_sig"), (codecs.BOM_UTF32_LE, "utf_32"),
                     (codecs.BOM_UTF16_LE, "utf_16"), (codecs.BOM_UTF16_BE, "utf_16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise InputError(f"starts with a {enc} byte-order mark but does not decode as {enc}")
    try:
        return data.decode("utf_8"), "utf_8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise InputError("binary file or unknown text encoding (tried UTF-8, GB18030, Big5, UTF-16, UTF-32)")
    return str(best), best.encoding


def read_article(path: Path) -> tuple[str, str]:
    """Text and encoding of an article file; InputError when it is not a Chinese text."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise InputError(f"cannot read file ({e.strerror})")
    text, encoding = decode(data)
    check_text(text)
    return text, encoding


def check_text(text: str) -> None:
    """InputError unless `text` reads as Chinese text (not binary, some Chinese in it)."""
    controls = len(CONTROL.findall(text))
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise InputError("binary file (control bytes in the text)")
    if not CJK.search(text):
        raise InputError("no Chinese text found")
