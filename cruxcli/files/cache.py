"""A private cache of validated debates: a report on a large file that has not changed since
the last one skips parsing and validating it (0.15 s instead of 1.1 s for 100,000 credences),
and finds its entries' ids already computed (core.ids.known: 0.8 s more).

An entry is keyed by SHA-256 of the file's bytes together with a stamp of the code that
validated them (cruxcli's version, the source of `cruxcli/core`, pydantic-core's installed
files and Python's version), so an edited file or an upgraded cruxcli never meets an old
entry. It lives in `$XDG_CACHE_HOME/cruxcli` (`~/.cache/cruxcli`), never in a repository, in
a folder only its owner may read or write; files under MIN_BYTES are not cached (they parse
in milliseconds).
The folder is kept under LIMIT bytes (CRUXCLI_CACHE_MB), the least recently used going first.
`--no-cache` or CRUXCLI_CACHE=off turns it off.

Why loading an entry is safe: it is read only from a folder and a file owned by the user and
closed to everyone else (anyone who can write there can already run code as the user); it is
unpickled by an unpickler that builds only the named tuples of `cruxcli.core` and the standard
library's dates and times, never calls anything else, so even a forged file cannot run code;
and it is used only if its header names exactly the key of the bytes just read and the
checksum of what follows, and it was validated no later than now (a debate valid at its
validation stays valid: only dates in the future are refused). Anything else (missing, truncated,
corrupt, foreign, stale) is ignored, removed, and rebuilt from the file.

The command line defers writing an entry until its output is done (`write_pending`, in a
child process that outlives it), so a cold run does not wait for the cache; the Python API
writes at once.
"""

from __future__ import annotations

import functools
import io
import os
import stat
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the command line imports this module before it knows it needs it
    from pathlib import Path

    from cruxcli.core.model import Debate

MIN_BYTES = 1 << 20
LIMIT = 1 << 30
MAGIC = b"cruxcli validated debate 5\n"

#: Turned off by `--no-cache`; CRUXCLI_CACHE=off turns it off for every run.
enabled = True
#: Set by the command line: entries are written by `write_pending`, after the output.
defer = False
_pending: list[tuple[bytes, Debate, Any]] = []


def active(data: bytes) -> bool:
    return enabled and len(data) >= MIN_BYTES and \
        os.environ.get("CRUXCLI_CACHE", "").lower() not in ("off", "0", "no", "false")


def folder(create: bool = False) -> Path | None:
    """The cache folder if it is the user's own and closed to others (made so if `create`)."""
    from cruxcli.files.finding import user_folder

    path = user_folder("XDG_CACHE_HOME", ".cache")
    try:
        if create:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = os.lstat(path)
        if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.geteuid():
            return None
        if status.st_mode & 0o077:
            os.chmod(path, 0o700)
    except OSError:
        return None
    return path


@functools.cache
def _stamp() -> bytes:
    """What an entry depends on besides the file: the code that read and validated it (of
    pydantic-core, the files it is installed as, which an upgrade replaces: importing it to
    ask its version would cost a warm run 0.05 s)."""
    import hashlib
    import sys
    from importlib.util import find_spec
    from pathlib import Path

    digest = hashlib.sha256(sys.version.encode())
    spec = find_spec("pydantic_core")
    if spec is None or spec.origin is None:
        raise OSError("pydantic-core is not installed")
    files = [item for item in os.scandir(Path(spec.origin).parent) if item.is_file()]
    for item in sorted(files, key=lambda item: item.name):
        status = item.stat()
        digest.update(f"{item.name} {status.st_size} {status.st_mtime_ns}\0".encode())
    package = Path(__file__).resolve().parent.parent  # its __init__ holds the version
    for source in [package / "__init__.py", *sorted((package / "core").glob("*.py")),
                   package / "files" / "toml_text.py", package / "files" / "cache.py"]:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.digest()


def key(data: bytes) -> str:
    import hashlib

    digest = hashlib.sha256(_stamp())
    digest.update(data)
    return digest.hexdigest()


def get(data: bytes, now: Any) -> Debate | None:
    """The debate validated from exactly these bytes, if a sound entry holds it (and its
    ids, as core.ids.known computed them)."""
    from functools import partial

    from cruxcli.core import ids
    from cruxcli.core.model import Debate, Entry

    where = folder()
    if where is None:
        return None
    try:
        name = key(data)  # reads cruxcli's own sources for the stamp
        path = where / f"{name}.pickle"
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode) or status.st_uid != os.geteuid():
                return None
            blob = handle.read()
        split = blob.index(b"\n\n")  # the header holds no blank line
        if blob[:split] != _header(name, memoryview(blob)[split + 2:]):
            raise ValueError("not this entry")
        stream = io.BytesIO(blob)  # shares blob's bytes
        stream.seek(split + 2)
        validated, bare, columns = _Loader(stream).load()
        if not isinstance(bare, Debate) or validated > now \
                or len(columns) not in (0, len(Entry._fields)):
            raise ValueError("not a debate validated by now")
        entries = map(partial(tuple.__new__, Entry), zip(*columns, strict=True))
        debate = bare._replace(entries=tuple(entries))
    except Exception:  # noqa: BLE001 - whatever is wrong with an entry, it is rebuilt
        _remove(path)
        return None
    try:
        os.utime(path)  # recently used: evicted last
    except OSError:  # a read-only cache still serves
        pass
    # only their bytes are kept (not the whole entry's), read if a report asks for them
    ids.remember(debate, partial(_ids, blob[stream.tell():]))
    return debate


