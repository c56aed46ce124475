"""Ids as people type and read them: an entry's id is 10 hex digits (outcomes.content_id);
reports show the shortest prefix that is unique in the debate (at least SHORT), and every
command that takes an id accepts a unique prefix of at least MIN_PREFIX, as git does. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from os.path import commonprefix
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from cruxcli.core.model import Debate

SHORT = 7  # the shortest id a report shows
MIN_PREFIX = 4  # the shortest prefix a command accepts


class Known(NamedTuple):
    """A debate's credence ids: in the order of entries_written, and each one's short id."""

    full: list[str]
    short: dict[str, str]


def known(debate: Debate) -> Known:
    """Every credence's id (retracted entries included) and its short id (shortest_unique
    over the log). Remembered for the last few debates, and kept beside a debate in the cache
    (files.cache): hashing 10^5 entries takes longer than a warm report."""
    held = _KNOWN.get(id(debate))
    if held is not None and held[0] is debate:
        found = held[1]
        if not callable(found):
            return found
        if (kept := found()) is not None:  # the cache's, read now that they are asked for
            remember(debate, kept)
            return kept  # type: ignore[no-any-return]
    from cruxcli.core.model import Entry

    full = Entry.ids(debate.entries_written)
    found = Known(full, shortest_unique(full))
    remember(debate, found)
    return found


def short_ids(debate: Debate) -> dict[str, str]:
    """Every credence's short id, by its full id (`known`)."""
    return known(debate).short


def remember(debate: Debate, ids: Known | Callable[[], Known | None]) -> None:
    """Take `ids` as the debate's (the cache gives them as they were computed, as a function
    that reads them when first asked for, or None if they cannot be read)."""
    while len(_KNOWN) >= 4:
        del _KNOWN[next(iter(_KNOWN))]
    _KNOWN[id(debate)] = (debate, ids)  # the debate is held, so its id() is not reused


_KNOWN: dict[int, tuple[Debate, Known | Callable[[], Known | None]]] = {}


class IdError(ValueError):
    """A prefix that names no id, or more than one; the message says which."""


def shortest_unique(ids: Iterable[str], at_least: int = SHORT) -> dict[str, str]:
    """Each id's shortest prefix (at least `at_least` long) shared with no other id. Most ids
    share no `at_least` characters with any other (16^7 prefixes); the rest are compared
    within their group, where, sorted, an id's nearest neighbours share the most with it."""
    unique = list(set(ids))
    prefixes = [ident[:at_least] for ident in unique]
    shared = Counter(prefixes)
    out = {ident: prefix for ident, prefix in zip(unique, prefixes, strict=True)
           if shared[prefix] == 1}
    if len(out) < len(unique):
        groups: dict[str, list[str]] = {}
        for ident, prefix in zip(unique, prefixes, strict=True):
            if shared[prefix] > 1:
                groups.setdefault(prefix, []).append(ident)
        for group in groups.values():
            out.update(_within(sorted(group), at_least))
    return out


def _within(ordered: list[str], at_least: int) -> dict[str, str]:
    out = {}
    for i, ident in enumerate(ordered):
        common = max((len(commonprefix([ident, ordered[j]])) for j in (i - 1, i + 1)
                      if 0 <= j < len(ordered)), default=0)
        out[ident] = ident[:max(at_least, common + 1)]
    return out


def find(prefix: str, ids: Iterable[str], what: str = "credence or resolution") -> str:
    """The one id that starts with `prefix` (an exact id always names itself); `what` the ids
    name, for the message."""
    known = set(ids)
    if prefix in known:
        return prefix
    if len(prefix) < MIN_PREFIX:
        raise IdError(f'"{prefix}" is too short to name an id: give at least {MIN_PREFIX} '
                      "characters")
    matches = sorted(i for i in known if i.startswith(prefix))
    if not matches:
        raise IdError(f'no {what} has an id starting "{prefix}"')
    if len(matches) > 1:
        shown = ", ".join(matches[:10]) + (", ..." if len(matches) > 10 else "")
        raise IdError(f'"{prefix}" is ambiguous: it starts {len(matches)} ids ({shown}); '
                      "give more characters")
    return matches[0]
