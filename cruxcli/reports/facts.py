"""A debate as sorted facts, one per line: what `git diff` shows through the textconv driver, so
that a change in a debate reads as a change in beliefs. Pure."""

from __future__ import annotations

import json
from typing import Any

from cruxcli.core.analysis import crux_order
from cruxcli.core.model import Debate, Entry


def _s(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


#: Keys a fact line leads with; every other stated key follows as `key: "value"`.
_LEAD = ("who", "crux", "given", "p", "at", "outcome", "id", "why")


def _rest(item: Any) -> str:
    return "".join(f"  {k}: {_s(v)}" for k, v in item.stated.items()
                   if k not in _LEAD and v is not None)


def entry_fact(e: Entry) -> str:
    return f"credence {e.when.text} {e.label} = {_s(e.credence.text)}{_rest(e)}  [id {e.id}]"


def _taken_back(item: Any) -> str:
    if isinstance(item, Entry):
        return f"credence {item.label} = {_s(item.credence.text)} ({item.when.text})"
    return f"resolution {item.crux} = {item.outcome} ({item.when.text})"


def facts(d: Debate) -> list[str]:
    """Debate, cruxes (headline first), participants, then each log in file order: every
    credence (a retracted one stays, as in the file), resolution and retraction, the last
    saying what it took back and why: a retraction reads as one, never as a deleted line."""
    lines = [f"debate title = {_s(d.title)}", f"debate headline = {d.headline}"]
    if d.description is not None:
        lines.append(f"debate description = {_s(d.description)}")
    if d.sources_required:
        lines.append("debate sources_required = true")
    for term, stated in sorted(d.scale.overrides.items()):
        lines.append(f"scale {_s(term)} = {_s(stated)}")
    for crux, _ in crux_order(d):
        c = d.cruxes[crux]
        lines.append(f"crux {crux} question = {_s(c.question)}")
        if c.premises:
            lines.append(f"crux {crux} premises = {', '.join(c.premises)}")
            if c.premises_kind != "chain":
                lines.append(f"crux {crux} premises_kind = {_s(c.premises_kind)}")
    for pid, p in d.participants.items():
        for key, value in p._asdict().items():
            if value is not None:
                lines.append(f"participant {pid} {key} = {_s(value)}")
    lines += [entry_fact(e) for e in d.entries_written]
    lines += [f"resolution {r.when.text} {r.crux} = {r.outcome}{_rest(r)}  [id {r.id}]"
              for r in d.resolutions_written]
    took = d.taken_back
    taken = {r.position: [_taken_back(x) for x in took.get(r.position, ())]
             for r in d.retractions}
    lines += [f"retraction {r.when.text} of {r.target}: "
              + ("; ".join(taken[r.position]) or "(already retracted)") + f"  why: {_s(r.why)}"
              for r in d.retractions]
    return lines
