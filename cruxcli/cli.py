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


@cli.command(context_settings=CONTEXT)
@click.argument("debate")
@as_of_option
@click.option("--between", nargs=2, metavar="A B", default=None,
              help="Compare two participants: the headline gap, which premise carries it, "
                   "their widest gaps and the value of discrimination of each crux.")
@format_option("table", "json", "csv", "md")
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
    from cruxcli.summary import summarize
    from cruxcli.summary_view import summary_report

    with reporting():
        d = load(debate)
        for who in between or ():
            if who not in d.participants:
                from cruxcli.model import did_you_mean

                raise click.BadParameter(f'no participant "{who}"'
                                         f"{did_you_mean(who, d.participants)}",
                                         param_hint="--between")
        emit(summary_report(summarize(d, as_of, between)), fmt)


@cli.command(context_settings=CONTEXT)
@click.argument("debate")
@click.option("--crux", "cruxes", multiple=True, metavar="ID",
              help="A crux, or a pattern such as 'scheming*' (repeatable) [default: the "
                   "headline; with --who, every crux they spoke to].")
@click.option("--who", multiple=True, metavar="ID", help="Only this participant (repeatable).")
@click.option("--since", type=DATE, help="Only statements from DATE on.")
@click.option("--until", type=DATE, help="Only statements up to the end of DATE.")
@format_option("table", "json", "csv", "md")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write the chart to FILE.svg or FILE.png (needs cruxcli[plot]).")
@click.option("--no-chart", is_flag=True, help="Tables only, no terminal chart.")
def trace(debate: str, cruxes: tuple[str, ...], who: tuple[str, ...], since: When | None,
          until: When | None, fmt: str, plot: Path | None, no_chart: bool) -> None:
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
    from cruxcli import trace as tracing
    from cruxcli.model import did_you_mean
    from cruxcli.trace_view import trace_report

    if plot is not None and plot.suffix.lower() not in (".svg", ".png"):
        raise click.BadParameter("FILE must end in .svg or .png", param_hint="--plot")
    with reporting():
        d = load(debate)
        for person in who:
            if person not in d.participants:
                raise click.BadParameter(f'no participant "{person}"'
                                         f"{did_you_mean(person, d.participants)}",
                                         param_hint="--who")
        try:
            chosen = tracing.select_cruxes(d, cruxes, who)
        except tracing.UnknownCrux as exc:
            raise click.BadParameter(f'no crux matches "{exc}"{did_you_mean(str(exc), d.cruxes)}',
                                     param_hint="--crux") from None
        t = tracing.trace(d, chosen, who, since, until)
        emit(trace_report(t), fmt)
        if fmt == "table" and not no_chart:
            from cruxcli.chart import terminal_chart
            from cruxcli.render import console

            out = console()
            if chart := terminal_chart(t, out.width, color=out.is_terminal and not out.no_color):
                click.echo(chart)
        if plot is not None:
            from cruxcli.chart import PlotUnavailable, save_plot

            try:
                save_plot(t, plot)
            except PlotUnavailable as exc:
                raise InvalidData(f"error: {exc}") from None
            click.echo(f"wrote {plot}", err=fmt != "table")


