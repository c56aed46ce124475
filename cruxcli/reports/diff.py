"""What changed between two versions of a debate, in terms of beliefs: credences added (with the
move since the participant's previous one), participants and cruxes added, removed or reworded,
and history rewrites: any earlier entry edited or removed, which an append-only log never does.
Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from cruxcli.core.analysis import history, log_opcodes, move
from cruxcli.core.model import Debate, Entry
from cruxcli.core.outcomes import Resolution, Retraction
from cruxcli.reports.summary import Spread, current, spreads


def entry_key(e: Entry) -> tuple[Any, ...]:
    """Everything an entry states, as written: equal keys mean the same entry."""
    return (e.who, e.crux, str(e.given) if e.given else None, e.credence.text, e.when.text,
            e.source, e.quote, e.note)


def _log(d: Debate, kind: str) -> list[tuple[Any, ...]]:
    """A resolution or retraction log as written, as keys of what each entry states."""
    if kind == "resolution":
        return [(r.crux, r.outcome, r.when.text, r.source, r.quote, r.note)
                for r in d.resolutions_written]
    return [(r.target, r.why, r.when.text) for r in sorted(d.retractions, key=lambda r: r.index)]


class Added(NamedTuple):
    entry: Entry
    previous: Entry | None
    bits: float | None


class Rewrite(NamedTuple):
    """Entries of the old log that the new one no longer has as they were."""

    old: list[Entry]
    new: list[Entry]  # what stands in their place (empty when removed)

    @property
    def kind(self) -> str:
        return "removed" if not self.new else "edited"


class TableChange(NamedTuple):
    kind: str  # "participant" or "crux"
    ident: str
    change: str  # "added", "removed", "changed"
    fields: Mapping[str, tuple[Any, Any]] = {}  # key -> (old, new); never mutated
    credences_before: int = 0  # credences on a reworded crux before the change

    @property
    def reworded(self) -> bool:
        return self.kind == "crux" and "question" in self.fields

    @property
    def meaning_at_risk(self) -> bool:
        """A crux reworded after people gave credences on it."""
        return self.reworded and self.credences_before > 0


class DebateDiff(NamedTuple):
    old: Debate
    new: Debate
    added: list[Added]
    rewrites: list[Rewrite]
    tables: list[TableChange]
    top: dict[str, tuple[Any, Any]]  # top-level keys changed
    before: Spread | None  # the headline's spread before and after
    after: Spread | None
    status: str = "changed"  # or "added" (no old side) or "removed" (no new side)
    resolved: Sequence[Resolution] = ()  # resolutions added
    retracted: Sequence[tuple[Any, Retraction]] = ()  # retractions added, with what they took back
    log_rewrites: Sequence[str] = ()  # resolutions or retractions edited or removed, described

    @property
    def empty(self) -> bool:
        return not (self.added or self.rewrites or self.tables or self.top or self.resolved
                    or self.retracted or self.log_rewrites)

    @property
    def history_rewritten(self) -> bool:
        """An earlier entry of any log edited or removed: what an append-only log never does."""
        return bool(self.rewrites or self.log_rewrites) or self.status == "removed"


def diff(old: Debate | None, new: Debate | None) -> DebateDiff:
    """What changed from `old` to `new`; None for a side where the debate does not exist."""
    status = "added" if old is None else "removed" if new is None else "changed"
    old, new = old or empty_debate(), new or empty_debate()
    if status != "changed":  # a whole debate: its tables and settings are not news
        return DebateDiff(old, new, [Added(e, p, move(b, e)) for e, p, b in history(new.entries)]
                          if status == "added" else [], [], [], {}, _headline_spread(old),
                          _headline_spread(new), status)
    old_log, new_log = old.entries_written, new.entries_written
    added: list[Added] = []
    rewrites: list[Rewrite] = []
    before: dict[int, tuple[Entry | None, Entry | None]] = {}  # built once, if anything is added
    for op, i1, i2, j1, j2 in log_opcodes([entry_key(e) for e in old_log],
                                          [entry_key(e) for e in new_log]):
        if op == "insert":
            before = before or {id(e): (p, b) for e, p, b in history(new.entries)}
            for e in new_log[j1:j2]:
                prev, base = before[id(e)]
                added.append(Added(e, prev, move(base, e)))
        elif op in ("delete", "replace"):
            rewrites.append(Rewrite(old_log[i1:i2], new_log[j1:j2]))
    top = {k: (a, b) for k, a, b in (("title", old.title, new.title),
                                      ("headline", old.headline, new.headline),
                                      ("description", old.description, new.description),
                                      ("sources_required", old.sources_required,
                                       new.sources_required),
                                      ("scale", old.scale.overrides, new.scale.overrides))
           if a != b}
    resolved, retracted, log_rewrites = _other_logs(old, new)
    return DebateDiff(old, new, added, rewrites, _tables(old, new), top,
                      _headline_spread(old), _headline_spread(new), "changed", resolved,
                      retracted, log_rewrites)


def _other_logs(old: Debate, new: Debate
                ) -> tuple[list[Resolution], list[tuple[Any, Retraction]], list[str]]:
    """Resolutions and retractions added, and any earlier one edited or removed."""
    resolved: list[Resolution] = []
    retracted: list[tuple[Any, Retraction]] = []
    rewritten: list[str] = []
    by_retraction: dict[int, list[Any]] = {}
    for item, r in new.withdrawn:
        by_retraction.setdefault(r.index, []).append(item)
    for kind in ("resolution", "retraction"):
        items = (new.resolutions_written if kind == "resolution" else
                 sorted(new.retractions, key=lambda r: r.index))
        for op, i1, i2, j1, j2 in log_opcodes(_log(old, kind), _log(new, kind)):
            if op == "insert":
                for item in items[j1:j2]:
                    if kind == "resolution":
                        resolved.append(item)
                    else:
                        retracted += [(x, item) for x in by_retraction.get(item.index, ())]
            elif op in ("delete", "replace"):
                rewritten.append(f"{kind} #{i1}" + (f"-#{i2 - 1}" if i2 - i1 > 1 else "") +
                                 (" edited" if op == "replace" else " removed"))
    return resolved, retracted, rewritten


def _tables(old: Debate, new: Debate) -> list[TableChange]:
    out = []
    for kind, before, after in (("participant", old.participants, new.participants),
                                ("crux", old.cruxes, new.cruxes)):
        for ident in list(before) + [i for i in after if i not in before]:
            a = before[ident]._asdict() if ident in before else None
            b = after[ident]._asdict() if ident in after else None
            if a == b:
                continue
            if a is None or b is None:
                out.append(TableChange(kind, ident, "added" if a is None else "removed"))
                continue
            fields = {k: (a[k], b[k]) for k in a if a[k] != b[k]}
            used = sum(1 for e in old.entries if e.crux == ident) if kind == "crux" else 0
            out.append(TableChange(kind, ident, "changed", fields, used))
    return out


def empty_debate() -> Debate:
    """No debate at all: the old side of a debate that a revision adds."""
    from cruxcli.core.credence import DEFAULT_SCALE

    return Debate(title="", headline="", participants={}, cruxes={}, entries=(),
                  scale=DEFAULT_SCALE)


def _headline_spread(d: Debate) -> Spread | None:
    return next((s for s in spreads(d, current(d)) if s.crux == d.headline), None)
