"""Records in and out: `cruxcli import` (other tools' files as new debates) and `cruxcli
export` (a debate's log, one row per entry). Imports only click at module level."""

from __future__ import annotations

from pathlib import Path

import click

from cruxcli.commands.common import CONTEXT, InvalidData, debate_argument, load, reporting

FORMATS = ("csv", "fri", "fatebook", "metaculus")  # one module each in files/importers/


@click.command("import", context_settings=CONTEXT)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS))
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...",
                type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("-o", "--output", required=True, metavar="PATH",
              help="The new debate file, or DIR/ for one file per debate (never overwrites).")
@click.option("--title", help="The debate's title [default: from the source].")
@click.option("--headline", metavar="CRUX", help="The headline crux (csv) [default: the first].")
@click.option("--at", "at", metavar="DATE",
              help="When the forecasts were made, for formats without dates (fri).")
@click.option("--skip-aggregates", is_flag=True,
              help="metaculus: leave out the aggregate rows (recency_weighted, ...).")
def import_(fmt: str, sources: tuple[Path, ...], output: str, title: str | None,
            headline: str | None, at: str | None, skip_aggregates: bool) -> None:
    """Import other tools' records as a new debate, checked in full before anything is written.

    FORMAT is csv (cruxcli's own export), fri (a Forecasting Research Institute crux table:
    person, Camp, ID, PU, Pc, PUc), fatebook (its CSV export) or metaculus (question_data.csv
    and forecast_data.csv, or the zip holding them). Every input row is imported or reported
    with its file, line and why it was skipped. SOURCE `-` reads standard input (one CSV).
    See docs/import.md.

    An import writes all its files or none; into a new folder, the folder appears whole. A
    file already holding exactly what the import would write is kept (rerunning an import
    that was killed completes it); any other file there is never overwritten.

    \b
    Examples:
      cruxcli export power-seeking --format csv > ps.csv
      cruxcli import csv ps.csv -o copy.toml --title "Power-seeking, again" --headline existential-catastrophe
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
        several = output.endswith(("/", "\\")) or Path(output).is_dir()
        if len(result.debates) > 1 and not several:
            raise click.UsageError(f"this import makes {len(result.debates)} debates: give a "
                                   "folder, e.g. -o debates/imported/")
        targets = [(Path(output) / f"{d.name}.toml") if several else Path(output)
                   for d in result.debates]
        texts = []
        for d, target in zip(result.debates, targets, strict=True):
            text = importers.debate_text(d, ", ".join(s.name for s in sources))
            reading.parse_text(text, str(target))  # validated in full before anything is written
            texts.append(text.encode("utf-8"))
            try:
                atomic.holds(target, texts[-1])  # the same bytes (a rerun) are accepted
            except atomic.WriteFailed:
                raise click.UsageError(f"{target} already exists: import never overwrites") \
                    from None
        present = atomic.create_all(list(zip(targets, texts, strict=True)))
    entries = sum(len(d.credences) for d in result.debates)
    resolved = sum(len(d.resolutions) for d in result.debates)
    click.echo(clean(f"imported {plural(entries, 'credence')} and "
                     f"{plural(resolved, 'resolution')} from {plural(result.rows, 'row')} into "
                     f"{', '.join(map(str, targets))}", True))
    if present:
        click.echo(f"{plural(len(present), 'file')} already held exactly this import (a rerun)"
                   ": kept as they were", err=True)
    if result.skipped:
        click.echo(f"skipped {plural(len(result.skipped), 'row')}:", err=True)
        for s in result.skipped[:50]:
            click.echo(clean(f"  {s.file}:{s.line}: {s.why}", True), err=True)
        if len(result.skipped) > 50:
            click.echo(f"  ... and {len(result.skipped) - 50} more", err=True)


def _module(fmt: str):  # type: ignore[no-untyped-def]
    from importlib import import_module

    name = {"csv": "cruxcli_csv"}.get(fmt, fmt)
    return import_module(f"cruxcli.files.importers.{name}")


@click.command(context_settings=CONTEXT)
@debate_argument
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv",
              show_default=True, help="csv for spreadsheets, jsonl for programs.")
def export(debate: str, fmt: str) -> None:
    """Write a debate's log, one row per entry: credences, resolutions, retractions.

    Columns: kind, id, participant, name, group, aggregate, crux, question, given, stated, value,
    low, high, at, about, source, quote, note. Control characters are written as escapes
    (\x1b) and backslashes doubled; `cruxcli import csv` reads it back exactly.

    \b
    Examples:
      cruxcli export scheming > scheming.csv
      cruxcli export power-seeking --format jsonl
    """
    from cruxcli.output import export as out
    from cruxcli.reports.entries import records

    with reporting():
        rows = records(load(debate))
    text = out.entries_jsonl(rows) if fmt == "jsonl" else out.entries_csv(rows)
    click.echo(text, nl=False)
