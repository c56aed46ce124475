"""Map a key path such as ("credence", 17, "p") to its line and column in a TOML text.

tomli reports positions only for syntax errors, and pydantic only key paths, so errors about
valid TOML are located by scanning table headers and `key = value` lines. The scanner skips
multi-line strings and arrays; it is used only once an error has been found. Pure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

Path = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column

_BARE = r"[A-Za-z0-9_-]+"
_BASIC = r'"(?:[^"\\]|\\.)*"'
_LITERAL = r"'[^']*'"
_KEYPART = rf"(?:{_BARE}|{_BASIC}|{_LITERAL})"
_DOTTED = rf"{_KEYPART}(?:\s*\.\s*{_KEYPART})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_KEYLINE = re.compile(rf"^\s*({_DOTTED})\s*=\s*")
_PART = re.compile(_KEYPART)


def _split(dotted: str) -> list[str]:
    parts = []
    for m in _PART.finditer(dotted):
        part = m.group(0)
        if part[0] == "'":
            part = part[1:-1]
        elif part[0] == '"':
            try:
                part = json.loads(part)
            except ValueError:
                part = part[1:-1]
        parts.append(part)
    return parts


def _depth_change(value: str) -> tuple[int, str | None]:
    """Bracket depth change over a value fragment, and an unclosed multi-line string opener."""
    depth, i, n = 0, 0, len(value)
    while i < n:
        c = value[i]
        if c == "#":
            break
        if value.startswith(('"""', "'''"), i):
            quote = value[i:i + 3]
            end = value.find(quote, i + 3)
            if end < 0:
                return depth, quote
            i = end + 3
            continue
        if c in "\"'":
            j = i + 1
            while j < n and value[j] != c:
                j += 2 if c == '"' and value[j] == "\\" else 1
            i = j + 1
            continue
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        i += 1
    return depth, None


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split at "\n" only (as TOML counts lines)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def is_content(line: str) -> bool:
    """Not blank and not a comment."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def content_before(lines: list[str], line: int, floor: int = 0) -> int:
    """The number of the last line before `line` (and after `floor`) that is content: blank
    lines and comments just above a table header lead into that header's table."""
    end = line - 1
    while end > floor and not is_content(lines[end - 1]):
        end -= 1
    return end


class Mark(NamedTuple):
    """A table header or a `key =` line, with the full key path it defines."""

    line: int
    col: int
    path: Path
    header: bool


def scan(text: str) -> Iterator[Mark]:
    """Every table header and key line of `text`, in order (array tables get their index)."""
    counts: dict[Path, int] = {}
    table: Path = ()
    depth, open_string = 0, None
    for lineno, line in enumerate(text.split("\n"), start=1):  # lines as TOML counts them
        line = line.removesuffix("\r")
        if open_string:
            if open_string in line:
                _, open_string = _depth_change(line[line.index(open_string) + 3:])
            continue
        if depth > 0:
            change, open_string = _depth_change(line)
            depth += change
            continue
        if not line or line.lstrip()[:1] in ("", "#"):
            continue
        if m := _HEADER.match(line):
            table = tuple(_split(m.group(2)))
            if m.group(1) == "[[":
                n = counts.get(table, 0)
                counts[table] = n + 1
                table = table + (n,)
            yield Mark(lineno, line.index("[") + 1, table, True)
        elif m := _KEYLINE.match(line):
            yield Mark(lineno, m.end() + 1, table + tuple(_split(m.group(1))), False)
            value = line[m.end():]
            if "[" in value or "{" in value or '"""' in value or "'''" in value:
                depth, open_string = _depth_change(value)  # else: a one-line value


def index(text: str) -> dict[Path, Position]:
    """The position of every table header and key in `text`, by key path (first wins)."""
    found: dict[Path, Position] = {}
    for mark in scan(text):
        found.setdefault(mark.path, (mark.line, mark.col))
    return found


