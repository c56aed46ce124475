"""`cruxcli diff` as sheets and a JSON document (keys documented in docs/git.md). Pure."""

from __future__ import annotations

import json
from typing import Any

from cruxcli.core.model import Debate, Entry
from cruxcli.reports.diff import DebateDiff, Rewrite
from cruxcli.reports.sheet import (
    VERBAL,
    Cell,
    Column,
    Layout,
    Sheet,
    credence_json,
    num,
    pct,
    plural,
    verbal,
    when_text,
)
from cruxcli.reports.summary import Spread


def _rewrite_rows(r: Rewrite) -> list[list[Cell]]:
    rows = []
    for k, old in enumerate(r.old):  # log_opcodes pairs an edit with what replaced it
        new = r.new[k] if k < len(r.new) else None
        if new is None:
            detail = "removed"
        else:
            a, b = old.stated, new.stated
            detail = "; ".join(f"{key}: {shown(a[key])} -> {shown(b[key])}" for key in a
                               if a[key] != b[key])
        rows.append([Cell(f"#{old.position} {old.label} ({old.when.text})", style="warn"),
                     Cell(detail, style="warn")])
    rows += [[Cell(f"#{new.position} {new.label} ({new.when.text})", style="warn"),
              Cell("inserted among earlier entries, not appended at the end", style="warn")]
             for new in r.new[len(r.old):]]
    return rows


def shown(value: Any) -> str:
    """A field's value for people: text in double quotes, lists by their items, and "(none)"
    for what is absent: never a Python repr."""
    if value is None or value == "" or value == () or value == [] or value == {}:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} = {shown(v)}" for k, v in value.items())
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _withdrawn(item: Any) -> str:
    if isinstance(item, Entry):
        return f"{item.label} = {item.credence.text} ({item.when}) [id {item.id}]"
    return f"{item.label}: {item.outcome} ({item.when}) [id {item.id}]"


def _spread_text(s: Spread | None) -> str:
    if s is None:
        return "no two numbers"
    return f"pooled {pct(s.pooled)}, spread {num(s.bits)} bits (n = {len(s.held)})"


def closing(d: DebateDiff) -> str:
    return (f"headline {d.new.headline}: {_spread_text(d.before)} -> {_spread_text(d.after)}")


def _contents(d: Debate) -> str:
    n = len(d.entries)
    return (f'"{d.title}": {plural(len(d.participants), "participant")}, '
            f'{plural(len(d.cruxes), "crux", "cruxes")}, {plural(n, "credence")}')


