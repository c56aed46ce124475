"""The command line's root: the `cruxcli` group, its commands, and the entry point.

Only click is imported at module level: `cruxcli --help` and `--version` must not pay for rich,
pydantic or the analysis code, so every command imports what it needs in its body, and a
command's module is imported only when it runs (or help lists it).
Exit codes: 0 ok, 1 invalid data (or a failed write), 2 usage error.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from typing import Any

import click

from cruxcli import __version__
from cruxcli.commands import common
from cruxcli.commands.common import CONTEXT

#: Each command (after `completion`, defined here) and where it is defined, in cruxcli.commands.
COMMANDS = {
    "check": "debates:check", "new": "debates:new",
    **{name: f"reports:{name}"
       for name in ("show", "cruxes", "summary", "trace", "score", "due", "report")},
    "diff": "git:diff", "git": "git:git_group",
    **{name: f"write:{name}" for name in ("log", "add", "resolve", "retract")},
    "seal": "sealing:seal", "reveal": "sealing:reveal", "pledge": "write:pledge",
    "import": "exchange:import_", "export": "exchange:export",
}


class Root(click.Group):
    """The root group: loads a command's module when the command is asked for, refuses
    arguments that are not text, and shows what the user typed in any usage error with
    control characters as visible escapes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context | None, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            module, attr = COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(f"cruxcli.commands.{module}"),
                                     attr))
        return self.commands.get(name)

    def every_command(self) -> dict[str, click.Command]:
        """Every command by name, `completion` first, then in COMMANDS order."""
        return {name: command for name in ["completion", *COMMANDS]
                if (command := self.get_command(None, name))}

    def main(self, args: Any = None, *more: Any, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        for n, arg in enumerate(argv, start=1):
            if isinstance(arg, str) and not _is_text(arg):
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                error = click.UsageError(f"argument {n} is not UTF-8 text: {_clean(shown)}")
                if extra.get("standalone_mode", True):
                    error.show()
                    sys.exit(error.exit_code)
                raise error
        return super().main(argv, *more, **extra)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _cleaned_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with _cleaned_errors():
            return super().invoke(ctx)


def _is_text(arg: str) -> bool:
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8, kept as surrogates by Python
        return False
    return True


def _clean(text: str) -> str:
    from cruxcli.core.text import clean

    return clean(text)


@contextlib.contextmanager
def _cleaned_errors() -> Iterator[None]:
    try:
        yield
    except click.ClickException as exc:
        exc.message = _clean(exc.message)  # type: ignore[misc]  # click's Final, set once here
        raise


#: The commands whose output can run to pages: on a terminal, they go through a pager.
PAGED = {"show", "cruxes", "summary", "trace", "score", "due", "diff", "export"}


@click.group(cls=Root, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="cruxcli")
@click.option("--no-pager", is_flag=True,
              help="Never page long output (a pager runs only on a terminal; CRUXCLI_PAGER or "
                   "PAGER chooses it, default less -FRX, and \"cat\" turns it off).")
@click.option("--no-cache", is_flag=True,
              help="Neither use nor fill the cache of validated debates (of 1 MB or more, in "
                   "$XDG_CACHE_HOME/cruxcli; CRUXCLI_CACHE=off does the same).")
@click.pass_context
def cli(ctx: click.Context, no_pager: bool, no_cache: bool) -> None:
    """Structured debates and credence tracking in plain TOML files.

    A debate is one TOML file (in ./debates/ by default): a headline question, the cruxes it
    splits into, the participants, and an append-only log of stated credences.

    \b
    Examples:
      cruxcli check                       # validate every debates/*.toml
      cruxcli show scheming               # the credence matrix of debates/scheming.toml
      cruxcli new my.toml -t double-crux  # start a debate from a template
      cruxcli --no-pager summary scheming # print it all, even on a terminal
    """
    from cruxcli.files import cache

    cache.enabled = not no_cache
    if not no_pager and ctx.invoked_subcommand in PAGED:
        from cruxcli.output import pager

        pager.start()


@click.command(context_settings=CONTEXT)
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell code that completes cruxcli's commands, options, debate names,
    participant and crux ids, and format names.

    Load it in your shell's start-up file: `eval "$(cruxcli completion bash)"` in ~/.bashrc,
    `eval "$(cruxcli completion zsh)"` in ~/.zshrc; for fish, save it as
    ~/.config/fish/completions/cruxcli.fish.

    \b
    Examples:
      cruxcli completion bash
      cruxcli completion fish > cruxcli.fish
    """
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None  # the Choice admits only shells click has
    click.echo(cls(cli, {}, "cruxcli", "_CRUXCLI_COMPLETE").source())


cli.add_command(completion)


def _one_short_run() -> None:
    """A command builds millions of objects with no reference cycles and then exits: the
    cyclic garbage collector would only rescan them (~15% of a large parse), and once more at
    exit unless they are frozen; the reports it prints are kept (common.shown), not freed one
    by one. For the process only; the library (reading.load in a loop) never changes the
    collector."""
    import atexit
    import gc

    gc.disable()
    atexit.register(gc.freeze)
    common.shown = []


def main() -> None:
    """Entry point: no traceback for anything a user can type or put in a file. A debate
    validated for the cache is written to it after the output (files.cache)."""
    try:
        _main()
    except SystemExit as exc:
        _leave(exc.code)
    _leave(0)


def _leave(code: str | int | None) -> None:
    """Exit as Python would (output flushed, exit handlers such as the pager's run) but
    without freeing one by one the millions of objects a report on a large debate made:
    ~0.07 s at 100,000 credences, that nobody waits for."""
    import atexit

    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_handlers is None:  # not CPython: exit the usual way
        sys.exit(code)
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left: what is unwritten goes nowhere
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = code or 1
    sys.stderr.flush()
    run_handlers()
    os._exit(code or 0)


def _main() -> None:
    from cruxcli.files import cache, memory

    _one_short_run()
    cache.defer = True
    memory.one_run = True
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
    finally:
        cache.write_pending()
