"""Draw sheets as Rich tables. The only module that imports rich (imported lazily by the CLI).

Every string from a debate file is cleaned of control characters and wrapped in Text, so it is
never parsed as markup. Rich itself drops colour when output is not a terminal or NO_COLOR is
set, and uses 80 columns when it cannot ask the terminal.
"""

from __future__ import annotations

import operator
import re
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from rich.text import Text

from cruxcli.core.text import clean
from cruxcli.reports.sheet import HEAT_BANDS, Cell, Column, Layout, Sheet, heat_band

if TYPE_CHECKING:
    from rich.table import Table

#: The terminal's colour of each of the sheets' HEAT_BANDS.
COLOURS = ["blue", "cyan", "green", "yellow", "dark_orange", "red", "magenta"]
STYLES = {"dim": "dim", "direction": "italic", "warn": "bold red", "bold": "bold",
          "struck": "strike dim"}


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, emoji=False, markup=False)


def heat(p: float) -> str:
    return COLOURS[heat_band(p)]


def text(cell: Cell) -> Text:
    styles = [STYLES[cell.style]] if cell.style else []
    if cell.p is not None:
        styles.append(heat(cell.p))
    return Text(clean(cell.text), style=" ".join(styles))


def legend() -> Text:
    out = Text("colour: ", style="dim")
    for colour, (_, label) in zip(COLOURS, HEAT_BANDS, strict=True):
        out.append("■ ", style=colour)
        out.append(label + "  ", style="dim")
    return out


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # what clean() shows as escapes, in ASCII
LABEL_MAX = 34  # widest a row label is drawn before it folds
CELL_MAX = 24  # widest a value column is sized at when splitting a wide table
GAP = 3  # padding between columns, with a margin for Rich's rounding


def _longest(texts: Iterable[str]) -> int:
    """The widest line among `texts` (in characters)."""
    return max(map(len, "\n".join(texts).split("\n")))


def _widths(sheet: Sheet) -> list[int]:
    columns = zip([c.header for c in sheet.columns], *([c.text for c in row] for row in sheet.rows),
                  strict=True)
    return [_longest(texts) for texts in columns]


def split(sheet: Sheet, width: int) -> list[Sheet]:
    """Column groups of a wide sheet that each fit `width`, repeating the sticky columns."""
    if sheet.sticky is None or len(sheet.columns) <= sheet.sticky:
        return [sheet]
    natural = _widths(sheet)
    used = sum(min(w, LABEL_MAX) + GAP for w in natural[:sheet.sticky])
    groups: list[tuple[int, int]] = []  # contiguous column ranges [start, end)
    start, room = sheet.sticky, used
    for col in range(sheet.sticky, len(sheet.columns)):
        need = min(natural[col], CELL_MAX) + GAP
        if col > start and room + need > width:
            groups.append((start, col))
            start, room = col, used
        room += need
    groups.append((start, len(sheet.columns)))
    if len(groups) == 1:
        return [sheet]
    filled = [[bool(cell.text) for cell in row] for row in sheet.rows]
    out = []
    for n, (lo, hi) in enumerate(groups, start=1):
        rows = [row[:sheet.sticky] + row[lo:hi] for row, full in zip(sheet.rows, filled,
                                                                       strict=True)
                if any(full[lo:hi])]
        out.append(sheet._replace(title=f"{sheet.title}  [columns {n}/{len(groups)}]",
                                  columns=sheet.columns[:sheet.sticky] + sheet.columns[lo:hi],
                                  rows=rows, notes=[], key=[]))
    out[-1] = out[-1]._replace(notes=sheet.notes, key=sheet.key)
    return out


def _word(texts: Iterable[str]) -> int:
    """The longest word among `texts`: the narrowest a column can be without cutting one."""
    texts = list(texts)
    joined = "\n".join(texts)
    if _narrow(joined) and not _CONTROL.search(joined):  # the common case, all at once
        return max(1, max(map(len, joined.split()), default=1))
    longest = 1
    for t in texts:
        if t.isascii() and t.isprintable():  # the common case: no escapes, one cell a char
            longest = max(longest, max(map(len, t.split()), default=1))
        else:
            longest = max(longest, max((cell_len(w) for w in clean(t).split()), default=1))
    return longest


