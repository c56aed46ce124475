"""Who may write a debate now: cruxcli's own lock (one writer at a time) and git's index.lock
(no git operation during the replace), with a lock a killed cruxcli left recognised."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cruxcli.files.atomic import WriteFailed, unlink_quietly
from cruxcli.files.finding import git_dir

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
        unlink_quietly(str(index_lock))


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
        unlink_quietly(tmp)
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
    unlink_quietly(str(index_lock))
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
