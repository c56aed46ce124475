"""docs/python.md's examples, run as written (doctest), from the repository's root."""

from __future__ import annotations

import doctest

from conftest import REPO


def test_the_documented_python_examples_run(monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    failed, tried = doctest.testfile(str(REPO / "docs" / "python.md"), module_relative=False,
                                     optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried >= 10 and failed == 0


def test_importing_cruxcli_loads_nothing_heavy() -> None:
    import subprocess
    import sys

    code = ("import sys, cruxcli; assert 'cruxcli.api' not in sys.modules; "
            "assert 'rich' not in sys.modules and 'pydantic_core' not in sys.modules; "
            "cruxcli.load; assert 'cruxcli.api' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
