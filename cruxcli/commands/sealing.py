"""`cruxcli seal` and `cruxcli reveal`: a credence committed now and shown later. The salt and
the statement stay with the user, in a private file outside the repository (their data
folder); only the digest goes into the debate. Imports only click at module level."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cruxcli.commands.common import (
    CONTEXT,
    DATE,
    append_to,
    complete_crux,
    complete_participant,
    debate_argument,
    now_or,
    reporting,
)

if TYPE_CHECKING:
    from cruxcli.core.when import When


def vault() -> Path:
    """Where sealed statements are kept: $XDG_DATA_HOME/cruxcli/seals (default
    ~/.local/share/cruxcli/seals), private to the user."""
    from cruxcli.files.finding import user_folder

    return user_folder("XDG_DATA_HOME", ".local/share") / "seals"


@click.command(context_settings=CONTEXT)
@debate_argument
@click.argument("who", shell_complete=complete_participant)
@click.argument("crux", shell_complete=complete_crux)
@click.argument("stated", metavar="P")
@click.option("--given", metavar="C", shell_complete=complete_crux,
              help='A conditional credence: P(CRUX | C), or "not C".')
@click.option("--at", type=DATE, help="When it is stated [default: now].")
@click.option("--source", help="Where it is stated (kept with the salt; written at the reveal).")
@click.option("--quote", help="The statement, verbatim (likewise).")
@click.option("--note", help="A note (likewise).")
def seal(debate: str, who: str, crux: str, stated: str, given: str | None,
         at: When | None, source: str | None, quote: str | None, note: str | None) -> None:
    """Commit to a credence now without showing it: before seeing the others'.

    Appends a [[seal]]: who, crux, condition, date and a SHA-256 digest of a random 128-bit
    salt and the statement. The salt and the statement are kept for you in a private file
    outside the repository (the path is printed); `cruxcli reveal` adds them to the debate
    later, and `check` verifies that they open the seal. Until then the seal is never a number.

    \\b
    Example:
      cruxcli seal power-seeking carlsmith timelines 70% --at 2026-06-01
    """
    import secrets

    from cruxcli.core.commitments import Seal, canonical, digest
    from cruxcli.core.credence import CredenceError, parse
    from cruxcli.files import finding, reading

    with reporting():
        path = finding.find_debate(debate)
        d = reading.load(path)
        try:
            parse(stated, d.scale)
        except CredenceError as exc:
            raise click.BadParameter(str(exc), param_hint="P") from None
        when = now_or(at)
        salt = secrets.token_hex(16)
        sealed = Seal(0, who, crux, given, when, digest(salt, canonical(who, crux, given,
                                                                          stated, when.text)))
        # the salt is kept first: a seal in the debate whose salt was lost could never open
        kept = _keep(sealed.id, {"debate": str(path.resolve()), "seal": sealed.id, "who": who,
                                 "crux": crux, "given": given, "p": stated, "at": when.text,
                                 "salt": salt, "source": source, "quote": quote,
                                 "note": note})
        try:
            append_to(path, "[[seal]]", {"who": who, "crux": crux, "given": given,
                                         "at": when.to_toml(), "digest": sealed.digest}, False)
        except BaseException:
            kept.unlink(missing_ok=True)  # nothing was sealed: nothing to keep
            raise
    click.echo(f"{who} · {crux}: sealed  [seal {sealed.id}]; the statement and its salt are "
               f"in {kept} (keep it; cruxcli reveal reads it)")


def _keep(ident: str, record: dict[str, Any]) -> Path:
    folder = vault()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    target = folder / f"{ident}.json"
    import json

    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(record, f, ensure_ascii=False, indent=1)
    return target


@click.command(context_settings=CONTEXT)
@debate_argument
@click.argument("ids", nargs=-1, metavar="[SEAL-ID...]")
@click.option("--all", "all_", is_flag=True, help="Every seal of this debate you hold.")
@click.option("--at", type=DATE, help="When it is revealed [default: now].")
def reveal(debate: str, ids: tuple[str, ...], all_: bool, at: When | None) -> None:
    """Reveal sealed credences: append each as a [[credence]] with its salt.

    A revealed credence counts as stated at its seal's date (in --as-of, trace and score),
    from the moment it is revealed; a round revealed together (--all) reads as stated
    independently.

    \\b
    Example:
      cruxcli reveal scheming --all
    """
    import json

    from cruxcli.core import ids as idents
    from cruxcli.core.commitments import sealed
    from cruxcli.core.when import parse_when
    from cruxcli.files import edits, finding, reading

    if not ids and not all_:
        raise click.UsageError("give SEAL-ID... or --all")
    with reporting():
        path = finding.find_debate(debate)
        waiting = {s.id: s for s in sealed(reading.load(path))}
        chosen = [i for i in waiting if (vault() / f"{i}.json").is_file()] if all_ else []
        for prefix in ids:
            try:
                chosen.append(idents.find(prefix, waiting, "seal waiting to be revealed"))
            except idents.IdError as exc:
                raise click.BadParameter(str(exc), param_hint="SEAL-ID") from None
        when = now_or(at).to_toml()
        tables = []
        for ident in dict.fromkeys(chosen):
            record = vault() / f"{ident}.json"
            if not record.is_file():
                raise click.UsageError(f"seal {ident}: its statement is not in {vault()} (it "
                                       "was sealed elsewhere, or the file was removed)")
            try:
                r = json.loads(record.read_text(encoding="utf-8"))
                tables.append(("[[credence]]", {
                    "who": r["who"], "crux": r["crux"], "given": r.get("given"), "p": r["p"],
                    "at": parse_when(r["at"]).to_toml(), "source": r.get("source"),
                    "quote": r.get("quote"), "note": r.get("note"), "seal": ident,
                    "salt": r["salt"], "revealed": when}))
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                raise click.UsageError(f"seal {ident}: {record} is not a sealed statement "
                                       f"cruxcli can read ({type(exc).__name__})") from None
        if tables:
            edits.rewrite(path, edits.append_tables(tables))
    click.echo(f"revealed {len(tables)} sealed credence{'s' if len(tables) != 1 else ''}"
               + (f": {', '.join(dict.fromkeys(chosen))}" if tables else
                  " (none of yours is waiting)"))
