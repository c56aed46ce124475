"""Changing a debate: every command that writes goes through `rewrite`. Under the locks it
reads the bytes, applies a change that only adds text (a table appended or inserted, a premise
added), parses and validates the whole result, and replaces the file atomically. Any failure
leaves the file byte-for-byte as it was."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cruxcli.core.model import Debate, did_you_mean
from cruxcli.files.atomic import WriteFailed, replace_atomically
from cruxcli.files.diagnostics import DebateFileError, Diagnostic
from cruxcli.files.locks import git_quiet, locked
from cruxcli.files.reading import decode, parse_bytes, parse_text, read_file


class ChangeRejected(Exception):
    """The change itself is invalid (e.g. an unknown participant); the file is unchanged."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


Change = Callable[[bytes], tuple[bytes, range]]  # old bytes -> new bytes, added line numbers


def rewrite(path: Path, change: Change, dry_run: bool = False,
            check: Callable[[Debate], None] | None = None) -> Debate:
    """Apply `change` to the file's bytes under the lock, validate the whole result, and
    replace the file atomically (unless `dry_run`). An error located in the added lines means
    the change itself is wrong (ChangeRejected); any other means the file already was
    (DebateFileError, with the file's own line numbers). Either way nothing is written.
    Returns the debate as it is after the change."""
    target = Path(os.path.abspath(path))  # a symbolic link is refused by read_file
    with locked(target):
        old, status = read_file(target)
        try:
            bom = b"\xef\xbb\xbf" if old.startswith(b"\xef\xbb\xbf") else b""
            new, added = change(old[len(bom):])  # changes see the text, the file keeps its BOM
            new = bom + new
            decode(new, str(path))
        except (ChangeRejected, WriteFailed):
            raise
        except Exception:  # a change can trip over a file that was already invalid: say so
            parse_text(decode(old, str(path)), str(path))
            raise
        try:
            debate = parse_bytes(new, str(path))  # kept in the cache for the next report
        except DebateFileError as exc:
            if all(d.line in added for d in exc.diagnostics):
                raise ChangeRejected(exc.diagnostics) from None
            parse_text(decode(old, str(path)), str(path))  # raises if it was already invalid
            raise
        if check is not None:
            check(debate)  # raises ChangeRejected: a change valid as a file, refused as news
        if not dry_run and new != old:
            with git_quiet(target):
                replace_atomically(target, new, expect=status)
    return debate


def newline_of(data: bytes) -> bytes:
    """The file's line ending: CRLF if it uses CRLF, else LF."""
    return b"\r\n" if b"\r\n" in data else b"\n"


def toml_table(header: str, fields: dict[str, Any], newline: bytes) -> bytes:
    """`header` and its fields as TOML (toml_text.table: as tomli-w writes them), in the
    file's line ending."""
    from cruxcli.files.toml_text import table

    return table(header, fields).replace("\n", newline.decode()).encode("utf-8")


def _lines(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def append_table(header: str, fields: dict[str, Any]) -> Change:
    """A change that adds a table at the end of the file, after one blank line."""
    return append_tables([(header, fields)])


def append_tables(tables: list[tuple[str, dict[str, Any]]]) -> Change:
    """A change that adds tables at the end of the file, each after one blank line."""

    def change(old: bytes) -> tuple[bytes, range]:
        nl = newline_of(old)
        prefix = old
        if prefix and not prefix.endswith(b"\n"):
            prefix += nl
        if prefix and not prefix.endswith(nl * 2) and not prefix.endswith(b"\n\n"):
            prefix += nl
        block = nl.join(toml_table(header, fields, nl) for header, fields in tables)
        first = _lines(prefix) + 1
        return prefix + block, range(first, first + _lines(block))

    return change


def _table_end(lines: list[str], headers: list[Any], i: int) -> int:
    """The last content line of table `headers[i]`."""
    from cruxcli.files.locate import content_before
    nxt = headers[i + 1].line if i + 1 < len(headers) else len(lines) + 1
    return content_before(lines, nxt, headers[i].line)


def _insert(old: bytes, at: int, block: bytes, lines: list[str]) -> tuple[bytes, range]:
    """`block` (whole lines) inserted after line `at`; returns the new bytes and its lines."""
    nl = newline_of(old)
    head = "".join(lines[:at]).encode("utf-8")
    if head and not head.endswith(b"\n"):
        head += nl
    tail = "".join(lines[at:]).encode("utf-8")
    first = _lines(head) + 1
    return head + block + tail, range(first, first + _lines(block))


def insert_table(kind: str, ident: str, fields: dict[str, Any],
                 before: tuple[str, ...] = ()) -> Change:
    """A change that adds `[kind.ident]` right after the last `[kind.*]` table (or, if there
    is none, above the first table named in `before` and its leading comments, else at the
    end), separated by a blank line."""

    def change(old: bytes) -> tuple[bytes, range]:
        from cruxcli.files.locate import content_before, scan, split_lines

        text = old.decode("utf-8")  # not text: rewrite() reports it about the file
        lines = split_lines(text)
        headers = [m for m in scan(text) if m.header]
        if any(m.path == (kind, ident) for m in headers):
            raise ChangeRejected([Diagnostic("", f'{kind} already has "{ident}"')])
        ours = [i for i, m in enumerate(headers) if m.path[:1] == (kind,)]
        firsts = [i for i, m in enumerate(headers) if m.path[:1] and m.path[0] in before]
        nl = newline_of(old)
        table = nl + toml_table(f"[{kind}.{ident}]", fields, nl)
        if ours:
            at = _table_end(lines, headers, ours[-1])
        elif firsts:
            at = content_before(lines, headers[firsts[0]].line)
        else:
            at = len(lines)
        return _insert(old, at, table, lines)

    return change


def add_premise(parent: str, ident: str) -> Change:
    """A change that adds `ident` to crux `parent`'s premises: a new `premises` line after the
    table's last key, or an append to the existing list by tomlkit, which keeps every comment
    and the rest of the layout."""

    def change(old: bytes) -> tuple[bytes, range]:
        from cruxcli.files.locate import scan, split_lines

        text = old.decode("utf-8")
        marks = list(scan(text))
        headers = [m for m in marks if m.header]
        known = [m.path[1] for m in headers if m.path[:1] == ("cruxes",) and len(m.path) == 2]
        if parent not in known:
            raise ChangeRejected([Diagnostic("", f'unknown crux "{parent}"'
                                                 f"{did_you_mean(parent, known)}")])
        if not any(m.path == ("cruxes", parent, "premises") for m in marks):
            lines = split_lines(text)
            i = next(i for i, m in enumerate(headers) if m.path == ("cruxes", parent))
            block = toml_table("", {"premises": [ident]}, newline_of(old))[len(newline_of(old)):]
            return _insert(old, _table_end(lines, headers, i), block, lines)[0], range(0)
        import tomlkit

        doc = tomlkit.parse(text)
        doc["cruxes"][parent]["premises"].append(ident)  # type: ignore[index,union-attr]
        return tomlkit.dumps(doc).encode("utf-8"), range(0)

    return change


def then(first: Change, second: Change) -> Change:
    """Two changes in a row; the added lines are the second's."""

    def change(old: bytes) -> tuple[bytes, range]:
        return second(first(old)[0])

    return change
