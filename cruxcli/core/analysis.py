"""Pure functions over a Debate that every report shares: the view as of a date, the order of
cruxes, an entry's predecessor and the move to it, and the opcodes between two append-only logs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import compress, repeat
from operator import eq
from typing import Any

from cruxcli.core.credence import bits
from cruxcli.core.model import SERIES, Condition, Crux, Debate, Entry
from cruxcli.core.when import When


def as_of(debate: Debate, when: When | None) -> tuple[Entry, ...]:
    """The entries stated by the end of `when` ("2024-10" includes October). An entry dated
    only by a period ("2024") counts from the period's start; a sealed credence counts, at
    its seal's date, once it is revealed."""
    if when is None:
        return debate.entries
    limit = when.end
    return tuple(e for e in debate.entries if e.when.start <= limit and
                 (e.revealed is None or e.revealed.start <= limit))  # sealed until revealed


def known_by(debate: Debate, when: When | None) -> Debate:
    """The debate as it stood at the end of `when`: its credences, resolutions and pledges by
    then (None: all of it)."""
    if when is None:
        return debate
    limit = when.end
    return debate._replace(entries=as_of(debate, when),
                           resolutions=tuple(r for r in debate.resolutions
                                             if r.when.start <= limit),
                           pledges=tuple(p for p in debate.pledges if p.when.start <= limit))


def crux_order(debate: Debate) -> list[tuple[str, int]]:
    """Cruxes as (id, depth): the headline first with its premises nested under it, then the
    others in file order, each followed by its own premises."""
    order: list[tuple[str, int]] = []
    placed: set[str] = set()

    def place(crux: str, depth: int) -> None:
        if crux in placed or crux not in debate.cruxes:
            return
        placed.add(crux)
        order.append((crux, depth))
        for premise in debate.cruxes[crux].premises:
            place(premise, depth + 1)

    place(debate.headline, 0)
    for crux in debate.cruxes:
        place(crux, 0)
    return order


Series = tuple[str, str, Condition | None]


def history(entries: Iterable[Entry]) -> Iterator[tuple[Entry, Entry | None, Entry | None]]:
    """Each entry (in time order) with the statement of its series just before it, and the
    one its move is measured from: the latest *numeric* statement before it. This is the one
    definition of "the move" that log, diff and trace report: a direction-only statement in
    between ("lower") carries no number, so the next number moves from the last number."""
    last: dict[Series, Entry] = {}
    numeric: dict[Series, Entry] = {}
    for e in entries:
        yield e, last.get(e.series), numeric.get(e.series)
        last[e.series] = e
        if e.credence.value is not None:
            numeric[e.series] = e


def before(entries: Sequence[Entry], new: Entry) -> tuple[Entry | None, Entry | None]:
    """What `history` gives `new` (one of `entries`, in time order): its series' statement just
    before it, and the latest number before it. Only its own series is walked, picked out at
    C speed: `log` asks this of a log that may hold 10^6 entries."""
    series = compress(entries, map(eq, map(SERIES, entries), repeat(new.series)))
    return next((old, base) for e, old, base in history(series) if e is new)


def move(old: Entry | None, new: Entry) -> float | None:
    """The move from `old` to `new` in bits (log2 of the odds ratio), if both are numbers."""
    if old is None or old.credence.value is None or new.credence.value is None:
        return None
    return bits(new.credence.value, old.credence.value)


def log_opcodes(old: list[Any], new: list[Any]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes between two logs, with an uneven replace split into a replace of equal
    length and a pure insert or delete: in an append-only log, one edited entry plus one new
    entry is read as exactly that."""
    import difflib  # only a diff needs it

    out: list[tuple[str, int, int, int, int]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new,
                                                       autojunk=False).get_opcodes():
        n = min(i2 - i1, j2 - j1)
        if op == "replace" and (i2 - i1) != (j2 - j1):
            out.append(("replace", i1, i1 + n, j1, j1 + n))
            out.append(("insert", i2, i2, j1 + n, j2) if j2 - j1 > n else
                       ("delete", i1 + n, i2, j2, j2))
        else:
            out.append((op, i1, i2, j1, j2))
    return out


def new_premise_effect(debate: Debate, parent: str, premise: str
                       ) -> tuple[list[str], list[str]]:
    """Who has stated P(`parent`), and of those who had stated every other premise of it: the
    ones whose implied `parent` (the product of its premises) `premise` takes away until they
    state it."""
    stated = dict.fromkeys((e.who, e.crux) for e in debate.entries if e.given is None)
    who = list(dict.fromkeys(w for w, c in stated if c == parent))  # in the order they spoke
    earlier = [c for c in debate.cruxes[parent].premises if c != premise]
    return who, [w for w in who if all((w, c) in stated for c in earlier)]


def premise_graph(cruxes: Mapping[str, Crux]) -> tuple[list[str] | None, dict[str, int]]:
    """A cycle in the premise graph (self-loops are reported separately), if any; else each
    crux's depth (1 + the deepest of its premises). Iterative: any depth of file is safe."""
    state: dict[str, int] = {}  # 1 = on the path, 2 = done
    depth: dict[str, int] = {}

    def below(node: str) -> list[str]:
        return [p for p in cruxes[node].premises if p != node and p in cruxes]

    for start in cruxes:
        if start in state:
            continue
        state[start] = 1
        path, stack = [start], [iter(below(start))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                node = path.pop()
                stack.pop()
                state[node] = 2
                depth[node] = 1 + max((depth[p] for p in below(node)), default=0)
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt], {}
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(below(nxt)))
    return None, depth
