"""cruxcli: structured debates and credence tracking in plain TOML files.

From Python (docs/python.md): `cruxcli.load(name)`, `cruxcli.report(name, debate)`,
`cruxcli.tables(name, debate)`, `cruxcli.records(debate)`, `cruxcli.diff(old, new)`. They are
imported on first use, so that the command line's start-up does not pay for them.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["diff", "load", "records", "report", "tables", "__version__"]


def __getattr__(name: str) -> Any:
    if name in ("diff", "load", "records", "report", "tables"):
        from cruxcli import api

        return getattr(api, name)
    raise AttributeError(f"module 'cruxcli' has no attribute {name!r}")
