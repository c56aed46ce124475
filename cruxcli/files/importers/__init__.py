"""Importers: other tools' records in, as a new debate. One module per format, each with
`read(paths, options) -> list[Imported]`; this package holds what they share: the result, CSV
rows with their line numbers, ids made from names, and the debate's TOML text.

Every input row is accounted for: it becomes an entry, or it is listed as skipped with its
file, line and reason. A value that is wrong (a probability of 1.5, a date that does not
parse) is an error naming its file and line, and nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from cruxcli.files.reading import MAX_BYTES as DEBATE_BYTES

#: An input file larger than a debate may be (reading.MAX_BYTES) is refused, not read: the
#: same bound, so that whatever cruxcli exports it can import again.
MAX_BYTES = DEBATE_BYTES


class ImportFailed(Exception):
    """The input cannot be imported; the message names the file and line."""


class Skipped(NamedTuple):
    file: str
    line: int
    why: str


class Imported(NamedTuple):
    """One debate to write: `name` is its file's stem (several for `-o DIR/`)."""

    name: str
    title: str
    headline: str
    participants: dict[str, dict[str, Any]]  # id -> {name, group, aggregate}
    cruxes: dict[str, dict[str, Any]]  # id -> {question}
    credences: list[dict[str, Any]]  # [[credence]] tables, in order
    resolutions: list[dict[str, Any]]
    retractions: list[dict[str, Any]] = []
    settings: dict[str, Any] = {}  # the other top-level keys (description, sources_required,
    # scale), for a whole debate
    comment: str | None = None  # the file's leading comment, for a whole debate
    others: dict[str, list[dict[str, Any]]] = {}  # the other logs (seal, pledge, relation)

    def logs(self) -> dict[str, list[dict[str, Any]]]:
        """Every log's tables, by log (core.schema.LOGS names them)."""
        return {"credence": self.credences, "resolution": self.resolutions,
                "retraction": self.retractions, **self.others}


class Result(NamedTuple):
    debates: list[Imported]
    rows: int  # input rows read
    skipped: list[Skipped]
    notes: list[str] = []  # what else the user should know (e.g. questions still open)


def read_text(path: Path) -> str:
    """A file's text: UTF-8 (a BOM is dropped), at most MAX_BYTES; read as debates are
    (reading.open_regular: no links, FIFOs or devices); errors name the file."""
    from cruxcli.files import diagnostics, reading

    if str(path) == "-":  # standard input, bounded like a file
        import sys

        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ImportFailed(f"standard input: over the {MAX_BYTES // 2**20} MB an import "
                               "reads")
        return decode(data, "-")
    try:
        data = reading.read_file(path, MAX_BYTES, "an import")[0]
    except diagnostics.DebateFileError as exc:
        raise ImportFailed(f"{path}: {exc.diagnostics[0].message}") from None
    return decode(data, str(path))


#: An archive's bounds, checked before and while anything is decompressed: a small zip must
#: not expand without limit (a "zip bomb"), however its directory describes its members.
MAX_MEMBERS = 1000
MAX_RATIO = 200  # uncompressed / compressed size of one member


