"""Make untrusted text safe to show on a terminal. Pure.

Debate files come from other people's pull requests. Rich's Text() stops markup but lets ESC,
CSI/OSC sequences (title changes, hyperlinks, clear screen) and C1 controls through, so every
string from a file is passed through `clean` before display: control characters, DEL, and bidi
overrides become visible escapes such as \\x1b; newlines and tabs are kept unless one line is
wanted. JSON output is exact and does not use this.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str, one_line: bool = False) -> str:
    """`text` with every control character shown as a visible escape."""
    pattern = _UNSAFE_LINE if one_line else _UNSAFE
    return pattern.sub(_escape, text)


_ESCAPABLE = re.compile(f"[\\\\\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_ESCAPED = re.compile(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})")


def escape(text: str) -> str:
    """`text` with control characters as escapes (as `clean`, newlines and tabs kept) and each
    backslash doubled, so that `unescape` gives back exactly `text`: for files that must be
    both inert and exact, such as a CSV export."""
    return _ESCAPABLE.sub(lambda m: "\\\\" if m[0] == "\\" else _escape(m), text)


def is_inert(text: str) -> bool:
    """Whether `escape` leaves `text` as it is (one scan of a column's texts, joined)."""
    return not _ESCAPABLE.search(text)


def unescape(text: str) -> str:
    """The inverse of `escape`."""
    return _ESCAPED.sub(lambda m: "\\" if m[1] == "\\" else chr(int(m[1][1:], 16)), text)
