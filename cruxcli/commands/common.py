"""What every command shares: options, error mapping and output. Imports only click."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
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


def emit(report: Layout, fmt: str) -> None:
    if fmt == "table":
        from cruxcli.output.tables import print_layout

        print_layout(report)
        return
    from cruxcli.output import export

    writer = {"json": export.to_json, "csv": export.to_csv, "md": export.to_markdown}[fmt]
    click.echo(writer(report), nl=False)
