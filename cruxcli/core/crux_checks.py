"""The checks of a debate's cruxes (core.checks's "premises" check): premises name other
cruxes, once each, with no cycle and at most MAX_PREMISE_DEPTH levels deep; premises_kind is
one of PREMISE_KINDS; resolves_by is a date. Pure."""

from __future__ import annotations

from cruxcli.core.analysis import premise_graph
from cruxcli.core.model import PREMISE_KINDS, Problem, did_you_mean
from cruxcli.core.schema import Document
from cruxcli.core.when import WhenError, parse_when

#: How deep premises may nest (a premise of a premise of ...). Real arguments use a few levels;
#: the limit keeps every report's walk of the tree shallow, whatever a file says.
MAX_PREMISE_DEPTH = 50


def check_cruxes(doc: Document, problems: list[Problem]) -> None:
    for ident, raw in doc.resolves_by.items():
        try:
            due = parse_when(raw)
        except WhenError as exc:
            problems.append(Problem(("cruxes", ident, "resolves_by"), f"resolves_by: {exc}",
                                    str(raw)))
            continue
        doc.cruxes[ident] = doc.cruxes[ident]._replace(resolves_by=due)
    for ident, crux in doc.cruxes.items():
        if crux.premises_kind not in PREMISE_KINDS:
            problems.append(Problem(("cruxes", ident, "premises_kind"),
                                    f'premises_kind is "{crux.premises_kind}": give "chain" (the '
                                    'bottom line is their product) or "necessary" (necessary '
                                    "conditions: their product is only an upper bound)",
                                    crux.premises_kind))
        seen: set[str] = set()
        for premise in crux.premises:
            path = ("cruxes", ident, "premises")
            if premise == ident:
                problems.append(Problem(path, f'crux "{ident}" lists itself as a premise', premise))
            elif premise not in doc.cruxes:
                problems.append(Problem(path, f'unknown crux "{premise}" in premises'
                                              f"{did_you_mean(premise, doc.cruxes)}", premise))
            elif premise in seen:
                problems.append(Problem(path, f'premise "{premise}" is listed twice', premise))
            seen.add(premise)
    cycle, depth = premise_graph(doc.cruxes)
    if cycle:
        problems.append(
            Problem(("cruxes", cycle[0], "premises"),
                    "premises form a cycle: " + " -> ".join(cycle), cycle[1])
        )
    elif depth and (deepest := max(depth, key=depth.__getitem__)) and \
            depth[deepest] > MAX_PREMISE_DEPTH:
        problems.append(Problem(("cruxes", deepest, "premises"),
                                f'premises nest {depth[deepest]} levels deep below "{deepest}"; '
                                f"a debate allows at most {MAX_PREMISE_DEPTH} (docs/format.md)",
                                deepest))