def min_widths(sheet: Sheet) -> list[int]:
    """Each column's longest word: the narrowest it can be drawn."""
    return [_word([col.header] + [row[i].text for row in sheet.rows])
            for i, col in enumerate(sheet.columns)]


def overhead(columns: int) -> int:
    """What a Rich table (SIMPLE_HEAD, no edge padding) adds to its columns' widths: an edge
    on each side, a separator between columns, and a space of padding on each inner side."""
    return 3 * columns - 1


def fitted_widths(sheet: Sheet, width: int, extra: int | None = None,
                  least: list[int] | None = None, natural: list[int] | None = None
                  ) -> list[int] | None:
    """Column widths that fit `width` with no word cut: None when every column can have its
    natural width (its longest line, `natural` if already measured); otherwise the widest
    columns are narrowed to a common cap (never below their longest word, `least` if already
    measured) and the narrow ones keep their width (Rich's own squeezing can cut words)."""
    natural = natural or [max(_longest([c.header] + [r[i].text for r in sheet.rows]), 1)
                          for i, c in enumerate(sheet.columns)]
    room = width - (overhead(len(natural)) if extra is None else extra)
    if sum(natural) <= room:
        return None
    least = least or min_widths(sheet)

    def widths(cap: int) -> list[int]:  # no column wider than `cap`, none below its word
        return [max(m, min(n, cap)) for n, m in zip(natural, least, strict=True)]

    lo, hi = 1, max(natural)  # the widest cap that fits: only the widest columns wrap
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if sum(widths(mid)) <= room else (lo, mid - 1)
    return widths(lo)


def table(sheet: Sheet, width: int, least: list[int] | None = None) -> Table:
    from rich import box  # only here: a large report is laid out by fast_table
    from rich.table import Table

    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    fitted = fitted_widths(sheet, width, least=least)
    widths: list[int | None] = list(fitted) if fitted else [None for _ in sheet.columns]
    for col, w in zip(sheet.columns, widths, strict=True):
        t.add_column(Text(clean(col.header)), justify=col.justify,
                     ratio=col.ratio if w is None else None, overflow="fold", width=w)
    for row in sheet.rows:
        t.add_row(*(text(cell) for cell in row))
    return t


def vertical(sheet: Sheet, width: int) -> Text:
    """A sheet too wide for `width` as one block per row: its first cell, then each other
    column's "header: value" on a line of its own, wrapped at spaces (a word is cut only if
    it is wider than the terminal). Nothing is left out."""
    out = Text()
    headers = [clean(c.header).split("\n") for c in sheet.columns]
    for row in sheet.rows:
        out.append(" ".join(clean(row[0].text).split()) + "\n", style="bold")
        for head, cell in zip(headers[1:], row[1:], strict=True):
            lines = clean(cell.text).split("\n")
            if not cell.text.strip():
                continue
            pairs = zip(head, lines, strict=True) if len(head) == len(lines) > 1 else \
                [(" ".join(head), " ".join(lines))]
            for name, value in pairs:
                label = f"  {name}: " if name.strip() else "  "
                wrapped = textwrap.wrap(label + " ".join(value.split()), width,
                                        subsequent_indent="    ", break_on_hyphens=False)
                style = text(cell).style
                out.append(wrapped[0][:len(label)])
                out.append(wrapped[0][len(label):] + "\n", style=style)
                for more in wrapped[1:]:
                    out.append(more + "\n", style=style)
    out.rstrip()
    return out


# Beyond this many cells a report is laid out here: Rich's table layout costs ~0.2 ms a line
# (and ~1 ms a table), and a 2,000-participant matrix has ~15,000 lines.
FAST_CELLS = 600
_SYSTEMS = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT,
            "truecolor": ColorSystem.TRUECOLOR, "windows": ColorSystem.WINDOWS}


def _safe(text: str) -> str:
    return text if text.isascii() and text.isprintable() else clean(text)


def _width_of(line: str) -> int:
    return len(line) if line.isascii() else cell_len(line)


#: Characters beyond ASCII that a terminal draws one cell wide, by Rich's own measure (Latin
#: letters, the dashes, quotes, dots, arrows and signs reports print; not the soft hyphen; a
#: test checks each): text of only these and ASCII is as wide as it is long, and is laid out
#: without measuring each cell.
ONE_CELL = "\u00a1-\u00ac\u00ae-\u017f\u2010-\u2027\u2030-\u205e\u2190-\u21ff"
_WIDER = re.compile(f"[^\x00-\x7f{ONE_CELL}]")


