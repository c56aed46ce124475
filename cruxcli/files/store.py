"""Debate files on disk: find, read with located errors, and change safely.

Every command that writes goes through `rewrite`: take an exclusive lock on a sibling lock file,
read the bytes, apply a change that only adds text, parse and validate the whole result, and
replace the file atomically (temporary file in the same directory, fsync, os.replace, same
mode). Any failure leaves the file byte-for-byte as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import math
import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tomli

from cruxcli.core.model import Debate, InvalidDebate, Problem, build, did_you_mean
from cruxcli.files.diagnostics import DebateFileError, Diagnostic, key_path

DEBATES_DIR = Path("debates")
LOCK_TIMEOUT = 10.0  # seconds a writer waits for another; CRUXCLI_LOCK_TIMEOUT overrides it


def lock_timeout() -> float:
    """CRUXCLI_LOCK_TIMEOUT, read when a writer needs it (a bad value breaks nothing else)."""
    value = os.environ.get("CRUXCLI_LOCK_TIMEOUT")
    if value is None:
        return LOCK_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds < math.inf:
        raise WriteFailed(f'CRUXCLI_LOCK_TIMEOUT is "{value}": give a number of seconds, e.g. 10'
                          "; nothing was changed")
    return seconds


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
    """The enclosing git work tree's root, found without running git (see git_dir), or None."""
    found = git_dir((start or Path.cwd()).resolve())
    return found[1] if found else None


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
    try:
        return _resolve(name, path)
    except OSError as exc:  # a name longer than the file system allows, and the like
        raise NotFound(f'no debate "{name[:80]}{"..." if len(name) > 80 else ""}": '
                       f"{exc.strerror}") from None


def _resolve(name: str, path: Path) -> Path:
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


#: The largest debate file read (a 100,000-credence debate is about 30 MB).
MAX_BYTES = 256 * 2**20


def read_bytes(path: Path) -> bytes:
    return _read(path)[0]


