"""Ids as people type and read them: an entry's id is 10 hex digits (outcomes.content_id);
reports show the shortest prefix that is unique in the debate (at least SHORT), and every
command that takes an id accepts a unique prefix of at least MIN_PREFIX, as git does. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from os.path import commonprefix

SHORT = 7  # the shortest id a report shows
MIN_PREFIX = 4  # the shortest prefix a command accepts


class IdError(ValueError):
    """A prefix that names no id, or more than one; the message says which."""


def shortest_unique(ids: Iterable[str], at_least: int = SHORT) -> dict[str, str]:
    """Each id's shortest prefix (at least `at_least` long) shared with no other id: sorted,
    an id's nearest neighbours are the ones it shares most with."""
    ordered = sorted(set(ids))
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