def _narrow(text: str) -> bool:
    """Whether every character of `text` is one cell wide (control characters, already shown
    as escapes, aside)."""
    return text.isascii() or not _WIDER.search(text)


def fast_table(sheet: Sheet, width: int, color_system: str | None,
               least: list[int] | None = None) -> str:
    """The sheet as padded lines, fitted to `width` by folding the widest columns' cells onto
    more lines, with ANSI styles only if `color_system`: for sheets of thousands of cells."""
    system = _SYSTEMS.get(color_system or "")
    header = [c.header for c in sheet.columns]
    body = [[c.text for c in row] for row in sheet.rows]
    every = "".join(header) + "".join(t for row in body for t in row)
    if clean(every) != every:  # some cell has a control character: show it as an escape
        header, body = [_safe(t) for t in header], [[_safe(t) for t in row] for row in body]
        every = "".join(header) + "".join(t for row in body for t in row)
    narrow = _narrow(every)
    widths = [_longest(column) if narrow or all(t.isascii() for t in column) else
              max(_width_of(line) for text in column for line in text.split("\n"))
              for column in zip(header, *body, strict=True)]
    widths = fitted_widths(sheet, width, GAP * (len(widths) - 1), least,
                           [max(w, 1) for w in widths] if narrow else None) or widths
    right = [c.justify == "right" for c in sheet.columns]
    gap = " " * GAP

    def lines_of(text: str, i: int) -> list[str]:
        out = []
        for line in text.split("\n"):
            out += textwrap.wrap(line, widths[i], break_on_hyphens=False) if \
                (len(line) if narrow else _width_of(line)) > widths[i] else [line]
        return out or [""]

    def pad(line: str, i: int) -> str:
        if narrow or line.isascii():
            return line.rjust(widths[i]) if right[i] else line.ljust(widths[i])
        fill = " " * max(widths[i] - cell_len(line), 0)
        return fill + line if right[i] else line + fill

    def draw(row: list[str], styles: list[Style | None]) -> list[str]:
        cells: Sequence[Sequence[str]]  # lines of cells
        if (narrow or "".join(row).isascii()) and \
                all(map(operator.le, map(_longest, zip(row)), widths)):  # lines that fit
            cells = list(_fitted([(t,) for t in row], widths, right))
        else:
            wrapped = [lines_of(t, i) for i, t in enumerate(row)]
            cells = [[pad(lines[k] if k < len(lines) else "", i)
                      for i, lines in enumerate(wrapped)]
                     for k in range(max(len(lines) for lines in wrapped))]
        if system:
            cells = [[st.render(t, color_system=system) if st else t
                      for t, st in zip(parts, styles, strict=True)] for parts in cells]
        return [gap.join(parts).rstrip() for parts in cells]

    out = draw(header, [Style(bold=True)] * len(header))
    out.append("─" * (sum(widths) + GAP * (len(widths) - 1)))
    columns = list(zip(*body, strict=True))
    if narrow and not system:  # a column at a time, its too-wide cells folded first
        columns = [column if _longest(column) <= widths[i] else
                   tuple(t if _longest((t,)) <= widths[i] else "\n".join(lines_of(t, i))
                         for t in column) for i, column in enumerate(columns)]
        out += map(str.rstrip, map(gap.join, _fitted(columns, widths, right)))
    else:
        for cells_row, row in zip(body, sheet.rows, strict=True):
            out += draw(cells_row, [_style(c) for c in row] if system else [])
    return "\n".join(out) + "\n"


