"""git, through its command line: a file at a revision, what is tracked, config and attributes.
The only module that runs git."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


class GitError(Exception):
    """git refused or is missing; the message says why in git's own words."""


def git(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed (or not on PATH)")
    result = subprocess.run([exe, *args], cwd=cwd, capture_output=True)
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().removeprefix("fatal: ")
        raise GitError(message or f"git {' '.join(args)} failed")
    return result


def toplevel(cwd: Path | None = None) -> Path | None:
    """The root of the work tree around `cwd`, or None outside a repository: found as every
    other part of cruxcli finds it (finding.repository_root), with no git process."""
    from cruxcli.files.finding import repository_root

    return repository_root(cwd)


def revision(path: Path) -> str | None:
    """The commit the file is at, e.g. "3fa2c0d", with "+ changes" when the working copy
    differs from it; None outside a repository (or before the first commit)."""
    folder = path.resolve().parent
    try:
        commit = git("rev-parse", "--short", "HEAD", cwd=folder).stdout.decode().strip()
        changed = git("status", "--porcelain", "--", path.name, cwd=folder).stdout.strip()
    except GitError:
        return None
    return commit + (" + uncommitted changes" if changed else "")


def is_revision(name: str) -> bool:
    if name.startswith("-"):
        return False
    try:
        return git("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", check=False) \
            .returncode == 0
    except GitError:
        return False


def show(revision: str, path: Path) -> bytes:
    """The bytes of `path` (relative to the current directory) at `revision`."""
    try:
        return git("show", f"{revision}:./{path.as_posix()}").stdout
    except GitError as exc:
        raise GitError(f"{revision}:{path}: {exc}") from None


def changed(rev_a: str, rev_b: str | None, pattern: str) -> list[Path]:
    """Paths matching `pattern` (from the work tree's root) that differ between two revisions
    (rename detection off: a debate renamed is one removed and one added, never hidden),
    or between a revision and the work tree, new untracked files included; relative to the
    current directory, so the answer is the same from anywhere in the repository."""
    root = toplevel()
    if root is None:
        raise GitError("not a git repository")
    spec = f":(top){pattern}"
    out = git("diff", "--no-renames", "--name-only", "-z", rev_a, *([rev_b] if rev_b else []), "--", spec).stdout
    names = [Path(os.path.relpath(root / name)) for name in
             out.decode("utf-8", "surrogateescape").split("\0") if name]  # -z: never quoted
    if rev_b is None:
        untracked = git("ls-files", "-z", "--others", "--exclude-standard", "--", spec).stdout
        names += [Path(n) for n in untracked.decode("utf-8", "surrogateescape").split("\0") if n]
    return sorted(set(names))


def changed_debates_elsewhere() -> list[Path]:
    """Changed or new *.toml files outside debates/ that hold a debate (a headline and
    cruxes), compared with HEAD: what `check` and `diff` by default do not look at, and say
    so. Empty outside a repository."""
    from cruxcli.files import toml_text

    if toplevel() is None:
        return []
    try:
        names = changed("HEAD", None, "*.toml")
    except GitError:  # no commit yet
        return []
    root = toplevel()
    assert root is not None
    folder = (root / "debates").resolve()
    out = []
    for path in names:
        if path.resolve().parent == folder or not path.is_file():
            continue
        try:
            doc = toml_text.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, toml_text.TOMLDecodeError):
            continue
        if "headline" in doc and "cruxes" in doc:
            out.append(path)
    return out


def tracked(path: Path) -> bool:
    try:
        return git("ls-files", "--error-unmatch", "--", str(path), check=False).returncode == 0
    except GitError:
        return False


