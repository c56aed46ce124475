"""Each participant's current credences: per series (crux, condition, participant) the latest
number and the direction-only updates after it. Every report that compares people reads this
one view. Pure."""

from __future__ import annotations

from itertools import compress, count, repeat
from operator import attrgetter, is_not, not_
from typing import NamedTuple

from cruxcli.core.analysis import as_of
from cruxcli.core.model import NUMBER, Condition, Debate, Entry
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


#: Held.value and the kind of credence held, read at C speed (a summary sorts and pools the
#: credences of 5,000 cruxes).
VALUE = attrgetter("entry.credence.value")
KIND = attrgetter("entry.credence.kind")
_SERIES = attrgetter("crux", "given", "who")
_NEW = tuple.__new__  # a Held without the named tuple's argument handling (45,000 of them)


class View(NamedTuple):
    """Every participant's current credences, by (crux, given) then participant."""

    held: dict[tuple[str, Condition | None], dict[str, Held]]
    directions: dict[tuple[str, Condition | None], dict[str, Entry]]  # direction-only ones

    def get(self, who: str, crux: str, given: Condition | None = None) -> Held | None:
        return self.held.get((crux, given), {}).get(who)


def current(debate: Debate, when: When | None = None) -> View:
    """Each series' latest number and the direction-only updates after it. The numbers are
    gathered at C speed (a dict keeps the index of each series' last, at its first place);
    the few direction-only entries are then placed by their index against it."""
    entries = as_of(debate, when)
    keys = list(map(_SERIES, entries))
    numeric = list(map(is_not, map(NUMBER, entries), repeat(None)))
    last = dict(zip(compress(keys, numeric), compress(count(), numeric), strict=True))
    later: dict[tuple[str, Condition | None, str], list[Entry]] = {}
    only: dict[tuple[str, Condition | None, str], Entry] = {}  # series with no number at all
    if not all(numeric):
        for i in compress(count(), map(not_, numeric)):
            if keys[i] not in last:
                only[keys[i]] = entries[i]
            elif i > last[keys[i]]:
                later.setdefault(keys[i], []).append(entries[i])
    held: dict[tuple[str, Condition | None], dict[str, Held]] = {}
    for (crux, given, who), i in last.items():
        then = tuple(later.get((crux, given, who), ())) if later else ()
        held.setdefault((crux, given), {})[who] = _NEW(Held, (who, entries[i], then))
    directions: dict[tuple[str, Condition | None], dict[str, Entry]] = {}
    for (crux, given, who), e in only.items():
        directions.setdefault((crux, given), {})[who] = e
    return View(held, directions)
