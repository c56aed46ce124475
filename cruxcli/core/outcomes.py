"""Resolutions and retractions: the two append-only logs beside the credences. Pure.

A `[[resolution]]` says a crux turned out yes, no or annulled at a time; a later one of the
same crux supersedes an earlier one (a correction), and both stay in the file. A
`[[retraction]]` names an entry by its id and takes it out of every figure without editing
history. Ids are derived from content, so they are the same on every clone and after any merge.
"""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

from cruxcli.core.when import When

OUTCOMES = ("yes", "no", "annulled")


class Resolution(NamedTuple):
    index: int  # position in the file's [[resolution]] log
    crux: str
    outcome: str  # "yes", "no" or "annulled"
    when: When  # when the outcome became known
    source: str | None = None
    quote: str | None = None
    note: str | None = None

    @property
    def id(self) -> str:
        return content_id("resolution", self.crux, self.outcome, self.when.text, self.source,
                          self.quote, self.note)

    @property
    def label(self) -> str:
        return f"resolution of {self.crux}"

    @property
    def value(self) -> float | None:
        """1 for yes, 0 for no, None for annulled (nothing to score against)."""
        return {"yes": 1.0, "no": 0.0}.get(self.outcome)


class Retraction(NamedTuple):
    index: int
    target: str  # the id of the credence or resolution taken back
    why: str
    when: When


def content_id(*fields: Any) -> str:
    """A short stable id of an entry's stated content: equal content, equal id."""
    text = "\x1f".join("\x00" if f is None else str(f) for f in fields)  # unit separators
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def latest_resolutions(resolutions: tuple[Resolution, ...]) -> dict[str, Resolution]:
    """Each crux's standing resolution: the latest (by time, then file order)."""
    out: dict[str, Resolution] = {}
    for r in resolutions:  # in time order
        out[r.crux] = r
    return out


def after_resolution(entries: Any, resolutions: tuple[Resolution, ...]) -> list[tuple[Any,
                                                                                   Resolution]]:
    """Credences stated after their crux was resolved (the crux's standing resolution): the
    question was settled, so they are not forecasts of it."""
    settled = latest_resolutions(resolutions)
    return [(e, settled[e.crux]) for e in entries
            if e.crux in settled and e.when.start > settled[e.crux].when.end]