def _read(path: Path, limit: int | None = None, what: str = "a debate"
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


def parse_text(text: str, file: str) -> Debate:
    """Parse and validate a debate's text; errors name file:line:col and quote the line."""
    if not text.strip():
        raise DebateFileError([Diagnostic(file, "the file is empty; a debate starts with "
                                                "`format = 1` (see `cruxcli new --list`)", 1)])
    try:
        raw = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        message = getattr(exc, "msg", str(exc))
        raise DebateFileError([_diagnostic(text.split("\n"), file, f"invalid TOML: {message}",
                                           line, col)]) from None
    except RecursionError as exc:  # tomli's own limits: 400 levels of nesting, 1,000-part keys
        lines = text.split("\n")
        line = next((n for n, s in enumerate(lines, 1)
                     if s.count("[") + s.count("{") >= 400 or s.count(".") >= 999), None)
        raise DebateFileError([_diagnostic(lines, file, f"too deep for a debate: {exc}", line,
                                           None)]) from None
    try:
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
        message = problem.message
        if problem.related and (other := locate(text, problem.related, found)):
            message += f" (the other is at {file}:{other[0]})"
        diagnostics.append(_diagnostic(lines, file, message, line, col,
                                       key_path(problem.path))._replace(severity=severity))
    diagnostics.sort(key=lambda d: (d.line or 0, d.col or 0))
    return diagnostics


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
    from cruxcli.core.outcomes import after_resolution

    problems = [Problem(("credence", x.p_u_c.position, "p"), x.message, x.p_u_c.credence.text)
                for x in incoherences(debate, latest_numbers(debate))]
    problems += [Problem(("credence", e.position, "at"), f'{e.who}\'s credence on "{e.crux}" is '
                         f'dated {e.when}, after the crux resolved {r.outcome} at {r.when}: '
                         "not a forecast of it", e.when.text)
                 for e, r in after_resolution(debate.entries, debate.resolutions)]
    if not problems:
        return []
    return located(decode(read_bytes(path), str(path)), str(path), problems, "warning")


# ---------------------------------------------------------------------------------- writing


def lock_path(target: Path) -> Path:
    """The lock file for `target` (an absolute path). It must outlive the atomic replace of
    `target`, and deleting it after use would be racy, so it stays: inside the repository's
    .git directory when there is one, where git never shows it, else hidden beside `target`."""
    found = git_dir(target)
    if found is not None:
        git, root = found
        name = target.relative_to(root).as_posix().replace("/", "%")
        return git / "cruxcli-locks" / f"{name}.lock"
    return target.parent / f".{target.name}.lock"


def git_dir(target: Path) -> tuple[Path, Path] | None:
    """The git directory of the work tree holding `target` (an absolute path, or that root
    itself), and that work tree's root; a linked worktree's or submodule's `.git` file is
    followed. None outside git."""
    for parent in (target, *target.parents):
        dot_git = parent / ".git"
        if dot_git.is_dir():
            return dot_git, parent
        if dot_git.is_file():
            try:
                line = dot_git.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if line.startswith("gitdir:"):
                linked = Path(line.removeprefix("gitdir:").strip())
                linked = linked if linked.is_absolute() else parent / linked
                return (linked, parent) if linked.is_dir() else None
            return None
    return None


#: What git leaves in its directory while an operation holds the repository.
BUSY = {"index.lock": "git is working on this repository (its index.lock is held)",
        "MERGE_HEAD": "a merge is in progress (finish it with git commit, or git merge --abort)",
        "CHERRY_PICK_HEAD": "a cherry-pick is in progress",
        "REVERT_HEAD": "a revert is in progress",
        "rebase-merge": "a rebase is in progress", "rebase-apply": "a rebase is in progress"}


#: What cruxcli writes into git's index.lock while it holds it, so that one left behind by a
#: killed cruxcli can be told from git's own: "cruxcli pid HOST".
_OURS = "cruxcli {pid} {host}\n"


@contextmanager
def git_quiet(target: Path) -> Iterator[None]:
    """Hold git off `target`'s repository while it is replaced: refuse if git is in the middle
    of an operation, and take git's own index.lock meanwhile (only for the replace itself,
    milliseconds), so that no merge, checkout or rebase can start and rewrite the file under
    us. An index.lock left by a killed cruxcli (its process gone) is removed, and said so.
    Outside git, nothing to do."""
    found = git_dir(target)
    if found is None:
        yield
        return
    git = found[0]
    index_lock = git / "index.lock"
    _clear_stale(index_lock)
    for name, why in BUSY.items():
        if (git / name).exists():
            raise WriteFailed(f"{target.name}: {why}; nothing was changed. Try again once git "
                              "has finished.")
    try:
        taken = _take(index_lock, _OURS.format(pid=os.getpid(), host=_host()).encode())
    except FileExistsError:
        raise WriteFailed(f"{target.name}: {BUSY['index.lock']}; nothing was changed. Try "
                          "again once git has finished.") from None
    if not taken:
        yield  # a read-only git directory: git cannot run there either
        return
    try:
        yield
    finally:
        _unlink(str(index_lock))


def _take(lock: Path, content: bytes) -> bool:
    """Create `lock` holding `content` in one step (written beside it, then hard-linked into
    place, which fails if it exists), so that a kill can never leave it empty and nameless.
    FileExistsError if it exists; False if the folder cannot be written."""
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=lock.parent, prefix=".cruxcli-lock-")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.link(tmp, lock)
    except FileExistsError:
        raise
    except OSError:
        return False
    finally:
        _unlink(tmp)
    return True


def _host() -> str:
    import socket

    return socket.gethostname()


def _clear_stale(index_lock: Path) -> None:
    """Remove an index.lock that a killed cruxcli left (its pid gone, on this host); git's
    own, or a live cruxcli's, stays."""
    try:
        words = index_lock.read_bytes()[:200].decode("utf-8").split()
    except (OSError, UnicodeDecodeError):
        return
    if len(words) != 3 or words[0] != "cruxcli" or not words[1].isdigit() or \
            words[2] != _host():
        return
    pid = int(words[1])
    try:
        os.kill(pid, 0)
        return  # alive
    except ProcessLookupError:
        pass
    except (PermissionError, OverflowError):
        return  # alive under another user, or not a pid at all
    _unlink(str(index_lock))
    print(f"cruxcli: removed {index_lock}, left by cruxcli process {pid}, which is gone "
          "(it was killed while writing)", file=sys.stderr)


@contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """An exclusive lock that serializes every writer of `path` (see lock_path)."""
    from filelock import FileLock, Timeout  # imported here: it costs ~0.1 s at startup

    where = lock_path(path)
    try:
        where.parent.mkdir(exist_ok=True)
    except OSError as exc:
        raise WriteFailed(f"{path}: cannot create the lock directory: {exc.strerror}") from None
    lock = FileLock(str(where), timeout=lock_timeout() if timeout is None else timeout)
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


def rewrite(path: Path, change: Change, dry_run: bool = False,
            check: Callable[[Debate], None] | None = None) -> Debate:
    """Apply `change` to the file's bytes under the lock, validate the whole result, and
    replace the file atomically (unless `dry_run`). An error located in the added lines means
    the change itself is wrong (ChangeRejected); any other means the file already was
    (DebateFileError, with the file's own line numbers). Either way nothing is written.
    Returns the debate as it is after the change."""
    target = Path(os.path.abspath(path))  # a symbolic link is refused by _read
    with locked(target):
        old, status = _read(target)
        try:
            bom = b"\xef\xbb\xbf" if old.startswith(b"\xef\xbb\xbf") else b""
            new, added = change(old[len(bom):])  # changes see the text, the file keeps its BOM
            new = bom + new
            text = decode(new, str(path))
        except (ChangeRejected, WriteFailed):
            raise
        except Exception:  # a change can trip over a file that was already invalid: say so
            parse_text(decode(old, str(path)), str(path))
            raise
        try:
            debate = parse_text(text, str(path))
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


