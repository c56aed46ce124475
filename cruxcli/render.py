"""Draw sheets as Rich tables. The only module that imports rich (imported lazily by the CLI).

Every string from a debate file is cleaned of control characters and wrapped in Text, so it is
never parsed as markup. Rich itself drops colour when output is not a terminal or NO_COLOR is
set, and uses 80 columns when it cannot ask the terminal.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dataclasses import replace

from cruxcli.sanitize import clean
from cruxcli.views import Cell, Report, Sheet

# Probability -> colour, in log-odds-friendly bands (a sequential scale, no judgement implied).
HEAT: list[tuple[float, str, str]] = [
    (0.01, "blue", "<1%"),
    (0.05, "cyan", "1-5%"),
    (0.20, "green", "5-20%"),
    (0.50, "yellow", "20-50%"),
    (0.80, "dark_orange", "50-80%"),
    (0.95, "red", "80-95%"),
    (1.01, "magenta", ">95%"),
]
STYLES = {"dim": "dim", "direction": "italic", "warn": "bold red", "bold": "bold"}


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, emoji=False, markup=False)


def heat(p: float) -> str:
    return next(colour for limit, colour, _ in HEAT if p < limit)


def text(cell: Cell) -> Text:
    styles = [STYLES[cell.style]] if cell.style else []
    if cell.p is not None:
        styles.append(heat(cell.p))
    return Text(clean(cell.text), style=" ".join(styles))


def legend() -> Text:
    out = Text("colour: ", style="dim")
    for _, colour, label in HEAT:
        out.append("■ ", style=colour)
        out.append(label + "  ", style="dim")
    return out


LABEL_MAX = 34  # widest a row label is drawn before it folds
CELL_MAX = 24  # widest a value column is sized at when splitting a wide table
GAP = 3  # padding between columns, with a margin for Rich's rounding


def _width(sheet: Sheet, col: int, cap: int) -> int:
    texts = [sheet.columns[col].header] + [row[col].text for row in sheet.rows]
    return min(max(len(line) for t in texts for line in t.split("\n")), cap)


def split(sheet: Sheet, width: int) -> list[Sheet]:
    """Column groups of a wide sheet that each fit `width`, repeating the sticky columns."""
    if sheet.sticky is None or len(sheet.columns) <= sheet.sticky:
        return [sheet]
    fixed = list(range(sheet.sticky))
    used = sum(_width(sheet, c, LABEL_MAX) + GAP for c in fixed)
    groups: list[list[int]] = [[]]
    room = used
    for col in range(sheet.sticky, len(sheet.columns)):
        need = _width(sheet, col, CELL_MAX) + GAP
        if groups[-1] and room + need > width:
            groups.append([])
            room = used
        groups[-1].append(col)
        room += need
    if len(groups) == 1:
        return [sheet]
    out = []
    for n, group in enumerate(groups, start=1):
        cols = fixed + group
        rows = [[row[c] for c in cols] for row in sheet.rows
                if any(row[c].text for c in group)]
        out.append(replace(sheet, title=f"{sheet.title}  [columns {n}/{len(groups)}]",
                           columns=[sheet.columns[c] for c in cols], rows=rows, notes=[],
                           key=[]))
    out[-1] = replace(out[-1], notes=sheet.notes, key=sheet.key)
    return out


def table(sheet: Sheet) -> Table:
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    for i, col in enumerate(sheet.columns):
        label = i < (sheet.sticky or 0)
        t.add_column(Text(clean(col.header)), justify=col.justify, ratio=col.ratio,
                     overflow="fold", max_width=LABEL_MAX if label else None,
                     min_width=_width(sheet, i, LABEL_MAX) if label else None)
    for row in sheet.rows:
        t.add_row(*(text(cell) for cell in row))
    return t


def print_report(report: Report, out: Console | None = None) -> None:
    out = out or console()
    sheets = [part for sheet in report.sheets for part in split(sheet, out.width)]
    for i, sheet in enumerate(sheets):
        if i:
            out.print()
        out.print(Text(clean(sheet.title), style="bold"), overflow="fold")
        if sheet.rows:
            out.print(table(sheet))
        if sheet.legend and out.is_terminal and not out.no_color:
            out.print(legend())
        for note in sheet.notes:
            out.print(Text(clean(note), style="dim"), overflow="fold")
        if sheet.key:
            out.print(key_grid(sheet.key))


def key_grid(key: list[tuple[str, str]]) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True, max_width=LABEL_MAX)
    grid.add_column(style="dim", overflow="fold")
    for ident, meaning in key:
        grid.add_row(Text(clean(ident, True)), Text(clean(meaning)))
    return grid


def print_lines(lines: list[str], stderr: bool = False) -> None:
    out = console(stderr)
    for line in lines:
        out.print(Text(clean(line)), overflow="fold")

