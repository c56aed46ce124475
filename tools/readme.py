"""Keep the README's examples true: every block that runs one read-only cruxcli command on the
shipped debates is run again and compared with what the README shows (`--check`, which a test
runs), or rewritten from what it prints now (`make readme`), as sqlite-utils does with cog.

A block is a fenced block whose first line is `$ cruxcli COMMAND ...` and which holds no other
`$ ` line. A line `...` in a block stands for output left out: each run of lines between two
of them must appear, in order, in the output; rewriting keeps each run's first line as its
anchor and its length. Blocks that write (log, new, ...) or run git are examples of a session,
not checked here.

    python tools/readme.py --check      # exit 1 and a diff if the README drifted
    python tools/readme.py              # rewrite the blocks from today's output
"""

from __future__ import annotations

import argparse
import difflib
import os
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
READ_ONLY = {"check", "show", "summary", "trace", "score"}
GAP = "..."
#: The terminal the examples were drawn on: 80 columns, no colour.
ENV = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"}


def blocks(lines: list[str]) -> list[tuple[int, int, str]]:
    """(first output line, end line, command) of every checked block, as indices in `lines`."""
    out = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("```"):
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            body = lines[i + 1:end]
            if body and body[0].startswith("$ cruxcli ") and \
                    not any(x.startswith("$ ") for x in body[1:]):
                words = shlex.split(body[0][2:])
                if len(words) > 1 and words[1] in READ_ONLY:
                    out.append((i + 2, end, body[0][2:]))
            i = end
        i += 1
    return out


def run(command: str) -> list[str]:
    words = shlex.split(command)
    result = subprocess.run([sys.executable, "-m", "cruxcli", *words[1:]], cwd=REPO,
                            capture_output=True, text=True, env=ENV)
    return [line.rstrip() for line in result.stdout.rstrip("\n").split("\n")]


def segments(shown: list[str]) -> list[list[str]]:
    """The runs of lines between `...` lines ([] where a block starts or ends with one)."""
    out: list[list[str]] = [[]]
    for line in shown:
        if line == GAP:
            out.append([])
        else:
            out[-1].append(line.rstrip())
    return out


def redrawn(shown: list[str], actual: list[str]) -> list[str] | None:
    """The block as it would read today: each run replaced by as many lines of the output
    from where its first line stands (the first run from the top, unless a `...` leads);
    None where a run's first line is no longer in the output."""
    if GAP not in shown:
        return actual
    out: list[str] = []
    at = 0
    for n, run_ in enumerate(segments(shown)):
        if n:
            out.append(GAP)
        if not run_:
            continue
        if n == 0:
            start = 0
        else:
            start = next((k for k in range(at, len(actual)) if actual[k] == run_[0]), -1)
            if start < 0:
                return None
        out += actual[start:start + len(run_)]
        at = start + len(run_)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on drift")
    args = parser.parse_args()
    lines = README.read_text(encoding="utf-8").split("\n")
    drifted = []
    for start, end, command in reversed(blocks(lines)):
        shown = lines[start:end]
        today = redrawn(shown, run(command))
        if today is None:
            drifted.append(f"$ {command}: a shown line is no longer in its output; update the "
                           "block by hand")
        elif today != [line.rstrip() for line in shown]:
            drifted.append("\n".join(difflib.unified_diff(shown, today, f"README: $ {command}",
                                                          "today", lineterm="")))
            lines[start:end] = today
    if args.check:
        for d in drifted:
            print(d)
        return 1 if drifted else 0
    README.write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(drifted)} block(s) rewritten" if drifted else "README up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
