"""`cruxcli import json`: a whole debate as `cruxcli export --format json` writes it (see
files/document.py), back to its TOML file: every participant, crux, premise, setting, scale
term and log entry, dates at their precision, the leading comment. Checked in full (as any
debate) before anything is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cruxcli.core.schema import LOGS
from cruxcli.files.document import DATED, KIND
from cruxcli.files.importers import Imported, ImportFailed, Result, read_text, when

TOP = ("document", "comment", "format", "title", "headline", "participants", "cruxes", *LOGS)


def read(paths: list[Path], options: dict[str, Any]) -> Result:
    if len(paths) != 1:
        raise ImportFailed("json takes one document: the whole debate `cruxcli export "
                           "--format json` writes")
    path = paths[0]
    try:
        doc = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from None
    if not isinstance(doc, dict) or doc.get("document") != KIND:
        raise ImportFailed(f'{path}: not a whole debate (expected "document": "{KIND}", as '
                           "`cruxcli export --format json` writes); for a log of rows, use csv")
    logs: dict[str, list[dict[str, Any]]] = {}
    for log in LOGS:
        items = doc.get(log, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ImportFailed(f'{path}: "{log}" must be a list of objects')
        logs[log] = [{k: when(v, f"{path}: {log} {n + 1}, {k}") if k in DATED and
                      isinstance(v, str) else v for k, v in item.items()}
                     for n, item in enumerate(items)]
    for key in ("participants", "cruxes"):
        if not isinstance(doc.get(key, {}), dict):
            raise ImportFailed(f'{path}: "{key}" must be an object')
    comment = doc.get("comment")
    name = options.get("name") or path.stem
    return Result([Imported(
        name, options.get("title") or str(doc.get("title", "")),
        options.get("headline") or str(doc.get("headline", "")),
        doc.get("participants", {}), doc.get("cruxes", {}), logs["credence"],
        logs["resolution"], logs["retraction"],
        settings={k: v for k, v in doc.items() if k not in TOP},
        comment=comment if isinstance(comment, str) else None,
        others={log: items for log, items in logs.items()
                if log not in ("credence", "resolution", "retraction")})],
        sum(len(v) for v in logs.values()), [])
