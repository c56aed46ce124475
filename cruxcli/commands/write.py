"""The commands that write: `log`, `resolve`, `retract` and `add`, each through edits.rewrite
(locked, validated in full, replaced atomically), and what makes a write news rather than a
restatement. Imports only click at module level."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cruxcli.commands.common import (
    CONTEXT,
    DATE,
    append_to,
    complete_crux,
    complete_log_args,
    complete_participant,
    debate_argument,
    now_or,
    reporting,
)

if TYPE_CHECKING:
    from cruxcli.core.model import Debate
    from cruxcli.core.when import When


def written_line(path: Path, dry_run: bool, what: str) -> str:
    return f"{what} {'(dry run: nothing written)' if dry_run else 'to ' + str(path)}"


@click.command(context_settings=CONTEXT)
@debate_argument
@click.argument("args", nargs=-1, metavar="[WHO [CRUX]] CREDENCE",
                shell_complete=complete_log_args)
@click.option("--given", metavar="C", shell_complete=complete_crux,
              help='A conditional credence: P(CRUX | C), or P(CRUX | not C) with "not C".')
@click.option("--at", type=DATE, help="When it was stated [default: now, local time with its UTC offset].")
@click.option("--source", help="Where it was stated (a URL).")
@click.option("--quote", help="The statement, verbatim.")
@click.option("--note", help="Why it moved, or what exactly was meant.")
@click.option("--dry-run", is_flag=True, help="Validate and show what would be added; write nothing.")
def log(debate: str, args: tuple[str, ...], given: str | None, at: When | None,
        source: str | None, quote: str | None, note: str | None, dry_run: bool) -> None:
    """Append a stated credence to a debate's log, safely.

    CREDENCE is any stated form: 2%, <1%, ~4%, 2-5%, 1:99, "very unlikely", lower. Quote it if
    it has spaces. Whatever is left out (WHO, CRUX, CREDENCE, and --source) cruxcli asks for,
    on a terminal only, as `hledger add` does: Tab completes ids, a typo gets a did-you-mean,
    and the participant's previous entry gives the defaults (`cruxcli log my.toml` asks for
    each). The file changes only by the added lines; a failure changes nothing.

    \b
    Examples:
      cruxcli log scheming ryan scheming-mythos 2% --source https://... --quote "..."
      cruxcli log scheming ryan scheming-mythos "updated down" --source https://... \\
          --quote "..." --note "neuralese looks later"
      cruxcli log my.toml alice headline 30% --given "not crux-a" --at 2026-04-01
    """
    from cruxcli.core import analysis
    from cruxcli.core.model import Entry
    from cruxcli.core.text import clean
    from cruxcli.files import edits, finding
    from cruxcli.reports.sheet import num

    if len(args) > 3:
        raise click.UsageError("too many arguments: quote a credence that has spaces, "
                               'e.g. "very unlikely"')
    who = crux = stated = None
    if len(args) == 3:
        who, crux, stated = args
    elif len(args) == 2:
        who, stated = args
    elif len(args) == 1:
        (stated,) = args
    with reporting():
        path = finding.find_debate(debate)
        if None in (who, crux, stated):
            from cruxcli.commands.asking import ask

            who, crux, stated, source, quote = ask(path, who, crux, stated, source, quote)
        fields = {"who": who, "crux": crux, "given": given, "p": stated,
                  "at": now_or(at).to_toml(), "source": source, "quote": quote, "note": note}
        after = append_to(path, "[[credence]]", fields, dry_run, check=is_news("credence"))
    new = after.last_written(Entry)
    old, base = analysis.before(after.entries, new)
    label = new.label
    steps = [e.credence.text for e in dict.fromkeys((base, old, new)) if e is not None]
    change = " -> ".join(steps) + ("" if old else " (first credence)")
    bits = analysis.move(base, new)
    moved = f" ({num(bits, '+.1f')} bits)" if bits is not None else ""
    if dry_run:
        click.echo(clean(edits.toml_table("[[credence]]", fields, b"\n").decode()))
    click.echo(clean(f"{label}: {change}{moved}  [id {new.id}]", True) +
               ("  (dry run: nothing written)" if dry_run else ""))


def is_news(kind: str) -> Callable[[Debate], None]:
    """The `check` a write of `kind` passes to rewrite: the append checks of core.checks, each
    problem refused as a change (nothing written)."""
    def check(after: Debate) -> None:
        from cruxcli.core.checks import appended_news
        from cruxcli.files import edits
        from cruxcli.files.diagnostics import Diagnostic

        if problems := appended_news(after, kind):
            raise edits.ChangeRejected([Diagnostic("", p) for p in problems])

    return check


@click.command(context_settings=CONTEXT)
@debate_argument
@click.argument("crux", shell_complete=complete_crux)
@click.argument("outcome", type=click.Choice(["yes", "no", "annulled"], case_sensitive=False))
@click.option("--at", type=DATE, help="When the outcome became known [default: now].")
@click.option("--source", help="Where the outcome is reported (a URL).")
@click.option("--quote", help="The report, verbatim.")
@click.option("--note", help="Context, or why this corrects an earlier resolution.")
@click.option("--dry-run", is_flag=True, help="Validate and show what would be added; write nothing.")
def resolve(debate: str, crux: str, outcome: str, at: When | None, source: str | None,
            quote: str | None, note: str | None, dry_run: bool) -> None:
    """Record that a crux resolved yes, no or annulled (appends a [[resolution]]).

    A later resolution of the same crux supersedes an earlier one (a correction); both stay
    in the file. Credences stated before it are then scored by `cruxcli score`.

    \b
    Example:
      cruxcli resolve power-seeking timelines no --at 2026-11-01 --source https://... \\
          --quote "..." --dry-run
    """
    from cruxcli.core.outcomes import Resolution
    from cruxcli.core.text import clean
    from cruxcli.files import edits, finding

    with reporting():
        path = finding.find_debate(debate)
        fields = {"crux": crux, "outcome": outcome, "at": now_or(at).to_toml(),
                  "source": source, "quote": quote, "note": note}
        after = append_to(path, "[[resolution]]", fields, dry_run, check=is_news("resolution"))
    new = after.last_written(Resolution)
    if dry_run:
        click.echo(clean(edits.toml_table("[[resolution]]", fields, b"\n").decode()))
    click.echo(clean(f"{crux}: resolved {outcome} at {new.when}  [id {new.id}]", True) +
               ("  (dry run: nothing written)" if dry_run else ""))


@click.command(context_settings=CONTEXT)
@debate_argument
@click.argument("ident", metavar="ID")
@click.option("--why", required=True, help="Why it is taken back (kept in the file).")
@click.option("--at", type=DATE, help="When it was retracted [default: now].")
@click.option("--dry-run", is_flag=True, help="Validate and show what would be added; write nothing.")
def retract(debate: str, ident: str, why: str, at: When | None, dry_run: bool) -> None:
    """Take back a credence or resolution by its id, without rewriting history.

    Appends a [[retraction]]: the entry stays in the file, leaves every figure, and `trace`
    shows it struck through with the reason. Ids are shown by `log`, `trace`, the page's
    sources and every `--format json` (key `id`); a unique prefix of 4 or more characters
    will do, as in git.

    \b
    Example:
      cruxcli retract power-seeking bbd9e11d30 --why "quoted the wrong premise" --dry-run
    """
    from cruxcli.core.text import clean
    from cruxcli.files import finding

    with reporting():
        path = finding.find_debate(debate)
        ident = _full_id(path, ident)
        fields = {"id": ident, "why": why, "at": now_or(at).to_toml()}
        after = append_to(path, "[[retraction]]", fields, dry_run, check=is_news("retraction"))
    gone = [item for item, r in after.withdrawn if r.target == ident]
    what = ", ".join(item.label for item in gone)
    click.echo(clean(f"retracted {ident}: {what}", True) +
               ("  (dry run: nothing written)" if dry_run else ""))


def _full_id(path: Path, prefix: str) -> str:
    """The id a prefix names in the debate (as git takes a commit's), else a usage error."""
    from cruxcli.core import ids
    from cruxcli.files import reading

    d = reading.load(path)
    known = [e.id for e in d.entries_written] + [r.id for r in d.resolutions_written]
    try:
        return ids.find(prefix, known)
    except ids.IdError as exc:
        raise click.BadParameter(str(exc), param_hint="ID") from None


@click.command(context_settings=CONTEXT)
@debate_argument
@click.argument("who", shell_complete=complete_participant)
@click.argument("crux", shell_complete=complete_crux)
@click.argument("promise", metavar="P")
@click.option("--if", "condition", required=True, metavar="C", shell_complete=complete_crux,
              help='The evidence: crux C resolving yes, or "not C" resolving no.')
@click.option("--at", type=DATE, help="When it was pledged [default: now].")
@click.option("--note", help="What the pledge rests on.")
@click.option("--dry-run", is_flag=True, help="Validate and show what would be added; write nothing.")
def pledge(debate: str, who: str, crux: str, promise: str, condition: str, at: When | None,
           note: str | None, dry_run: bool) -> None:
    """Pledge in advance how a credence will move once some evidence arrives.

    P is a number, a bound, a range or a direction ("<5%", "20-40%", higher). Once C resolves
    as stated, the first P(CRUX) the participant states after it keeps or breaks the pledge,
    by so many bits: `trace` shows pending pledges, `score` counts those kept and broken.

    \b
    Example:
      cruxcli pledge scheming ryan scheming-before-full-automation higher \\
          --if neuralese-before-full-automation --at 2026-06-01 --dry-run
    """
    from cruxcli.core.text import clean
    from cruxcli.files import finding

    with reporting():
        path = finding.find_debate(debate)
        fields = {"who": who, "crux": crux, "if": condition, "p": promise,
                  "at": now_or(at).to_toml(), "note": note}
        append_to(path, "[[pledge]]", fields, dry_run)
    click.echo(clean(f"{who} pledged: if {condition}, then {crux} {promise}", True) +
               ("  (dry run: nothing written)" if dry_run else ""))


def slug(ctx: Any, param: Any, value: str) -> str:
    from cruxcli.core.model import SLUG

    if not SLUG.match(value):
        raise click.BadParameter(f'"{value}" is not a slug: use lower-case letters, digits, '
                                 "- and _ (e.g. situational-awareness)")
    return value


@click.group(context_settings=CONTEXT)
def add() -> None:
    """Add a participant or a crux to a debate (next to the others of its kind).

    \b
    Examples:
      cruxcli add participant scheming hubinger --name "Evan Hubinger" --group concerned
      cruxcli add crux scheming neuralese --question "Will AIs have neuralese?"
    """


@add.command("participant", context_settings=CONTEXT)
@debate_argument
@click.argument("ident", metavar="ID", callback=slug)
@click.option("--name", required=True, help="Display name.")
@click.option("--group", help="A camp, for group summaries.")
@click.option("--url", help="A page about them.")
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
def add_participant(debate: str, ident: str, name: str, group: str | None, url: str | None,
                    dry_run: bool) -> None:
    """Add a participant.

    \b
    Example:
      cruxcli add participant scheming hubinger --name "Evan Hubinger" --group concerned
    """
    from cruxcli.files import edits, finding

    fields = {"name": name, "group": group, "url": url}
    with reporting():
        path = finding.find_debate(debate)
        edits.rewrite(path, edits.insert_table("participants", ident, fields,
                                               before=("cruxes", "credence")), dry_run)
    click.echo(written_line(path, dry_run, f'added participant "{ident}"'))


@add.command("crux", context_settings=CONTEXT)
@debate_argument
@click.argument("ident", metavar="ID", callback=slug)
@click.option("--question", required=True, help="The proposition, answerable yes or no.")
@click.option("--premise-of", "parent", metavar="PARENT",
              help="Also append ID to PARENT's premises (an in-place edit of that one line).")
@click.option("--resolves-by", type=DATE, help="When it is expected to resolve (`cruxcli due`).")
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
def add_crux(debate: str, ident: str, question: str, parent: str | None,
             resolves_by: When | None, dry_run: bool) -> None:
    """Add a crux, optionally as a premise of another.

    \b
    Example:
      cruxcli add crux scheming neuralese-early --question "Will AIs have neuralese soon?" \\
          --premise-of scheming-before-full-automation --resolves-by 2027-12-31 --dry-run
    """
    from cruxcli.files import edits, finding

    fields = {"question": question,
              "resolves_by": resolves_by.to_toml() if resolves_by else None}
    change = edits.insert_table("cruxes", ident, fields, before=("credence",))
    if parent:
        change = edits.then(edits.add_premise(parent, ident), change)
    with reporting():
        path = finding.find_debate(debate)
        after = edits.rewrite(path, change, dry_run)
    what = f'added crux "{ident}"' + (f' as a premise of "{parent}"' if parent else "")
    click.echo(written_line(path, dry_run, what))
    if parent and (warning := premise_warning(after, parent, ident)):
        click.echo(warning, err=True)


def premise_warning(after: Debate, parent: str, ident: str) -> str | None:
    """What a new premise changes in figures already reported, if `parent` has credences."""
    from cruxcli.core.analysis import new_premise_effect
    from cruxcli.core.text import clean

    stated, complete = new_premise_effect(after, parent, ident)
    if not stated:
        return None
    lines = [f'warning: "{parent}" already has credences from {", ".join(stated)}, and '
             "`summary` now sets each beside the product of its premises:"]
    if set(after.cruxes[parent].premises) <= {ident}:  # it is the first premise
        lines.append(f'  - "{parent}" had no premises: a stated-vs-implied row appears for '
                     f'each of them, with an implied value once they state "{ident}"')
    elif complete:
        lines.append(f"  - the implied {parent} of {', '.join(complete)} (who gave every "
                     f'earlier premise) is gone until they state "{ident}", and then changes')
    return clean("\n".join(lines))
