"""`cruxcli import predictionbook`: PredictionBook's public data, as the iqisa forecasting-
datasets library publishes it: forecasts (public.csv: question_id, user_id, probability,
timestamp, outcome, resolve_time, q_status, ...) and, optionally, the questions' titles
(questions.csv: question_id, q_title, ...), as CSV files or the zips holding them.

One crux per question, one participant per user; each row a forecast, its probability as
written. A question's outcome (1 yes, 0 no, -1 unknown, which is annulled) at its resolve time
becomes a [[resolution]]; an open question (no outcome) imports its forecasts and no
resolution; a withdrawn question's rows are skipped and counted, as are rows with no
probability. Times are as written (pandas writes them with their UTC offset)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cruxcli.files.importers import (
    Forecasts,
    ImportFailed,
    Place,
    Result,
    Skipped,
    probability,
    rows,
    zip_members,
)

FORECASTS = ("question_id", "user_id", "probability", "timestamp", "outcome", "resolve_time",
             "q_status")
QUESTIONS = ("question_id", "q_title")
OUTCOMES = {"1": "yes", "1.0": "yes", "0": "no", "0.0": "no", "-1": "annulled",
            "-1.0": "annulled"}
MEMBERS = ("public.csv", "questions.csv")


def _files(paths: list[Path]) -> list[tuple[str, str]]:
    """(where, text) of every CSV given, a zip's members (public.csv, questions.csv) too."""
    from cruxcli.files.importers import read_text

    out = []
    for path in paths:
        if path.suffix == ".zip":
            out += list(zip_members(path, MEMBERS).values())
        else:
            out.append((str(path), read_text(path)))
    return out


def read(paths: list[Path], options: dict[str, Any]) -> Result:
    forecasts: list[tuple[Place, dict[str, str]]] = []
    titles: dict[str, str] = {}
    for name, text in _files(paths):
        header = text.split("\n", 1)[0]
        if "q_title" in header and "probability" not in header:
            titles.update({r["question_id"].strip(): r["q_title"].strip()
                           for _, r in rows(text, name, QUESTIONS)})
        else:
            forecasts += [(Place(Path(name), line), r) for line, r in
                          rows(text, name, FORECASTS)]
    got = Forecasts()
    for where, r in forecasts:
        qid, status = r["question_id"].strip(), r["q_status"].strip().lower()
        if not qid:
            raise ImportFailed(f"{where}: a row without a question_id")
        if status == "withdrawn":
            got.skipped.append(Skipped(str(where.path), where.line, "the question was withdrawn"))
            continue
        if not r["probability"].strip():
            got.skipped.append(Skipped(str(where.path), where.line, "no probability in this row"))
            continue
        p = r["probability"].strip()
        probability(p, f"{where}: probability")
        crux = got.crux(f"q{qid}", titles.get(qid) or f"PredictionBook question {qid}")
        who = got.participant(r["user_id"].strip() or "unknown")
        source = f"PredictionBook question {qid}"
        got.credences.append({"who": who, "crux": crux, "p": p,
                              "at": got.clock(r["timestamp"], f"{where}: timestamp"),
                              "source": source})
        outcome = r["outcome"].strip()
        if outcome and crux not in got.resolutions:
            if outcome not in OUTCOMES:
                raise ImportFailed(f'{where}: outcome "{outcome}": expected 1, 0 or -1 '
                                   "(or empty, for an open question)")
            if not r["resolve_time"].strip():
                raise ImportFailed(f"{where}: outcome {outcome} without a resolve_time")
            got.resolutions[crux] = {"crux": crux, "outcome": OUTCOMES[outcome],
                                     "at": got.clock(r["resolve_time"], f"{where}: resolve_time"),
                                     "source": source}
    if not got.credences:
        raise ImportFailed(f"{paths[0]}: no forecasts to import")
    opened = len(got.questions) - len(got.resolutions)
    notes = [f"{opened} of {len(got.questions)} questions still open (no outcome): their "
             "forecasts are imported, with no resolution"] if opened else []
    return Result([got.debate(options.get("name") or paths[0].stem.removesuffix(".csv"),
                              options.get("title") or "Imported from PredictionBook")],
                  len(forecasts), got.skipped, notes)