def _ids(kept: bytes) -> Any:
    """The ids kept after the debate in an entry (core.ids.Known), or None if they are not
    sound (core.ids computes them again). Not read with the debate: most reports show no
    ids, and 10^5 of them take 0.03 s to unpickle."""
    from cruxcli.core import ids

    try:
        full, short = _Loader(io.BytesIO(kept)).load()  # a pickle of its own
    except Exception:  # noqa: BLE001 - the header's checksum makes this all but impossible
        return None
    return ids.Known(full, short) if type(full) is list and type(short) is dict else None


def put(data: bytes, debate: Debate, now: Any) -> None:
    """Keep the debate validated from `data`: at once, or after the output (`defer`)."""
    if defer:
        _pending.append((data, debate, now))
    else:
        _write(data, debate, now)


def write_pending() -> None:
    """Write the deferred entries in a child process, so that the command's exit does not
    wait for them (where there is no fork, here and now)."""
    if not _pending:
        return
    fork = getattr(os, "fork", None)
    try:
        pid = fork() if fork else 0
    except OSError:  # no process to spare (memory, a process limit): only slower next time
        _pending.clear()
        return
    if pid:
        return
    try:
        if fork:
            os.setsid()  # the terminal's Ctrl-C goes to the command, not to this
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)  # a pipe reading the output ends with the command
        for data, debate, now in _pending:
            _write(data, debate, now)
        _pending.clear()
    finally:
        if fork:
            os._exit(0)


def _write(data: bytes, debate: Debate, now: Any) -> None:
    import pickle
    import tempfile

    where = folder(create=True)
    if where is None:
        return
    from cruxcli.core import ids

    try:
        body = pickle.dumps((now, debate._replace(entries=()), _columns(debate.entries)),
                            protocol=5) + pickle.dumps(tuple(ids.known(debate)), protocol=5)
        name = key(data)
        fd, temporary = tempfile.mkstemp(dir=where, prefix=".writing-")  # private: 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(_header(name, body) + b"\n\n")
            handle.write(body)
        os.replace(temporary, where / f"{name}.pickle")
        _evict(where)
    except (OSError, pickle.PicklingError, RecursionError):
        pass  # a cache that cannot be written is only slower


def _columns(entries: tuple[Any, ...]) -> list[list[Any]]:
    """The log's entries a field at a time, each text that recurs (a participant, a crux) one
    object: unpickled and rebuilt at C speed (0.15 s, against 0.4 s for a tuple an entry, at
    100,000 credences)."""
    columns = []
    for column in zip(*entries, strict=True):
        if all(type(v) is str or v is None for v in column):
            shared: dict[Any, Any] = {}
            column = tuple(map(shared.setdefault, column, column))
        columns.append(list(column))
    return columns


def _header(name: str, body: bytes | memoryview) -> bytes:
    """What an entry starts with: its key, and a CRC-32 of the rest, against a torn or damaged
    write (against accidents: a forged entry is refused by the unpickler; half the time of a
    SHA-256 of a 20 MB body)."""
    import zlib

    return MAGIC + f"{name} {zlib.crc32(body):08x}".encode()


def _evict(where: Path, limit: int | None = None) -> None:
    """Remove the least recently used entries until the folder holds at most the limit, and
    any write that was cut off an hour ago or more."""
    import time

    if limit is None:
        megabytes = os.environ.get("CRUXCLI_CACHE_MB", "")
        limit = int(megabytes) * 2**20 if megabytes.isdigit() else LIMIT
    entries = []
    for item in os.scandir(where):
        status = item.stat(follow_symlinks=False)
        if item.name.startswith(".writing-") and status.st_mtime < time.time() - 3600:
            _remove(item.path)
        elif item.name.endswith(".pickle"):
            entries.append((status.st_mtime, status.st_size, item.path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        _remove(path)
        total -= size


def _remove(path: Path | str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


#: The only globals an entry may name: the named tuples a Debate is made of, and dates.
ALLOWED = {
    "cruxcli.core.model": {"Debate", "Participant", "Crux", "Entry", "Condition"},
    "cruxcli.core.credence": {"Credence", "Scale"},
    "cruxcli.core.when": {"When"},
    "cruxcli.core.outcomes": {"Resolution", "Retraction"},
    "cruxcli.core.commitments": {"Pledge", "Seal", "Relation"},
    "datetime": {"datetime", "date", "time", "timedelta", "timezone"},
}


def _Loader(stream: Any) -> Any:  # noqa: N802 - a class made on first use: pickle is lazy
    import pickle

    class Loader(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if name not in ALLOWED.get(module, ()):
                raise pickle.UnpicklingError(f"{module}.{name} is not part of a debate")
            return super().find_class(module, name)

    return Loader(stream)
