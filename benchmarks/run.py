"""Time whole cruxcli processes against the floor Python itself sets, and check the budgets.

    python benchmarks/run.py [--sizes 10000,100000,1000000] [--runs 3] [--out DIR]

Generates synthetic debates reproducibly (seeded), then runs each command as a separate process
and reports the median wall time and the peak memory (ru_maxrss from wait4), each run paired
with a reference run beside it:
  (a) python -c "import click, rich.console, rich.table, pydantic, tomli"
  (b) python -c "import tomli; tomli.load(open(F, 'rb'))" on the same file.
Budgets (docs/performance.md): --version/--help <= 0.8x (a); show/summary on the shipped
debates <= 1.3x (a); at 100,000 credences in two shapes, cold (nothing cached) check, show,
summary, trace and log <= 1.5x (b), score, export and import <= 2x (b), report <= 3x (b), peak
memory <= 3x (b)'s; warm (the debate cached) show, summary and trace <= 0.5x (b); and time
above each command's startup floor linear in the size of a lean debate of one shape, from 10k
to 1M (each size at its fastest run).
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
             cruxes: int = CRUXES, lean: bool = False) -> None:
    """A debate like a real one, at scale: 50 cruxes (or `cruxes`; the headline with three
    premises), up to 2,000 participants in five groups (or `people`), stated forms of every
    kind, some conditional, dates over fifteen years, a source, a quote and a note on every
    entry (none if `lean`), and one crux in five resolved at the end of 2025."""
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
        condition = crux % min(cruxes - 1, 49) + 1
        given = f'given = "{"not " if rng.random() < 0.3 else ""}c{condition}"\n' \
            if rng.random() < 0.05 and crux != condition else ""
        note = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 20)))
        out.append(
            f'[[credence]]\nwho = "p{rng.randrange(people)}"\ncrux = "c{crux}"\n'
            f'{given}p = "{stated}"\nat = {rng.randint(2011, 2025)}-{rng.randint(1, 12):02d}-'
            f'{rng.randint(1, 28):02d}\n' + ("\n" if lean else
            f'source = "https://forum.example.org/posts/{n:06d}/'
            f'comment-{rng.randint(1, 999)}"\nquote = "I’d put it at {stated}, given what we '
            f'know — {rng.choice(WORDS)}."\nnote = "{note}"\n\n'))
    out += [f'[[resolution]]\ncrux = "c{i}"\noutcome = "{rng.choice(("yes", "no"))}"\n'
            'at = 2025-12-31\n\n' for i in range(4, cruxes, 5)]
    path.write_text("".join(out), encoding="utf-8")


# Children run as an installed cruxcli would: with bytecode (an editable install has none until
# it is compiled, and some environments set PYTHONDONTWRITEBYTECODE), with buffered output as
# on any machine that does not set PYTHONUNBUFFERED, and with a cache of their own.
ENV = {k: v for k, v in os.environ.items()
       if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "CRUXCLI_CACHE")}
ENV["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="cruxcli-bench-cache-")


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


def paired(reference: list[str], argv: list[str], runs: int, prepare=None, after=None,
           fastest: bool = False) -> tuple[float, float, float, float, float]:
    """Run the reference and the command alternately, so that load on a shared machine hits
    both alike (`after` each command: wait for what it left running). Returns the median
    seconds of each (the fastest, if `fastest`), the median of the per-pair ratios, and the
    peak memory (MB) of each."""
    pairs = []
    for _ in range(runs):
        pairs.append((run_once(reference), run_once(argv, prepare)))
        if after:
            after()
    pick = min if fastest else statistics.median
    ref = pick(r[0] for r, _ in pairs)
    cmd = pick(c[0] for _, c in pairs)
    ratio = statistics.median(c[0] / r[0] for r, c in pairs)
    return ref, cmd, ratio, max(r[1] for r, _ in pairs), max(c[1] for _, c in pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="lean debates for the growth rows (empty: none)")
    parser.add_argument("--runs", type=int, default=3, help="pairs per command at 100k")
    parser.add_argument("--out", type=Path, default=None, help="keep the generated debates here")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "cruxcli")], check=True, env=ENV)
    work = args.out or Path(tempfile.mkdtemp(prefix="cruxcli-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; debates in {work}\n", flush=True)
    imports = [PY, "-c", "import click, rich.console, rich.table, pydantic, tomli"]
    rows = startup(imports, args.runs * 5)
    for label, people, cruxes in SHAPES:
        rows += archive(work, label, people, cruxes, args.runs)
    print_rows(rows)
    if sizes:
        print_growth(growth(work, sizes, imports))
    extra = trace_by_participants(work, args.runs, imports) + score_archive(work, args.runs,
                                                                             imports)
    print_rows(extra)


#: The two shapes of 100,000 credences an archive takes: few questions asked of many people
#: (a survey), many questions asked of a few (a forecasting team's years of logs).
SHAPES = (("50 cruxes x 2,000 people", 2_000, 50), ("5,000 cruxes x 10 people", 10, 5_000))
#: Budgets against (b) at 100k credences, cold (nothing cached) and warm (cached).
COLD = {"check": 1.5, "show": 1.5, "summary": 1.5, "trace": 1.5, "log": 1.5, "score": 2,
        "export csv": 2, "import csv": 2, "report": 3}
WARM = {"show": 0.5, "summary": 0.5, "trace": 0.5}
MEMORY = 3  # peak memory against (b)'s


def made(generator, path: Path, *args, **options) -> None:
    """Generate a debate in a child process: a process's peak memory counts what its parent
    held when it was forked (Linux keeps the high-water mark across exec), so this process
    stays small, and every peak it reports is the command's own."""
    subprocess.run([PY, "-c", f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r});"
                    f" import run; run.{generator.__name__}(run.Path({str(path)!r}), *{args!r},"
                    f" **{options!r})"], check=True)


