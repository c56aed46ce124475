"""Three-way merge of debate files, for git's merge driver. Pure (texts in, text out).

The texts are cut into regions: each top-level key, each table, each [[credence]] entry.
Participants, cruxes and settings merge by id, comparing parsed values; a region changed on
one side only takes that side's text, so OURS keeps its comments and layout everywhere else.
Entries added on either side are all kept (identical ones once): ours' where they are, theirs'
after them, so the result only appends to ours' log. A real conflict (the same id changed
differently on both sides, an earlier entry rewritten, or one crux resolved differently on
each side) is marked with diff3-style conflict markers and listed in a comment at the top;
the caller then exits non-zero.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from cruxcli.core.analysis import log_opcodes
from cruxcli.core.schema import LOGS
from cruxcli.core.text import clean
from cruxcli.files import toml_text
from cruxcli.files.locate import content_before, scan, split_lines

MISSING = object()


class Unmergeable(ValueError):
    """One of the three texts is not TOML: there is nothing to merge by meaning."""


class Region(NamedTuple):
    key: tuple[Any, ...]  # ("key", name) | ("table", *path) | (log, n) for log in LOGS
    start: int  # first line, 0-based
    end: int  # one past the last line that is not blank or a comment


class Side(NamedTuple):
    name: str
    lines: list[str]  # with their line endings
    doc: dict[str, Any]
    regions: list[Region]

    @property
    def by_key(self) -> dict[tuple[Any, ...], Region]:
        return {r.key: r for r in self.regions}

    def text(self, region: Region, newline: str) -> str:
        body = "".join(self.lines[region.start:region.end])
        return _newline(body if body.endswith("\n") else body + "\n", newline)

    def value(self, key: tuple[Any, ...]) -> Any:
        node: Any = self.doc
        path = key if key[0] in LOGS else key[1:]
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return MISSING
        return node


class Merged(NamedTuple):
    text: str
    conflicts: list[str]


def _newline(text: str, newline: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", newline)


def parse(name: str, text: str) -> Side:
    try:
        doc = toml_text.loads(text)
    except toml_text.TOMLDecodeError as exc:
        raise Unmergeable(f"{name} is not valid TOML: {exc}") from None
    lines = split_lines(text)
    starts: list[tuple[int, tuple[Any, ...]]] = []
    in_table = False
    for mark in scan(text):
        if mark.header:
            in_table = True
            key = (mark.path[0], mark.path[1]) if mark.path[0] in LOGS and \
                len(mark.path) == 2 else ("table", *mark.path)
            starts.append((mark.line - 1, key))
        elif not in_table:
            starts.append((mark.line - 1, ("key", *mark.path)))
    regions = []
    for n, (start, key) in enumerate(starts):
        nxt = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        regions.append(Region(key, start, content_before(lines, nxt + 1, start + 1)))
    _check_layout(name, doc, {r.key for r in regions})
    return Side(name, lines, doc, regions)


def _check_layout(name: str, doc: dict[str, Any], keys: set[tuple[Any, ...]]) -> None:
    """The merge works on regions, so each side must be written in the layout cruxcli writes:
    one [participants.ID] and [cruxes.ID] table each, one [[credence]] table per entry.
    Anything else (valid TOML or not) is merged by hand, never guessed at."""
    for kind in ("participants", "cruxes"):
        tables = doc.get(kind, {})
        if not isinstance(tables, dict) or not all(
                isinstance(v, dict) and ("table", kind, k) in keys for k, v in tables.items()):
            raise Unmergeable(f"{name} does not write {kind} as one [{kind}.ID] table each")
    for kind in LOGS:
        log = doc.get(kind, [])
        if not isinstance(log, list) or not all(isinstance(e, dict) for e in log) or \
                sum(1 for k in keys if k[0] == kind) != len(log):
            raise Unmergeable(f"{name} does not write its log as one [[{kind}]] table per "
                              f"entry (e.g. an inline array `{kind} = [...]`)")


def _markers(ours: str, base: str, theirs: str, what: str) -> str:
    return (f"<<<<<<< ours ({what})\n{ours}||||||| base\n{base}=======\n{theirs}"
            f">>>>>>> theirs\n")


def _entry_key(entry: Any) -> str:
    return json.dumps(entry, sort_keys=True, default=str)


def merge(base_text: str, ours_text: str, theirs_text: str) -> Merged:
    base, ours, theirs = (parse(n, t) for n, t in (("base", base_text), ("ours", ours_text),
                                                  ("theirs", theirs_text)))
    newline = "\r\n" if "\r\n" in ours_text else "\n"
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) on ours' lines
    conflicts: list[str] = []
    _merge_tables(base, ours, theirs, newline, edits, conflicts)
    added = [item for kind in LOGS
             for item in _merge_log(base, ours, theirs, newline, edits, conflicts, kind)]
    appended = added
    lines = list(ours.lines)
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[start:end] = [text] if text else []
    body = "".join(lines)
    if appended:
        body = body.rstrip("\r\n") + newline + newline + (newline + newline).join(
            block.rstrip("\r\n") for block in appended) + newline
    if conflicts:
        note = "".join(f"#   {clean(c, True)}\n" for c in conflicts)  # one line each
        body = _newline(f"# CONFLICT (cruxcli merge-driver): resolve the places marked "
                        f"<<<<<<< ... >>>>>>>,\n# then run `cruxcli check` and `git add` this "
                        f"file.\n{note}", newline) + body
    return Merged(body, conflicts)


def _describe(key: tuple[Any, ...]) -> str:
    if key[0] == "key":
        return f"setting `{key[1]}`"
    path = key[1:]
    kind = {"participants": "participant", "cruxes": "crux"}.get(path[0], f"table [{path[0]}]")
    return f'{kind} "{".".join(map(str, path[1:]))}"' if len(path) > 1 else f"table [{path[0]}]"


def _merge_tables(base: Side, ours: Side, theirs: Side, newline: str,
                  edits: list[tuple[int, int, str]], conflicts: list[str]) -> None:
    mine, others, original = ours.by_key, theirs.by_key, base.by_key
    keys = [r.key for r in ours.regions] + [r.key for r in theirs.regions
                                            if r.key not in mine]
    keys += [k for k in original if k not in mine and k not in others]
    for key in keys:
        if key[0] in LOGS:
            continue
        b, o, t = base.value(key), ours.value(key), theirs.value(key)
        if o == t or t == b:
            continue  # the same on both sides, or changed on ours only
        if o == b:  # changed on theirs only: take theirs
            if t is MISSING:
                edits.append((mine[key].start, mine[key].end, ""))
            elif key in mine:
                edits.append((mine[key].start, mine[key].end, theirs.text(others[key], newline)))
            else:
                at = _insertion_point(ours, key)
                edits.append((at, at, newline + theirs.text(others[key], newline)))
            continue
        what = f"{_describe(key)} changed on both sides"
        conflicts.append(what)
        text = _markers(ours.text(mine[key], newline) if key in mine else "",
                        base.text(original[key], newline) if key in original else "",
                        theirs.text(others[key], newline) if key in others else "", what)
        if key in mine:
            edits.append((mine[key].start, mine[key].end, _newline(text, newline)))
        else:
            at = _insertion_point(ours, key)
            edits.append((at, at, _newline(text, newline)))


def _insertion_point(side: Side, key: tuple[Any, ...]) -> int:
    """Where a new region goes in `side`: after the last of its kind, else before the log."""
    kin = [r for r in side.regions if r.key[:2] == key[:2]] if key[0] == "table" else \
        [r for r in side.regions if r.key[0] == "key"]
    if kin:
        return kin[-1].end
    log = [r.start for r in side.regions if r.key[0] in LOGS]
    if key[0] == "key":
        tables = [r.start for r in side.regions if r.key[0] != "key"]
        return tables[0] if tables else len(side.lines)
    return log[0] if log else len(side.lines)


def _covering(ops: list[tuple[str, int, int, int, int]], lo: int, hi: int) -> list[int]:
    """The side's entry indices that stand for base entries [lo, hi)."""
    out: list[int] = []
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            out += [j1 + k - i1 for k in range(max(i1, lo), min(i2, hi))]
        elif op in ("delete", "replace") and i1 < hi and lo < i2:
            out += list(range(j1, j2))
    return out


