"""What changed between two versions of a debate, in terms of beliefs: credences added (with the
move since the participant's previous one), participants and cruxes added, removed or reworded,
and history rewrites: any earlier entry edited or removed, which an append-only log never does.
Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from cruxcli.core.analysis import history, log_opcodes, move
from cruxcli.core.credence import normal_term
from cruxcli.core.model import Debate, Entry
from cruxcli.core.outcomes import Resolution, Retraction
from cruxcli.core.schema import TOP
from cruxcli.core.view import current
from cruxcli.reports.summary import Spread, spreads


def stated_log(items: Sequence[Any]) -> list[tuple[Any, ...]]:
    """A log as what each entry states (outcomes.written): equal tuples, the same entry."""
    return [tuple(item.stated.values()) for item in items]


def appended(old: Sequence[Any], new: Sequence[Any]
             ) -> tuple[list[Any], list[tuple[list[Any], list[Any]]]]:
    """What `new` appended to the log `old`, and every rewrite: runs of earlier entries edited
    or removed, and entries inserted among them rather than at the end (an append-only log
    only grows at its end). Entries are compared by everything they state."""
    added: list[Any] = []
    rewrites: list[tuple[list[Any], list[Any]]] = []
    for op, i1, i2, j1, j2 in log_opcodes(stated_log(old), stated_log(new)):
        if op == "insert" and i1 == len(old):
            added += new[j1:j2]
        elif op != "equal":
            rewrites.append((list(old[i1:i2]), list(new[j1:j2])))
    return added, rewrites


class Added(NamedTuple):
    entry: Entry
    previous: Entry | None
    bits: float | None
    retracted: Retraction | None = None  # taken back within the range compared


class Resolved(NamedTuple):
    resolution: Resolution
    previous: Resolution | None  # the standing resolution it corrects, if any

    @property
    def correction(self) -> bool:
        return self.previous is not None and self.previous.outcome != self.resolution.outcome


class Rewrite(NamedTuple):
    """Entries of the old log that the new one no longer has as they were."""

    old: list[Entry]
    new: list[Entry]  # what stands in their place (empty when removed)

    @property
    def kind(self) -> str:
        return "removed" if not self.new else "inserted" if not self.old else "edited"


class TableChange(NamedTuple):
    kind: str  # "participant" or "crux"
    ident: str
    change: str  # "added", "removed", "changed"
    fields: Mapping[str, tuple[Any, Any]] = {}  # key -> (old, new); never mutated
    credences_before: int = 0  # credences on this crux, or by this participant, before

    @property
    def reworded(self) -> bool:
        return self.kind == "crux" and "question" in self.fields

    @property
    def meaning_at_risk(self) -> bool:
        """What earlier credences mean changed: their crux reworded, or their author turned
        into (or out of) a group's aggregate."""
        changed = "question" if self.kind == "crux" else "aggregate"
        return changed in self.fields and self.credences_before > 0


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
    resolved: Sequence[Resolved] = ()  # resolutions added
    retracted: Sequence[tuple[Any, Retraction]] = ()  # retractions added, with what they took back
    log_rewrites: Sequence[str] = ()  # resolutions or retractions edited or removed, described
    rescaled: Sequence[tuple[str, Any, Any, int]] = ()  # scale terms earlier credences used

    @property
    def empty(self) -> bool:
        return not (self.added or self.rewrites or self.tables or self.top or self.resolved
                    or self.retracted or self.log_rewrites)

    @property
    def history_rewritten(self) -> bool:
        """An earlier entry of any log edited, removed or inserted among the others, or the
        whole debate removed: what an append-only log never does."""
        return bool(self.rewrites or self.log_rewrites) or self.status == "removed"

    @property
    def meaning_changed(self) -> list[str]:
        """Changes that alter what earlier credences say without touching them."""
        out = [f"{t.kind} {t.ident}: " + ("reworded" if t.kind == "crux" else
                                          "aggregate changed") +
               f" after {t.credences_before} credence(s)" for t in self.tables
               if t.meaning_at_risk]
        out += [f'scale term "{term}" changed after {n} credence(s) used it'
                for term, _, _, n in self.rescaled]
        return out

    @property
    def strict_fails(self) -> bool:
        """What `diff --strict` fails on (docs/git.md)."""
        return self.history_rewritten or bool(self.meaning_changed)


