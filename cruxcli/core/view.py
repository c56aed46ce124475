"""Each participant's current credences: per series (crux, condition, participant) the latest
number and the direction-only updates after it. Every report that compares people reads this
one view. Pure."""

from __future__ import annotations

from operator import attrgetter
from typing import NamedTuple

from cruxcli.core.analysis import as_of
from cruxcli.core.model import Condition, Debate, Entry
from cruxcli.core.when import When


class Held(NamedTuple):
    """A participant's current numeric credence in one series, and what came after it."""

    who: str
    entry: Entry
    then: tuple[Entry, ...] = ()  # later direction-only updates, which no number reflects

    @property
    def value(self) -> float:
        return self.entry.credence.value  # type: ignore[return-value]

    @property
    def bound(self) -> bool:
        return self.entry.credence.is_bound

    @property
    def verbal(self) -> bool:
        return self.entry.credence.on_scale


#: Held.value, read at C speed (a summary sorts and pools the credences of 5,000 cruxes).
VALUE = attrgetter("entry.credence.value")


class View(NamedTuple):
    """Every participant's current credences, by (crux, given) then participant."""

    held: dict[tuple[str, Condition | None], dict[str, Held]]
    directions: dict[tuple[str, Condition | None], dict[str, Entry]]  # direction-only ones

    def get(self, who: str, crux: str, given: Condition | None = None) -> Held | None:
        return self.held.get((crux, given), {}).get(who)


def current(debate: Debate, when: When | None = None) -> View:
    """Each series' latest number and the direction-only updates after it, in one pass that
    only remembers entries; the Held records are built once at the end."""
    numbers: dict[tuple[str, Condition | None, str], Entry] = {}
    later: dict[tuple[str, Condition | None, str], list[Entry]] = {}
    only: dict[tuple[str, Condition | None, str], Entry] = {}
    for e in as_of(debate, when):
        key = (e.crux, e.given, e.who)
        if e.credence.value is not None:
            numbers[key] = e
            if key in later:
                del later[key]
        elif key in numbers:
            later.setdefault(key, []).append(e)
        else:
            only[key] = e
    held: dict[tuple[str, Condition | None], dict[str, Held]] = {}
    for (crux, given, who), e in numbers.items():
        held.setdefault((crux, given), {})[who] = Held(who, e, tuple(later.get((crux, given, who),
                                                                           ())))
    directions: dict[tuple[str, Condition | None], dict[str, Entry]] = {}
    for (crux, given, who), e in only.items():
        if (crux, given, who) not in numbers:
            directions.setdefault((crux, given), {})[who] = e
    return View(held, directions)