def locate(text: str, path: Path, found: dict[Path, Position] | None = None) -> Position | None:
    """The position of `path`, or of its nearest enclosing key or table that is written out."""
    found = index(text) if found is None else found
    for cut in range(len(path), 0, -1):
        if (pos := found.get(path[:cut])) is not None:
            return pos
    # a table defined only through a deeper header, such as `nope` by [nope.x]: its first
    within = [pos for key, pos in found.items() if key[:len(path)] == path]
    return min(within) if within else None


#: A log's header line (`[[credence]]`, maybe indented, maybe commented), matched with the
#: newline before it: a pattern that starts with a literal is looked for at C speed, where one
#: that starts at `^` is tried at every character.
_LOG_HEADER = re.compile(r"\n[ \t]*\[\[[ \t]*([A-Za-z_]+)[ \t]*\]\][ \t]*(?:#[^\n]*)?(?=\r?\n|\Z)")


def log_index(text: str, wanted: set[tuple[str, int]], counts: dict[str, int]
              ) -> dict[Path, Position] | None:
    """`index` for the given log entries only (("credence", 17), ...), from one regular-
    expression pass over the text instead of a scan of every key: what locating the warnings
    of a large debate needs. None, so that the caller scans in full, unless each log's `[[...]]`
    headers are exactly `counts` (a header inside a multi-line string, or a log written as an
    inline array, would make them differ). No match is kept: 10^6 of them held at once cost
    more than the pass (docs/performance.md, round 8)."""
    seen = dict.fromkeys(counts, 0)
    starts: list[tuple[int, str, int]] = []  # where each wanted entry starts, in order
    ends: list[int] = []  # and where it ends: at the next header of any log
    for match in _LOG_HEADER.finditer("\n" + text):  # a header on line 1 follows a newline too
        start = match.start()  # in `text`, where the header's line starts
        if len(ends) < len(starts):
            ends.append(start)
        if (name := match[1]) in seen:
            seen[name] = (i := seen[name]) + 1
            if (name, i) in wanted:
                starts.append((start, name, i))
    if seen != counts:
        return None
    ends += [len(text)] * (len(starts) - len(ends))
    found: dict[Path, Position] = {}
    line, at = 1, 0
    for (start, log, i), end in zip(starts, ends, strict=True):
        line += text.count("\n", at, start)  # the header's line, counted once in order
        at = start
        for mark in scan(text[start:end]):
            if mark.path[:1] == (log,):
                found.setdefault((log, i, *mark.path[2:]), (line + mark.line - 1, mark.col))
    return found



def lines_at(text: str, numbers: Iterable[int]) -> dict[int, str]:
    """The text of each numbered line (from 1, split at "\n" as TOML counts lines), found
    without splitting the whole text: a debate of 10^6 credences has 6 million lines, which a
    split holds in 290 MB (docs/performance.md, round 8)."""
    out: dict[int, str] = {}
    line, at = 1, 0  # `at`: where line `line` starts
    for n in sorted(set(numbers)):
        if n < 1:
            continue
        if (at := _after_newlines(text, at, n - line)) < 0:
            break  # past the last line
        line = n
        end = text.find("\n", at)
        out[n] = text[at:] if end < 0 else text[at:end]
    return out


def _after_newlines(text: str, at: int, gap: int) -> int:
    """Where the text goes on after the next `gap` newlines from `at` (-1 past its end):
    newlines are counted a stretch at a time at C speed (doubled while too short, as over long
    quotes), the stretch halved near the last."""
    stretch = max(256, 16 * gap)
    while gap > 0:
        end = min(len(text), at + stretch)
        if (found := text.count("\n", at, end)) < gap:
            if end == len(text):
                return -1
            at, gap, stretch = end, gap - found, 2 * stretch
            continue
        while end - at > 256:  # the gap-th newline is before `end`
            middle = (at + end) // 2
            if (found := text.count("\n", at, middle)) < gap:
                at, gap = middle, gap - found
            else:
                end = middle
        for _ in range(gap):
            at = text.index("\n", at) + 1
        return at
    return at
