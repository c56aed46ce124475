"""Reading debate files: only regular files (never through a link), within a size bound,
decoded and parsed with every problem located at its file, line and column."""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from pathlib import Path

from cruxcli.core.model import Debate, Entry, InvalidDebate, Problem
from cruxcli.core.outcomes import Resolution
from cruxcli.files import toml_text
from cruxcli.files.diagnostics import DebateFileError, Diagnostic, key_path
from cruxcli.files.finding import git_dir

#: The largest debate file read (a 100,000-credence debate is about 30 MB).
MAX_BYTES = 256 * 2**20


def read_bytes(path: Path) -> bytes:
    return read_file(path)[0]


def read_file(path: Path, limit: int | None = None, what: str = "a debate"
          ) -> tuple[bytes, os.stat_result]:
    """A file's bytes and its status when read (see open_regular); refused over `limit`
    (MAX_BYTES unless given)."""
    limit = MAX_BYTES if limit is None else limit
    def fail(message: str) -> DebateFileError:
        return DebateFileError([Diagnostic(str(path), message)])

    fd, status = open_regular(path)
    with os.fdopen(fd, "rb") as handle:
        if status.st_size > limit:
            raise fail(f"is {status.st_size / 2**20:,.0f} MB, over the {limit // 2**20} MB "
                       f"{what} may have")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise fail(f"cannot read: {exc.strerror}") from None
    if len(data) > limit:
        raise fail(f"is over the {limit // 2**20} MB {what} may have")
    return data, status


def open_regular(path: Path) -> tuple[int, os.stat_result]:
    """An open descriptor of a regular file, and its status. Only a regular file is opened,
    and never through a symbolic link: not as the last part of the path, nor as any folder
    below the repository root (outside a repository: below the current directory), since a
    debate or an import source in a pull request could point anywhere, such as a credentials
    file. FIFOs, devices and directories are refused before anything is read from them
    (they would never end, or are not files)."""
    def fail(message: str) -> DebateFileError:
        return DebateFileError([Diagnostic(str(path), message)])

    if link := linked_folder(path):
        raise fail(f"{link} is a symbolic link: cruxcli reads only regular files, never "
                   "through a link (copy the file instead)")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise fail("no such file") from None
    except IsADirectoryError:
        raise fail("is a directory, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise fail("is a symbolic link: cruxcli reads only regular files, never what a "
                       "link points to (copy the file instead)") from None
        raise fail(f"cannot read: {exc.strerror}") from None
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode):
        os.close(fd)
        raise fail("is a directory, not a file" if stat.S_ISDIR(status.st_mode) else
                   "is not a regular file (a FIFO, device or socket)")
    return fd, status


def linked_folder(path: Path) -> Path | None:
    """The first folder of `path` below the repository root (or the current directory) that
    is a symbolic link, if any."""
    absolute = Path(os.path.abspath(path))
    found = git_dir(absolute.parent)
    root = found[1] if found else Path(os.getcwd())
    try:
        parts = absolute.parent.relative_to(root).parts
    except ValueError:
        return None  # elsewhere: only the last part is checked (O_NOFOLLOW)
    folder = root
    for part in parts:
        folder = folder / part
        if folder.is_symlink():
            return folder
    return None