def _fitted(columns: list[tuple[str, ...]], widths: list[int], right: list[bool]
            ) -> Iterator[tuple[str, ...]]:
    """The lines of rows whose every line fits its column, each as its cells padded to their
    columns' widths (a cell has as many lines as its row's tallest cell), built a column at a
    time: 10^4 rows at C speed where a column's cells are as tall as their rows, or where every
    row is as tall and a column's cells each lack as many lines."""
    breaks = [list(map(str.count, column, repeat("\n"))) for column in columns]
    tallest = list(map(max, zip(*breaks, strict=True)))
    even = min(tallest, default=0) == max(tallest, default=0)
    lines = []
    for column, counts in zip(columns, breaks, strict=True):
        if counts == tallest:
            lines.append("\n".join(column).split("\n"))
        elif even and min(counts) == max(counts):  # each cell followed by as many blank lines
            blank = "\n" * (tallest[0] - counts[0])
            lines.append((("\n" + blank).join(column) + blank).split("\n"))
        else:
            lines.append([line for text, n, most in zip(column, counts, tallest, strict=True)
                          for line in (text + "\n" * (most - n)).split("\n")])
    padded = [map(str.rjust if r else str.ljust, column, repeat(w))
              for column, w, r in zip(lines, widths, right, strict=True)]
    return zip(*padded, strict=True)


def _style(cell: Cell) -> Style | None:
    names = ([STYLES[cell.style]] if cell.style else []) + \
        ([heat(cell.p)] if cell.p is not None else [])
    return Style.parse(" ".join(names)) if names else None


def print_layout(report: Layout, out: Console | None = None) -> None:
    """Every sheet: title, table, notes and key. A report of more than FAST_CELLS cells is laid
    out by fast_table and written in one piece per sheet; a small one gets Rich's tables."""
    out = out or console()
    fast = sum(len(sheet.rows) * len(sheet.columns) for sheet in report.sheets) > FAST_CELLS
    system = None if out.no_color else out.color_system
    width = out.width  # asked once: Rich measures the terminal each time (30 us)
    for i, sheet in enumerate(part for whole in report.sheets for part in split(whole, width)):
        least = min_widths(sheet)  # no word cut: too narrow for these, a sheet goes vertical
        if sheet.rows and sum(least) + overhead(len(least)) > width:
            if i:
                out.print()
            out.print(Text(clean(sheet.title), style="bold"), overflow="fold")
            out.print(vertical(sheet, width), overflow="fold")
            for note in sheet.notes:
                out.print(Text(clean(note), style="dim"), overflow="fold")
        elif fast:
            out.file.write(("\n" if i else "") + _styled(clean(sheet.title, True), "bold", system)
                           + "\n" + (fast_table(sheet, width, system, least)
                                     if sheet.rows else "")
                           + "".join(_styled(textwrap.fill(clean(n), width), "dim", system)
                                     + "\n" for n in sheet.notes))
        else:
            if i:
                out.print()
            out.print(Text(clean(sheet.title), style="bold"), overflow="fold")
            if sheet.rows:
                out.print(table(sheet, width, least))
            for note in sheet.notes:
                out.print(Text(clean(note), style="dim"), overflow="fold")
        if sheet.legend and sheet.rows and out.is_terminal and not out.no_color:
            out.print(legend())  # what the cell colours mean, in either layout
        if len(sheet.key) > FAST_CELLS // 2:
            keys = Sheet("", [Column(""), Column("")], [[Cell(k), Cell(v)] for k, v in sheet.key])
            out.file.write(fast_table(keys, width, None).split("\n", 2)[2])  # no header
        elif sheet.key:
            out.print(key_text(sheet.key, width), overflow="fold")


def _styled(text: str, style: str, system: str | None) -> str:
    return Style.parse(style).render(text, color_system=_SYSTEMS[system]) if system else text


def key_text(key: Sequence[tuple[str, str]], width: int) -> Text:
    """Each id and what it means, the meaning wrapped under itself (a hanging indent): one
    Text, so printing it costs one pass instead of a Rich grid's layout."""
    pad = min(max(cell_len(clean(k, True)) for k, _ in key), LABEL_MAX) + 1
    if width - pad < 20:
        pad = 2  # too narrow to hang: each meaning goes under its id
    out = Text()
    for ident, meaning in key:
        name = clean(ident, True)
        lines = textwrap.wrap(clean(meaning), width - pad, break_on_hyphens=False) or [""]
        if cell_len(name) < pad:
            out.append(set_cell_size(name, pad - 1) + " ", style="bold")
        else:  # a long id on a line of its own, whole
            out.append(name + "\n" + " " * pad, style="bold")
        out.append(lines[0] + "\n", style="dim")
        for line in lines[1:]:
            out.append(" " * pad + line + "\n", style="dim")
    out.rstrip()
    return out