@cli.command(context_settings=CONTEXT)
@click.argument("args", nargs=-1, metavar="[REV_A [REV_B]] [--] [DEBATE...]")
@click.option("--no-index", is_flag=True, help="Compare two files OLD NEW, outside git.")
@format_option("table", "json", "md")
def diff(args: tuple[str, ...], no_index: bool, fmt: str) -> None:
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
    """
    from cruxcli import gitlink
    from cruxcli.changes import diff as compare
    from cruxcli.diff_view import diff_report

    with reporting():
        try:
            pairs = diff_sides(args, no_index)
            items = []
            for label, (old_name, old), (new_name, new) in pairs:
                items.append((label, old_name, new_name, compare(old(), new())))
        except gitlink.GitError as exc:
            raise click.UsageError(str(exc)) from None
        if not items:
            click.echo("no debate changed")
            return
        emit(diff_report(items), fmt)


def diff_sides(args: tuple[str, ...], no_index: bool) -> list[Any]:
    """(label, (old name, loader), (new name, loader)) per debate to compare."""
    from cruxcli import gitlink, store
    from cruxcli.changes import empty_debate

    def load_bytes(data: bytes | None, name: str) -> Callable[[], Any]:
        if data is None:
            return empty_debate
        return lambda: store.parse_text(store.decode(data, name), name)

    def working(path: Path) -> Callable[[], Any]:
        return load_bytes(store.read_bytes(path) if path.exists() else None, str(path))

    def at(rev: str, path: Path) -> Callable[[], Any]:
        try:
            data: bytes | None = gitlink.show(rev, path)
        except gitlink.GitError:
            data = None  # not in that revision: a debate added (or deleted) since
        return load_bytes(data, f"{rev}:{path}")

    files = [Path(a) for a in args]
    in_repo = gitlink.toplevel() is not None
    if no_index or (len(files) == 2 and all(f.is_file() for f in files) and
                    (not in_repo or not all(gitlink.tracked(f) for f in files))):
        if len(files) != 2:
            raise click.UsageError("--no-index compares exactly two files: OLD NEW")
        return [(f"{files[0]} -> {files[1]}", (str(files[0]), working(files[0])),
                 (str(files[1]), working(files[1])))]
    if not in_repo:
        raise click.UsageError("not a git repository: to compare two files, give OLD NEW "
                               "(or --no-index)")
    revs: list[str] = []
    paths: list[Path] = []
    for arg in args:
        if not paths and len(revs) < 2 and not Path(arg).exists() and gitlink.is_revision(arg):
            revs.append(arg)
        else:
            paths.append(Path(arg))
    rev_a, rev_b = (revs + ["HEAD"])[0], (revs[1] if len(revs) > 1 else None)
    if not paths:
        paths = gitlink.changed(rev_a, rev_b, f"{store.DEBATES_DIR}/*.toml")
    out = []
    for path in paths:
        old = at(rev_a, path)
        new = at(rev_b, path) if rev_b else working(path)
        if old is empty_debate and new is empty_debate:
            raise click.UsageError(f'"{path}" is neither a file nor a revision git knows, '
                                   f"and no debate by that name exists in {rev_a}")
        out.append((str(path), (rev_a, old), (rev_b or "working tree", new)))
    return out


@cli.group("git", context_settings=CONTEXT)
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

    A file that is not a valid debate is printed as it is, after one line saying why, so that
    `git diff` still works.

    \b
    Example:
      cruxcli git textconv debates/scheming.toml
    """
    from cruxcli import store
    from cruxcli.diagnostics import DebateFileError
    from cruxcli.facts import facts
    from cruxcli.sanitize import clean

    with reporting():
        data = store.read_bytes(file)
    try:
        lines = facts(store.parse_text(store.decode(data, str(file)), str(file)))
    except DebateFileError as exc:
        first = exc.diagnostics[0]
        click.echo(f"# cruxcli: not a valid debate ({clean(first.location(), True)}: "
                   f"{clean(first.message, True)}); the raw file follows")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return
    click.echo("\n".join(lines))


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
    Installed by `cruxcli git install` as:
      merge.cruxcli.driver = cruxcli git merge-driver %O %A %B %P
    """
    from cruxcli import store
    from cruxcli.diagnostics import DebateFileError
    from cruxcli.merge import Unmergeable, merge

    name = path or str(ours)
    try:
        texts = [store.decode(store.read_bytes(p), str(p)) for p in (base, ours, theirs)]
        result = merge(*texts)
    except (DebateFileError, Unmergeable) as exc:
        click.echo(f"cruxcli merge-driver: cannot merge {name} by meaning: {exc}; "
                   "leaving ours for you to merge", err=True)
        sys.exit(1)
    text, conflicts = result.text, list(result.conflicts)
    if not conflicts:
        try:
            store.parse_text(text, name)
        except DebateFileError as exc:
            conflicts.append("the merged debate is invalid")
            newline = "\r\n" if "\r\n" in texts[1] else "\n"
            text += newline.join(["", "# CONFLICT (cruxcli merge-driver): each side is valid, "
                                  "but together they are not:"]
                                 + [f"#   {d.message} (line {d.line})" for d in exc.diagnostics]
                                 + ["# Fix it, run `cruxcli check`, then `git add` this file.",
                                    ""])
    try:
        store.write_file(ours, text.encode("utf-8"))
    except store.WriteFailed as exc:
        click.echo(f"cruxcli merge-driver: {exc}", err=True)
        sys.exit(1)
    if conflicts:
        for c in conflicts:
            click.echo(f"cruxcli merge-driver: CONFLICT in {name}: {c}", err=True)
        sys.exit(1)


INSTALL_PATTERN = "debates/*.toml"


@git_group.command("install", context_settings=CONTEXT)
@click.option("--global", "global_", is_flag=True, help="For every repository of this user.")
@click.option("--pattern", default=INSTALL_PATTERN, show_default=True,
              help="Which files are debates.")
def git_install(global_: bool, pattern: str) -> None:
    """Install the diff and merge drivers: a .gitattributes line and git config (idempotent).

    \b
    Example:
      cruxcli git install && git diff debates/   # diffs now read as changes in beliefs
    """
    from cruxcli import gitlink

    with git_errors():
        cmd = gitlink.self_command()
        done = []
        attributes = gitlink.attributes_file(global_)
        line = f"{pattern} diff=cruxcli merge=cruxcli"
        if add_line(attributes, line):
            done.append(f"added to {attributes}: {line}")
        for key, value in driver_config(cmd):
            if gitlink.config_set(key, value, global_):
                done.append(f"set {key} = {value}")
    click.echo("\n".join(done) if done else "already installed; nothing changed")


@git_group.command("uninstall", context_settings=CONTEXT)
@click.option("--global", "global_", is_flag=True, help="From this user's global settings.")
@click.option("--pattern", default=INSTALL_PATTERN, show_default=True,
              help="The pattern given at install.")
def git_uninstall(global_: bool, pattern: str) -> None:
    """Remove what `cruxcli git install` added (idempotent).

    \b
    Example:
      cruxcli git uninstall
    """
    from cruxcli import gitlink

    with git_errors():
        done = []
        attributes = gitlink.attributes_file(global_)
        line = f"{pattern} diff=cruxcli merge=cruxcli"
        if remove_line(attributes, line):
            done.append(f"removed from {attributes}: {line}")
        for key, _ in driver_config(""):
            if gitlink.config_unset(key, global_):
                done.append(f"unset {key}")
    click.echo("\n".join(done) if done else "not installed; nothing changed")


@contextmanager
def git_errors() -> Iterator[None]:
    from cruxcli import gitlink, store

    try:
        yield
    except gitlink.GitError as exc:
        raise click.UsageError(str(exc)) from None
    except store.WriteFailed as exc:
        raise InvalidData(f"error: {exc}") from None


def driver_config(cmd: str) -> list[tuple[str, str]]:
    return [("diff.cruxcli.textconv", f"{cmd} git textconv"),
            ("merge.cruxcli.name", "cruxcli: merge debates by meaning"),
            ("merge.cruxcli.driver", f"{cmd} git merge-driver %O %A %B %P")]


def add_line(path: Path, line: str) -> bool:
    from cruxcli import store

    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if line in text.splitlines():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = text if not text or text.endswith("\n") else text + "\n"
    store.write_file(path, (prefix + line + "\n").encode("utf-8"))
    return True


def remove_line(path: Path, line: str) -> bool:
    from cruxcli import store

    if not path.exists():
        return False
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [x for x in lines if x.rstrip("\r\n") != line]
    if len(kept) == len(lines):
        return False
    store.write_file(path, "".join(kept).encode("utf-8"))
    return True


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def written_line(path: Path, dry_run: bool, what: str) -> str:
    return f"{what} {'(dry run: nothing written)' if dry_run else 'to ' + str(path)}"


@cli.command(context_settings=CONTEXT)
@click.argument("debate")
@click.argument("args", nargs=-1, metavar="[WHO [CRUX]] CREDENCE")
@click.option("--given", metavar="C",
              help='A conditional credence: P(CRUX | C), or P(CRUX | not C) with "not C".')
@click.option("--at", type=DATE, help="When it was stated [default: now, local time].")
@click.option("--source", help="Where it was stated (a URL).")
@click.option("--quote", help="The statement, verbatim.")
@click.option("--note", help="Why it moved, or what exactly was meant.")
@click.option("--dry-run", is_flag=True, help="Validate and show what would be added; write nothing.")
def log(debate: str, args: tuple[str, ...], given: str | None, at: When | None,
        source: str | None, quote: str | None, note: str | None, dry_run: bool) -> None:
    """Append a stated credence to a debate's log, safely.

    CREDENCE is any stated form: 2%, <1%, ~4%, 2-5%, 1:99, "very unlikely", lower. Quote it if
    it has spaces. If WHO or CRUX is left out, cruxcli asks for it (only on a terminal). The
    file changes only by the added lines; a failure changes nothing.

    \b
    Examples:
      cruxcli log scheming ryan scheming-mythos 2% --source https://... --quote "..."
      cruxcli log scheming ryan scheming-mythos "updated down" --note "neuralese looks later"
      cruxcli log my.toml alice headline 30% --given "not crux-a" --at 2026-04-01
    """
    import datetime as dt
    from dataclasses import replace

    from cruxcli import analysis, store
    from cruxcli.sanitize import clean
    from cruxcli.when import parse_when

    if len(args) > 3:
        raise click.UsageError("too many arguments: quote a credence that has spaces, "
                               'e.g. "very unlikely"')
    padded = (None,) * (3 - len(args)) + args if len(args) != 2 else (args[0], None, args[1])
    who, crux, stated = padded
    with reporting():
        path = store.resolve(debate)
        if None in (who, crux, stated):
            who, crux, stated = ask(path, who, crux, stated)
        when = at or parse_when(dt.datetime.now().replace(microsecond=0))
        fields = {"who": who, "crux": crux, "given": given, "p": stated, "at": when.to_toml(),
                  "source": source, "quote": quote, "note": note}
        try:
            result = store.rewrite(path, store.append_table("[[credence]]", fields), dry_run)
        except store.ChangeRejected as exc:
            if "sources_required" in str(exc):
                raise store.ChangeRejected([replace(d, message=d.message + " (give --source "
                                            "URL and --quote TEXT)") for d in exc.diagnostics])
            raise
    new = max(result.debate.entries, key=lambda e: e.index)
    old = analysis.previous(result.debate, new)
    label = f"{new.who} · {new.crux}" + (f" | {new.given}" if new.given else "")
    change = f"{old.credence.text} -> {new.credence.text}" if old else \
        f"{new.credence.text} (first credence)"
    bits = analysis.move(old, new)
    moved = f" ({bits:+.1f} bits)" if bits is not None else ""
    if dry_run:
        click.echo(clean(store.toml_table("[[credence]]", fields, b"\n").decode()))
    click.echo(clean(f"{label}: {change}{moved}", True) + ("  (dry run: nothing written)"
                                                           if dry_run else ""))


def ask(path: Path, who: str | None, crux: str | None, stated: str | None
        ) -> tuple[str, str, str]:
    """Prompt for what was left out, offering the debate's ids; only on a terminal."""
    from cruxcli import store

    missing = [n for n, v in (("WHO", who), ("CRUX", crux), ("CREDENCE", stated)) if v is None]
    if not stdin_is_terminal():
        raise click.UsageError(f"missing {', '.join(missing)} (and stdin is not a terminal "
                               "to ask for it)")
    d = store.load(path)
    if who is None:
        who = click.prompt("who", type=click.Choice(list(d.participants)))
    if crux is None:
        crux = click.prompt("crux", type=click.Choice(list(d.cruxes)), default=d.headline)
    if stated is None:
        stated = click.prompt("credence (e.g. 2%, <1%, ~4%, very unlikely, lower)")
    return who, crux, stated  # type: ignore[return-value]


