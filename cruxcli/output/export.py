"""Write reports for pipes: JSON (exact data), CSV (one tidy table of the sheets' records) and
GitHub-flavoured Markdown (tables that render: multi-line cells joined with <br>, file text
escaped so that it cannot break a table or inject links or HTML). Pure."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Mapping
from itertools import repeat
from typing import Any

from cruxcli.core.text import clean, escape, is_inert
from cruxcli.reports.sheet import Layout, Sheet

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!])")


def exact(value: Any) -> Any:
    """The document with every infinite number as the string "Infinity" or "-Infinity" (JSON
    has no number for them; both strings parse as floats in Python and as Numbers in
    JavaScript). NaN is never a result: finding one is a bug, not data."""
    if isinstance(value, float):
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if math.isnan(value):
            raise ValueError("NaN in a report")
        return value
    if isinstance(value, dict):
        return {k: exact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [exact(v) for v in value]
    return value


# What json.dumps(ensure_ascii=False) would pass through raw although a terminal acts on it: DEL,
# C1 controls and bidi overrides. They only ever occur inside JSON strings, where \uXXXX is the
# same character, so escaping them keeps the data exact.
_RAW = {c: f"\\u{c:04x}" for c in [0x7F, *range(0x80, 0xA0), 0x061C, 0x200E, 0x200F,
                                   *range(0x202A, 0x202F), *range(0x2066, 0x206A),
                                   0x2028, 0x2029]}


#: A document this long or longer is written compact: the same data, without indenting.
COMPACT_FROM = 2_000_000
_RAW_FOUND = re.compile("[" + "".join(map(chr, _RAW)) + "]")


def json_text(doc: Any) -> str:
    """A JSON document: exact (see `exact`), readable (UTF-8, indented unless it is big) and
    safe to print. json's C encoder does the work; the indenting one is pure Python, so it
    only lays out documents under COMPACT_FROM characters."""
    try:
        text = json.dumps(doc, ensure_ascii=False, default=str, allow_nan=False)
    except ValueError:  # an infinite number somewhere: write it as a string
        doc = exact(doc)
        text = json.dumps(doc, ensure_ascii=False, default=str, allow_nan=False)
    if len(text) < COMPACT_FROM:
        text = json.dumps(doc, ensure_ascii=False, indent=2, default=str, allow_nan=False)
    return (text.translate(_RAW) if _RAW_FOUND.search(text) else text) + "\n"


def to_json(report: Layout) -> str:
    return json_text(report.data())


IDENTIFYING = ("section", "participant", "crux", "given")
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run (OWASP)


def csv_value(value: Any) -> str:
    """One CSV cell: numbers exact (shortest round-trip form, "Infinity" for ∞), text on one
    line with control characters as visible escapes, and a leading ' before anything a
    spreadsheet would read as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(exact(value))
    if isinstance(value, int):
        return str(value)
    text = clean(str(value), True)
    return "'" + text if text.startswith(FORMULA) else text


def to_csv(report: Layout) -> str:
    """One tidy table: a header, then one record per row, every row as wide as the header.
    The `section` column names the part of the report a row belongs to, and the identifying
    columns (participant, crux, given) come first and are filled on every row they apply to.
    A nested record (a credence within a row) is spread over columns named `key.field`."""
    records = [{"section": section, **r} for section, r in tidy(report)]
    names = dict.fromkeys(IDENTIFYING)
    for r in records:
        names.update(dict.fromkeys(r))
    for name in [n for n in names if any(m.startswith(n + ".") for m in names)]:
        if all(r.get(name) is None for r in records):  # a nested record, absent here: its
            del names[name]  # fields are empty in their own columns
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for r in records:
        writer.writerow([csv_value(r.get(name)) for name in names])
    return out.getvalue()


def tidy(report: Layout) -> list[tuple[str, dict[str, Any]]]:
    """Every sheet's records, each flat, with its sheet's section: the rows of `to_csv` and of
    the Python API's `tables`."""
    return [(sheet.section, flat(r)) for sheet in report.sheets
            for r in (sheet.records() if callable(sheet.records) else sheet.records)]


