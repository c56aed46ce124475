"""`cruxcli import metaculus`: a Metaculus question download: question_data.csv and
forecast_data.csv, or the zip holding them. Binary questions become cruxes, multiple choice one
crux per option; continuous questions are reported as skipped. Rows without a Forecaster ID are
the site's aggregates, named by their method (recency_weighted, unweighted, ...): they become
participants marked `aggregate = true`, or are skipped with --skip-aggregates."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from cruxcli.files.importers import (
    Clock,
    Ids,
    Imported,
    ImportFailed,
    Result,
    Skipped,
    probability,
    read_text,
    rows,
    timestamp,
    zip_members,
)

QUESTIONS = ("Question ID", "Question Title", "Question Type", "Resolution")
FORECASTS = ("Question ID", "Forecaster ID", "Forecaster Username", "Start Time",
             "Probability Yes", "Probability Yes Per Category")
ANNULLED = ("annulled", "ambiguous")


def _sources(paths: list[Path]) -> dict[str, tuple[str, str]]:
    """{"question" | "forecast": (name, text)}, from the CSVs or a zip holding them."""
    found: dict[str, tuple[str, str]] = {}
    for path in paths:
        if path.suffix.lower() == ".zip":
            members = zip_members(path, ("question_data.csv", "forecast_data.csv"))
            found.update({base.split("_")[0]: got for base, got in members.items()})
        else:
            text = read_text(path)
            header = text.split("\n", 1)[0]
            if "Question ID" not in header:
                raise ImportFailed(f"{path}:1: not a Metaculus download: no 'Question ID' "
                                   "column")
            kind = "forecast" if "Probability Yes" in header else "question"
            found[kind] = (str(path), text)
    for kind in ("question", "forecast"):
        if kind not in found:
            raise ImportFailed(f"{paths[0]}: a Metaculus download has {kind}_data.csv too: give "
                               "both files, or the zip")
    return found


# "Probability Yes Per Category" as Metaculus writes it: a list of numbers, or a mapping of
# quoted option names to numbers ({'Yes, soon': 0.2, "No": 0.8}). Parsed as exactly that,
# never evaluated as Python.
_TOKEN = re.compile(r"""\s*(?:(?P<s>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|"""
                    r"(?P<n>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|(?P<p>[\[\]{}:,]))",
                    re.DOTALL)


def _tokens(text: str, where: str) -> list[tuple[str, str]]:
    out, at, end = [], 0, len(text.rstrip())
    while at < end:
        m = _TOKEN.match(text, at)
        if m is None:
            raise ImportFailed(f'{where}: Probability Yes Per Category: unexpected text '
                               f'"{text[at:at + 30]}"; expected a list or a mapping of '
                               "numbers")
        kind = m.lastgroup or "p"
        value = m[kind]
        out.append((kind, re.sub(r"\\(.)", r"\1", value[1:-1]) if kind == "s" else value))
        at = m.end()
    return out


def _categories(text: str, where: str) -> dict[str, float]:
    tokens = _tokens(text, where)
    if not tokens:
        return {}
    shape = "".join(value if kind == "p" else kind for kind, value in tokens)
    values = [value for kind, value in tokens if kind != "p"]
    if re.fullmatch(r"\[(n(,n)*)?\]", shape):
        pairs = [(f"option {n}", v) for n, v in enumerate(values, start=1)]
    elif re.fullmatch(r"\{(s:n(,s:n)*)?\}", shape):
        pairs = list(zip(values[0::2], values[1::2], strict=True))
    else:
        raise ImportFailed(f'{where}: Probability Yes Per Category "{text[:60]}" is not a list '
                           "or a mapping of numbers")
    return {k: probability(v, where) for k, v in pairs}


def read(paths: list[Path], options: dict[str, Any]) -> Result:
    sources = _sources(paths)
    qname, qtext = sources["question"]
    fname, ftext = sources["forecast"]
    questions: dict[str, dict[str, str]] = {}
    skipped: list[Skipped] = []
    count = 0
    for line, r in rows(qtext, qname, QUESTIONS):
        count += 1
        questions[r["Question ID"].strip()] = {**r, "_line": str(line)}
    people, ids = Ids(), Ids()
    participants: dict[str, dict[str, Any]] = {}
    cruxes: dict[str, dict[str, Any]] = {}
    credences: list[dict[str, Any]] = []
    continuous = set()
    clock = Clock()
    for line, r in rows(ftext, fname, FORECASTS):
        count += 1
        where = f"{fname}:{line}"
        q = questions.get(r["Question ID"].strip())
        if q is None:
            raise ImportFailed(f'{where}: question {r["Question ID"]} is not in {qname}')
        kind = q["Question Type"].strip().lower()
        if kind not in ("binary", "multiple_choice"):
            continuous.add(q["Question ID"])
            skipped.append(Skipped(fname, line, f"a {kind} question: cruxcli keeps "
                                                 "probabilities of yes/no propositions"))
            continue
        aggregate = not r["Forecaster ID"].strip()
        if aggregate and options.get("skip_aggregates"):
            skipped.append(Skipped(fname, line, "an aggregate (--skip-aggregates)"))
            continue
        name = r["Forecaster Username"].strip() or r.get("Aggregation Method", "").strip() or \
            ("aggregate" if aggregate else r["Forecaster ID"].strip())
        who = people(name)
        participants.setdefault(who, {"name": name, **({"aggregate": True} if aggregate else {})})
        at = clock(r["Start Time"], f"{where}: Start Time")
        title = q["Question Title"].strip()
        source = q.get("Question URL") or f"Metaculus question {q['Question ID']}"
        if kind == "binary":
            stated = r["Probability Yes"].strip()
            probability(stated, f"{where}: Probability Yes")
            crux = ids(f"{q['Question ID']} {title}")
            cruxes.setdefault(crux, {"question": title, **_resolves_by(q, where)})
            credences.append({"who": who, "crux": crux, "p": stated, "at": at, "source": source})
        else:
            for option, p in _categories(r["Probability Yes Per Category"], where).items():
                crux = ids(f"{q['Question ID']} {title} {option}")
                cruxes.setdefault(crux, {"question": f"{title}: {option}?",
                                         **_resolves_by(q, where)})
                credences.append({"who": who, "crux": crux, "p": repr(p), "at": at,
                                  "source": source})
    resolutions = []
    for q in questions.values():
        outcome = q["Resolution"].strip()
        if not outcome or q["Question ID"] in continuous:
            continue
        when_text = (q.get("Resolution Known Time") or q.get("Actual Close Time") or "").strip()
        at = clock(when_text, f"{qname}:{q['_line']}: Resolution Known Time")
        title = q["Question Title"].strip()
        for crux, choice in _question_cruxes(q, cruxes, ids):
            if outcome.lower() in ANNULLED:
                result = "annulled"
            elif choice is None:
                if outcome.lower() not in ("yes", "no"):
                    raise ImportFailed(f'{qname}:{q["_line"]}: Resolution "{outcome}" of a '
                                       "binary question")
                result = outcome.lower()
            else:
                result = "yes" if outcome == choice else "no"
            resolutions.append({"crux": crux, "outcome": result, "at": at,
                                "source": q.get("Question URL") or f"Metaculus: {title}"})
    if not credences:
        raise ImportFailed(f"{fname}: no forecasts of binary or multiple-choice questions")
    credences.sort(key=lambda c: c["at"])
    return Result([Imported(options.get("name") or "metaculus",
                            options.get("title") or "Imported from Metaculus", credences[0]["crux"],
                            participants, cruxes, credences, resolutions)], count, skipped)


def _question_cruxes(q: dict[str, str], cruxes: dict[str, Any], ids: Ids
                     ) -> list[tuple[str, str | None]]:
    """The cruxes made from question `q` that have forecasts, with their option (or None)."""
    title = q["Question Title"].strip()
    binary = ids.given.get(f"{q['Question ID']} {title}")
    if binary in cruxes:
        return [(binary, None)]
    prefix = f"{q['Question ID']} {title} "
    return [(crux, name[len(prefix):]) for name, crux in ids.given.items()
            if name.startswith(prefix) and crux in cruxes]


def _resolves_by(q: dict[str, str], where: object) -> dict[str, Any]:
    """The question's Scheduled Resolve Time, as the crux's resolves_by (if the download has
    it)."""
    by = (q.get("Scheduled Resolve Time") or "").strip()
    return {"resolves_by": timestamp(by, f"{where}: Scheduled Resolve Time")} if by else {}
