"""Debate files on disk: find, read with located errors, and change safely.

Every command that writes goes through `rewrite`: take an exclusive lock on a sibling lock file,
read the bytes, apply a change that only adds text, parse and validate the whole result, and
replace the file atomically (temporary file in the same directory, fsync, os.replace, same
mode). Any failure leaves the file byte-for-byte as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tomli

from cruxcli.core.model import Debate, InvalidDebate, Problem, build, did_you_mean
from cruxcli.files.diagnostics import DebateFileError, Diagnostic, key_path

DEBATES_DIR = Path("debates")
LOCK_TIMEOUT = float(os.environ.get("CRUXCLI_LOCK_TIMEOUT", "10"))


class NotFound(Exception):
    """A debate name or path that does not exist (a usage error)."""


class WriteFailed(Exception):
    """The change could not be written; the file is unchanged."""


class ChangeRejected(Exception):
    """The change itself is invalid (e.g. an unknown participant); the file is unchanged."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


def repository_root(start: Path | None = None) -> Path | None:
    """The enclosing git work tree's root (a directory holding .git), found without running
    git, or None."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def debates_dir() -> Path:
    """Where bare debate names live: ./debates, else the enclosing repository's debates/
    (so that every command gives the same answer from any directory inside it)."""
    if DEBATES_DIR.is_dir():
        return DEBATES_DIR
    root = repository_root()
    if root is not None and (root / DEBATES_DIR).is_dir():
        return Path(os.path.relpath(root / DEBATES_DIR))
    return DEBATES_DIR


def resolve(name: str) -> Path:
    """A debate named on the command line: a file path; or a bare name, found as ./NAME.toml
    (where `cruxcli new NAME` puts it), then in debates_dir()."""
    path = Path(name)
    if path.is_file():
        return path
    bare = bool(name) and os.sep not in name and "/" not in name and not name.endswith(".toml")
    folder = debates_dir()
    candidates = [Path(f"{name}.toml"), folder / f"{name}.toml"] if bare else []
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    if path.exists() and name:
        return path  # a directory or a special file: reading it gives the precise error
    known = [p.stem for p in sorted(folder.glob("*.toml"))]
    hint = did_you_mean(name, known) or (f" (known: {', '.join(known)})" if known else "")
    where = f", no {candidates[0]} and no {candidates[1]}" if bare else ""
    raise NotFound(f'no debate "{name}": no such file{where}{hint}')


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise DebateFileError([Diagnostic(str(path), "is a directory, not a debate file")]) from None
    except FileNotFoundError:
        raise DebateFileError([Diagnostic(str(path), "no such file")]) from None
    except OSError as exc:
        raise DebateFileError([Diagnostic(str(path), f"cannot read: {exc.strerror}")]) from None


def decode(data: bytes, file: str) -> str:
    """The text of a debate file, or a located error for binary or non-UTF-8 content."""
    if (nul := data.find(b"\x00")) >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise DebateFileError([Diagnostic(file, "binary file (contains NUL bytes), not a TOML "
                                                "debate", line)])
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


def parse_text(text: str, file: str) -> Debate:
    """Parse and validate a debate's text; errors name file:line:col and quote the line."""
    if not text.strip():
        raise DebateFileError([Diagnostic(file, "the file is empty; a debate starts with "
                                                "`format = 1` (see `cruxcli new --list`)", 1)])
    try:
        with _bulk():
            raw = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        message = getattr(exc, "msg", str(exc))
        raise DebateFileError([_diagnostic(text.split("\n"), file, f"invalid TOML: {message}",
                                           line, col)]) from None
    try:
        with _bulk():
            return build(raw, now=utc_now())
    except InvalidDebate as exc:
        raise DebateFileError(located(text, file, exc.problems), exc.total) from None