def zip_members(path: Path, wanted: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """{base name: (where, text)} of the members of the zip at `path` whose base name is in
    `wanted`. Every way a zip can fail (damaged, encrypted, an unknown compression method,
    a member twice, over the bounds) is an ImportFailed naming the archive."""
    import zipfile
    import zlib

    from cruxcli.files import diagnostics, reading

    try:
        fd = reading.open_regular(path)[0]
    except diagnostics.DebateFileError as exc:
        raise ImportFailed(f"{path}: {exc.diagnostics[0].message}") from None
    found: dict[str, tuple[str, str]] = {}
    try:
        with os.fdopen(fd, "rb") as handle, zipfile.ZipFile(handle) as z:
            members = z.infolist()
            if len(members) > MAX_MEMBERS:
                raise ImportFailed(f"{path}: {len(members):,} members, over the {MAX_MEMBERS:,} "
                                   "an archive may have")
            total = 0
            for info in members:
                base = Path(info.filename).name
                if base not in wanted:
                    continue
                if base in found:
                    raise ImportFailed(f"{path}: {base} is in the archive twice")
                if info.file_size > MAX_RATIO * max(info.compress_size, 1) + 2**20:
                    raise ImportFailed(f"{path}: {info.filename} expands {info.file_size:,} "
                                       f"bytes from {info.compress_size:,}, over the "
                                       f"{MAX_RATIO}:1 an archive may")
                with z.open(info) as member:
                    data = member.read(MAX_BYTES - total + 1)  # however the sizes lie
                total += len(data)
                if total > MAX_BYTES:
                    raise ImportFailed(f"{path}: its members expand to over the "
                                       f"{MAX_BYTES // 2**20} MB an import reads")
                where = f"{path}:{info.filename}"
                found[base] = (where, decode(data, where))
    except ImportFailed:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            ValueError, RuntimeError, NotImplementedError, KeyError, IndexError,
            OverflowError) as exc:  # what zipfile raises for a damaged or unusual archive
        raise ImportFailed(f"{path}: not a zip file cruxcli can read ({exc})") from None
    return found


def decode(data: bytes, name: str) -> str:
    """The text of an input file, refused as a debate file's would be (reading.decode)."""
    from cruxcli.files import diagnostics, reading

    try:
        return reading.decode(data, name, "a CSV file")
    except diagnostics.DebateFileError as exc:
        d = exc.diagnostics[0]
        raise ImportFailed(f"{d.location()}: {d.message}") from None


class Place(NamedTuple):
    """Where a record starts; shown as FILE:LINE."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def each_row(paths: list[Path], required: tuple[str, ...],
             renamed: dict[str, str] | None = None) -> Iterator[tuple[Place, dict[str, str]]]:
    """Every record of every input file, with where it starts (columns in `renamed` read
    under their new name), one at a time: an archive's rows are never all held at once."""
    for path in paths:
        for line, r in rows(read_text(path), str(path), required, renamed or {}):
            yield Place(path, line), r