def decode(data: bytes, file: str, expected: str = "a TOML debate") -> str:
    """The text of a debate (or `expected`) file, or a located error for binary or non-UTF-8
    content."""
    if (nul := data.find(b"\x00")) >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise DebateFileError([Diagnostic(file, f"binary file (contains NUL bytes), not "
                                                f"{expected}", line)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DebateFileError([Diagnostic(
            file, f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded", line, col,
        )]) from None
    return text.removeprefix("\ufeff")


def utc_now() -> dt.datetime:
    """The clock, as naive UTC like every When."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def parse_text(text: str, file: str, now: dt.datetime | None = None) -> Debate:
    """Parse and validate a debate's text (dated no later than `now`, the clock unless
    given); errors name file:line:col and quote the line."""
    if not text.strip():
        raise DebateFileError([Diagnostic(file, "the file is empty; a debate starts with "
                                                "`format = 1` (see `cruxcli new --list`)", 1)])
    try:
        raw = toml_text.loads(text)
    except toml_text.TOMLDecodeError as exc:
        line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        message = getattr(exc, "msg", str(exc))
        raise DebateFileError([_diagnostic(_lines(text, line), file, f"invalid TOML: {message}",
                                           line, col)]) from None
    except RecursionError as exc:  # tomli's own limits: 400 levels of nesting, 1,000-part keys
        lines = text.split("\n")
        line = next((n for n, s in enumerate(lines, 1)
                     if s.count("[") + s.count("{") >= 400 or s.count(".") >= 999), None)
        raise DebateFileError([_diagnostic(_lines(text, line), file,
                                           f"too deep for a debate: {exc}", line, None)]) from None
    from cruxcli.core.checks import build  # not needed for a debate the cache holds
    from cruxcli.core.schema import LOGS

    try:
        return build(raw, now=now or utc_now())
    except InvalidDebate as exc:  # located in the logs alone if only their entries are wrong
        counts = {log: len(written) for log in LOGS
                  if type(written := raw.get(log, [])) is list}
        raise DebateFileError(located(text, file, exc.problems, counts=counts),
                              exc.total) from None


def located(text: str, file: str, problems: list[Problem], severity: str = "error",
            counts: dict[str, int] | None = None) -> list[Diagnostic]:
    """Problems (key paths) as diagnostics with file, line, column and the quoted line. With
    `counts` (each log's length as written) and problems only in log entries, only those
    entries are indexed (locate.log_index), not every key of the file."""
    from cruxcli.files.locate import index, lines_at, locate, log_index  # only problems need

    found = None
    paths = [p.path for p in problems] + [p.related for p in problems if p.related]
    if counts is not None and all(len(x) > 1 and x[0] in counts and isinstance(x[1], int)
                                  for x in paths):
        found = log_index(text, {(str(x[0]), int(x[1])) for x in paths}, counts)
    if found is None:
        found = index(text)
    at = [(problem, locate(text, problem.path, found)) for problem in problems]
    lines = lines_at(text, (pos[0] for _, pos in at if pos))
    diagnostics = []
    for problem, pos in at:
        line, col = pos if pos else (None, None)
        message = problem.message
        if problem.related and (other := locate(text, problem.related, found)):
            message += f" (the other is at {file}:{other[0]})"
        diagnostics.append(_diagnostic(lines, file, message, line, col,
                                       key_path(problem.path))._replace(severity=severity))
    diagnostics.sort(key=lambda d: (d.line or 0, d.col or 0))
    return diagnostics


def _lines(text: str, line: int | None) -> dict[int, str]:
    from cruxcli.files.locate import lines_at

    return lines_at(text, [line or 0])


def _diagnostic(lines: dict[int, str], file: str, message: str, line: int | None,
                col: int | None, key: str | None = None) -> Diagnostic:
    """A diagnostic quoting its line (of `lines`, numbered from 1)."""
    excerpt = None if line is None or line not in lines else lines[line].removesuffix("\r")
    return Diagnostic(file, message, line, col, excerpt, key)


def load(path: Path) -> Debate:
    return parse_bytes(read_bytes(path), str(path))


def parse_bytes(data: bytes, file: str) -> Debate:
    """The debate in a file's bytes: from the cache of validated debates if it holds these
    bytes (files.cache), else decoded, parsed and validated, and kept there."""
    from cruxcli.files import cache, memory

    now = utc_now()
    cached = cache.active(data)
    debate = cache.get(data, now) if cached else None
    if debate is None:
        memory.reading(len(data))
        debate = parse_text(decode(data, file), file, now)
        if cached:
            cache.put(data, debate, now)
    return debate


def warnings(data: bytes, file: str, debate: Debate) -> list[Diagnostic]:
    """The warning checks of a valid debate (core.checks.warnings), located in the file's
    bytes (already read)."""
    from cruxcli.core.checks import warnings as warning_checks

    problems = warning_checks(debate)
    if not problems:
        return []
    counts = {"credence": debate.written(Entry), "resolution": debate.written(Resolution),
              "retraction": len(debate.retractions),
              "seal": len(debate.seals), "pledge": len(debate.pledges),
              "relation": len(debate.relations)}
    return located(decode(data, file), file, problems, "warning", counts)