def diff_sheets(label: str, d: DebateDiff) -> list[Sheet]:
    if d.status == "removed":
        return [Sheet(f"{label}: DEBATE REMOVED", [Column("")], [],
                      [f"removed {_contents(d.old)}"])]
    sheets = []
    if d.status == "added":
        sheets.append(Sheet(f"{label}: debate added", [Column("")], [],
                            [f"added {_contents(d.new)}"]))
    if d.added:
        rows = [[Cell(a.entry.label),
                 Cell(f"{a.entry.credence.text} (retracted: {a.retracted.why})" if a.retracted
                      else f"{a.previous.credence.text} -> {a.entry.credence.text}"
                      if a.previous else f"{a.entry.credence.text} (first)",
                      None if a.retracted else a.entry.credence.value,
                      style="struck" if a.retracted else None),
                 Cell(num(a.bits, "+.1f") + VERBAL * verbal(a.entry, a.previous)),
                 Cell(when_text(a.entry))]
                for a in d.added]
        sheets.append(Sheet(f"{label}: credences added", [
            Column("participant · crux", ratio=1), Column("previous -> new", "right"),
            Column("bits", "right"), Column("at")], rows))
    if d.resolved:
        sheets.append(Sheet(f"{label}: cruxes resolved", [
            Column("crux", ratio=1), Column("outcome"), Column("at"), Column("id")],
            [[Cell(x.resolution.crux), Cell(_outcome(x), style="warn" if x.correction else None),
              Cell(x.resolution.when.text), Cell(x.resolution.id)] for x in d.resolved]))
    if d.retracted:
        sheets.append(Sheet(f"{label}: retracted (left out of every figure)", [
            Column("entry", ratio=1), Column("retracted"), Column("why", ratio=1)],
            [[Cell(_withdrawn(item), style="struck"), Cell(r.when.text), Cell(r.why)]
             for item, r in d.retracted]))
    if d.log_rewrites:
        sheets.append(Sheet(f"{label}: HISTORY REWRITTEN: resolutions or retractions edited or "
                            "removed", [Column("change")],
                            [[Cell(x, style="warn")] for x in d.log_rewrites]))
    if d.rewrites:
        rows = [row for r in d.rewrites for row in _rewrite_rows(r)]
        sheets.append(Sheet(f"{label}: HISTORY REWRITTEN: earlier credences edited or removed",
                            [Column("entry", ratio=1), Column("change", ratio=2)], rows,
                            ["the log is append-only: an earlier entry should never change"]))
    if d.meaning_changed:
        sheets.append(Sheet(f"{label}: MEANING CHANGED: what earlier credences say",
                            [Column("change")],
                            [[Cell(x, style="warn")] for x in d.meaning_changed],
                            ["earlier credences were stated under the old wording or values"]))
    if d.tables or d.top:
        rows = [[Cell(f"{key}"), Cell("changed"), Cell(f"{shown(old)} -> {shown(new)}")]
                for key, (old, new) in d.top.items()]
        for t in d.tables:
            detail = "; ".join(f"{k}: {shown(a)} -> {shown(b)}" for k, (a, b) in t.fields.items())
            if t.meaning_at_risk:
                what = "reworded" if t.kind == "crux" else "aggregate changed"
                detail = (f"{what} after {plural(t.credences_before, 'credence')}, which may no "
                          f"longer mean what they meant. {detail}")
            rows.append([Cell(f"{t.kind} {t.ident}"), Cell(t.change),
                         Cell(detail, style="warn" if t.meaning_at_risk else None)])
        sheets.append(Sheet(f"{label}: participants, cruxes and settings",
                            [Column("what"), Column("change"), Column("detail", ratio=1)], rows))
    notes = [closing(d)] if not d.empty or d.status == "added" else \
        ["no change in what the debate says"]
    sheets.append(Sheet(f"{label}: summary", [Column("")], [], notes))
    return sheets


def _outcome(x: Any) -> str:
    if x.correction:
        return f"{x.previous.outcome} -> {x.resolution.outcome} (correction)"
    return x.resolution.outcome


def _entry(e: Entry) -> dict[str, Any]:
    return {"participant": e.who, "crux": e.crux, **credence_json(e)}


def _spread_json(s: Spread | None) -> dict[str, Any] | None:
    return None if s is None else {"pooled": s.pooled, "bits": s.bits, "n": len(s.held)}


def diff_json(label: str, old: str, new: str, d: DebateDiff) -> dict[str, Any]:
    return {
        "path": label, "old": old, "new": new, "status": d.status,
        "added": [{**_entry(a.entry), "previous": _entry(a.previous) if a.previous else None,
                   "bits": a.bits, "retracted": None if a.retracted is None else
                   a.retracted.stated} for a in d.added],
        "history_rewritten": [{"change": r.kind, "old": [_entry(e) for e in r.old],
                               "new": [_entry(e) for e in r.new]} for r in d.rewrites],
        "changes": [{"kind": t.kind, "id": t.ident, "change": t.change,
                     "fields": {k: {"old": a, "new": b} for k, (a, b) in t.fields.items()},
                     "reworded": t.reworded, "meaning_at_risk": t.meaning_at_risk,
                     "credences_before": t.credences_before} for t in d.tables],
        "settings": {k: {"old": a, "new": b} for k, (a, b) in d.top.items()},
        "resolved": [{**x.resolution.stated, "id": x.resolution.id,
                      "corrects": None if x.previous is None else x.previous.outcome,
                      "correction": x.correction} for x in d.resolved],
        "retracted": [{"id": r.target, "why": r.why, "at": r.when.text,
                       "entry": _withdrawn(item)} for item, r in d.retracted],
        "log_rewritten": d.log_rewrites,
        "meaning_changed": d.meaning_changed,
        "history_rewritten_any": d.history_rewritten,
        "strict_fails": d.strict_fails,
        "headline": {"crux": d.new.headline, "before": _spread_json(d.before),
                     "after": _spread_json(d.after)},
    }


def diff_layout(items: list[tuple[str, str, str, DebateDiff]]) -> Layout:
    """One (path, old label, new label, diff) per debate."""
    sheets = [s for label, old, new, d in items
              for s in diff_sheets(f"{label} ({old} -> {new})", d)]
    return Layout(sheets, lambda: {"debates": [diff_json(*item) for item in items]})