def slug(ctx: Any, param: Any, value: str) -> str:
    from cruxcli.model import SLUG

    if not SLUG.match(value):
        raise click.BadParameter(f'"{value}" is not a slug: use lower-case letters, digits, '
                                 "- and _ (e.g. situational-awareness)")
    return value


@cli.group(context_settings=CONTEXT)
def add() -> None:
    """Add a participant or a crux to a debate (next to the others of its kind).

    \b
    Examples:
      cruxcli add participant scheming hubinger --name "Evan Hubinger" --group concerned
      cruxcli add crux scheming neuralese --question "Will AIs have neuralese?"
    """


@add.command("participant", context_settings=CONTEXT)
@click.argument("debate")
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
    from cruxcli import store

    fields = {"name": name, "group": group, "url": url}
    with reporting():
        path = store.resolve(debate)
        store.rewrite(path, store.insert_table("participants", ident, fields,
                                               before=("cruxes", "credence")), dry_run)
    click.echo(written_line(path, dry_run, f'added participant "{ident}"'))


@add.command("crux", context_settings=CONTEXT)
@click.argument("debate")
@click.argument("ident", metavar="ID", callback=slug)
@click.option("--question", required=True, help="The proposition, answerable yes or no.")
@click.option("--premise-of", "parent", metavar="PARENT",
              help="Also append ID to PARENT's premises (an in-place edit of that one line).")
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
def add_crux(debate: str, ident: str, question: str, parent: str | None, dry_run: bool) -> None:
    """Add a crux, optionally as a premise of another.

    \b
    Example:
      cruxcli add crux scheming neuralese --question "Will AIs have neuralese?" \\
          --premise-of scheming-before-full-automation
    """
    from cruxcli import store

    change = store.insert_table("cruxes", ident, {"question": question}, before=("credence",))
    if parent:
        change = store.then(store.add_premise(parent, ident), change)
    with reporting():
        path = store.resolve(debate)
        store.rewrite(path, change, dry_run)
    what = f'added crux "{ident}"' + (f' as a premise of "{parent}"' if parent else "")
    click.echo(written_line(path, dry_run, what))


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
