"""The commands about debate files as a whole: `new` starts one from a template, `check`
validates them."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from cruxcli.commands.common import CONTEXT, complete_debate, reporting


def _list_checks(fmt: str) -> None:
    from cruxcli.core.checks import CHECKS

    if fmt == "json":
        from cruxcli.output.export import json_text

        click.echo(json_text({"checks": [c._asdict() for c in CHECKS]}), nl=False)
        return
    width = max(len(c.name) for c in CHECKS)
    for c in CHECKS:
        click.echo(f"{c.name:<{width}}  {c.severity:<7}  {c.says}")


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, shell_complete=complete_debate)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json is for CI and editors.")
@click.option("--strict", is_flag=True, help="Warnings fail the check too (exit 1).")
@click.option("--list", "list_", is_flag=True, help="List every check, its name and what it "
              "requires, and exit.")
def check(paths: tuple[str, ...], fmt: str, strict: bool, list_: bool) -> None:
    """Validate debate files: print "ok" or every error, located and quoted.

    PATHS are debates (a path, or a bare name as every command takes it) or directories
    (their *.toml); the default is every debates/*.toml, and a note names any other changed
    debate file in the repository, which the default does not check.
    Exits 1 if any file is invalid. Warnings (a participant's stated P(U), P(c), P(U|c) and
    P(U|not c) that cannot all hold) are printed too; with --strict they also exit 1. The
    same checks run whenever any command reads or writes a debate (`--list` names them).

    \b
    Examples:
      cruxcli check
      cruxcli check debates/scheming.toml --format json
      cruxcli check --list
    """
    if list_:
        _list_checks(fmt)
        return
    from cruxcli.core.text import clean
    from cruxcli.files import finding, reading
    from cruxcli.files.diagnostics import DebateFileError

    files: list[Path] = []
    folders = [finding.debates_dir()] if not paths and finding.debates_dir().is_dir() else []
    with reporting():
        for name in paths:
            found = Path(name) if Path(name).is_dir() else finding.find_debate(name)
            folders += [found] if found.is_dir() else []
            files += [] if found.is_dir() else [found]
    for folder in folders:
        files += sorted(folder.glob("*.toml"))
    if not paths:
        _mention_others(files)
    if not files:
        where = ", ".join(paths)
        raise click.UsageError(f"no debates to check in {clean(where, True)} (no *.toml there)"
                               if paths else "no debates to check: give paths, or run where "
                               "debates/*.toml is")
    results: list[dict[str, Any]] = []
    for path in files:
        try:
            data = reading.read_bytes(path)
            d = reading.parse_bytes(data, str(path))
        except DebateFileError as exc:
            results.append({"file": str(path), "ok": False, "error_count": exc.total,
                            "errors": [x.to_json() for x in exc.diagnostics], "text": exc.to_text()})
        else:
            warned = reading.warnings(data, str(path), d)
            results.append({"file": str(path), "ok": not (strict and warned), "error_count": 0,
                            "errors": [], "warnings": [w.to_json() for w in warned],
                            "participants": len(d.participants), "cruxes": len(d.cruxes),
                            "credences": len(d.entries),
                            "text": "\n".join(w.to_text() for w in warned)})
    ok = all(r["ok"] for r in results)
    if fmt == "json":
        doc = {"ok": ok, "files": [{k: v for k, v in r.items() if k != "text"} for r in results]}
        from cruxcli.output.export import json_text

        click.echo(json_text(doc), nl=False)
    else:
        from cruxcli.core.text import clean
        from cruxcli.reports.sheet import plural

        for r in results:
            if r["error_count"] == 0:
                verdict = "ok " if r["ok"] else "warnings (--strict):"
                counts = (plural(r["participants"], "participant"),
                          plural(r["cruxes"], "crux", "cruxes"), plural(r["credences"], "credence"))
                click.echo(f"{verdict} {clean(r['file'], True)}  ({', '.join(counts)})")
            if r["text"]:
                click.echo(r["text"], err=True)
    sys.exit(0 if ok else 1)


def _mention_others(checked: list[Path]) -> None:
    """On stderr, changed debate files the default did not check (outside debates/)."""
    from cruxcli.files import git

    others = [p for p in git.changed_debates_elsewhere() if p not in checked]
    if others:
        click.echo("not checked, outside debates/ (give the path to check it): "
                   + ", ".join(str(p) for p in others), err=True)


@click.command(context_settings=CONTEXT)
@click.argument("name", required=False)
@click.option("-t", "--template", default="blank", show_default=True,
              help="Which template to copy (see --list).")
@click.option("--title", help="The debate's title (replaces the template's).")
@click.option("--question", help="The headline crux's question (replaces the template's).")
@click.option("--list", "list_", is_flag=True, help="List the templates and exit.")
def new(name: str | None, template: str, title: str | None, question: str | None,
        list_: bool) -> None:
    """Start a debate file from a template. Never overwrites an existing file.

    NAME is a path (.toml is added) or a bare name: inside a git repository `cruxcli new mine`
    writes debates/mine.toml, where `check`, `diff` and the git drivers look; elsewhere
    ./mine.toml. Either way `cruxcli show mine` then finds it. Missing parent directories
    are created.

    \b
    Examples:
      cruxcli new --list
      cruxcli new rain --template double-crux
      cruxcli new debates/mine.toml --template double-crux --title "Rain" \\
          --question "Will it rain tomorrow?"
    """
    from cruxcli.core.text import clean
    from cruxcli.files import atomic, finding, reading, templates

    if list_:
        for name, summary in templates.available():
            click.echo(f"{name:15} {summary}")
        return
    if name is None:
        raise click.UsageError("give the NAME or path of the new debate file (or --list)")
    if not Path(name).name or Path(name).name in (".", "..") or name.endswith(("/", os.sep)):
        raise click.BadParameter(f'"{clean(name, True)}" names no file: give a name or a path '
                                 "such as debates/mine.toml", param_hint="NAME")
    path = finding.new_debate_path(name)
    with reporting():
        try:
            data = templates.instantiate(template, title, question)
        except KeyError:
            names = ", ".join(n for n, _ in templates.available())
            raise click.BadParameter(f'no template "{template}" (templates: {names})',
                                     param_hint="--template") from None
        reading.parse_text(data.decode("utf-8"), str(path))  # a template must yield a valid debate
        atomic.create_exclusively(path, data)
    click.echo(f"created {path} from the {template} template; next: cruxcli show {path}")
