"""Startup stays cheap: the CLI module imports only click; heavy modules load in commands."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

PROBE = "import sys, cruxcli.commands.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in " \
        "{'rich', 'pydantic', 'tomli', 'filelock', 'tomlkit', 'matplotlib', 'plotext'} " \
        "or m.startswith(('cruxcli.core', 'cruxcli.files', 'cruxcli.output', 'cruxcli.api'))))"


def test_importing_the_cli_does_not_import_heavy_modules() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True, cwd=REPO).stdout
    assert out.strip() == "[]"


def test_help_and_version_run_without_heavy_modules() -> None:
    code = ("import sys\nfrom cruxcli.commands.cli import cli\n"
            "for args in (['--help'], ['--version'], ['show', '--help']):\n"
            "    try: cli.main(args, standalone_mode=False)\n"
            "    except SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'rich', 'pydantic'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO).stdout
    assert out.strip().endswith("[]")


def test_python_dash_m_works() -> None:
    out = subprocess.run([sys.executable, "-m", "cruxcli", "--version"], capture_output=True,
                         text=True, check=True, cwd=REPO).stdout
    assert out.startswith("cruxcli, version ")
