"""`cruxcli import fatebook`: Fatebook's CSV export. One crux per question (per option, for a
multiple-choice question); each row a forecast by "Forecast created by"; a question's
Resolution (YES, NO, AMBIGUOUS = annulled) at "Resolved at" becomes a [[resolution]]. Times are
written "2024-01-05 09:03:7" with no time zone: they are kept as written, which cruxcli reads as
UTC (docs/format.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cruxcli.files.importers import (
    Clock,
    Ids,
    Imported,
    ImportFailed,
    Result,
    Skipped,
    each_row,
    probability,
)

TITLE, OPTION, WHO, FORECAST, AT = ("Question title", "Multiple choice option",
                                    "Forecast created by", "Forecast (scale = 0-1)",
                                    "Forecast created at")
RESOLUTION, RESOLVED_AT, NOTES = "Resolution", "Resolved at", "Question notes"
REQUIRED = (TITLE, OPTION, WHO, FORECAST, AT, RESOLUTION, RESOLVED_AT)
OUTCOMES = {"YES": "yes", "NO": "no", "AMBIGUOUS": "annulled"}


def read(paths: list[Path], options: dict[str, Any]) -> Result:
    people, cruxes = Ids(), Ids()
    participants: dict[str, dict[str, Any]] = {}
    questions: dict[str, dict[str, Any]] = {}
    credences: list[dict[str, Any]] = []
    resolutions: dict[str, dict[str, Any]] = {}
    skipped: list[Skipped] = []
    records = each_row(paths, REQUIRED)
    timestamp = Clock()
    for where, r in records:
        title, option = r[TITLE].strip(), r[OPTION].strip()
        if not title:
            raise ImportFailed(f"{where}: a row without a question title")
        if not r[FORECAST].strip():
            skipped.append(Skipped(str(where.path), where.line, "no forecast in this row"))
            continue
        probability(r[FORECAST].strip(), f"{where}: {FORECAST}")
        at = timestamp(r[AT], f"{where}: {AT}")
        crux = cruxes(f"{title} — {option}" if option else title)
        questions.setdefault(crux, {"question": f"{title}: {option}?" if option else title})
        name = r[WHO].strip() or "unknown"
        who = people(name)
        participants.setdefault(who, {"name": name})
        credences.append({"who": who, "crux": crux, "p": r[FORECAST].strip(), "at": at,
                          "source": f"Fatebook: {title}", "note": r.get(NOTES) or None})
        outcome = r[RESOLUTION].strip()
        if outcome:
            resolved = _outcome(outcome, option, where)
            resolutions[crux] = {"crux": crux, "outcome": resolved,
                                 "at": timestamp(r[RESOLVED_AT], f"{where}: {RESOLVED_AT}"),
                                 "source": f"Fatebook: {title}"}
    if not credences:
        raise ImportFailed(f"{paths[0]}: no forecasts to import")
    credences.sort(key=lambda c: c["at"])
    headline = next(iter(questions))
    return Result([Imported(options.get("name") or paths[0].stem,
                            options.get("title") or "Imported from Fatebook", headline,
                            participants, questions, credences, list(resolutions.values()))],
                  len(records), skipped)


def _outcome(outcome: str, option: str, where: object) -> str:
    if outcome.upper() in OUTCOMES:
        return OUTCOMES[outcome.upper()]
    if option:  # a multiple-choice question resolves to one of its options
        return "yes" if outcome == option else "no"
    raise ImportFailed(f'{where}: Resolution "{outcome}": expected YES, NO or AMBIGUOUS')