def cache_folder() -> Path:
    return Path(ENV["XDG_CACHE_HOME"]) / "cruxcli"


def empty_cache() -> None:
    shutil.rmtree(cache_folder(), ignore_errors=True)


def settled(path: Path | None = None) -> None:
    """Wait (up to 10 s, and 2 s more per MB) until the cache entry a cold run writes after
    its output is written, so that the next run does not share the machine with it (none is
    written for a debate under the cache's 1 MB)."""
    if path is not None and path.stat().st_size < 2**20:
        return
    size = path.stat().st_size if path is not None else 30 * 2**20
    for _ in range(200 + 40 * size // 2**20):
        names = [p.name for p in cache_folder().glob("*")] if cache_folder().exists() else []
        if any(n.endswith(".pickle") for n in names) and \
                not any(n.startswith(".writing-") for n in names):
            return
        time.sleep(0.05)


def archive(work: Path, label: str, people: int, cruxes: int, runs: int) -> list[tuple]:
    """Every command at 100,000 credences in one shape: cold (the cache emptied before each
    run), then show, summary and trace warm (from the cache)."""
    tag = f"{cruxes}x{people}"
    path, copy = work / f"archive-{tag}.toml", work / f"copy-{tag}.toml"
    if not path.exists():
        made(generate, path, 100_000, people=people, cruxes=cruxes)
    table, imported, page = work / f"export-{tag}.csv", work / f"imported-{tag}.toml", \
        work / f"report-{tag}.html"
    with open(table, "wb") as out:
        subprocess.run(CRUXCLI + ["--no-cache", "export", str(path), "--format", "csv"],
                       stdout=out, check=True, env=ENV)
    load = [PY, "-c", f"import tomli; tomli.load(open({str(path)!r}, 'rb'))"]
    argv = {"check": ["check", str(path)], "show": ["show", str(path)],
            "summary": ["summary", str(path)], "trace": ["trace", str(path), "--no-chart"],
            "log": ["log", str(copy), "p1", "c1", "5%", "--at", "2026-01-01"],
            "score": ["score", str(path), "--no-chart"],
            "export csv": ["export", str(path), "--format", "csv"],
            "import csv": ["import", "csv", str(table), "-o", str(imported), "--title", "T",
                           "--headline", "c0"],
            "report": ["report", str(path), "-o", str(page)]}

    def prepare(name: str) -> None:
        empty_cache()
        if name == "log":
            shutil.copyfile(path, copy)
        imported.unlink(missing_ok=True)
        page.unlink(missing_ok=True)

    print(f"{label}: {path.stat().st_size / 1e6:.1f} MB", flush=True)
    rows: list[tuple] = []
    for name, budget in COLD.items():
        ref, t, ratio, ref_mem, mem = paired(load, CRUXCLI + argv[name], runs,
                                             lambda n=name: prepare(n), lambda: settled(path))
        rows.append((f"{name} (cold)", label, t, mem, "(b)", ratio, f"<= {budget}"))
        rows.append((f"  peak memory of {name}", label, None, mem, "(b) mem", mem / ref_mem,
                     f"<= {MEMORY}"))
    subprocess.run(CRUXCLI + ["show", str(path)], stdout=subprocess.DEVNULL, env=ENV)
    settled()
    for name, budget in WARM.items():
        ref, t, ratio, ref_mem, mem = paired(load, CRUXCLI + argv[name], runs)
        rows.append((f"{name} (warm)", label, t, mem, "(b)", ratio, f"<= {budget}"))
    rows.insert(0, (f"(b) tomli.load ({path.stat().st_size / 1e6:.1f} MB)", label, ref, ref_mem,
                    "", None, ""))
    return rows


def startup(imports: list[str], runs: int) -> list[tuple]:
    """`--version`, `--help` and the shipped debates against importing the dependencies."""
    rows: list[tuple] = []
    for label, cmd, budget in ((("--version",), ["--version"], "<= 0.8"),
                               (("--help",), ["--help"], "<= 0.8"),
                               *((("show", n), ["show", n], "<= 1.3") for n in SHIPPED),
                               *((("summary", n), ["summary", n], "<= 1.3") for n in SHIPPED)):
        ref_a, t, ratio, mem_a, m = paired(imports, CRUXCLI + cmd, runs)
        rows.append((" ".join(label), "shipped" if len(label) > 1 else "-", t, m, "(a)", ratio,
                     budget))
    rows.insert(0, ("(a) import click, rich, pydantic, tomli", "-", ref_a, mem_a, "", None, ""))
    return rows


GROWN = ("check", "show", "summary", "trace", "log")


def growth(work: Path, sizes: list[int], imports: list[str]) -> list[tuple]:
    """Lean debates (no source, quote or note: 70 bytes a credence) of each size and of one
    shape: 2,000 participants, and a crux for every 2,000 credences (5 at 10k, 500 at 1M),
    so that each person states about one credence a crux at every size and what a report
    prints grows with the debate (with the cruxes fixed too, 10x the credences made 30x the
    incoherence warnings). Every command is run cold beside (b), five times a size (three at
    1M), and on a debate of one credence for its startup floor; each is taken at its fastest
    run, the one least disturbed, since a step compares runs minutes apart that no pairing
    can make alike. Time above the floor should grow linearly."""
    tiny, tiny_copy = work / "lean-1.toml", work / "lean-copy-1.toml"
    made(generate, tiny, 1, lean=True)
    floors = {}
    for name in GROWN:
        argv = commands_for(tiny, tiny_copy)[name]
        floors[name] = paired(imports, CRUXCLI + argv, 5,
                              lambda n=name: (empty_cache(), n == "log" and
                                              shutil.copyfile(tiny, tiny_copy)),
                              fastest=True)[1]
    rows = []
    for size in sizes:
        path, copy = work / f"grown-{size}.toml", work / f"grown-copy-{size}.toml"
        if not path.exists():
            made(generate, path, size, people=2_000, cruxes=max(5, size // 2_000), lean=True)
        load = [PY, "-c", f"import tomli; tomli.load(open({str(path)!r}, 'rb'))"]
        runs = 5 if size < 1_000_000 else 3
        print(f"lean {size:,}: {path.stat().st_size / 1e6:.1f} MB", flush=True)
        for name, argv in commands_for(path, copy).items():
            ref, t, ratio, ref_mem, mem = paired(
                load, CRUXCLI + argv, runs,
                lambda n=name, p=path, c=copy: (empty_cache(), n == "log" and
                                                shutil.copyfile(p, c)), lambda p=path: settled(p),
                fastest=True)
            rows.append((name, size, t - floors[name], floors[name], ratio, ref, ref_mem, mem,
                         path.stat().st_size))
    return rows


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
    cruxes by 2,000 people, as a table and as JSON; cold, as round 2 measured it (without
    emptying the cache, a run was warm or cold by whether the entry the run before left to
    be written had been written)."""
    path = work / "archive-50000.toml"
    if not path.exists():
        made(generate_archive, path)
    rows = []
    for fmt in ("table", "json"):
        _, t, ratio, _, m = paired(imports, CRUXCLI + ["score", str(path), "--no-chart",
                                                       "--format", fmt], max(3, runs // 2),
                                   empty_cache, lambda p=path: settled(p))
        rows.append((f"cruxcli score --format {fmt} (2,000 people, 15,000 cruxes)", "50,000",
                     t, m, "(a)", ratio, ""))
    return rows


def trace_by_participants(work: Path, runs: int, imports: list[str]) -> list[tuple]:
    """`trace` of the headline as participants grow (3 credences each): linear, so 10x the
    participants costs about 10x the time above the startup floor. Cold, as score_archive."""
    rows = []
    for people in (1_000, 3_000, 10_000):
        path = work / f"participants-{people}.toml"
        if not path.exists():
            made(generate, path, 3 * people, people=people)
        _, t, ratio, _, m = paired(imports, CRUXCLI + ["trace", str(path), "--no-chart"],
                                   max(3, runs // 2), empty_cache, lambda p=path: settled(p))
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


def print_rows(rows: list[tuple]) -> None:
    print("\n| what | debate | median s | peak MB | vs | ratio | budget | |")
    print("|---|---|--:|--:|---|--:|---|---|")
    for what, debate, t, mem, ref, ratio, budget in rows:
        ok = ""
        if budget and ratio is not None:
            ok = "met" if ratio <= float(budget.split()[-1]) else "MISSED"
        seconds = "" if t is None else f"{t:.3f}"
        print(f"| {what} | {debate} | {seconds} | {mem:.0f} | {ref} | "
              f"{'' if ratio is None else f'{ratio:.2f}x'} | {budget} | {ok} |", flush=True)


def print_growth(rows: list[tuple]) -> None:
    """Time above each command's startup floor per credence, at each size: linear when it
    stays level (budget: 10x the credences cost at most 11x the time above the floor). Beside
    it, how (b) itself grew over the same step."""
    print("\nGrowth (lean debates, cold, each at its fastest run): time above the command's "
          "startup floor; budget: 10x the credences cost at most 11x.\n")
    print("| command | credences | MB | (b) s | (b) growth | (b) MB | s | above floor s | growth |"
          " vs (b) | peak MB | |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    before: dict[str, tuple[int, float, float]] = {}
    for name, size, above, floor, ratio, ref, ref_mem, mem, nbytes in rows:
        growth_, ok, ref_growth = "", "", ""
        if name in before:
            smaller, was, ref_was = before[name]
            step = above / was
            allowed = 1.1 * size / smaller
            growth_, ok = f"{step:.1f}x for {size // smaller}x", \
                "met" if step <= allowed else "MISSED"
            ref_growth = f"{ref / ref_was:.1f}x"
        before[name] = (size, above, ref)
        print(f"| {name} | {size:,} | {nbytes / 1e6:.0f} | {ref:.2f} | {ref_growth} | "
              f"{ref_mem:.0f} | {above + floor:.2f} | {above:.2f} | {growth_} | {ratio:.2f}x | "
              f"{mem:.0f} | {ok} |", flush=True)


if __name__ == "__main__":
    main()
