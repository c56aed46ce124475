"""Records in and out: `cruxcli import` (other tools' files as new debates) and `cruxcli
export` (a debate's log, one row per entry). Imports only click at module level."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cruxcli.commands.common import (
    CONTEXT,
    InvalidData,
    complete_debate,
    debate_argument,
    load,
    reporting,
)

#: One module each in files/importers/.
FORMATS = ("csv", "json", "fri", "fatebook", "metaculus", "predictionbook")


@click.command("import", context_settings=CONTEXT)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS))
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...",
                type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("-o", "--output", metavar="PATH",
              help="The new debate file, or DIR/ for one file per debate (never overwrites).")
@click.option("--into", metavar="DEBATE", shell_complete=complete_debate,
              help="An existing debate: append only the entries it has not seen (by content "
                   "id), and the participants and cruxes it lacks.")
@click.option("--title", help="The debate's title [default: from the source].")
@click.option("--headline", metavar="CRUX", help="The headline crux (csv) [default: the first].")
@click.option("--at", "at", metavar="DATE",
              help="When the forecasts were made, for formats without dates (fri).")
@click.option("--skip-aggregates", is_flag=True,
              help="metaculus: leave out the aggregate rows (recency_weighted, ...).")
def import_(fmt: str, sources: tuple[Path, ...], output: str | None, into: str | None,
            title: str | None, headline: str | None, at: str | None,
            skip_aggregates: bool) -> None:
    """Import other tools' records as a new debate, checked in full before anything is written.

    FORMAT is csv (cruxcli's own export of the log), json (its export of a whole debate), fri
    (a Forecasting Research Institute crux table:
    person, Camp, ID, PU, Pc, PUc), fatebook (its CSV export), metaculus (question_data.csv
    and forecast_data.csv, or the zip holding them) or predictionbook (its public data as
    iqisa publishes it: public.csv and optionally questions.csv, or their zips). Every input row is imported or reported
    with its file, line and why it was skipped. SOURCE `-` reads standard input (one CSV).
    See docs/import.md.

    An import writes all its files or none; into a new folder, the folder appears whole. A
    file already holding exactly what the import would write is kept (rerunning an import
    that was killed completes it); any other file there is never overwritten.

    With --into DEBATE, the records go into an existing debate instead: only entries it has
    not seen are appended (an entry is known by its content id), missing participants and
    cruxes are added, all of it validated first; it says what was added and what was already
    there, so importing this week's export after last week's adds only what is new, and
    running it twice adds nothing.

    \b
    Examples:
      cruxcli export power-seeking --format csv > ps.csv
      cruxcli import csv ps.csv -o copy.toml --title "Power-seeking, again" --headline existential-catastrophe
      cruxcli import csv ps.csv --into copy.toml
    """
    from cruxcli.core.text import clean
    from cruxcli.files import atomic, importers, reading
    from cruxcli.files.importers import ImportFailed
    from cruxcli.reports.sheet import plural

    options = {"title": title, "headline": headline, "at": at,
               "skip_aggregates": skip_aggregates}
    with reporting():
        module = _module(fmt)
        try:
            result = module.read(list(sources), options)
        except ImportFailed as exc:
            raise InvalidData(f"error: {clean(str(exc))}; nothing was written") from None
        if (output is None) == (into is None):
            raise click.UsageError("give -o PATH (a new debate) or --into DEBATE (an existing "
                                   "one)")
        if into is not None:
            _into(into, result, ", ".join(s.name for s in sources))
            return
        assert output is not None
        several = output.endswith(("/", "\\")) or Path(output).is_dir()
        if len(result.debates) > 1 and not several:
            raise click.UsageError(f"this import makes {len(result.debates)} debates: give a "
                                   "folder, e.g. -o debates/imported/")
        targets = [(Path(output) / f"{d.name}.toml") if several else Path(output)
                   for d in result.debates]
        entries = sum(len(d.credences) for d in result.debates)
        resolved = sum(len(d.resolutions) for d in result.debates)
        texts = [importers.debate_text(d, ", ".join(s.name for s in sources)).encode("utf-8")
                 for d in result.debates]
        result = result._replace(debates=[])  # what was read is written: not held twice
        for target, text in zip(targets, texts, strict=True):
            # validated in full before anything is written (and cached for the next report)
            reading.parse_bytes(text, str(target))
            try:
                atomic.holds(target, text)  # the same bytes (a rerun) are accepted
            except atomic.WriteFailed:
                raise click.UsageError(f"{target} already exists: import never overwrites") \
                    from None
        present = atomic.create_all(list(zip(targets, texts, strict=True)))
    click.echo(clean(f"imported {plural(entries, 'credence')} and "
                     f"{plural(resolved, 'resolution')} from {plural(result.rows, 'row')} into "
                     f"{', '.join(map(str, targets))}", True))
    if present:
        click.echo(f"{plural(len(present), 'file')} already held exactly this import (a rerun)"
                   ": kept as they were", err=True)
    _accounted(result)


def _accounted(result: Any) -> None:
    """On stderr, the rows skipped (file, line, why) and what else the import counted."""
    from cruxcli.core.text import clean
    from cruxcli.reports.sheet import plural

    for note in result.notes:
        click.echo(clean(note, True), err=True)
    if result.skipped:
        click.echo(f"skipped {plural(len(result.skipped), 'row')}:", err=True)
        for s in result.skipped[:50]:
            click.echo(clean(f"  {s.file}:{s.line}: {s.why}", True), err=True)
        if len(result.skipped) > 50:
            click.echo(f"  ... and {len(result.skipped) - 50} more", err=True)


def _into(name: str, result: Any, origin: str) -> None:
    from cruxcli.core.text import clean
    from cruxcli.files import finding
    from cruxcli.files.into import into
    from cruxcli.reports.sheet import plural

    if len(result.debates) != 1:
        raise click.UsageError(f"this import makes {len(result.debates)} debates; --into takes "
                               "one (import into a folder with -o DIR/ instead)")
    path = finding.find_debate(name)
    done = into(path, result.debates[0], origin)
    one = {"participants": "participant", "cruxes": "crux"}  # the rest are logs, named so
    added = [plural(n, one.get(k, k), k if k in one else None) for k, n in done.added.items() if n]
    known = [plural(n, k) for k, n in done.known.items() if n]
    click.echo(clean(f"{path}: added {', '.join(added) or 'nothing'}; already there: "
                     f"{', '.join(known) or 'nothing'}", True))
    _accounted(result)


def _module(fmt: str):  # type: ignore[no-untyped-def]
    from importlib import import_module

    name = {"csv": "cruxcli_csv", "json": "cruxcli_json"}.get(fmt, fmt)
    return import_module(f"cruxcli.files.importers.{name}")


@click.command(context_settings=CONTEXT)
@debate_argument
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "json"]), default="csv",
              show_default=True, help="csv for spreadsheets, jsonl for programs (both the log, a "
                                      "row per entry); json for the whole debate.")
def export(debate: str, fmt: str) -> None:
    """Write a debate out: its log (csv, jsonl) or all of it (json).

    \b
    What each format keeps:
      csv, jsonl  the log, one row per entry: credences, resolutions, retractions, each with
                  kind, id, participant, name, group, aggregate, crux, question, given,
                  stated, value, low, high, at, about, source, quote, note. Not kept: the
                  title, premises and their kind, participants' url, participants and cruxes
                  with no entry, sources_required, description and [scale]. `cruxcli import
                  csv` reads it back: the same entries, texts, dates and ids, in a new debate.
      json        the whole debate: every key and value of the file, in its order, with the
                  leading comment. `cruxcli import json` gives back a debate that `cruxcli
                  diff --strict` finds identical (byte for byte, for a file cruxcli wrote).

    In csv, control characters are written as escapes (\x1b) and backslashes doubled.

    \b
    Examples:
      cruxcli export scheming > scheming.csv
      cruxcli export power-seeking --format jsonl
      cruxcli export power-seeking --format json > ps.json
    """
    from cruxcli.output import export as out
    from cruxcli.reports.entries import columns, records

    with reporting():
        d = load(debate)
        if fmt == "json":
            from cruxcli.files import document, finding

            click.echo(out.json_text(document.whole(finding.find_debate(debate))), nl=False)
            return
        text = out.entries_jsonl(records(d)) if fmt == "jsonl" else out.entries_csv(columns(d))
    click.echo(text, nl=False)
