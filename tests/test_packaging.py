"""The wheel carries the templates, so `cruxcli new` works when installed from it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO


def test_wheel_ships_the_templates(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(tmp_path), str(REPO)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("cruxcli-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {Path(n).name for n in names if n.startswith("cruxcli/templates/")}
    assert shipped == {p.name for p in (REPO / "templates").glob("*.toml")}
    shipped_code = {n for n in names if n.endswith(".py")}
    assert shipped_code == {str(p.relative_to(REPO)) for p in (REPO / "cruxcli").rglob("*.py")}
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("/entry_points.txt")))
    assert b"cruxcli = cruxcli.commands.cli:main" in entry_points
