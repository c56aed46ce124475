"""Errors about a file, located and quoted, in hledger's style: `FILE:LINE:COL: message`,
then the offending line with a gutter and a caret. Pure (no terminal, no click)."""

from __future__ import annotations

from typing import Any, NamedTuple

from cruxcli.core.text import clean

WINDOW = 120  # longest excerpt shown


class Diagnostic(NamedTuple):
    file: str
    message: str
    line: int | None = None
    col: int | None = None
    excerpt: str | None = None  # the source line, when known
    key: str | None = None  # the key path, e.g. credence[17].p
    severity: str = "error"  # or "warning": the file is valid, but says something doubtful

    def location(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return where

    def to_text(self) -> str:
        head = f"{clean(self.location(), True)}: {self.severity}: {clean(self.message, True)}"
        if self.excerpt is None or self.line is None:
            return head
        gutter = " " * len(str(self.line))
        line, col = excerpt_window(self.excerpt.rstrip("\r\n"), self.col)
        lines = [head, f"{gutter} |", f"{self.line} | {clean(line, True)}"]
        if col is not None:
            lines.append(f"{gutter} | {' ' * len(clean(line[: col - 1], True))}^")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.col,
            "key": self.key,
            "severity": self.severity,
            "message": self.message,
            "excerpt": None if self.excerpt is None else excerpt_window(self.excerpt, self.col)[0],
        }


def excerpt_window(line: str, col: int | None, width: int = WINDOW) -> tuple[str, int | None]:
    """At most `width` characters of a long line, around `col` (adjusted to the window)."""
    if len(line) <= width:
        return line, col
    center = (col or 1) - 1
    start = max(0, min(center - width // 2, len(line) - width))
    cut = line[start:start + width]
    prefix, suffix = ("..." if start else ""), ("..." if start + width < len(line) else "")
    return prefix + cut + suffix, None if col is None else col - start + len(prefix)


def key_path(path: tuple[str | int, ...]) -> str:
    """("credence", 17, "p") -> "credence[17].p"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class DebateFileError(Exception):
    """A debate could not be read; `diagnostics` says every reason found, located."""

    def __init__(self, diagnostics: list[Diagnostic], total: int | None = None) -> None:
        super().__init__(diagnostics[0].to_text() if diagnostics else "invalid debate")
        self.diagnostics = diagnostics
        self.total = total if total is not None else len(diagnostics)

    def to_text(self) -> str:
        text = "\n".join(d.to_text() for d in self.diagnostics)
        if self.total > len(self.diagnostics):
            more = self.total - len(self.diagnostics)
            text += f"\n... and {more} more {'error' if more == 1 else 'errors'}"
        return text
