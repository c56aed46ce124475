"""`cruxcli import fatebook`: Fatebook's CSV export. One crux per question (per option, for a
multiple-choice question); each row a forecast by "Forecast created by"; a question's
Resolution (YES, NO, AMBIGUOUS = annulled) at "Resolved at" becomes a [[resolution]]. Times are
written "2024-01-05 09:03:7" with no time zone: they are kept as written, which cruxcli reads as
UTC (docs/format.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cruxcli.files.importers import (
    Forecasts,
    ImportFailed,
    Result,
    Skipped,
    each_row,
    probability,
    timestamp,
)

TITLE, OPTION, WHO, FORECAST, AT = ("Question title", "Multiple choice option",
                                    "Forecast created by", "Forecast (scale = 0-1)",
                                    "Forecast created at")
RESOLUTION, RESOLVED_AT, NOTES = "Resolution", "Resolved at", "Question notes"
RESOLVE_BY = "Question resolve by"
REQUIRED = (TITLE, OPTION, WHO, FORECAST, AT, RESOLUTION, RESOLVED_AT)
OUTCOMES = {"YES": "yes", "NO": "no", "AMBIGUOUS": "annulled"}


def read(paths: list[Path], options: dict[str, Any]) -> Result:
    got = Forecasts()
    records = each_row(paths, REQUIRED)
    count = 0  # rows read
    for where, r in records:
        count += 1
        title, option = r[TITLE].strip(), r[OPTION].strip()
        if not title:
            raise ImportFailed(f"{where}: a row without a question title")
        if not r[FORECAST].strip():
            got.skipped.append(Skipped(str(where.path), where.line, "no forecast in this row"))
            continue
        probability(r[FORECAST].strip(), f"{where}: {FORECAST}")
        at = got.clock(r[AT], f"{where}: {AT}")
        crux = got.crux(f"{title} — {option}" if option else title,
                        f"{title}: {option}?" if option else title)
        if (by := (r.get(RESOLVE_BY) or "").strip()) and crux in got.questions:
            got.questions[crux].setdefault("resolves_by", timestamp(by, f"{where}: {RESOLVE_BY}"))
        who = got.participant(r[WHO].strip() or "unknown")
        got.credences.append({"who": who, "crux": crux, "p": r[FORECAST].strip(), "at": at,
                              "source": f"Fatebook: {title}", "note": r.get(NOTES) or None})
        outcome = r[RESOLUTION].strip()
        if outcome:
            resolved = _outcome(outcome, option, where)
            got.resolutions[crux] = {"crux": crux, "outcome": resolved,
                                     "at": got.clock(r[RESOLVED_AT], f"{where}: {RESOLVED_AT}"),
                                     "source": f"Fatebook: {title}"}
    if not got.credences:
        raise ImportFailed(f"{paths[0]}: no forecasts to import")
    return Result([got.debate(options.get("name") or paths[0].stem,
                              options.get("title") or "Imported from Fatebook")],
                  count, got.skipped)


def _outcome(outcome: str, option: str, where: object) -> str:
    if outcome.upper() in OUTCOMES:
        return OUTCOMES[outcome.upper()]
    if option:  # a multiple-choice question resolves to one of its options
        return "yes" if outcome == option else "no"
    raise ImportFailed(f'{where}: Resolution "{outcome}": expected YES, NO or AMBIGUOUS')
