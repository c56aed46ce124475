"""cruxcli from Python: a debate loaded, and any report's numbers as the CLI's `--format json`
and `--format csv` give them, ready for a notebook (`pandas.DataFrame(rows)`), with no pandas
dependency here. See docs/python.md; `import cruxcli` exposes these names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cruxcli.core.model import Debate


def load(name: str | Path) -> Debate:
    """A debate by path or bare name, found as every command finds it (`scheming` is
    debates/scheming.toml), validated in full: an invalid file raises DebateFileError, whose
    message names the file and line."""
    from cruxcli.files import finding, reading

    return reading.load(finding.find_debate(str(name)))


def _layout(name: str, debate: Debate, options: dict[str, Any]) -> Any:
    from cruxcli.reports import registry

    if name == "trace" and "cruxes" not in options:
        from cruxcli.reports.trace import select_cruxes

        options = {**options, "cruxes": select_cruxes(debate, (), options.get("who", ()))}
    if name == "diff":
        raise ValueError("diff compares two debates: use cruxcli.diff(old, new)")
    return registry.layout(name, registry.numbers(name, debate, **options))


def report(name: str, debate: Debate, **options: Any) -> dict[str, Any]:
    """Report `name` ("show", "cruxes", "summary", "trace", "score") as its JSON document
    (docs/keys.md): the same keys and values as `--format json`, numbers as Python floats
    (an infinite one is float("inf"), not the string JSON needs). Options are the report's
    own: `when` for as-of (a cruxcli.core.when.When), `who`, `between`, `cruxes`, ..."""
    return _layout(name, debate, options).data()  # type: ignore[no-any-return]


def tables(name: str, debate: Debate, **options: Any) -> dict[str, list[dict[str, Any]]]:
    """Report `name` as tidy tables, by section: the records of its `--format csv` (one per
    row; a nested record spread over `key.field` columns, a list of values as JSON text), with
    Python values (floats, None, True) rather than CSV text."""
    from cruxcli.output.export import tidy

    out: dict[str, list[dict[str, Any]]] = {}
    for section, record in tidy(_layout(name, debate, options)):
        if section:
            out.setdefault(section, []).append(record)
    return out


def records(debate: Debate) -> list[dict[str, Any]]:
    """The log, one record per entry (credences, resolutions, retractions), with the columns
    of `cruxcli export`: the tidy form for pandas or DuckDB."""
    from cruxcli.reports.entries import records as rows

    return rows(debate)


def diff(old: Debate, new: Debate) -> dict[str, Any]:
    """What changed between two versions of a debate, as `cruxcli diff --format json` gives
    one debate's part."""
    from cruxcli.reports import registry

    changes = registry.numbers("diff", old, new)
    return registry.layout("diff", [("debate", "old", "new", changes)]).data()  # type: ignore[no-any-return]