def located(text: str, file: str, problems: list[Problem], severity: str = "error"
            ) -> list[Diagnostic]:
    """Problems (key paths) as diagnostics with file, line, column and the quoted line."""
    from cruxcli.files.locate import index, locate  # only problems need locating

    found = index(text)
    lines = text.split("\n")
    diagnostics = []
    for problem in problems:
        pos = locate(text, problem.path, found)
        line, col = pos if pos else (None, None)
        diagnostics.append(_diagnostic(lines, file, problem.message, line, col,
                                       key_path(problem.path))._replace(severity=severity))
    diagnostics.sort(key=lambda d: (d.line or 0, d.col or 0))
    return diagnostics


@contextmanager
def _bulk() -> Iterator[None]:
    """Millions of new objects and no reference cycles: without the cyclic garbage collector
    parsing and validating a 100k-entry debate take ~15% less time; what was built is then
    frozen out of later collections."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _diagnostic(lines: list[str], file: str, message: str, line: int | None, col: int | None,
                key: str | None = None) -> Diagnostic:
    excerpt = None
    if line is not None and 0 < line <= len(lines):
        excerpt = lines[line - 1].removesuffix("\r")
    return Diagnostic(file, message, line, col, excerpt, key)


def load(path: Path) -> Debate:
    return parse_text(decode(read_bytes(path), str(path)), str(path))


def warnings(path: Path, debate: Debate) -> list[Diagnostic]:
    """What a valid debate says that cannot all hold (core.coherence), located in the file."""
    from cruxcli.core.coherence import incoherences, latest_numbers

    found = incoherences(debate, latest_numbers(debate))
    if not found:
        return []
    problems = [Problem(("credence", x.p_u_c.index, "p"), x.message, x.p_u_c.credence.text)
                for x in found]
    return located(decode(read_bytes(path), str(path)), str(path), problems, "warning")


# ---------------------------------------------------------------------------------- writing


def lock_path(target: Path) -> Path:
    """The lock file for `target` (an absolute path). It must outlive the atomic replace of
    `target`, and deleting it after use would be racy, so it stays: inside the repository's
    .git directory when there is one, where git never shows it, else hidden beside `target`."""
    for parent in target.parents:
        dot_git = parent / ".git"
        if dot_git.is_dir():
            name = target.relative_to(parent).as_posix().replace("/", "%")
            return dot_git / "cruxcli-locks" / f"{name}.lock"
        if dot_git.exists():
            break  # a linked worktree or submodule (.git is a file): stay beside the file
    return target.parent / f".{target.name}.lock"


@contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """An exclusive lock that serializes every writer of `path` (see lock_path)."""
    from filelock import FileLock, Timeout  # imported here: it costs ~0.1 s at startup

    where = lock_path(path)
    try:
        where.parent.mkdir(exist_ok=True)
    except OSError as exc:
        raise WriteFailed(f"{path}: cannot create the lock directory: {exc.strerror}") from None
    lock = FileLock(str(where), timeout=LOCK_TIMEOUT if timeout is None else timeout)
    try:
        lock.acquire()
    except Timeout:
        raise WriteFailed(f"{path}: another process holds the lock {lock.lock_file} "
                          f"(waited {lock.timeout:g} s); nothing was changed") from None
    except OSError as exc:
        raise WriteFailed(f"{path}: cannot create the lock file: {exc.strerror}") from None
    try:
        yield
    finally:
        lock.release()


Change = Callable[[bytes], tuple[bytes, range]]  # old bytes -> new bytes, added line numbers


def rewrite(path: Path, change: Change, dry_run: bool = False) -> Debate:
    """Apply `change` to the file's bytes under the lock, validate the whole result, and
    replace the file atomically (unless `dry_run`). An error located in the added lines means
    the change itself is wrong (ChangeRejected); any other means the file already was
    (DebateFileError, with the file's own line numbers). Either way nothing is written.
    Returns the debate as it is after the change."""
    target = path.resolve()  # write through a symlink, never over it
    with locked(target):
        old = read_bytes(target)
        try:
            new, added = change(old)
            text = decode(new, str(path))
        except (UnicodeDecodeError, DebateFileError):
            decode(old, str(path))  # the file was not text: say so about the file
            raise
        try:
            debate = parse_text(text, str(path))
        except DebateFileError as exc:
            if all(d.line in added for d in exc.diagnostics):
                raise ChangeRejected(exc.diagnostics) from None
            parse_text(decode(old, str(path)), str(path))  # raises if it was already invalid
            raise
        if not dry_run and new != old:
            replace_atomically(target, new)
    return debate


def write_file(path: Path, data: bytes) -> None:
    """Write an output file (a chart) atomically, replacing any file already there."""
    replace_atomically(path, data, must_exist=False)


def replace_atomically(path: Path, data: bytes, must_exist: bool = True) -> None:
    """Write `data` to a temporary file beside `path`, fsync it, and os.replace it in."""
    try:
        if must_exist or path.exists():
            mode = stat.S_IMODE(path.stat().st_mode)
            if not os.access(path, os.W_OK):
                raise PermissionError(13, "Permission denied")
        else:
            mode = 0o666 & ~_umask()
        import tempfile  # only writers pay for it

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteFailed(f"cannot write {path}: {exc.strerror}; nothing was changed") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise WriteFailed(f"cannot write {path}: {exc.strerror}; nothing was changed") from None
    except BaseException:
        _unlink(tmp)
        raise
    _fsync_dir(path.parent)


def create_exclusively(path: Path, data: bytes) -> None:
    """Create a new file atomically, and any missing parent directories (removed again if
    the file cannot be made); refuse to overwrite one that exists."""
    try:
        exists = path.exists()
    except OSError as exc:  # e.g. a name longer than the file system allows
        raise WriteFailed(f"cannot create {path}: {exc.strerror}") from None
    if exists:
        raise WriteFailed(f"{path} already exists; choose another path (nothing was changed)")

    parent = path.parent if str(path.parent) else Path(".")
    made = [p for p in (parent, *parent.parents) if not p.exists()]
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteFailed(f"cannot create {parent}: {exc.strerror}") from None
    try:
        _create(path, parent, data)
    except WriteFailed:
        for folder in made:  # deepest first: leave the tree as it was
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _create(path: Path, parent: Path, data: bytes) -> None:
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.link(tmp, path)  # fails if `path` appeared meanwhile: never clobbers
    except FileExistsError:
        _unlink(tmp)
        raise WriteFailed(f"{path} already exists; choose another path (nothing was changed)") \
            from None
    except OSError as exc:
        if "tmp" in locals():
            _unlink(tmp)
        raise WriteFailed(f"cannot create {path}: {exc.strerror}") from None
    _unlink(tmp)
    _fsync_dir(parent)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ------------------------------------------------------------------------- what gets added


def newline_of(data: bytes) -> bytes:
    """The file's line ending: CRLF if it uses CRLF, else LF."""
    return b"\r\n" if b"\r\n" in data else b"\n"


def toml_table(header: str, fields: dict[str, Any], newline: bytes) -> bytes:
    """`header` and its fields, serialized by tomli-w (never by string formatting)."""
    import tomli_w

    body = tomli_w.dumps({k: v for k, v in fields.items() if v is not None})
    return f"{header}\n{body}".replace("\n", newline.decode()).encode("utf-8")


def _lines(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def append_table(header: str, fields: dict[str, Any]) -> Change:
    """A change that adds a table at the end of the file, after one blank line."""

    def change(old: bytes) -> tuple[bytes, range]:
        nl = newline_of(old)
        prefix = old
        if prefix and not prefix.endswith(b"\n"):
            prefix += nl
        if prefix and not prefix.endswith(nl * 2) and not prefix.endswith(b"\n\n"):
            prefix += nl
        table = toml_table(header, fields, nl)
        first = _lines(prefix) + 1
        return prefix + table, range(first, first + _lines(table))

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