def write_file(path: Path, data: bytes) -> None:
    """Write an output file (a chart, a page) atomically, replacing a regular file already
    there; anything else at the path (a link, FIFO, device or folder) is refused, untouched:
    cruxcli replaces only what it could have written."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise WriteFailed(f"cannot write {path}: {exc.strerror}; nothing was changed") from None
    if status is not None and not stat.S_ISREG(status.st_mode):
        kind = ("a symbolic link" if stat.S_ISLNK(status.st_mode) else "a folder"
                if stat.S_ISDIR(status.st_mode) else "not a regular file (a FIFO or device)")
        raise WriteFailed(f"cannot write {path}: it is {kind}; cruxcli replaces only regular "
                          "files (nothing was changed)")
    replace_atomically(path, data, must_exist=False)


def replace_atomically(path: Path, data: bytes, must_exist: bool = True,
                       expect: os.stat_result | None = None) -> None:
    """Write `data` to a temporary file, fsync it, and os.replace it in, keeping the file's
    mode and owner. With `expect` (the file's status when it was read), refuse if the file
    changed since. The temporary file lives in the repository's .git directory when there is
    one (a kill -9 then leaves nothing that `git status` shows), else beside `path`."""
    owner = None
    try:
        if must_exist or path.exists():
            now = path.stat()
            mode, owner = stat.S_IMODE(now.st_mode), (now.st_uid, now.st_gid)
            if not os.access(path, os.W_OK):
                raise PermissionError(13, "Permission denied")
        else:
            mode = 0o666 & ~_umask()
        import tempfile  # only writers pay for it

        fd, tmp = _temporary(Path(os.path.abspath(path)), tempfile.mkstemp)
    except OSError as exc:
        raise WriteFailed(f"cannot write {path}: {exc.strerror}; nothing was changed") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if owner is not None and owner != (os.geteuid(), os.getegid()):
            with contextlib.suppress(PermissionError):
                os.chown(tmp, *owner)  # root writing a user's file leaves it theirs
        if expect is not None and _changed(path, expect):
            raise WriteFailed(f"{path} changed while it was being written (another program "
                              "wrote it); nothing was changed: run the command again")
        try:
            os.replace(tmp, path)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            _unlink(tmp)  # .git is on another file system: write beside the file
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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


def _temporary(target: Path, mkstemp: Callable[..., tuple[int, str]]) -> tuple[int, str]:
    found = git_dir(target)
    if found is not None:
        folder = found[0] / "cruxcli-tmp"
        with contextlib.suppress(OSError):
            folder.mkdir(exist_ok=True)
            return mkstemp(dir=folder, prefix=f"{target.name}.", suffix=".tmp")
    return mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")


def _changed(path: Path, before: os.stat_result) -> bool:
    try:
        now = path.stat()
    except OSError:
        return True
    return (now.st_ino, now.st_size, now.st_mtime_ns) != (before.st_ino, before.st_size,
                                                          before.st_mtime_ns)


def create_exclusively(path: Path, data: bytes) -> None:
    """Create a new file atomically, and any missing parent directories (removed again if
    the file cannot be made); refuse to overwrite one that exists."""
    try:
        exists = path.exists()
    except OSError as exc:  # e.g. a name longer than the file system allows
        raise WriteFailed(f"cannot create {path}: {exc.strerror}") from None
    if exists:
        raise WriteFailed(f"{path} already exists; choose another path (nothing was changed)")

    create_all([(path, data)])


def create_all(files: list[tuple[Path, bytes]]) -> list[Path]:
    """Create new files atomically, and any missing folders: all of them or, if one cannot be
    made, none. A file already there with exactly these bytes is accepted (a rerun of a
    killed import completes it); one with other bytes is refused. Files going into a folder
    that does not exist yet are made in a hidden stand-in beside it, renamed into place at the
    end, so the new folder appears whole or not at all, even after kill -9. Returns the files
    that were already there."""
    import shutil
    import tempfile

    present = [path for path, data in files if _holds(path, data)]
    written: list[Path] = []  # into folders that exist
    staged: dict[Path, Path] = {}  # a new top folder -> its stand-in
    moved: list[Path] = []
    try:
        for path, data in files:
            if path in present:
                continue
            top = _top_missing(path.parent if str(path.parent) else Path("."))
            if top is None:
                _create(path, path.parent, data)
                written.append(path)
                continue
            if top not in staged:
                try:
                    staged[top] = Path(tempfile.mkdtemp(dir=top.parent,
                                                        prefix=f".{top.name}.cruxcli-"))
                except OSError as exc:
                    raise WriteFailed(f"cannot create {top}: {exc.strerror}") from None
            stand_in = staged[top] / path.relative_to(top)
            try:
                stand_in.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WriteFailed(f"cannot create {path.parent}: {exc.strerror}") from None
            _create(stand_in, stand_in.parent, data)
        for top, stand_in in staged.items():
            if top.exists():
                raise WriteFailed(f"{top} appeared while the import was writing; nothing was "
                                  "changed")
            try:
                os.rename(stand_in, top)
            except OSError as exc:
                raise WriteFailed(f"cannot create {top}: {exc.strerror}") from None
            moved.append(top)
            _fsync_dir(top.parent)
    except WriteFailed:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        for folder in [*staged.values(), *moved]:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return present


def _holds(path: Path, data: bytes) -> bool:
    """Whether `path` already holds exactly `data`; False if it does not exist; WriteFailed
    if something else is there."""
    try:
        if not os.path.lexists(path):
            return False
        same = stat.S_ISREG(os.lstat(path).st_mode) and path.read_bytes() == data
    except OSError as exc:
        raise WriteFailed(f"cannot create {path}: {exc.strerror}") from None
    if not same:
        raise WriteFailed(f"{path} already exists; choose another path (nothing was changed)")
    return True


def _top_missing(folder: Path) -> Path | None:
    """The outermost folder of `folder`'s path that does not exist yet, if any."""
    top = None
    for p in (folder, *folder.parents):
        if os.path.lexists(p):
            break
        top = p
    return top


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
