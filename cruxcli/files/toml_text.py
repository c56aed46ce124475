"""Parsing TOML text: rtoml (compiled) where it gives what tomli gives, tomli everywhere else.

rtoml reads a large debate in about 0.45x tomli's time (0.65 s against 1.49 s for the 30 MB
benchmark debate). The two agree on every file the tests use and on 20,000 mutated debates
(tests/test_toml_text.py), except in two places, which go to tomli: carriage returns (tomli
turns CRLF inside multi-line strings into LF, rtoml keeps it, and a quote's text makes its
entry's id) and offset date-times (rtoml's tzinfo is its own type). Whatever rtoml refuses,
tomli reads again, so a syntax error is raised (and located) by tomli exactly as before, and a
number tomli reads as infinity (1e400) or a nesting rtoml limits still reads. Without rtoml
(a platform it has no wheel for), and for texts under LARGE, everything goes to tomli. A large
text is read a piece at a time (`_in_pieces`), which keeps rtoml's peak memory near tomli's.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import tomli

TOMLDecodeError = tomli.TOMLDecodeError
#: Texts shorter than this go to tomli alone: they parse in a millisecond either way, and a
#: command on a small debate does not pay for importing rtoml.
LARGE = 2**16

#: A time followed by an offset (`07:32:00Z`, `07:32-07:00`): a quoted time like "10:30-11:00"
#: also matches, which only sends that file to tomli. It starts with a literal, which the
#: regular expression engine finds fast (0.01 s in 30 MB, against 0.28 s starting at a digit).
_OFFSET = re.compile(r":\d\d(?::\d\d)?(?:\.\d+)?[Zz+-]")


def loads(text: str) -> dict[str, Any]:
    """The document, as tomli.loads gives it; raises tomli.TOMLDecodeError (or RecursionError,
    at tomli's nesting limits) for text that is not TOML."""
    if len(text) >= LARGE and "\r" not in text and not _OFFSET.search(text):
        try:
            import rtoml
        except ImportError:  # no wheel for this platform: tomli reads everything
            return tomli.loads(text)
        try:
            return _in_pieces(rtoml.loads, text)
        except Exception:  # noqa: BLE001 - any refusal: tomli reads it, or locates the error
            pass
    return tomli.loads(text)


#: A large text is read in pieces of about this many characters. rtoml builds a whole text's
#: tree before the Python objects and frees it after, so its peak memory is ~3.5x those
#: objects' (tomli's: about them); a piece at a time, the tree is one piece's.
PIECE = 2**20
_HEADER = "\n[[credence]]\n"
#: What could make `credence` something other than the [[credence]] array (`credence = [...]`,
#: `credence.x = 1`, quoted or not); anywhere in a text (even in a note), it is read whole.
_ASSIGNED = re.compile("credence[\"']?[ \t]*[=.]")


class _Overlap(Exception):
    """Two pieces define the same key: only the whole text says whether that is TOML."""


def _in_pieces(parse: Any, text: str) -> dict[str, Any]:
    """`parse(text)`, a piece at a time: each piece after the first starts at a [[credence]]
    line, and the pieces' documents are joined: their [[credence]] arrays one after the
    other, every other key defined in one piece only (else _Overlap). That is what the whole
    text means: a cut inside a multi-line string or array leaves the piece before it
    unclosed, which rtoml refuses, and where `credence` can only be the [[credence]] array
    (no _ASSIGNED), appending to it from a later line is what TOML does."""
    if len(text) < 2 * PIECE or _ASSIGNED.search(text):
        return parse(text)  # type: ignore[no-any-return]
    starts = [0]
    while (at := text.find(_HEADER, starts[-1] + PIECE)) >= 0:
        starts.append(at + 1)
    document: dict[str, Any] = {}
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        for key, value in parse(text[start:end]).items():
            if key not in document:
                document[key] = value
            elif key == "credence" and type(value) is list and type(document[key]) is list:
                document[key] += value
            else:
                raise _Overlap(key)
    return document


#: What a basic string escapes, as tomli-w escapes it: control characters but tab, DEL,
#: the quote and the backslash.
_ESCAPED = re.compile('[\x00-\x08\x0a-\x1f\x7f"\\\\]')
_SHORT = {"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_BARE = re.compile(r"[A-Za-z0-9_-]+")


def table(header: str, fields: dict[str, Any]) -> str:
    """`header` and its fields (None left out) as TOML text, exactly as tomli-w writes them.
    Strings, numbers, booleans and dates (what every log entry holds) are written here
    directly, since tomli-w's pure-Python string escaping costs ~20 us a value and an import
    writes hundreds of thousands; anything else goes to tomli-w."""
    lines = [header]
    for key, value in fields.items():
        if value is None:
            continue
        kind = type(value)
        if kind is str and key in _BARE_KEYS:
            lines.append(f'{key} = "{_ESCAPED.sub(_escape, value)}"')
        elif kind in _PLAIN and (key in _BARE_KEYS or _bare(key)):
            lines.append(f"{key} = {str(value).lower() if kind is bool else value}")
        elif kind is str and _bare(key):
            lines.append(f'{key} = "{_ESCAPED.sub(_escape, value)}"')
        else:
            import tomli_w

            return f"{header}\n" + tomli_w.dumps({k: v for k, v in fields.items()
                                                  if v is not None})
    return "\n".join(lines) + "\n"


_PLAIN = {int, bool, float, dt.date, dt.datetime}
_BARE_KEYS: set[str] = set()


def _bare(key: str) -> bool:
    """Whether a key is written bare (remembered: a log's few keys repeat on every entry)."""
    if _BARE.fullmatch(key):
        _BARE_KEYS.add(key)
        return True
    return False


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    return _SHORT.get(char) or f"\\u{ord(char):04x}"
