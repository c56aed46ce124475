"""The axes every trace chart shares: probability on a log-odds scale with symmetric labelled
ticks (1%, 10%, 50%, 90%, 99%, ...) that bracket the data, and date ticks no finer than the
dates themselves (a debate dated by year gets years, never hours). Pure."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from cruxcli.core.credence import logit

#: Candidate probability ticks: 50%, and each decade towards 0% and towards 100% alike.
CANDIDATES = sorted([0.5] + [10.0 ** -k for k in range(1, 13)]
                    + [1 - 10.0 ** -k for k in range(1, 13)])


def percent(p: float) -> str:
    return f"{p * 100:.10g}%"


def probability_axis(values: Iterable[float]) -> tuple[list[float], float, float]:
    """The labelled ticks and the axis's ends in log odds for `values` (0% and 100% are left
    out: they lie infinitely far out and are drawn on the edges). The axis reaches a
    labelled tick on either side of the data, so every value read off the chart lies
    between two labels, and always shows 50%."""
    inner = [y for y in values if 0.0 < y < 1.0] + [0.5]
    lo, hi = min(inner), max(inner)
    candidates = CANDIDATES
    if lo < CANDIDATES[0]:  # below 1e-12: the decades down to it
        deeper = math.ceil(-math.log10(lo))
        candidates = sorted({*CANDIDATES, *(10.0 ** -k for k in range(13, deeper + 1))})
    below = max((t for t in candidates if t <= lo), default=candidates[0])
    above = min((t for t in candidates if t >= hi), default=candidates[-1])
    if below == above:  # every value on one tick (all 50%): show the ticks either side
        i = candidates.index(below)
        below, above = candidates[max(i - 1, 0)], candidates[min(i + 1, len(candidates) - 1)]
    ticks = [t for t in candidates if below <= t <= above]
    if len(ticks) > 9:  # decades far apart (1e-300 to 50%): every few, the ends always kept
        step = math.ceil(len(ticks) / 8)
        ticks = sorted({*ticks[::step], ticks[0], ticks[-1], 0.5})
    pad = 0.25 * (logit(above) - logit(below)) / max(len(ticks) - 1, 1)
    return ticks, min(logit(below), logit(lo)) - pad, max(logit(above), logit(hi)) + pad


def spread(levels: list[float], gap: float) -> list[float]:
    """`levels` moved apart as little as needed so that no two are closer than `gap` (for the
    tags at the lines' ends: two lines ending at 66% and 69% must not print one tag on the
    other); in the order given."""
    order = sorted(range(len(levels)), key=lambda i: levels[i])
    out = list(levels)
    for before, i in zip(order, order[1:], strict=False):
        out[i] = max(out[i], out[before] + gap)
    return out


# ---------------------------------------------------------------------------- date ticks

UNITS = ["hour", "day", "month", "year"]
#: The finest tick unit for a date written to each precision ("2024-10" -> months).
FINEST = {"time": "hour", "day": "day", "month": "month", "year": "year"}

_STEPS: list[tuple[str, int, str]] = [  # unit, how many, label format
    ("hour", 1, "%m-%d %H:%M"), ("hour", 3, "%m-%d %H:%M"), ("hour", 6, "%m-%d %H:%M"),
    ("hour", 12, "%m-%d %H:%M"), ("day", 1, "%Y-%m-%d"), ("day", 2, "%Y-%m-%d"),
    ("day", 7, "%Y-%m-%d"), ("day", 14, "%Y-%m-%d"), ("month", 1, "%Y-%m"),
    ("month", 2, "%Y-%m"), ("month", 3, "%Y-%m"), ("month", 6, "%Y-%m"), ("year", 1, "%Y"),
    ("year", 2, "%Y"), ("year", 5, "%Y"), ("year", 10, "%Y"), ("year", 20, "%Y"),
    ("year", 50, "%Y"), ("year", 100, "%Y"), ("year", 500, "%Y"), ("year", 1000, "%Y"),
]
_END_FORMS = [("year", "%Y"), ("month", "%Y-%m"), ("day", "%Y-%m-%d"), ("hour", "%m-%d %H:%M"),
              ("hour", "%H:%M:%S")]


def _first(start: dt.datetime, unit: str, n: int) -> dt.datetime:
    """The first boundary of `n` `unit`s at or after `start`."""
    if unit == "hour":
        t = start.replace(minute=0, second=0, microsecond=0)
        while t < start or t.hour % n:
            t += dt.timedelta(hours=1)
        return t
    if unit == "day":
        t = dt.datetime(start.year, start.month, start.day)
        return t if t >= start else t + dt.timedelta(days=1)
    if unit == "month":
        months = start.year * 12 + start.month - 1
        if dt.datetime(start.year, start.month, 1) < start:
            months += 1
        months += -months % n
        return dt.datetime(months // 12, months % 12 + 1, 1)
    year = start.year + (dt.datetime(start.year, 1, 1) < start)
    return dt.datetime(year + (-year % n), 1, 1)


def _after(t: dt.datetime, unit: str, n: int) -> dt.datetime:
    if unit == "hour":
        return t + dt.timedelta(hours=n)
    if unit == "day":
        return t + dt.timedelta(days=n)
    if unit == "month":
        months = t.year * 12 + t.month - 1 + n
        return dt.datetime(months // 12, months % 12 + 1, 1)
    return dt.datetime(t.year + n, 1, 1)


def date_ticks(start: dt.datetime, end: dt.datetime, room: int, finest: str = "hour"
               ) -> list[tuple[dt.datetime, str]]:
    """Evenly stepped, distinct, readable date ticks within [start, end] for an axis `room`
    characters wide: hours for a day, days for weeks, months for years, years for decades;
    never finer than `finest` (one of UNITS)."""
    allowed = UNITS[UNITS.index(finest):]
    for unit, n, form in _STEPS:
        if unit not in allowed:
            continue
        width = len(dt.datetime(2000, 12, 31, 23).strftime(form)) + 3
        ticks: list[tuple[dt.datetime, str]] = []
        try:
            t = _first(start, unit, n)
            while t <= end and len(ticks) <= room // width:
                ticks.append((t, t.strftime(form)))
                t = _after(t, unit, n)
        except (ValueError, OverflowError):  # past year 9999: the ticks so far are all
            pass
        if len(ticks) >= 2 and len(ticks) <= max(room // width, 2):
            return ticks
    # too short or too narrow for two even steps: label the two ends, as finely as they differ
    for unit, form in _END_FORMS:
        if unit in allowed and start.strftime(form) != end.strftime(form):
            return [(start, start.strftime(form)), (end, end.strftime(form))]
    form = dict(_END_FORMS)[finest] if finest != "hour" else "%Y-%m-%d %H:%M"
    return [(start, start.strftime(form))]