def _driver(what: str, run: str, args: str, fallback: str) -> str:
    """A driver command that never breaks git. It runs cruxcli as `run` finds it when git
    runs it (by default `cruxcli` on PATH, so it keeps working when a virtual environment is
    rebuilt or moved, as nbdime's drivers do); without it, git's own behaviour (`fallback`)
    with one line on stderr saying why and what to do. git runs it through sh, appending the
    file for textconv (hence the function, which takes "$@")."""
    first = run.rsplit(" -m ", 1)[0] if " -m " in run else run
    why = (f"cruxcli: not found, so git {what}; install cruxcli where git can find it (pip "
           "install cruxcli, or activate its environment), or remove the driver: cruxcli git "
           "uninstall")
    return (f"crux() {{ if command -v {first} >/dev/null 2>&1; then {run} {args}; else "
            f"echo '{why}' >&2; {fallback}; fi; }}; crux")


def drivers(absolute: bool = False) -> list[tuple[str, str]]:
    """The git config `install` writes: with `absolute`, the drivers run this very Python
    and cruxcli (for a cruxcli that is not on PATH, such as .venv/bin/cruxcli)."""
    import shlex
    import sys

    run = f"{shlex.quote(sys.executable)} -m cruxcli" if absolute else "cruxcli"
    return [("diff.cruxcli.textconv", _driver("shows the raw text", run, 'git textconv "$@"',
                                              'cat "$@"')),
            ("merge.cruxcli.name", "cruxcli: merge debates by meaning"),
            ("merge.cruxcli.driver",
             _driver("merges the lines itself", run, "git merge-driver %O %A %B %P",
                     "git merge-file -L ours -L base -L theirs %A %O %B"))]


def config_get(key: str, global_: bool) -> str | None:
    result = git("config", "--global" if global_ else "--local", "--get", key, check=False)
    return result.stdout.decode().strip() if result.returncode == 0 else None


def config_set(key: str, value: str, global_: bool) -> bool:
    """Set `key`; False if it already had that value."""
    if config_get(key, global_) == value:
        return False
    git("config", "--global" if global_ else "--local", key, value)
    return True


def config_unset(key: str, global_: bool) -> bool:
    if config_get(key, global_) is None:
        return False
    git("config", "--global" if global_ else "--local", "--unset", key)
    return True


def attributes_file(global_: bool) -> Path:
    """The repository's .gitattributes, or the global attributes file."""
    if not global_:
        root = toplevel()
        if root is None:
            raise GitError("not a git repository (use --global, or run inside one)")
        return root / ".gitattributes"
    configured = config_get("core.attributesFile", True)
    if configured:
        return Path(os.path.expanduser(configured))
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return Path(base) / "git" / "attributes"


def _attributes_line(pattern: str) -> str:
    return f"{pattern} diff=cruxcli merge=cruxcli"


def install_drivers(global_: bool, pattern: str, absolute: bool = False) -> list[str]:
    """Write the attributes line and the drivers' config; returns what changed."""
    done = []
    path, line = attributes_file(global_), _attributes_line(pattern)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if line not in text.splitlines():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, (text if not text or text.endswith("\n") else text + "\n") + line + "\n")
        done.append(f"added to {path}: {line}")
    for key, value in drivers(absolute):
        if config_set(key, value, global_):
            done.append(f"set {key}")
    return done


def uninstall_drivers(global_: bool, pattern: str) -> list[str]:
    """Remove exactly what install_drivers adds, leaving the tree as it was: an attributes
    file that only held our line is removed (unless git tracks it), and so are the config
    sections. Returns what changed."""
    done = []
    path, line = attributes_file(global_), _attributes_line(pattern)
    if path.exists():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [x for x in lines if x.rstrip("\r\n") != line]
        if len(kept) != len(lines):
            if "".join(kept).strip() or (not global_ and tracked(path)):
                _write(path, "".join(kept))
            else:
                path.unlink()
            done.append(f"removed from {path}: {line}")
    scope = "--global" if global_ else "--local"
    for key, _ in drivers():
        if config_unset(key, global_):
            done.append(f"unset {key}")
    for section in ("diff.cruxcli", "merge.cruxcli"):
        git("config", scope, "--remove-section", section, check=False)
    return done


def _write(path: Path, text: str) -> None:
    from cruxcli.files.atomic import write_file

    write_file(path, text.encode("utf-8"))
