"""Asking on a terminal for what `log` was not given, as `hledger add` does: each prompt
completes with Tab (the debate's participant and crux ids), answers a typo with a
did-you-mean and asks again, and offers the participant's previous entry as the default.

The line editor is the standard library's readline (GNU readline or libedit), imported only
when a prompt is shown: no dependency to install, the keys people already know, and where
Python has no readline (Windows) the prompts simply do without completion."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _completing(words: list[str]) -> None:
    """Tab completes `words` in the next prompt (nothing without readline)."""
    try:
        import readline
    except ImportError:
        return
    matches: list[str] = []

    def complete(text: str, state: int) -> str | None:
        nonlocal matches
        if state == 0:
            matches = [w for w in words if w.startswith(text)]
        return matches[state] if state < len(matches) else None

    readline.set_completer(complete)
    readline.set_completer_delims(" \t\n")
    readline.parse_and_bind("bind ^I rl_complete" if "libedit" in (readline.__doc__ or "")
                            else "tab: complete")


def _choose(label: str, choices: list[str], default: str | None) -> str:
    from cruxcli.core.model import did_you_mean

    def check(value: str) -> str:
        if value not in choices:
            raise click.BadParameter(f'no {label} "{value}"{did_you_mean(value, choices)}; '
                                     f"one of: {', '.join(choices[:20])}"
                                     + (", ..." if len(choices) > 20 else ""))
        return value

    _completing(choices)
    return str(click.prompt(label, default=default, value_proc=check))


def _checked(label: str, proc: Callable[[str], Any], default: str | None = None) -> str:
    _completing([])
    return str(click.prompt(label, default=default, value_proc=proc))


def ask(path: Path, who: str | None, crux: str | None, stated: str | None,
        source: str | None, quote: str | None
        ) -> tuple[str, str, str, str | None, str | None]:
    """Prompt for what was left out; only on a terminal (else a usage error naming it)."""
    from cruxcli.core.credence import CredenceError, parse
    from cruxcli.files import reading

    missing = [n for n, v in (("WHO", who), ("CRUX", crux), ("CREDENCE", stated)) if v is None]
    if not stdin_is_terminal():
        raise click.UsageError(f"missing {', '.join(missing)} (and stdin is not a terminal "
                               "to ask for it)")
    d = reading.load(path)
    if who is None:
        who = _choose("participant", list(d.participants), None)
    previous = next((e for e in reversed(d.entries_written) if e.who == who), None)
    if crux is None:
        crux = _choose("crux", list(d.cruxes), previous.crux if previous else d.headline)
    if stated is None:
        def credence(value: str) -> str:
            try:
                parse(value, d.scale)
            except CredenceError as exc:
                raise click.BadParameter(str(exc)) from None
            return value

        before = next((e for e in reversed(d.entries_written)
                       if e.who == who and e.crux == crux), None)
        hint = f" (now {before.credence.text})" if before else ""
        stated = _checked(f"credence{hint}", credence)
    if source is None:
        required = d.sources_required
        source = _checked("source" + ("" if required else " (Enter for none)"),
                          lambda v: v, (previous.source if previous else None) or
                          ("" if not required else None)) or None
    if quote is None and d.sources_required:
        quote = _checked("quote (verbatim)", lambda v: v)
    return who, crux, stated, source, quote