def _merge_log(base: Side, ours: Side, theirs: Side, newline: str,
               edits: list[tuple[int, int, str]], conflicts: list[str], kind: str = "credence"
               ) -> list[str]:
    """Edits for one append-only log; returns theirs' new entries (in their order), which go
    after ours': the merge then only appends to ours' log. Both sides resolving one crux
    differently is a conflict, never a silent winner."""
    logs = {s.name: s.doc.get(kind, []) for s in (base, ours, theirs)}
    keys = {name: [_entry_key(e) for e in log] for name, log in logs.items()}
    ops = {name: log_opcodes(keys["base"], keys[name]) for name in ("ours", "theirs")}
    blocks = {s.name: {r.key[1]: r for r in s.regions if r.key[0] == kind}
              for s in (base, ours, theirs)}
    sides = {"base": base, "ours": ours, "theirs": theirs}

    rewritten = {name: [(i1, i2, keys[name][j1:j2]) for op, i1, i2, j1, j2 in ops[name]
                        if op in ("delete", "replace")] for name in ops}
    agreed = [r for r in rewritten["ours"] if r in rewritten["theirs"]]
    spans = sorted((i1, i2) for name in ops for i1, i2, new in rewritten[name]
                   if (i1, i2, new) not in agreed)
    merged_spans: list[list[int]] = []
    for lo, hi in spans:
        if merged_spans and lo <= merged_spans[-1][1]:
            merged_spans[-1][1] = max(merged_spans[-1][1], hi)
        else:
            merged_spans.append([lo, hi])

    def text(name: str, indices: list[int]) -> str:
        return "".join(sides[name].text(blocks[name][i], newline) for i in indices)

    for lo, hi in merged_spans:
        mine = _covering(ops["ours"], lo, hi)
        who = {logs["base"][i].get("who", logs["base"][i].get("crux", "?"))
               for i in range(lo, hi)}
        span = f"#{lo}" if hi - lo == 1 else f"#{lo}-#{hi - 1}"
        what = (f"{kind} {span} ({', '.join(sorted(map(str, who)))}) edited or removed: "
                "the log is append-only")
        conflicts.append(what)
        marked = _newline(_markers(text("ours", mine), text("base", list(range(lo, hi))),
                                   text("theirs", _covering(ops["theirs"], lo, hi)), what), newline)
        if mine:
            start = blocks["ours"][mine[0]].start
            end = blocks["ours"][mine[-1]].end
        else:  # removed on ours: mark where they were
            before = _covering(ops["ours"], 0, lo)
            start = end = blocks["ours"][before[-1]].end if before else \
                min((r.start for r in blocks["ours"].values()), default=len(ours.lines))
        edits.append((start, end, marked))

    new: list[str] = []
    seen: dict[str, int] = {}
    resolved_by_ours: dict[Any, int] = {}  # crux -> ours' new resolution of it
    for name in ("ours", "theirs"):
        for op, _i1, _i2, j1, j2 in ops[name]:
            if op != "insert":
                continue
            for j in range(j1, j2):
                key, entry = keys[name][j], logs[name][j]
                if name == "ours":  # ours' new entries stay where they are
                    seen[key] = seen.get(key, 0) + 1
                    if kind == "resolution":
                        resolved_by_ours[entry.get("crux")] = j
                    continue
                if seen.get(key, 0) > 0:
                    seen[key] -= 1  # the same entry added on both sides: keep it once
                    continue
                theirs_text = sides[name].text(blocks[name][j], newline)
                ours_j = resolved_by_ours.get(entry.get("crux")) if kind == "resolution" else None
                if ours_j is not None and logs["ours"][ours_j].get("outcome") != entry.get("outcome"):
                    del resolved_by_ours[entry.get("crux")]  # one conflict block per crux
                    what = f'crux "{entry.get("crux")}" resolved differently on both sides'
                    conflicts.append(what)
                    block = blocks["ours"][ours_j]
                    edits.append((block.start, block.end, _newline(_markers(
                        sides["ours"].text(block, newline), "", theirs_text, what), newline)))
                    continue
                new.append(theirs_text)
    return new
