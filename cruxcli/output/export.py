"""Write reports for pipes: JSON (exact, unsanitized data), CSV and Markdown (cleaned of control
characters; Markdown also escaped so that file text cannot inject links or HTML). Pure."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from typing import Any

from cruxcli.core.text import clean
from cruxcli.reports.sheet import Report, Sheet

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


def to_json(report: Report) -> str:
    return json.dumps(exact(report.data()), ensure_ascii=False, indent=2, default=str,
                      allow_nan=False) + "\n"


def to_csv(report: Report) -> str:
    """One CSV table per sheet, separated by a blank line."""
    out = io.StringIO()
    for i, sheet in enumerate(s for s in report.sheets if s.rows):
        if i:
            out.write("\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.header for c in sheet.columns])
        for row in sheet.rows:
            writer.writerow([clean(cell.text.strip()) for cell in row])
    return out.getvalue()


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", clean(text, True))


def md_table(sheet: Sheet) -> str:
    align = {"left": ":--", "right": "--:", "center": ":-:"}
    lines = [
        "| " + " | ".join(md_escape(c.header) for c in sheet.columns) + " |",
        "|" + "|".join(align[c.justify] for c in sheet.columns) + "|",
    ]
    for row in sheet.rows:
        cells = [md_escape(cell.text).replace("  ", "\u00a0\u00a0") for cell in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def to_markdown(report: Report) -> str:
    parts = []
    for sheet in report.sheets:
        parts.append(f"**{md_escape(sheet.title)}**" + (f"\n\n{md_table(sheet)}" if sheet.rows else ""))
        items = [md_escape(n) for n in sheet.notes]
        items += [f"**{md_escape(k)}**: {md_escape(v)}" for k, v in sheet.key]
        if items:
            parts.append("\n".join(f"- {item}" for item in items))
    return "\n\n".join(parts) + "\n"
