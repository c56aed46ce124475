"""The command line: parse arguments, call the core, hand results to a renderer. No maths here.

Only click is imported at module level: `cruxcli --help` and `--version` must not pay for rich,
pydantic or the analysis code, so every command imports what it needs in its body.
Exit codes: 0 ok, 1 invalid data (or a failed write), 2 usage error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cruxcli import __version__
from cruxcli.commands.common import (
    CONTEXT,
    DATE,
    InvalidData,
    as_of_option,
    emit,
    format_option,
    load,
    reporting,
    require_participants,
)
from cruxcli.commands.git import diff, git_group
from cruxcli.commands.write import add, log

if TYPE_CHECKING:
    from cruxcli.core.when import When


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="cruxcli")
def cli() -> None:
    """Structured debates and credence tracking in plain TOML files.

    A debate is one TOML file (in ./debates/ by default): a headline question, the cruxes it
    splits into, the participants, and an append-only log of stated credences.

    \b
    Examples:
      cruxcli check                       # validate every debates/*.toml
      cruxcli show scheming               # the credence matrix of debates/scheming.toml
      cruxcli new my.toml -t double-crux  # start a debate from a template
    """


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json is for CI and editors.")
def check(paths: tuple[Path, ...], fmt: str) -> None:
    """Validate debate files: print "ok" or every error, located and quoted.

    PATHS are files or directories (their *.toml); the default is every debates/*.toml.
    Exits 1 if any file is invalid.

    \b
    Examples:
      cruxcli check
      cruxcli check debates/scheming.toml --format json
    """
    import json

    from cruxcli.files import store
    from cruxcli.files.diagnostics import DebateFileError

    files: list[Path] = []
    if not paths and store.DEBATES_DIR.is_dir():
        paths = (store.DEBATES_DIR,)
    for path in paths:
        files += sorted(path.glob("*.toml")) if path.is_dir() else [path]
    if not files:
        raise click.UsageError("no debates to check: give paths, or run where debates/*.toml is")
    results = []
    for path in files:
        try:
            d = store.load(path)
        except DebateFileError as exc:
            results.append({"file": str(path), "ok": False, "error_count": exc.total,
                            "errors": [x.to_json() for x in exc.diagnostics], "text": exc.to_text()})
        else:
            results.append({"file": str(path), "ok": True, "error_count": 0, "errors": [],
                            "participants": len(d.participants), "cruxes": len(d.cruxes),
                            "credences": len(d.entries)})
    ok = all(r["ok"] for r in results)
    if fmt == "json":
        doc = {"ok": ok, "files": [{k: v for k, v in r.items() if k != "text"} for r in results]}
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        from cruxcli.core.text import clean

        for r in results:
            if r["ok"]:
                click.echo(f"ok  {clean(r['file'], True)}  ({r['participants']} participants, "
                           f"{r['cruxes']} cruxes, {r['credences']} credences)")
            else:
                click.echo(r["text"], err=True)
    sys.exit(0 if ok else 1)


@cli.command(context_settings=CONTEXT)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("-t", "--template", default="blank", show_default=True,
              help="Which template to copy (see --list).")
@click.option("--title", help="The debate's title (replaces the template's).")
@click.option("--list", "list_", is_flag=True, help="List the templates and exit.")
def new(path: Path | None, template: str, title: str | None, list_: bool) -> None:
    """Start a debate file from a template. Never overwrites an existing file.

    \b
    Examples:
      cruxcli new --list
      cruxcli new debates/mine.toml --template double-crux --title "Will X happen?"
    """
    from cruxcli.files import store, templates

    if list_:
        for name, summary in templates.available():
            click.echo(f"{name:15} {summary}")
        return
    if path is None:
        raise click.UsageError("give the PATH of the new debate file (or --list)")
    if path.suffix != ".toml":
        path = path.with_name(path.name + ".toml")
    with reporting():
        try:
            data = templates.instantiate(template, title)
        except KeyError:
            names = ", ".join(n for n, _ in templates.available())
            raise click.BadParameter(f'no template "{template}" (templates: {names})',
                                     param_hint="--template") from None
        store.parse_text(data.decode("utf-8"), str(path))  # a template must yield a valid debate
        store.create_exclusively(path, data)
    click.echo(f"created {path} from the {template} template; next: cruxcli show {path}")


@cli.command(context_settings=CONTEXT)
@click.argument("debate")
@as_of_option
@format_option("table", "json", "csv", "md")
def show(debate: str, as_of: When | None, fmt: str) -> None:
    """Show the credence matrix: cruxes by participants, each cell the latest stated credence.

    DEBATE is a path or a bare name found in ./debates/. The headline comes first, its
    premises indented under it; conditional credences get their own rows ("crux | given").

    \b
    Examples:
      cruxcli show scheming
      cruxcli show power-seeking --format md
      cruxcli show scheming --as-of 2024-12-31
    """
    from cruxcli.reports.matrix import matrix
    from cruxcli.reports.matrix_sheet import matrix_report

    with reporting():
        emit(matrix_report(matrix(load(debate), as_of)), fmt)


@cli.command(context_settings=CONTEXT)
@click.argument("debate")
@as_of_option
@click.option("--between", nargs=2, metavar="A B", default=None,
              help="Compare two participants: the headline gap, which premise carries it, "
                   "their widest gaps and the value of discrimination of each crux.")
@format_option("table", "json", "csv", "md")
def summary(debate: str, as_of: When | None, between: tuple[str, str] | None, fmt: str) -> None:
    """Where credences diverge, by how much, and which crux is the crux.

    Disagreement is in bits: log2 of the odds ratio (0.1% vs 25% is 8.4 bits, odds x333).
    Per crux: lowest and highest credence, spread, pooled (geometric mean of odds) and median;
    the bottom line stated versus implied by premises; value of information per participant;
    groups. See docs/summary.md for every number and the JSON keys.

    \b
    Examples:
      cruxcli summary scheming
      cruxcli summary power-seeking --between carlsmith superforecasters
      cruxcli summary power-seeking --as-of 2021-12-31 --format md
    """
    from cruxcli.reports.summary import summarize
    from cruxcli.reports.summary_sheet import summary_report

    with reporting():
        d = load(debate)
        require_participants(d, between, "--between")
        emit(summary_report(summarize(d, as_of, between)), fmt)


@cli.command(context_settings=CONTEXT)
@click.argument("debate")
@click.option("--crux", "cruxes", multiple=True, metavar="ID",
              help="A crux, or a pattern such as 'scheming*' (repeatable) [default: the "
                   "headline; with --who, every crux they spoke to].")
@click.option("--who", multiple=True, metavar="ID", help="Only this participant (repeatable).")
@click.option("--since", type=DATE, help="Only statements from DATE on.")
@click.option("--until", type=DATE, help="Only statements up to the end of DATE.")
@format_option("table", "json", "csv", "md")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write the chart to FILE.svg or FILE.png (needs cruxcli[plot]).")
@click.option("--no-chart", is_flag=True, help="Tables only, no terminal chart.")
def trace(debate: str, cruxes: tuple[str, ...], who: tuple[str, ...], since: When | None,
          until: When | None, fmt: str, plot: Path | None, no_chart: bool) -> None:
    """How each participant's credence moved over time, and whether the debate converges.

    Per participant: every statement with the move since their previous one in percentage
    points and bits (a direction-only update shows as an arrow, never a number), and their net
    and total movement; then the spread between the lowest and highest latest credences after
    each update; then a chart on a log-odds axis.

    \b
    Examples:
      cruxcli trace scheming
      cruxcli trace scheming --who ryan
      cruxcli trace scheming --who ryan --crux 'scheming*' --plot ryan.svg
      cruxcli trace power-seeking --since 2022 --format json
    """
    from cruxcli.core.model import did_you_mean
    from cruxcli.reports import trace as tracing
    from cruxcli.reports.trace_sheet import trace_report

    if plot is not None and plot.suffix.lower() not in (".svg", ".png"):
        raise click.BadParameter("FILE must end in .svg or .png", param_hint="--plot")
    with reporting():
        d = load(debate)
        require_participants(d, who, "--who")
        try:
            chosen = tracing.select_cruxes(d, cruxes, who)
        except tracing.UnknownCrux as exc:
            raise click.BadParameter(f'no crux matches "{exc}"{did_you_mean(str(exc), d.cruxes)}',
                                     param_hint="--crux") from None
        t = tracing.trace(d, chosen, who, since, until)
        emit(trace_report(t), fmt)
        if fmt == "table" and not no_chart:
            from cruxcli.output.chart import terminal_chart
            from cruxcli.output.tables import console

            out = console()
            if chart := terminal_chart(t, out.width, color=out.is_terminal and not out.no_color):
                click.echo(chart)
        if plot is not None:
            from cruxcli.files.store import write_file
            from cruxcli.output.chart import PlotUnavailable, plot_image

            try:
                write_file(plot, plot_image(t, plot.suffix.lstrip(".").lower()))
            except PlotUnavailable as exc:
                raise InvalidData(f"error: {exc}") from None
            click.echo(f"wrote {plot}", err=fmt != "table")


for command in (diff, git_group, log, add):
    cli.add_command(command)


def main() -> None:
    """Entry point: no traceback for anything a user can type or put in a file."""
    try:
        cli.main(prog_name="cruxcli")
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except Exception as exc:
        if os.environ.get("CRUXCLI_DEBUG"):
            raise
        click.echo(f"cruxcli: internal error: {type(exc).__name__}: {exc}\n"
                   "This is a bug; please report it (CRUXCLI_DEBUG=1 shows the traceback).",
                   err=True)
        sys.exit(70)
