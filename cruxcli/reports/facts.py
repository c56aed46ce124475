"""A debate as sorted facts, one per line: what `git diff` shows through the textconv driver, so
that a change in a debate reads as a change in beliefs. Pure."""

from __future__ import annotations

import json

from cruxcli.core.analysis import crux_order
from cruxcli.core.model import Debate, Entry


def _s(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def entry_fact(e: Entry) -> str:
    fact = f"credence {e.when.text} {e.label} = {_s(e.credence.text)}"
    for key in ("source", "quote", "note"):
        if (value := getattr(e, key)) is not None:
            fact += f"  {key}: {_s(value)}"
    return fact


def facts(d: Debate) -> list[str]:
    """Debate, cruxes (headline first), participants, then credences in order."""
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
    for pid, p in d.participants.items():
        for key, value in p._asdict().items():
            if value is not None:
                lines.append(f"participant {pid} {key} = {_s(value)}")
    lines += [entry_fact(e) for e in d.entries]
    return lines
