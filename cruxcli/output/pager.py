"""A pager for long output on a terminal, as git does it: the pager reads what cruxcli writes
to standard output, and shows it only if it is more than a screen (less -FRX). Never when
standard output is not a terminal; `--no-pager`, or CRUXCLI_PAGER (before PAGER) set to ""
or "cat", turns it off; a pager that is not installed is skipped."""

from __future__ import annotations

import atexit
import os
import sys


def command() -> str | None:
    """The pager to run, or None for none: also when its program is not found, since the shell
    would start, say "not found", and the output would be lost with it."""
    import shlex
    import shutil

    chosen = os.environ.get("CRUXCLI_PAGER", os.environ.get("PAGER", "less"))
    try:
        program = shlex.split(chosen)[0] if chosen.strip() not in ("", "cat") else None
    except ValueError:  # unbalanced quotes: not a command the shell could run either
        program = None
    return chosen if program and shutil.which(program) else None


def start() -> None:
    """From here on, standard output goes through the pager (if it is a terminal). The
    reports decided colour and width by the terminal; they still do, through FORCE_COLOR
    (unless NO_COLOR) and COLUMNS, since they now write into a pipe."""
    if not sys.stdout.isatty():  # a pipe or a file: nothing to page, nothing to import
        return
    chosen = command()
    if chosen is None:
        return
    import shutil
    import subprocess

    size = shutil.get_terminal_size()
    os.environ.setdefault("COLUMNS", str(size.columns))
    if "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb":
        os.environ.setdefault("FORCE_COLOR", "1")
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        pager = subprocess.Popen(chosen, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        return  # no shell to start it: print as if there were no pager
    assert pager.stdin is not None
    sys.stdout.flush()
    terminal = os.dup(1)
    os.dup2(pager.stdin.fileno(), 1)
    pager.stdin.close()

    def finish() -> None:
        try:
            sys.stdout.flush()
        except (BrokenPipeError, ValueError):  # the user quit the pager early
            pass
        os.dup2(terminal, 1)  # the pipe's last writer closes: the pager sees the end
        pager.wait()

    atexit.register(finish)
