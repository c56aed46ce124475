"""`cruxcli due` as sheets and its JSON document (keys in docs/keys.md). Pure."""

from __future__ import annotations

from typing import Any

from cruxcli.reports.due import Due
from cruxcli.reports.sheet import Cell, Column, Layout, Sheet, credence_json, debate_json, plural


def overdue_records(d: Due) -> list[dict[str, Any]]:
    return [{"crux": o.crux, "resolves_by": o.resolves_by.text, "days": o.days}
            for o in d.overdue]


def stale_records(d: Due) -> list[dict[str, Any]]:
    return [{"participant": s.who, "crux": s.crux, "latest": credence_json(s.latest),
             "days": s.days} for s in d.stale]


def due_layout(d: Due) -> Layout:
    when = f" (as of {d.as_of})" if d.as_of else ""
    overdue = Sheet(f"Open cruxes past their resolve-by date{when}",
                    [Column("crux"), Column("resolves by", "right"), Column("days over", "right"),
                     Column("question", ratio=1)],
                    [[Cell(o.crux), Cell(o.resolves_by.text), Cell(str(o.days)),
                      Cell(d.debate.cruxes[o.crux].question)] for o in d.overdue],
                    [] if d.overdue else ["none: every open crux with a resolve-by date is "
                                          "within it (record an outcome with cruxcli resolve)"],
                    section="overdue", records=overdue_records(d))
    stale = Sheet(f"Credences on open cruxes not revisited in {plural(d.older_than, 'day')}",
                  [Column("participant · crux", ratio=1), Column("latest", "right"),
                   Column("at", "right"), Column("days", "right")],
                  [[Cell(f"{s.who} · {s.crux}"), Cell(s.latest.credence.text),
                    Cell(s.latest.when.text), Cell(str(s.days))] for s in d.stale],
                  [] if d.stale else ["none"], section="stale", records=stale_records(d))
    return Layout([overdue, stale], lambda: {
        **debate_json(d.debate), "as_of": str(d.as_of) if d.as_of else None,
        "today": d.today.date().isoformat(), "older_than_days": d.older_than,
        "overdue": overdue_records(d), "stale": stale_records(d)})
