"""What every command shares: options, error mapping and output. Imports only click."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from pathlib import Path

    from cruxcli.core.model import Debate
    from cruxcli.core.when import When
    from cruxcli.reports.sheet import Layout

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 88}


class InvalidData(click.ClickException):
    """Exit 1 with a message that is already formatted (and sanitized)."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


@contextmanager
def reporting() -> Iterator[None]:
    """Turn the core's and the files' errors into clean messages and exit codes."""
    from cruxcli.core.text import clean
    from cruxcli.files.atomic import WriteFailed
    from cruxcli.files.diagnostics import DebateFileError
    from cruxcli.files.edits import ChangeRejected
    from cruxcli.files.finding import NotFound

    try:
        yield
    except DebateFileError as exc:
        raise InvalidData(exc.to_text()) from None
    except NotFound as exc:
        raise click.UsageError(clean(str(exc), True)) from None
    except ChangeRejected as exc:
        raise click.UsageError(clean(str(exc), True)) from None
    except WriteFailed as exc:
        raise InvalidData("error: " + clean(str(exc), True)) from None
    except Exception as exc:
        from cruxcli.files.git import GitError  # only now: most commands never touch git

        if isinstance(exc, GitError):
            raise click.UsageError(clean(str(exc), True)) from None
        raise


class WhenType(click.ParamType):
    """A date as the file format accepts it: 2024, 2024-10, 2024-10-03, 2024-10-03T09:30."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> When:
        from cruxcli.core.when import WhenError, parse_when

        try:
            when = parse_when(value)
        except WhenError as exc:
            self.fail(str(exc), param, ctx)
        if when.open_ended:
            self.fail(f'"{value}" is open-ended; give a date', param, ctx)
        return when


DATE = WhenType()


def format_option(*choices: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
        help="Output format: a table for people; " + "/".join(c for c in choices if c != "table")
        + " for pipes and pull requests.",
    )


def as_of_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--as-of", type=DATE, default=None,
                        help="Report the debate as it stood at the end of DATE.")(f)


# ---------------------------------------------------------------------------- completion

def _items(words: list[str], incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(w) for w in words if w.startswith(incomplete)]


def complete_debate(ctx: click.Context, param: Any, incomplete: str) -> list[Any]:
    """Debate names as every command takes them: the debates folder's, and ./*.toml."""
    from pathlib import Path

    from cruxcli.files import finding

    names = [p.stem for p in sorted(finding.debates_dir().glob("*.toml"))]
    names += [p.name for p in sorted(Path(".").glob("*.toml")) if p.stem not in names]
    return _items(names, incomplete)


def _completed_debate(ctx: click.Context) -> Debate | None:
    """The debate named earlier on the command line, or None (a completion never fails)."""
    try:
        name = ctx.params.get("debate") or next(iter(ctx.params.get("paths") or ()), None) \
            or next(iter(ctx.args), None)  # parsing stopped at an option awaiting its value
        return load(name) if name else None
    except Exception:  # whatever is wrong with it, `check` says so; completion offers nothing
        return None


def complete_participant(ctx: click.Context, param: Any, incomplete: str) -> list[Any]:
    d = _completed_debate(ctx)
    return _items(list(d.participants) if d else [], incomplete)


def complete_crux(ctx: click.Context, param: Any, incomplete: str) -> list[Any]:
    d = _completed_debate(ctx)
    cruxes = list(d.cruxes) if d else []
    if param.name == "given":  # a condition may be negated
        cruxes += [f"not {c}" for c in cruxes]
    return _items(cruxes, incomplete)


def complete_log_args(ctx: click.Context, param: Any, incomplete: str) -> list[Any]:
    """`log DEBATE [WHO [CRUX]] CREDENCE`: a participant, then a crux."""
    d = _completed_debate(ctx)
    if d is None:
        return []
    given = ctx.params.get("args") or ()
    return _items(list(d.participants) if len(given) == 0 else
                  list(d.cruxes) if len(given) == 1 else [], incomplete)


debate_argument = click.argument("debate", shell_complete=complete_debate)


def load(name: str) -> Debate:
    from cruxcli.files import finding, reading

    return reading.load(finding.find_debate(name))


def require_participants(debate: Debate, ids: tuple[str, ...] | None, option: str) -> None:
    """A usage error, with a did-you-mean, for an id that is not a participant."""
    from cruxcli.core.model import did_you_mean

    for who in ids or ():
        if who not in debate.participants:
            raise click.BadParameter(f'no participant "{who}"'
                                     f"{did_you_mean(who, debate.participants)}",
                                     param_hint=option)


#: The reports a command has written, when the process is a command's (cli._one_short_run):
#: kept, since the process then ends without freeing its objects one by one (cli._leave),
#: and freeing a summary's 10^5 cells and numbers one by one takes 0.02 s.
shown: list[Layout] | None = None


def emit(report: Layout, fmt: str) -> None:
    if shown is not None:
        shown.append(report)
    if fmt == "table":
        from cruxcli.output.tables import print_layout

        print_layout(report)
        return
    from cruxcli.output import export

    writer = {"json": export.to_json, "csv": export.to_csv, "md": export.to_markdown}[fmt]
    click.echo(writer(report), nl=False)


#: Which option sets a key, for an error about a key the user never typed as such.
OPTION_FOR = {"source": " (give --source URL)", "quote": " (give --quote TEXT)",
              "at": " (--at DATE)", "given": " (--given C)"}


def now_or(at: When | None) -> When:
    """`--at`, or the moment it is now, in local time with its UTC offset."""
    import datetime as dt

    from cruxcli.core.when import parse_when

    return at or parse_when(dt.datetime.now().astimezone().replace(microsecond=0))


def append_to(path: Path, header: str, fields: dict[str, Any], dry_run: bool,
              check: Callable[[Debate], None] | None = None) -> Debate:
    """Append one table to the debate at `path` (edits.rewrite: validated whole, atomic),
    or only validate it with `dry_run`."""
    from cruxcli.files import edits

    try:
        return edits.rewrite(path, edits.append_table(header, fields), dry_run, check)
    except edits.ChangeRejected as exc:  # say which option sets the key at fault
        raise edits.ChangeRejected([d._replace(message=d.message + OPTION_FOR.get(
            (d.key or "").rpartition(".")[2], "")) for d in exc.diagnostics]) from None