def flat(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A report's row as one CSV record: a nested record spread over `key.field` columns, a
    list of values as one cell of JSON text (exact, and parsed back by any JSON reader), and
    a list of records left out (those are rows of a section of their own)."""
    out: dict[str, Any] = {}
    for name, value in record.items():
        if isinstance(value, Mapping):
            out.update(flat(value, f"{prefix}{name}."))
        elif isinstance(value, (list, tuple)):
            if not any(isinstance(v, (Mapping, list, tuple)) for v in value):
                out[prefix + name] = json.dumps(exact(list(value)), ensure_ascii=False)
        else:
            out[prefix + name] = value
    return out


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", clean(text, True))


def md_cell(text: str) -> str:
    """A table cell: each line escaped (leading spaces kept), lines joined with <br>."""
    return "<br>".join(md_escape(line).replace("  ", "\u00a0\u00a0")
                       for line in text.split("\n"))


def md_table(sheet: Sheet) -> str:
    align = {"left": ":--", "right": "--:", "center": ":-:"}
    lines = [
        "| " + " | ".join(md_cell(c.header) for c in sheet.columns) + " |",
        "|" + "|".join(align[c.justify] for c in sheet.columns) + "|",
    ]
    for row in sheet.rows:
        lines.append("| " + " | ".join(f"~~{md_cell(cell.text)}~~" if cell.style == "struck"
                                       and cell.text else md_cell(cell.text)
                                       for cell in row) + " |")
    return "\n".join(lines)


def to_markdown(report: Layout) -> str:
    parts = []
    for sheet in report.sheets:
        parts.append(f"**{md_escape(sheet.title)}**" + (f"\n\n{md_table(sheet)}" if sheet.rows else ""))
        items = [md_escape(n) for n in sheet.notes]
        items += [f"**{md_escape(k)}**: {md_escape(v)}" for k, v in sheet.key]
        if items:
            parts.append("\n".join(f"- {item}" for item in items))
    return "\n\n".join(parts) + "\n"


_MARKED = (*FORMULA, "'")


def _reversible(text: str) -> str:
    """A cell a spreadsheet will not run: a formula's first character, or a quote mark, gets
    a leading ' (which `cruxcli import csv` takes off again, so the text comes back exact)."""
    return "'" + text if text.startswith(_MARKED) else text


def entries_csv(columns: Mapping[str, list[Any]]) -> str:
    """`cruxcli export --format csv`: one row per entry, every text exact and inert: control
    characters as escapes and backslashes doubled (core.text.escape), which `cruxcli import
    csv` reverses, so nothing in the file acts on a terminal or a spreadsheet. Encoded a column
    at a time, as csv.writer writes (QUOTE_MINIMAL, "\\n" after each row; a test compares
    them): a column of plain text as it is, any other each distinct value once."""
    cells = [[_cell(name), *_csv_column(values)] for name, values in columns.items()]
    if len(cells) == 1:  # a row of one empty cell is written as ""
        cells = [[cell or '""' for cell in cells[0]]]
    return "\n".join(map(",".join, zip(*cells, strict=True))) + "\n"


def _csv_column(values: list[Any]) -> list[str]:
    kinds = set(map(type, values))
    blank = type(None) in kinds
    kinds.discard(type(None))
    if kinds == {float} and all(math.isfinite(v) for v in values if v is not None):
        return ["" if v is None else repr(v) for v in values]  # as csv_value, at C speed
    if len(kinds) > 1 or float in kinds:  # (0.0 and -0.0 are one key, but two cells)
        return list(map(_cell, values))
    distinct = set(values)
    distinct.discard(None)
    joined = "".join(distinct) if kinds == {str} else "\0"
    inert = is_inert(joined)
    if inert and not _QUOTE.search(joined) and \
            not any(map(str.startswith, distinct, repeat(_MARKED))):  # each cell is its text
        return values if not blank else ["" if v is None else v for v in values]
    cells = {v: _cell(v, inert) for v in distinct}
    cells[None] = ""
    return list(map(cells.__getitem__, values))


def _cell(value: Any, inert: bool = False) -> str:
    """One value as the CSV file holds it (`inert`: text known to need no escape)."""
    if value is None:
        return ""
    text = _reversible(value if inert else escape(value)) if type(value) is str else \
        csv_value(value)
    return '"' + text.replace('"', '""') + '"' if _QUOTE.search(text) else text


_QUOTE = re.compile('[,"\n\r]')  # what csv.writer quotes (QUOTE_MINIMAL)


def entries_jsonl(records: list[dict[str, Any]]) -> str:
    """`cruxcli export --format jsonl`: one JSON object per line, exact and safe to print."""
    return "".join(json.dumps(exact(r), ensure_ascii=False, allow_nan=False).translate(_RAW)
                   + "\n" for r in records)
