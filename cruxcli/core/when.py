"""When a credence was stated: a date, a date-time, or only as precisely as the source says.

Sources often give only a year or a month ("mid 2024", "October 2024"), and a comment may carry
no date at all beyond "after the post it replies to". So `at` accepts, besides TOML dates and
date-times, the strings "2024", "2024-10", "2024-10-03" and "2023/.." (EDTF's open interval:
"2023 or later"). A When is ordered by the start of its period and displayed as given. Pure.

Instants are compared in UTC: a date-time with an offset is converted for ordering and kept
as written; one without an offset, and a bare date, are read as UTC (docs/format.md).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(/\.\.)?$")


class WhenError(ValueError):
    """Not a date we accept; the message says what would be."""


ACCEPTED = (
    "a date (2024-10-03), a date-time (2024-10-03T09:30:00), a year or month as text "
    '("2024", "2024-10"), or "2023/.." for "2023 or later"'
)


class When(NamedTuple):
    """A point or period in time. `start` is naive UTC (an offset, if given, is applied)."""

    text: str
    start: dt.datetime
    precision: str  # "year", "month", "day", "time"
    open_ended: bool = False

    def __str__(self) -> str:
        return self.text

    @property
    def end(self) -> dt.datetime:
        """The last instant of the period: "as of 2024-10" includes all of October."""
        s = self.start
        if self.precision == "time":
            return s
        if s.year == dt.MAXYEAR and (self.precision == "year" or s.month == 12):
            return dt.datetime.max
        if self.precision == "year":
            nxt = dt.datetime(s.year + 1, 1, 1)
        elif self.precision == "month":
            nxt = dt.datetime(s.year + (s.month == 12), s.month % 12 + 1, 1)
        else:
            nxt = s + dt.timedelta(days=1) if s.date() < dt.date.max else dt.datetime.max
        return nxt - dt.timedelta(microseconds=1) if nxt != dt.datetime.max else nxt

    def to_toml(self) -> dt.date | dt.datetime | str:
        """The value to write back to a TOML file."""
        if self.precision == "day" and not self.open_ended:
            return self.start.date()
        if self.precision == "time":
            return dt.datetime.fromisoformat(self.text)  # as written, with its UTC offset
        return self.text


def _naive(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    except OverflowError:
        raise WhenError(f'"{value.isoformat()}" is outside the dates cruxcli can compare '
                        "(years 1 to 9999 in UTC)") from None


def parse_when(value: object) -> When:
    """Read `at` from a TOML value (date, datetime or string) or from the command line."""
    try:
        return _cached(value)
    except TypeError:  # unhashable (a table or a list where a date belongs)
        return _parse(value)


@lru_cache(maxsize=65536)
def _cached(value: object) -> When:
    return _parse(value)


def _parse(value: object) -> When:
    if isinstance(value, dt.datetime):
        return When(value.isoformat(), _naive(value), "time")
    if isinstance(value, dt.date):
        return When(value.isoformat(), dt.datetime(value.year, value.month, value.day), "day")
    if not isinstance(value, str):
        raise WhenError(f"{_show(value)} is not a date; expected {ACCEPTED}")
    if len(value) > 2_000:  # model.MAX_SHORT
        raise WhenError(f"{len(value):,} characters is not a date; expected {ACCEPTED}")
    text = value.strip()
    if m := _PARTIAL.match(text):
        year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
        try:
            start = dt.datetime(year, month, day)
        except ValueError as exc:
            raise WhenError(f'"{value}" is not a real date ({exc})') from None
        precision = "day" if m[3] else "month" if m[2] else "year"
        return When(text, start, precision, open_ended=bool(m[4]))
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise WhenError(f'"{value}" is not a date; expected {ACCEPTED}') from None
    return When(text, _naive(parsed), "time")


def _show(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if not isinstance(value, (int, float)) else str(value)


def shifted(moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """`moment` + `delta`, held at the calendar's ends (year 1, year 9999): for a chart's
    margins around what was stated, never for a date anyone stated."""
    try:
        return moment + delta
    except OverflowError:
        return dt.datetime.min if delta < dt.timedelta(0) else dt.datetime.max
