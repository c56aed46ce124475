"""Every report, in one list: its command, the function that computes its numbers, the one
that lays them out (sheets and the JSON document, whose lists are also the CSV's sections),
its formats, the page documenting it, and its section of the HTML page. The commands, the page
(`cruxcli report`) and the test of documented keys all read this list. Pure, and imports
nothing until a report is made, so that `cruxcli --help` stays cheap.

Adding a report is a numbers module, a `*_sheet` layout, a line here and a command.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any, NamedTuple

ALL = ("table", "json", "csv", "md")


class Spec(NamedTuple):
    name: str  # the command
    numbers: str  # "module:function": the report's numbers from a debate (and options)
    layout: str  # "module:function": those numbers as a Layout
    formats: tuple[str, ...]
    doc: str  # the page that says how its numbers are computed, and its lists
    page: str | None  # its section's heading on the HTML page, if the page shows it


REPORTS = (
    Spec("show", "cruxcli.reports.matrix:matrix", "cruxcli.reports.matrix_sheet:matrix_layout",
         ALL, "README.md", "Credences"),
    Spec("cruxes", "cruxcli.reports.cruxes:cruxes", "cruxcli.reports.cruxes_sheet:cruxes_layout",
         ALL, "README.md", "Cruxes"),
    Spec("summary", "cruxcli.reports.summary:summarize",
         "cruxcli.reports.summary_sheet:summary_layout", ALL, "docs/summary.md",
         "Where the debate diverges"),
    Spec("trace", "cruxcli.reports.trace:trace", "cruxcli.reports.trace_sheet:trace_layout", ALL,
         "docs/trace.md", "How credences moved"),  # on the page: one chart per crux
    Spec("score", "cruxcli.reports.score:scores", "cruxcli.reports.score_sheet:score_layout",
         ALL, "docs/score.md", "Resolutions and scores"),
    Spec("due", "cruxcli.reports.due:due", "cruxcli.reports.due_sheet:due_layout", ALL,
         "docs/score.md", None),
    Spec("diff", "cruxcli.reports.diff:diff", "cruxcli.reports.diff_sheet:diff_layout",
         ("table", "json", "md"), "docs/git.md", None),
)
BY_NAME = {spec.name: spec for spec in REPORTS}


def _load(where: str) -> Callable[..., Any]:
    module, _, function = where.partition(":")
    return getattr(import_module(module), function)  # type: ignore[no-any-return]


def numbers(name: str, *args: Any, **options: Any) -> Any:
    """The numbers of report `name`."""
    return _load(BY_NAME[name].numbers)(*args, **options)


def layout(name: str, numbers: Any) -> Any:
    """Report `name`'s numbers laid out: its sheets and its JSON document (a Layout)."""
    return _load(BY_NAME[name].layout)(numbers)


def formats(name: str) -> tuple[str, ...]:
    return BY_NAME[name].formats
