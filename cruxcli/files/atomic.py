"""Writing files atomically: a temporary file, fsync, rename; the same mode and owner; a new
file or folder all or nothing. Any failure leaves what was there byte for byte."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from cruxcli.files.finding import git_dir


class WriteFailed(Exception):
    """The change could not be written; the file is unchanged."""


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
        _fill(fd, tmp, data, mode)
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
            unlink_quietly(tmp)  # .git is on another file system: write beside the file
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            _fill(fd, tmp, data, mode)
            os.replace(tmp, path)
    except OSError as exc:
        unlink_quietly(tmp)
        raise WriteFailed(f"cannot write {path}: {exc.strerror}; nothing was changed") from None
    except BaseException:
        unlink_quietly(tmp)
        raise
    _fsync_dir(path.parent)


def _fill(fd: int, tmp: str, data: bytes, mode: int) -> None:
    """Write `data` through `fd` (the temporary file `tmp`) to the disk, and give it `mode`:
    what every atomic write does before its file takes its name."""
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(tmp, mode)


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

    present = [path for path, data in files if holds(path, data)]
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


def holds(path: Path, data: bytes) -> bool:
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
        _fill(fd, tmp, data, 0o666 & ~_umask())
        os.link(tmp, path)  # fails if `path` appeared meanwhile: never clobbers
    except FileExistsError:
        unlink_quietly(tmp)
        raise WriteFailed(f"{path} already exists; choose another path (nothing was changed)") \
            from None
    except OSError as exc:
        if "tmp" in locals():
            unlink_quietly(tmp)
        raise WriteFailed(f"cannot create {path}: {exc.strerror}") from None
    unlink_quietly(tmp)
    _fsync_dir(parent)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def unlink_quietly(path: str) -> None:
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
