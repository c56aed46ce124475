"""The README's examples are what the commands print today (`make readme` rewrites them)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_the_readme_shows_what_the_commands_print() -> None:
    result = subprocess.run([sys.executable, str(REPO / "tools" / "readme.py"), "--check"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, "README drifted; run `make readme`:\n" + result.stdout


def test_the_checker_sees_a_drift_and_a_missing_anchor() -> None:
    sys.path.insert(0, str(REPO / "tools"))
    import readme

    actual = ["a", "b", "c", "d", "e"]
    assert readme.redrawn(["a", "b", "...", "d"], actual) == ["a", "b", "...", "d"]
    assert readme.redrawn(["a", "x", "...", "d"], actual) == ["a", "b", "...", "d"]  # redrawn
    assert readme.redrawn(["...", "zz"], actual) is None  # its anchor is gone: by hand
    assert readme.redrawn(["a", "b"], actual) == actual  # no gap: the whole output
