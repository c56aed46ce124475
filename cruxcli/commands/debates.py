"""The commands about debate files as a whole: `new` starts one from a template, `check`
validates them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from cruxcli.commands.common import CONTEXT, reporting


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
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json is for CI and editors.")
@click.option("--strict", is_flag=True, help="Warnings fail the check too (exit 1).")
@click.option("--list", "list_", is_flag=True, help="List every check, its name and what it "
              "requires, and exit.")
def check(paths: tuple[Path, ...], fmt: str, strict: bool, list_: bool) -> None:
    """Validate debate files: print "ok" or every error, located and quoted.

    PATHS are files or directories (their *.toml); the default is every debates/*.toml.
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
    if not paths and finding.debates_dir().is_dir():
        paths = (finding.debates_dir(),)
    for path in paths:
        files += sorted(path.glob("*.toml")) if path.is_dir() else [path]
    if not files:
        where = ", ".join(str(p) for p in paths)
        raise click.UsageError(f"no debates to check in {clean(where, True)} (no *.toml there)"
                               if paths else "no debates to check: give paths, or run where "
                               "debates/*.toml is")
    results: list[dict[str, Any]] = []
    for path in files:
        try:
            d = reading.load(path)
        except DebateFileError as exc:
            results.append({"file": str(path), "ok": False, "error_count": exc.total,
                            "errors": [x.to_json() for x in exc.diagnostics], "text": exc.to_text()})
        else:
            warned = reading.warnings(path, d)
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


@click.command(context_settings=CONTEXT)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("-t", "--template", default="blank", show_default=True,
              help="Which template to copy (see --list).")
@click.option("--title", help="The debate's title (replaces the template's).")
@click.option("--question", help="The headline crux's question (replaces the template's).")
@click.option("--list", "list_", is_flag=True, help="List the templates and exit.")
def new(path: Path | None, template: str, title: str | None, question: str | None,
        list_: bool) -> None:
    """Start a debate file from a template. Never overwrites an existing file.

    PATH may be a bare name: `cruxcli new mine` writes ./mine.toml, which `cruxcli show mine`
    then finds. Missing parent directories are created.

    \b
    Examples:
      cruxcli new --list
      cruxcli new debates/mine.toml --template double-crux --title "Rain" \\
          --question "Will it rain tomorrow?"
    """
    from cruxcli.core.text import clean
    from cruxcli.files import atomic, reading, templates

    if list_:
        for name, summary in templates.available():
            click.echo(f"{name:15} {summary}")
        return
    if path is None:
        raise click.UsageError("give the PATH of the new debate file (or --list)")
    if not path.name or path.name in (".", ".."):
        raise click.BadParameter(f'"{clean(str(path), True)}" names no file: give a path such '
                                 "as debates/mine.toml", param_hint="PATH")
    if path.suffix != ".toml":
        path = path.with_name(path.name + ".toml")
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
