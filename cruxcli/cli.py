"""The command line: parse arguments, call the core, hand results to a renderer. No maths here.

Only click is imported at module level: `cruxcli --help` and `--version` must not pay for rich,
pydantic or the analysis code, so every command imports what it needs in its body.
Exit codes: 0 ok, 1 invalid data (or a failed write), 2 usage error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cruxcli import __version__

if TYPE_CHECKING:
    from cruxcli.model import Debate
    from cruxcli.views import Report
    from cruxcli.when import When

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 88}


class InvalidData(click.ClickException):
    """Exit 1 with a message that is already formatted (and sanitized)."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


@contextmanager
def reporting() -> Iterator[None]:
    """Turn the core's and the store's errors into clean messages and exit codes."""
    from cruxcli.diagnostics import DebateFileError
    from cruxcli.sanitize import clean
    from cruxcli.store import ChangeRejected, NotFound, WriteFailed

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


class WhenType(click.ParamType):
    """A date as the file format accepts it: 2024, 2024-10, 2024-10-03, 2024-10-03T09:30."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> When:
        from cruxcli.when import WhenError, parse_when

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
        help="Output format: a table for people, json/csv/md for pipes and pull requests.",
    )


def as_of_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--as-of", type=DATE, default=None,
                        help="Report the debate as it stood at the end of DATE.")(f)


def load(name: str) -> Debate:
    from cruxcli import store

    return store.load(store.resolve(name))


def emit(report: Report, fmt: str) -> None:
    if fmt == "table":
        from cruxcli.render import print_report

        print_report(report)
        return
    from cruxcli import export

    writer = {"json": export.to_json, "csv": export.to_csv, "md": export.to_markdown}[fmt]
    click.echo(writer(report), nl=False)


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

    from cruxcli import store
    from cruxcli.diagnostics import DebateFileError

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
        from cruxcli.sanitize import clean

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
    from cruxcli import store, templates

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
    from cruxcli.analysis import matrix
    from cruxcli.views import matrix_report

    with reporting():
        emit(matrix_report(matrix(load(debate), as_of)), fmt)


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
