"""`cruxcli import fri`: a conditional-forecast crux table as the Forecasting Research Institute
publishes its study data: `person, Camp, ID, PU, Pc, PUc` (P(U) for the headline U, P(c) for the
crux named in ID, P(U|c)), decimals as small as 1e-8, `NA` where a value was not given.

Participants changed their P(U) during a study, so each row's P(U) belongs with its own crux:
the import writes one debate per crux (`-o DIR/`), in which each person's P(U), P(c) and
P(U|c) are that row's. `summary` then computes each crux's VoI from that row's P(U), and the
median VoD across camps (`Camp` becomes the group), exactly as voivod does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cruxcli.files.importers import (
    Ids,
    Imported,
    ImportFailed,
    Result,
    Skipped,
    each_row,
    probability,
    when,
)

REQUIRED = ("person", "Camp", "ID", "PU", "Pc", "PUc")
MISSING = ("", "NA", "N/A", "NaN", "nan")


def read(paths: list[Path], options: dict[str, Any]) -> Result:
    if not options.get("at"):
        raise ImportFailed(f"{paths[0]}: an FRI crux table has no dates: give --at DATE, when "
                           "the forecasts were made (e.g. --at 2023-05)")
    at = when(options["at"], "--at")
    by_crux: dict[str, Imported] = {}
    people, names = Ids(), Ids()
    skipped: list[Skipped] = []
    records = each_row(paths, REQUIRED)
    count = 0  # rows read
    for where, r in records:
        count += 1
        crux_id, person, camp = r["ID"].strip(), r["person"].strip(), r["Camp"].strip()
        if not crux_id or not person:
            raise ImportFailed(f"{where}: a row needs a person and a crux ID")
        values = {k: r[k].strip() for k in ("PU", "Pc", "PUc")}
        given = {k: v for k, v in values.items() if v not in MISSING}
        if not given:
            skipped.append(Skipped(str(where.path), where.line, "PU, Pc and PUc are all NA"))
            continue
        for k, v in given.items():
            probability(v, f"{where}: {k}")
        name = names(crux_id)
        d = by_crux.get(name)
        if d is None:
            d = by_crux[name] = Imported(
                name, options.get("title") or f"FRI crux {crux_id}", "u", {},
                {"u": {"question": "U: the study's headline proposition (e.g. human "
                                   "extinction due to AI by 2100)"},
                 "c": {"question": f"c: crux {crux_id} of the study"}}, [], [])
        who = people(person)
        d.participants[who] = {"name": person, **({"group": camp} if camp else {})}
        source = f"{where.path.name}:{where.line}"
        for key, crux, condition in (("PU", "u", None), ("Pc", "c", None),
                                     ("PUc", "u", "c")):
            if key in given:
                d.credences.append({"who": who, "crux": crux, "given": condition,
                                    "p": given[key], "at": at, "source": source})
    if not by_crux:
        raise ImportFailed(f"{paths[0]}: no row has a value to import")
    return Result(list(by_crux.values()), count, skipped)
