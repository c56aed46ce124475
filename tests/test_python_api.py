"""The Python examples of docs/python.md and the README, run as written (doctest), from the
repository's root."""

from __future__ import annotations

import doctest

from conftest import REPO


def test_the_documented_python_examples_run(monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    for doc, least in (("docs/python.md", 10), ("README.md", 3)):
        failed, tried = doctest.testfile(str(REPO / doc), module_relative=False,
                                         optionflags=doctest.NORMALIZE_WHITESPACE)
        assert tried >= least and failed == 0, doc


def test_importing_cruxcli_loads_nothing_heavy() -> None:
    import subprocess
    import sys

    code = ("import sys, cruxcli; assert 'cruxcli.api' not in sys.modules; "
            "assert 'rich' not in sys.modules and 'pydantic_core' not in sys.modules; "
            "cruxcli.load; assert 'cruxcli.api' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
