"""Time whole cruxcli processes against the floor Python itself sets, and check the budgets.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--runs 5] [--out DIR]

Generates synthetic debates reproducibly (seeded), then runs each command several times as a
separate process and reports the median wall time and the peak memory (ru_maxrss from wait4),
beside two references run in the same script:
  (a) python -c "import click, rich.console, rich.table, pydantic, tomli"
  (b) python -c "import tomli; tomli.load(open(F, 'rb'))" on the same file.
Budgets (docs/performance.md): --version/--help <= 0.8x (a); show/summary on the shipped
debates <= 1.3x (a); at 100k entries show/summary/check/log <= 1.5x (b) and memory <= 3x (b);
10x more entries costs at most 11x the time above the startup floor (a).
Not a test: timings vary between machines, so nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
# The console script that pip installed beside this Python, as users run it.
SCRIPT = Path(sys.executable).parent / "cruxcli"
CRUXCLI = [str(SCRIPT)] if SCRIPT.exists() else [PY, "-m", "cruxcli"]
CRUXES = 50
SHIPPED = ("scheming", "power-seeking")
FORMS = ["{}%", "~{}%", "<{}%", "{}%+", "about {}%", "{}-{}%", "very unlikely", "likely",
         "lower", "1:{}"]
WORDS = ("the argument from counting fails because gradient descent prefers simple functions "
         "and the evidence from current models points to narrow context specific behavior "
         "rather than coherent long term goals that would survive training").split()


def generate(path: Path, entries: int, seed: int = 7, people: int | None = None,
             cruxes: int = CRUXES) -> None:
    """A debate like a real one, at scale: 50 cruxes (or `cruxes`; the headline with three
    premises),
    up to 2,000 participants in five groups (or `people`), stated forms of every kind, some
    conditional, dates over fifteen years, and a source, a quote and a note on every entry."""
    rng = random.Random(seed)
    people = people or min(2000, max(20, entries // 50))
    out = ["# Synthetic debate for benchmarks/run.py\nformat = 1\n"
           f'title = "Synthetic debate, {entries} credences"\nheadline = "c0"\n\n']
    for i in range(people):
        out.append(f'[participants.p{i}]\nname = "Participant {i}"\ngroup = "g{i % 5}"\n\n')
    out.append('[cruxes.c0]\nquestion = "Is the headline true?"\n'
               'premises = ["c1", "c2", "c3"]\n\n')
    for i in range(1, cruxes):
        out.append(f'[cruxes.c{i}]\nquestion = "Is sub-question {i} true?"\n\n')
    for n in range(entries):
        form = rng.choice(FORMS)
        a = rng.randint(1, 40)
        stated = form.format(a, a + rng.randint(1, 50)) if form.count("{}") == 2 else \
            form.format(rng.randint(1, 99))
        crux = rng.randrange(cruxes)
        given = f'given = "{"not " if rng.random() < 0.3 else ""}c{crux % 49 + 1}"\n' \
            if rng.random() < 0.05 and crux != crux % 49 + 1 else ""
        note = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 20)))
        out.append(
            f'[[credence]]\nwho = "p{rng.randrange(people)}"\ncrux = "c{crux}"\n'
            f'{given}p = "{stated}"\nat = {rng.randint(2011, 2025)}-{rng.randint(1, 12):02d}-'
            f'{rng.randint(1, 28):02d}\nsource = "https://forum.example.org/posts/{n:06d}/'
            f'comment-{rng.randint(1, 999)}"\nquote = "I’d put it at {stated}, given what we '
            f'know — {rng.choice(WORDS)}."\nnote = "{note}"\n\n')
    path.write_text("".join(out), encoding="utf-8")


# Children run as an installed cruxcli would: with bytecode (an editable install has none until
# it is compiled, and some environments set PYTHONDONTWRITEBYTECODE).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(argv: list[str], prepare=None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, from wait4) of one run of a process."""
    if prepare:
        prepare()
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a full pipe would block
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors, cwd=REPO,
                                env=ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"{' '.join(argv)} failed: {errors.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def paired(reference: list[str], argv: list[str], runs: int, prepare=None
           ) -> tuple[float, float, float, float, float]:
    """Run the reference and the command alternately, so that load on a shared machine hits
    both alike. Returns the median seconds of each, the median of the per-pair ratios, and
    the peak memory (MB) of each."""
    pairs = []
    for _ in range(runs):
        pairs.append((run_once(reference), run_once(argv, prepare)))
    ref = statistics.median(r[0] for r, _ in pairs)
    cmd = statistics.median(c[0] for _, c in pairs)
    ratio = statistics.median(c[0] / r[0] for r, c in pairs)
    return ref, cmd, ratio, max(r[1] for r, _ in pairs), max(c[1] for _, c in pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None, help="keep the generated debates here")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "cruxcli")], check=True, env=ENV)
    work = args.out or Path(tempfile.mkdtemp(prefix="cruxcli-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str, float, float, str, float | None, str]] = []

    def runs_for(size: int) -> int:
        return max(3, args.runs // (2 if size >= 100_000 else 1))

    imports = [PY, "-c", "import click, rich.console, rich.table, pydantic, tomli"]
    ref_a = mem_a = 0.0
    for label, cmd, budget in ((("--version",), ["--version"], "<= 0.8"),
                               (("--help",), ["--help"], "<= 0.8"),
                               *((("show", n), ["show", n], "<= 1.3") for n in SHIPPED),
                               *((("summary", n), ["summary", n], "<= 1.3") for n in SHIPPED)):
        ref_a, t, ratio, mem_a, m = paired(imports, CRUXCLI + cmd, args.runs * 3)
        rows.append((f"cruxcli {' '.join(label)}", "shipped" if len(label) > 1 else "-", t, m,
                     "(a)", ratio, budget))
    rows.insert(0, ("(a) import click, rich, pydantic, tomli", "-", ref_a, mem_a, "", None, ""))

    # Each command's own startup floor: its time on a debate of one credence. (Reference (a)
    # imports all of pydantic, which cruxcli never does, so it can sit below (a).)
    tiny, tiny_copy = work / "synthetic-1.toml", work / "copy-1.toml"
    generate(tiny, 1)
    floors = {name: paired(imports, CRUXCLI + argv, args.runs * 2,
                           (lambda: shutil.copyfile(tiny, tiny_copy)) if name == "log" else None)[1]
              for name, argv in commands_for(tiny, tiny_copy).items()}
    above_floor: dict[tuple[str, int], float] = {}
    for size in sizes:
        path = work / f"synthetic-{size}.toml"
        if not path.exists():
            generate(path, size)
        n = runs_for(size)
        load = [PY, "-c", f"import tomli; tomli.load(open({str(path)!r}, 'rb'))"]
        copy = work / f"copy-{size}.toml"
        reference_row = len(rows)
        for name, argv in commands_for(path, copy).items():
            prepare = (lambda p=path, c=copy: shutil.copyfile(p, c)) if name == "log" else None
            ref_b, t, ratio, mem_b, m = paired(load, CRUXCLI + argv, n, prepare)
            budget = "<= 1.5" if size >= 100_000 and name != "trace" else ""
            rows.append((f"cruxcli {name}", f"{size:,}", t, m, "(b)", ratio, budget))
            if size >= 100_000 and name != "trace":
                rows.append(("  peak memory vs (b)", f"{size:,}", m / mem_b, m, "(b) mem",
                             m / mem_b, "<= 3"))
            above_floor[(name, size)] = t - floors[name]
        rows.insert(reference_row, (f"(b) tomli.load ({path.stat().st_size / 1e6:.1f} MB)",
                                    f"{size:,}", ref_b, mem_b, "", None, ""))
    rows += report_by_cruxes(work, args.runs)
    rows += trace_by_participants(work, args.runs, imports)
    rows += score_archive(work, args.runs, imports)
    print_results(rows, sizes, above_floor, floors, work)


def generate_archive(path: Path, forecasts: int = 50_000, questions: int = 15_000,
                     people: int = 2_000, seed: int = 3) -> None:
    """A public forecast archive's shape: many questions, each resolved (a quarter annulled),
    a few forecasts each by many people."""
    rng = random.Random(seed)
    out = ['format = 1\ntitle = "Archive"\nheadline = "q0"\n']
    out += [f'[participants.p{i}]\nname = "P{i}"\n' for i in range(people)]
    out += [f'[cruxes.q{i}]\nquestion = "Question {i}?"\n' for i in range(questions)]
    out += [f'[[credence]]\nwho = "p{rng.randrange(people)}"\ncrux = "q{rng.randrange(questions)}"'
            f'\np = "{rng.randint(1, 99)}%"\nat = 20{rng.randint(15, 23)}-{rng.randint(1, 12):02d}-'
            f'{rng.randint(1, 28):02d}\n' for _ in range(forecasts)]
    out += [f'[[resolution]]\ncrux = "q{i}"\noutcome = "{rng.choice(["yes", "no", "no", "annulled"])}"'
            f'\nat = 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n' for i in range(questions)]
    path.write_text("\n".join(out), encoding="utf-8")


def score_archive(work: Path, runs: int, imports: list[str]) -> list[tuple]:
    """`score` at the size of a public forecast archive: 50,000 forecasts over 15,000
    cruxes by 2,000 people, as a table and as JSON."""
    path = work / "archive-50000.toml"
    if not path.exists():
        generate_archive(path)
    rows = []
    for fmt in ("table", "json"):
        _, t, ratio, _, m = paired(imports, CRUXCLI + ["score", str(path), "--no-chart",
                                                       "--format", fmt], max(3, runs // 2))
        rows.append((f"cruxcli score --format {fmt} (2,000 people, 15,000 cruxes)", "50,000",
                     t, m, "(a)", ratio, ""))
    return rows


def report_by_cruxes(work: Path, runs: int) -> list[tuple]:
    """`report` (the HTML page) of 100,000 credences over 5,000 cruxes by 10 people, against
    parsing the file: linear in cruxes and entries (the log is grouped by crux once)."""
    path = work / "cruxes-5000.toml"
    if not path.exists():
        generate(path, 100_000, people=10, cruxes=5_000)
    load = [PY, "-c", f"import tomli; tomli.load(open({str(path)!r}, 'rb'))"]
    page = work / "cruxes-5000.html"
    ref, t, ratio, mem, m = paired(load, CRUXCLI + ["report", str(path), "-o", str(page)],
                                   max(3, runs // 2))
    return [(f"(b) tomli.load ({path.stat().st_size / 1e6:.1f} MB)", "100,000", ref, mem, "",
             None, ""),
            (f"cruxcli report (5,000 cruxes; page {page.stat().st_size / 1e6:.1f} MB)",
             "100,000", t, m, "(b)", ratio, "<= 3")]


def trace_by_participants(work: Path, runs: int, imports: list[str]) -> list[tuple]:
    """`trace` of the headline as participants grow (3 credences each): linear, so 10x the
    participants costs about 10x the time above the startup floor."""
    rows = []
    for people in (1_000, 3_000, 10_000):
        path = work / f"participants-{people}.toml"
        if not path.exists():
            generate(path, 3 * people, people=people)
        _, t, ratio, _, m = paired(imports, CRUXCLI + ["trace", str(path), "--no-chart"],
                                   max(3, runs // 2))
        rows.append((f"cruxcli trace ({people:,} participants)", f"{3 * people:,}", t, m, "(a)",
                     ratio, ""))
    return rows


def commands_for(path: Path, copy: Path) -> dict[str, list[str]]:
    return {
        "check": ["check", str(path)],
        "show": ["show", str(path)],
        "summary": ["summary", str(path)],
        "trace": ["trace", str(path), "--no-chart"],
        "log": ["log", str(copy), "p1", "c1", "5%", "--at", "2026-01-01"],
    }


def print_results(rows, sizes, above_floor, floors, work) -> None:
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    print(f"debates: {work}\n")
    print("ratio: the median over runs of (command time / reference time), each command run")
    print("paired with a reference run beside it\n")
    print("| what | entries | median s | peak MB | vs | ratio | budget | |")
    print("|---|--:|--:|--:|---|--:|---|---|")
    for what, size, t, mem, ref, ratio, budget in rows:
        ok = ""
        if budget and ratio is not None:
            ok = "met" if ratio <= float(budget.split()[-1]) else "MISSED"
        seconds = f"{t:.3f}" if ref != "(b) mem" else ""
        print(f"| {what} | {size} | {seconds} | {mem:.0f} | {ref} | "
              f"{'' if ratio is None else f'{ratio:.2f}x'} | {budget} | {ok} |")
    pairs = [(a, b) for a, b in zip(sizes, sizes[1:], strict=False) if b == 10 * a]
    if pairs:
        print("\nGrowth: time above the command's startup floor (its time on a debate of one")
        print("credence), for 10x more entries (budget <= 11x). Where the smaller size costs")
        print("less than 50 ms above the floor, the ratio is noise and is not judged.\n")
        print("| command | floor s | from | to | above floor s | growth | |")
        print("|---|--:|--:|--:|--:|--:|---|")
        for name in ("check", "show", "summary", "trace", "log"):
            for a, b in pairs:
                lo, hi = above_floor[(name, a)], above_floor[(name, b)]
                if lo < 0.05:
                    verdict, growth = "too small to judge", "-"
                else:
                    ratio = hi / lo
                    verdict, growth = ("met" if ratio <= 11 else "MISSED"), f"{ratio:.1f}x"
                print(f"| cruxcli {name} | {floors[name]:.3f} | {a:,} | {b:,} | "
                      f"{lo:.3f} -> {hi:.3f} | {growth} | {verdict} |")


if __name__ == "__main__":
    main()
