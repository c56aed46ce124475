"""The git side of the command line: `cruxcli diff` and `cruxcli git ...` (the textconv and
merge drivers, and installing them). Imports only click at module level."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import click

from cruxcli.commands.common import CONTEXT, complete_debate, emit, format_option, reporting
from cruxcli.reports import registry


class _PathsAfterDashes(click.Command):
    """Keeps where `--` stood: what follows it is paths, never revisions (git's rule)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            cut = args.index("--")
            rest = super().parse_args(ctx, args[:cut])
            ctx.meta["diff.paths"] = args[cut + 1:]
            return rest
        return super().parse_args(ctx, args)


@click.command(cls=_PathsAfterDashes, context_settings=CONTEXT)
@click.argument("args", nargs=-1, metavar="[REV_A [REV_B]] [--] [DEBATE...]",
                shell_complete=complete_debate)
@click.option("--no-index", is_flag=True, help="Compare two files OLD NEW, outside git.")
@format_option(*registry.formats("diff"))
@click.option("--strict", is_flag=True,
              help="Exit 1 if any earlier entry was edited, removed or inserted (the log is "
                   "append-only), or what earlier credences mean was changed (docs/git.md).")
def diff(args: tuple[str, ...], no_index: bool, fmt: str, strict: bool) -> None:
    """What changed in beliefs: credences added, history rewritten, cruxes reworded.

    Read like `git diff`: no revision compares HEAD with the working tree, one revision
    compares it with the working tree, two compare them. Without DEBATE, every debates/*.toml
    that differs. `cruxcli diff OLD.toml NEW.toml` compares two files outside git.

    \b
    Examples:
      cruxcli diff                         # uncommitted changes to debates/
      cruxcli diff HEAD~1 debates/scheming.toml
      cruxcli diff origin/main --format md # for a pull request comment
      cruxcli diff old.toml new.toml
      cruxcli diff origin/main --strict --  # in CI: fail if an earlier entry was edited
    """
    from cruxcli.core.text import clean
    from cruxcli.files import reading

    def debate(data: bytes | None, name: str) -> Any:
        return None if data is None else reading.parse_text(reading.decode(data, name), name)

    with reporting():
        items = [(s.label, s.old_name, s.new_name,
                  registry.numbers("diff", debate(s.old, s.old_source),
                                   debate(s.new, s.new_source)))
                 for s in diff_sides(args, no_index,
                                     click.get_current_context().meta.get("diff.paths"))]
        if not items:
            click.echo("no debate changed")
            return
        emit(registry.layout("diff", items), fmt)
    failed = [label for label, _, _, d in items if d.strict_fails]
    if strict and failed:
        click.echo(f"cruxcli diff --strict: history rewritten in {clean(', '.join(failed))}"
                   ": an append-only log only grows at its end, and what earlier credences "
                   "say stays as it was; retract an entry instead of editing it, and ask a "
                   "new crux instead of rewording one", err=True)
        sys.exit(1)


def _exists(name: str) -> bool:
    try:
        return os.path.lexists(name)
    except (OSError, ValueError):
        return False


class Sides(NamedTuple):
    """One debate to compare: each side's name in the report, its bytes (None where the debate
    does not exist on that side), and where it came from, for error messages."""

    label: str
    old_name: str
    old: bytes | None
    old_source: str
    new_name: str
    new: bytes | None
    new_source: str


def diff_sides(args: tuple[str, ...], no_index: bool, after_dashes: list[str] | None = None
               ) -> list[Sides]:
    """Which versions of which debates `cruxcli diff ARGS [-- PATHS]` compares, read like git
    diff: a word that is both a revision and a file is refused as ambiguous, as git does."""
    from cruxcli.files import finding, git, reading

    def working(path: Path) -> bytes | None:
        return reading.read_bytes(path) if path.exists() else None

    def at(rev: str, path: Path) -> bytes | None:
        try:
            return git.show(rev, path)
        except git.GitError:
            return None  # not in that revision: a debate added (or deleted) since

    files = [Path(a) for a in (*args, *(after_dashes or ()))]
    in_repo = git.toplevel() is not None
    if no_index or (after_dashes is None and len(files) == 2 and
                    all(f.is_file() for f in files) and
                    (not in_repo or not all(git.tracked(f) for f in files))):
        if len(files) != 2:
            raise click.UsageError("--no-index compares exactly two files: OLD NEW")
        first, second = files
        if not first.exists() and not second.exists():
            raise click.UsageError(f'neither "{first}" nor "{second}" exists')
        return [Sides(f"{first} -> {second}", str(first), working(first), str(first),
                      str(second), working(second), str(second))]
    if not in_repo:
        raise click.UsageError("not a git repository: to compare two files, give OLD NEW "
                               "(or --no-index)")
    revs: list[str] = []
    paths: list[Path] = []
    for arg in args:
        revision = not paths and len(revs) < 2 and git.is_revision(arg)
        if after_dashes is not None:  # before `--`: only revisions
            if not revision:
                raise click.UsageError(f'"{arg}" is not a revision git knows (paths go after '
                                       "`--`)")
            revs.append(arg)
        elif revision and _exists(arg):
            raise click.UsageError(f'"{arg}" is both a revision and a file: use `--` to '
                                   "separate revisions from paths (cruxcli diff REV -- PATH)")
        elif revision:
            revs.append(arg)
        else:
            paths.append(Path(arg))
    paths += [Path(a) for a in after_dashes or ()]
    rev_a, rev_b = (revs + ["HEAD"])[0], (revs[1] if len(revs) > 1 else None)
    if not paths:
        paths = git.changed(rev_a, rev_b, f"{finding.DEBATES_DIR.as_posix()}/*.toml")
        if rev_b is None and rev_a == "HEAD":
            others = git.changed_debates_elsewhere()
            if others:
                click.echo("not compared, outside debates/ (give the path to compare it): "
                           + ", ".join(str(p) for p in others), err=True)
    out: list[Sides] = []
    for name in paths:
        for path in finding.candidates(str(name)):  # a bare name, as every command takes it
            old = at(rev_a, path)
            new = at(rev_b, path) if rev_b else working(path)
            if old is not None or new is not None:
                break
        else:
            raise click.UsageError(f'"{name}" is neither a file nor a revision git knows, '
                                   f"and no debate by that name exists in {rev_a}")
        out.append(Sides(str(path), rev_a, old, f"{rev_a}:{path}", rev_b or "working tree",
                         new, f"{rev_b}:{path}" if rev_b else str(path)))
    return out


@click.group("git", context_settings=CONTEXT)
def git_group() -> None:
    """Make git understand debates: readable diffs, merges by meaning.

    \b
    Examples:
      cruxcli git install           # in this repository: .gitattributes and .git/config
      cruxcli git install --global  # for every repository of this user
      cruxcli git uninstall
    """


@git_group.command("textconv", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def git_textconv(file: Path) -> None:
    """Print FILE as sorted facts, one per line, for `git diff` (the diff driver's textconv).

    A file that is not a valid debate is printed as text, after one line saying why, so that
    `git diff` still works. Either way control characters are shown as escapes (\x1b), as in
    every table: a pull request cannot reach the reviewer's terminal through `git diff`.

    \b
    Example:
      cruxcli git textconv debates/scheming.toml
    """
    from cruxcli.core.text import clean
    from cruxcli.files import reading
    from cruxcli.files.diagnostics import DebateFileError
    from cruxcli.reports.facts import facts

    with reporting():
        data = reading.read_bytes(file)
    try:
        lines = facts(reading.parse_text(reading.decode(data, str(file)), str(file)))
    except DebateFileError as exc:
        first = exc.diagnostics[0]
        click.echo(f"# cruxcli: not a valid debate ({clean(first.location(), True)}: "
                   f"{clean(first.message, True)}); the raw file follows")
        click.echo(clean(data.decode("utf-8", "replace")), nl=False)
        return
    click.echo(clean("\n".join(lines)))


@git_group.command("merge-driver", context_settings=CONTEXT)
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("path", required=False)
def git_merge_driver(base: Path, ours: Path, theirs: Path, path: str | None) -> None:
    """Merge two versions of a debate by meaning (git's %O %A %B %P); the result goes to OURS.

    Credences added on either side are all kept; participants and cruxes merge by id. A real
    conflict (the same id changed differently on both sides, or an earlier credence edited or
    removed) is marked in the file and the command exits 1, as git expects.

    \b
    Example (what `cruxcli git install` configures; git fills in the paths):
      cruxcli git merge-driver %O %A %B %P
    """
    import contextlib
    import os

    from cruxcli.core.text import clean
    from cruxcli.files import atomic, locks

    name = clean(path or str(ours), True)

    def fail(message: str) -> NoReturn:
        click.echo(f"cruxcli merge-driver: {clean(message, True)}", err=True)
        sys.exit(1)

    with contextlib.ExitStack() as held:
        if path:  # the lock that `log` takes on the work tree's file: no write while we merge
            try:
                held.enter_context(locks.locked(Path(os.path.abspath(path))))
            except atomic.WriteFailed as exc:
                fail(str(exc))
        _merge_files(name, base, ours, theirs, fail)


def _merge_files(name: str, base: Path, ours: Path, theirs: Path,
                 fail: Callable[[str], NoReturn]) -> None:
    from cruxcli.core.text import clean
    from cruxcli.files import atomic, reading
    from cruxcli.files.diagnostics import DebateFileError
    from cruxcli.files.merge import Unmergeable, merge

    try:
        texts = [reading.decode(reading.read_bytes(p), str(p)) for p in (base, ours, theirs)]
        result = merge(*texts)
    except (DebateFileError, Unmergeable) as exc:
        fail(f"cannot merge {name} by meaning: {exc}; leaving ours for you to merge")
    text, conflicts = result.text, list(result.conflicts)
    if not conflicts:
        try:
            reading.parse_text(text, name)
        except DebateFileError as exc:
            conflicts.append("the merged debate is invalid")
            newline = "\r\n" if "\r\n" in texts[1] else "\n"
            text += newline.join(  # one comment line each: quoted file text stays inert
                ["", "# CONFLICT (cruxcli merge-driver): each side is valid, but together they "
                 "are not:"]
                + [f"#   {clean(d.message, True)} (line {d.line})" for d in exc.diagnostics]
                + ["# Fix it, run `cruxcli check`, then `git add` this file.", ""])
    try:
        atomic.write_file(ours, text.encode("utf-8"))
    except atomic.WriteFailed as exc:
        fail(str(exc))
    for c in conflicts:
        click.echo(f"cruxcli merge-driver: CONFLICT in {name}: {clean(c, True)}", err=True)
    if conflicts:
        sys.exit(1)


INSTALL_PATTERN = "debates/*.toml"


def _where(verb: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The options install and uninstall share: which settings, and which files."""
    def decorate(f: Callable[..., None]) -> Callable[..., None]:
        f = click.option("--pattern", default=INSTALL_PATTERN, show_default=True,
                         help="Which files are debates (as given at install).")(f)
        return click.option("--global", "global_", is_flag=True,
                            help=f"{verb} this user's global settings, for every "
                                 "repository.")(f)
    return decorate


@git_group.command("install", context_settings=CONTEXT)
@_where("In")
@click.option("--absolute", is_flag=True,
              help="Record this cruxcli's Python by its absolute path, for a cruxcli that is not "
                   "on PATH (e.g. .venv/bin/cruxcli) [default: `cruxcli` as found on PATH].")
def git_install(global_: bool, pattern: str, absolute: bool) -> None:
    """Install the diff and merge drivers: a .gitattributes line and git config (idempotent).

    The drivers never break git: where cruxcli cannot be found (a colleague who cloned the
    repository without it), `git diff` shows the raw text and `git merge` merges lines as
    git does, each with one line on stderr saying why.

    \b
    Examples:
      cruxcli git install && git diff debates/   # diffs now read as changes in beliefs
      cruxcli git install --absolute             # for .venv/bin/cruxcli, not on PATH
    """
    from cruxcli.files import git

    with reporting():
        done = git.install_drivers(global_, pattern, absolute)
    click.echo("\n".join(done) if done else "already installed; nothing changed")


@git_group.command("uninstall", context_settings=CONTEXT)
@_where("From")
def git_uninstall(global_: bool, pattern: str) -> None:
    """Remove what `cruxcli git install` added (idempotent).

    \b
    Example:
      cruxcli git uninstall
    """
    from cruxcli.files import git

    with reporting():
        done = git.uninstall_drivers(global_, pattern)
    click.echo("\n".join(done) if done else "not installed; nothing changed")