def diff(old: Debate | None, new: Debate | None) -> DebateDiff:
    """What changed from `old` to `new`; None for a side where the debate does not exist."""
    status = "added" if old is None else "removed" if new is None else "changed"
    old, new = old or empty_debate(), new or empty_debate()
    if status != "changed":  # a whole debate: its tables and settings are not news
        return DebateDiff(old, new, [Added(e, p, move(b, e)) for e, p, b in history(new.entries)]
                          if status == "added" else [], [], [], {}, _headline_spread(old),
                          _headline_spread(new), status)
    fresh, rewritten = appended(old.entries_written, new.entries_written)
    rewrites = [Rewrite(a, b) for a, b in rewritten]
    top = {k: (a, b) for k in SETTINGS if (a := _setting(old, k)) != (b := _setting(new, k))}
    resolved, retracted, log_rewrites = _other_logs(old, new)
    return DebateDiff(old, new, _added(new, fresh), rewrites, _tables(old, new), top,
                      _headline_spread(old), _headline_spread(new), "changed", resolved,
                      retracted, log_rewrites, _rescaled(old, new))


#: The top-level settings a diff compares: every top-level key of the format but `format`.
SETTINGS = tuple(k for k in TOP if k != "format")


def _setting(d: Debate, key: str) -> Any:
    value = getattr(d, key)
    return value.overrides if key == "scale" else value


def _added(new: Debate, fresh: list[Entry]) -> list[Added]:
    """Entries appended, with the move from their previous statement; one taken back within
    the range has no move (it counts for nothing) and says so."""
    if not fresh:
        return []
    before = {id(e): (p, b) for e, p, b in history(new.entries)}
    gone = {id(item): r for item, r in new.withdrawn}
    out = []
    for e in fresh:
        if id(e) in gone:
            out.append(Added(e, None, None, gone[id(e)]))
        else:
            prev, base = before[id(e)]
            out.append(Added(e, prev, move(base, e)))
    return out


def _other_logs(old: Debate, new: Debate
                ) -> tuple[list[Resolved], list[tuple[Any, Retraction]], list[str]]:
    """Resolutions and retractions added, and any earlier one edited, removed or inserted."""
    rewritten: list[str] = []
    logs = {}
    for kind, a, b in (("resolution", old.resolutions_written, new.resolutions_written),
                       ("retraction", old.retractions, new.retractions),
                       ("seal", old.seals, new.seals), ("pledge", old.pledges, new.pledges),
                       ("relation", old.relations, new.relations)):
        logs[kind], runs = appended(a, b)
        rewritten += [f"{kind} #{(x or y)[0].position}" + (f" ({len(x or y)} entries)"
                      if len(x or y) > 1 else "") + f" {Rewrite(x, y).kind}" for x, y in runs]
    standing: dict[str, Resolution] = {}
    corrects = {}
    for res in new.resolutions:  # in time order: each with the one it supersedes
        corrects[id(res)] = standing.get(res.crux)
        standing[res.crux] = res
    resolved = [Resolved(res, corrects.get(id(res))) for res in logs["resolution"]]
    took = new.taken_back
    retracted = [(x, r) for r in logs["retraction"] for x in took.get(r.position, ())]
    return resolved, retracted, rewritten


def _rescaled(old: Debate, new: Debate) -> list[tuple[str, Any, Any, int]]:
    """Scale terms whose value changed while earlier credences were stated in them."""
    a, b = old.scale.terms, new.scale.terms
    changed = {t for t in a.keys() | b.keys() if a.get(t) != b.get(t)}
    if not changed:
        return []
    used: dict[str, int] = {}
    for e in old.entries_written:
        if (term := normal_term(e.credence.text)) in changed:
            used[term] = used.get(term, 0) + 1
    return [(t, a.get(t), b.get(t), used[t]) for t in sorted(used)]


def _tables(old: Debate, new: Debate) -> list[TableChange]:
    out = []
    uses: dict[str, Counter[str]] = {}  # credences naming each id, counted once per kind
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
            if kind not in uses:
                uses[kind] = Counter(e.crux if kind == "crux" else e.who
                                     for e in old.entries_written)
            out.append(TableChange(kind, ident, "changed", fields, uses[kind][ident]))
    return out


def empty_debate() -> Debate:
    """No debate at all: the old side of a debate that a revision adds."""
    from cruxcli.core.credence import DEFAULT_SCALE

    return Debate(title="", headline="", participants={}, cruxes={}, entries=(),
                  scale=DEFAULT_SCALE)


def _headline_spread(d: Debate) -> Spread | None:
    return next((s for s in spreads(d, current(d)) if s.crux == d.headline), None)
