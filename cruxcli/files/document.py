"""A whole debate as one JSON document, and back: `cruxcli export --format json` and `cruxcli
import json`. The document is the file's own keys and values in the file's order (every
participant, crux, premise, setting and scale term, and every log entry), with dates as
written ("2024", "2024-10", a day, a moment) and the file's leading comment. Importing it gives
back a debate with the same content and ids (`diff --strict` finds nothing); a file cruxcli
wrote itself (as `import` writes them) comes back byte for byte."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

KIND = "cruxcli debate"  # the document's "document" key: what it is, for a reader
DATED = ("at", "about", "revealed")


def whole(path: Path) -> dict[str, Any]:
    """The debate at `path` (valid: the caller loaded it) as a JSON-ready document."""
    from cruxcli.core.schema import LOGS
    from cruxcli.core.when import parse_when
    from cruxcli.files import reading, toml_text

    text = reading.decode(reading.read_file(path)[0], str(path))
    comment = []
    for line in text.lstrip("\ufeff").splitlines(keepends=True):
        if not line.startswith("#"):
            break
        comment.append(line if line.endswith("\n") else line + "\n")
    doc = toml_text.loads(text.lstrip("\ufeff"))

    def plain(key: str, value: Any) -> Any:
        if key in DATED and isinstance(value, (dt.date, dt.datetime, dt.time)):
            return parse_when(value).text
        return value

    for log in LOGS:
        doc[log] = [{k: plain(k, v) for k, v in item.items()} for item in doc.get(log, [])]
    return {"document": KIND, "comment": "".join(comment), **doc}