def rows(text: str, name: str, required: tuple[str, ...], renamed: dict[str, str] | None = None,
         filled: bool = False) -> Iterator[tuple[int, dict[str, str]]]:
    """CSV records with the line each starts on (`filled`: only their cells that are not
    empty); a missing column is an error at line 1."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFailed(f"{name}:1: empty file: expected a header row") from None
    except csv.Error as exc:
        raise ImportFailed(f"{name}:1: not CSV: {exc}") from None
    header = [(renamed or {}).get(h.strip(), h.strip()) for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFailed(f"{name}:1: missing column(s) {', '.join(map(repr, missing))}; "
                           f"the header has {', '.join(map(repr, header[:12]))}"
                           + (", ..." if len(header) > 12 else ""))
    line = 2
    width = len(header)
    try:
        for record in reader:
            if "".join(record).strip():
                if len(record) > width:
                    raise ImportFailed(f"{name}:{line}: {len(record)} cells, but the header "
                                       f"has {width}")
                if filled:
                    yield line, {k: v for k, v in zip(header, record, strict=False) if v}
                else:
                    record += [""] * (width - len(record))
                    yield line, dict(zip(header, record, strict=True))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFailed(f"{name}:{reader.line_num}: not CSV: {exc}") from None


def probability(text: str, where: object) -> float:
    """A probability written as a decimal in [0, 1]; anything else is an error at `where`."""
    try:
        value = float(text)
    except ValueError:
        raise ImportFailed(f'{where}: "{text}" is not a probability') from None
    if not 0.0 <= value <= 1.0:
        raise ImportFailed(f'{where}: {text} is not a probability in [0, 1]')
    return value


def timestamp(text: str, where: str) -> dt.datetime:
    """An ISO-like date-time, as tools write them ("2024-02-01 10:00:00.123456+00:00",
    "2024-01-05 09:03:7"); the seconds may lack their leading zero."""
    fixed = re.sub(r"(\d{2}:\d{2}):(\d)(?!\d)", r"\1:0\2", text.strip())
    try:
        return dt.datetime.fromisoformat(fixed)
    except ValueError:
        raise ImportFailed(f'{where}: "{text}" is not a date and time') from None


class Clock:
    """Time stamps of one import, which must all carry a UTC offset or none: a time without
    one beside times with one cannot be placed (local time? UTC?), so the mix is refused with
    the first of each, never guessed."""

    def __init__(self) -> None:
        self.first: dict[bool, str] = {}  # has an offset -> where the first such was

    def __call__(self, text: str, where: str) -> dt.datetime:
        moment = timestamp(text, where)
        aware = moment.tzinfo is not None
        self.first.setdefault(aware, where)
        if (not aware) not in self.first:
            return moment
        raise ImportFailed(f"{where}: a time {'with' if aware else 'without'} a UTC offset, "
                           f"but {self.first[not aware]} has {'none' if aware else 'one'}: "
                           "give every time with its offset (e.g. +00:00), or none")


class Ids:
    """Slug ids from names, unique within one debate: "Joe Carlsmith" -> "joe-carlsmith"."""

    def __init__(self) -> None:
        self.given: dict[str, str] = {}

    def __call__(self, name: str, limit: int = 48) -> str:
        if name in self.given:
            return self.given[name]
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
        base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:limit].strip("-") or "x"
        ident, n = base, 1
        while ident in self.given.values():
            n += 1
            ident = f"{base}-{n}"
        self.given[name] = ident
        return ident


class Forecasts:
    """What a platform's export becomes, gathered row by row: a participant per person, a crux
    per question, the credences in time order, one standing resolution per crux."""

    def __init__(self) -> None:
        self.people, self.ids = Ids(), Ids()
        self.participants: dict[str, dict[str, Any]] = {}
        self.questions: dict[str, dict[str, Any]] = {}
        self.credences: list[dict[str, Any]] = []
        self.resolutions: dict[str, dict[str, Any]] = {}
        self.skipped: list[Skipped] = []
        self.clock = Clock()

    def participant(self, name: str) -> str:
        who = self.people(name)
        self.participants.setdefault(who, {"name": name})
        return who

    def crux(self, key: str, question: str) -> str:
        crux = self.ids(key)
        self.questions.setdefault(crux, {"question": question})
        return crux

    def debate(self, name: str, title: str) -> Imported:
        self.credences.sort(key=lambda c: c["at"])
        return Imported(name, title, next(iter(self.questions)), self.participants,
                        self.questions, self.credences, list(self.resolutions.values()))


def debate_text(d: Imported, origin: str) -> str:
    """The debate as TOML, every value written as tomli-w writes it (toml_text.table)."""
    import tomli_w

    from cruxcli.core.schema import LOGS
    from cruxcli.files.toml_text import table

    head = {"format": 1, "title": d.title, "headline": d.headline, **d.settings}
    comment = d.comment if d.comment is not None else f"# Imported by cruxcli from {origin}.\n"
    parts = [comment, tomli_w.dumps(head)] if comment else [tomli_w.dumps(head)]
    if d.participants:
        parts.append(tomli_w.dumps({"participants": d.participants}))
    parts.append(tomli_w.dumps({"cruxes": d.cruxes}))
    logs = d.logs()
    parts += [table(f"[[{log}]]", item) for log in LOGS for item in logs.get(log, [])]
    return "\n".join(parts)


def stated(text: str, where: object) -> str:
    """A credence as stated, checked by the grammar (a wrong one is an error at `where`)."""
    from cruxcli.core.credence import CredenceError, parse

    if text not in _STATED:  # an archive states the same few hundred texts again and again
        try:
            parse(text)
        except CredenceError as exc:
            raise ImportFailed(f"{where}: {exc}") from None
        _STATED.add(text)
    return text


def when(text: str, where: object) -> Any:
    """A date as written, for `at` (its precision kept: "2024", "2024-10", a day, a moment)."""
    from cruxcli.core.when import WhenError, parse_when

    if (value := _DATED.get(text)) is None:
        try:
            value = _DATED[text] = parse_when(text).to_toml()
        except WhenError as exc:
            raise ImportFailed(f"{where}: {exc}") from None
    return value


_STATED: set[str] = set()
_DATED: dict[str, Any] = {}
