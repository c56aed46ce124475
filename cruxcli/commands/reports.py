"""The reporting commands: `show`, `summary`, `trace`, `score`, `due` and `report` (the HTML page).
Each loads a debate, calls a report's pure functions, and hands the sheets to an output; no
maths here. Imports only click at module level."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cruxcli.commands.common import (
    CONTEXT,
    DATE,
    InvalidData,
    as_of_option,
    complete_crux,
    complete_debate,
    complete_participant,
    debate_argument,
    emit,
    format_option,
    load,
    reporting,
    require_participants,
)
from cruxcli.reports import registry

if TYPE_CHECKING:
    from cruxcli.core.when import When


@click.command(context_settings=CONTEXT)
@debate_argument
@as_of_option
@format_option(*registry.formats("show"))
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
    with reporting():
        emit(registry.layout("show", registry.numbers("show", load(debate), as_of)), fmt)


@click.command(context_settings=CONTEXT)
@debate_argument
@as_of_option
@format_option(*registry.formats("cruxes"))
def cruxes(debate: str, as_of: When | None, fmt: str) -> None:
    """List the cruxes: the headline first, each crux's premises indented under it, what its
    premises are (a chain, or necessary conditions), how many credences it has and the
    conditions they are stated under.

    \b
    Examples:
      cruxcli cruxes scheming
      cruxcli cruxes power-seeking --format json
    """
    with reporting():
        emit(registry.layout("cruxes", registry.numbers("cruxes", load(debate), as_of)), fmt)


@click.command(context_settings=CONTEXT)
@debate_argument
@as_of_option
@click.option("--between", nargs=2, metavar="A B", default=None, shell_complete=complete_participant,
              help="Compare two participants: the headline gap, which premise carries it, "
                   "their widest gaps and the value of discrimination of each crux.")
@format_option(*registry.formats("summary"))
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
    with reporting():
        d = load(debate)
        require_participants(d, between, "--between")
        if between and between[0] == between[1]:
            raise click.BadParameter(f'names "{between[0]}" twice: compare two different '
                                     "participants", param_hint="--between")
        emit(registry.layout("summary", registry.numbers("summary", d, as_of, between)), fmt)


@click.command(context_settings=CONTEXT)
@debate_argument
@click.option("--crux", "cruxes", multiple=True, metavar="ID", shell_complete=complete_crux,
              help="A crux, or a pattern such as 'scheming*' (repeatable) [default: the "
                   "headline; with --who, every crux they spoke to].")
@click.option("--who", multiple=True, metavar="ID", shell_complete=complete_participant,
              help="Only this participant (repeatable).")
@click.option("--since", type=DATE, help="Only statements from DATE on.")
@click.option("--until", type=DATE, help="Only statements up to the end of DATE.")
@as_of_option
@format_option(*registry.formats("trace"))
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write the chart to FILE.svg or FILE.png (needs cruxcli[plot]).")
@click.option("--no-chart", is_flag=True, help="Tables only, no terminal chart.")
def trace(debate: str, cruxes: tuple[str, ...], who: tuple[str, ...], since: When | None,
          until: When | None, as_of: When | None, fmt: str, plot: Path | None,
          no_chart: bool) -> None:
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

    if until and as_of and until != as_of:
        raise click.UsageError("--as-of and --until mean the same here: give one")
    until = until or as_of
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
        t = registry.numbers("trace", d, chosen, who, since, until)
        emit(registry.layout("trace", t), fmt)
        if fmt == "table" and not no_chart:
            from cruxcli.output.charts.terminal import terminal_chart
            from cruxcli.output.tables import console

            out = console()
            if chart := terminal_chart(t, out.width, color=out.is_terminal and not out.no_color):
                click.echo(chart)
        if plot is not None:
            from cruxcli.files.atomic import write_file
            from cruxcli.output.charts.image import PlotUnavailable, plot_image

            try:
                write_file(plot, plot_image(t, plot.suffix.lstrip(".").lower()))
            except PlotUnavailable as exc:
                raise InvalidData(f"error: {exc}") from None
            click.echo(f"wrote {plot}", err=fmt != "table")


@click.command(context_settings=CONTEXT)
@click.argument("debates", nargs=-1, required=True, metavar="DEBATE...",
                shell_complete=complete_debate)
@click.option("--who", multiple=True, metavar="ID", shell_complete=complete_participant,
              help="Only this participant (repeatable).")
@as_of_option
@format_option(*registry.formats("score"))
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write the calibration chart to FILE.svg or FILE.png.")
@click.option("--no-chart", is_flag=True, help="Tables only, no terminal chart.")
@click.option("--by-phrase", is_flag=True,
              help="Also show how often each person's verbal terms came true (always in JSON).")
@click.option("--forecasts", "each_forecast", is_flag=True,
              help="A row for every forecast scored, not only each participant's means "
                   "(always in JSON and CSV).")
def score(debates: tuple[str, ...], who: tuple[str, ...], as_of: When | None, fmt: str,
          plot: Path | None, no_chart: bool, by_phrase: bool, each_forecast: bool) -> None:
    """Score forecasts against resolved cruxes, and check updates against conditionals.

    Per participant and resolved crux: the last numeric credence stated before the
    resolution, its Brier score, its log score in bits and the time-averaged Brier (a row
    each with --forecasts); per participant the means and a calibration table; and whether
    people updated as their conditional credences said they would. See docs/score.md for
    every formula.

    Several debates (or a folder of them) make one track record: a participant id is the same
    person in every debate, cruxes are named DEBATE:CRUX, and a table gives each debate's
    means beside the pooled ones.

    \b
    Examples:
      cruxcli score power-seeking
      cruxcli score power-seeking --who carlsmith --forecasts
      cruxcli score power-seeking --format json
      cruxcli score debates/ --by-phrase
    """
    if plot is not None and plot.suffix.lower() not in (".svg", ".png"):
        raise click.BadParameter("FILE must end in .svg or .png", param_hint="--plot")
    with reporting():
        named = _debates(debates)
        if len(named) == 1:
            d = named[0][1]
            require_participants(d, who, "--who")
            s = registry.numbers("score", d, as_of, who, by_phrase)
        else:
            from cruxcli.reports.score import several, together

            require_participants(together(named), who, "--who")  # before any scoring
            s = several(named, as_of, who, by_phrase)
            d = s.debate
        listed = each_forecast or fmt in ("json", "csv")  # pipes get every row
        emit(registry.layout("score", s._replace(each_forecast=listed)), fmt)
        if fmt == "table" and not no_chart and s.bins:
            from cruxcli.output.charts.terminal import calibration_chart
            from cruxcli.output.tables import console

            out = console()
            click.echo(calibration_chart(s.bins, out.width,
                                         color=out.is_terminal and not out.no_color))
        if plot is not None:
            from cruxcli.files.atomic import write_file
            from cruxcli.output.charts.image import PlotUnavailable, calibration_image

            try:
                write_file(plot, calibration_image(s.bins, f"Calibration: {d.title}",
                                                   plot.suffix.lstrip(".").lower()))
            except PlotUnavailable as exc:
                raise InvalidData(f"error: {exc}") from None
            click.echo(f"wrote {plot}", err=fmt != "table")


@click.command(context_settings=CONTEXT)
@debate_argument
@click.option("--older-than", type=click.IntRange(min=0), default=180, show_default=True,
              metavar="DAYS", help="A credence on an open crux is stale after DAYS without a "
                                   "new statement.")
@as_of_option
@format_option(*registry.formats("due"))
@click.option("--strict", is_flag=True, help="Exit 1 if anything is due (for CI).")
def due(debate: str, older_than: int, as_of: When | None, fmt: str, strict: bool) -> None:
    """What is due: open cruxes past their resolves_by date, and credences on open cruxes
    nobody has revisited in --older-than days (default 180).

    A crux's `resolves_by` is set in the file, by `cruxcli add crux --resolves-by DATE`, or
    by the Fatebook and Metaculus imports. See docs/score.md.

    \b
    Examples:
      cruxcli due scheming
      cruxcli due scheming --older-than 365 --format json
      cruxcli due power-seeking --as-of 2024-01-01
    """
    import datetime as dt

    with reporting():
        d = load(debate)
        today = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        result = registry.numbers("due", d, today, older_than, as_of)
        emit(registry.layout("due", result), fmt)
    if strict and result.anything:
        sys.exit(1)


@click.command(context_settings=CONTEXT)
@debate_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Where to write the page [default: DEBATE.html here].")
@click.option("--all", "all_", is_flag=True,
              help="Every row, trace, series and source (a large debate's page shows the "
                   "first 1,000 rows of each table, the 24 most active cruxes' traces with "
                   "their 40 most active series, and the latest 2,000 sources, and says what "
                   "it left out).")
@as_of_option
def report(debate: str, output: Path | None, all_: bool, as_of: When | None) -> None:
    """Write the debate as one self-contained HTML page: matrix, cruxes, summary, traces,
    scores and sources, with no script and no network fetch, readable on a phone and in print.
    On a large debate the page says what it leaves out; --all shows everything.

    \b
    Examples:
      cruxcli report scheming -o scheming.html
      cruxcli report power-seeking --as-of 2022-12-31 -o ps-2022.html
    """
    from cruxcli.files import atomic, finding, git, reading
    from cruxcli.output.html import MAX_TRACES, Page, page, traced
    from cruxcli.reports import trace as tracing

    with reporting():
        path = finding.find_debate(debate)
        d = reading.load(path)
        target = output or Path(f"{path.stem}.html")
        revision = git.revision(path) if finding.repository_root(path.parent) else None
        drawn, left_out = traced(d, None if all_ else MAX_TRACES)
        made = {"show": (d, as_of), "cruxes": (d, as_of), "score": (d, as_of),
                "summary": (d, as_of, "widest")}  # which premise carries the widest gap
        if not d.resolutions:
            del made["score"]  # nothing to score yet
        from cruxcli.reports.commitments_sheet import pledges_as_of

        content = Page(d, str(as_of) if as_of else None, revision,
                       {name: registry.layout(name, registry.numbers(name, *args))
                        for name, args in made.items()},
                       tracing.each_crux(d, drawn, as_of), left_out, all_,
                       pledges_as_of(d, as_of))
        atomic.write_file(target, page(content).encode("utf-8"))
    click.echo(f"wrote {target}")


def _debates(names: tuple[str, ...]) -> list[tuple[str, Any]]:
    """(name, debate) for each DEBATE given; a folder gives each of its *.toml."""
    from cruxcli.files import finding

    out = []
    for name in names:
        if Path(name).is_dir():
            out += [(p.stem, load(str(p))) for p in sorted(Path(name).glob("*.toml"))]
        else:
            out.append((finding.find_debate(name).stem, load(name)))
    if not out:
        raise click.UsageError(f"no debates in {', '.join(names)}")
    stems = [n for n, _ in out]
    if len(set(stems)) < len(stems):
        raise click.UsageError("two debates have the same name: " + ", ".join(stems))
    return out
