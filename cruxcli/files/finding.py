"""Finding debates: a name on the command line as a file, the debates/ folder, and the git
repository around a path (found without running git: the one way cruxcli finds it)."""

from __future__ import annotations

import os
from pathlib import Path

from cruxcli.core.model import did_you_mean

DEBATES_DIR = Path("debates")


class NotFound(Exception):
    """A debate name or path that does not exist (a usage error)."""


def repository_root(start: Path | None = None) -> Path | None:
    """The enclosing git work tree's root, found without running git (see git_dir), or None."""
    found = git_dir((start or Path.cwd()).resolve())
    return found[1] if found else None


def debates_dir() -> Path:
    """Where bare debate names live: ./debates, else the enclosing repository's debates/
    (so that every command gives the same answer from any directory inside it)."""
    if DEBATES_DIR.is_dir():
        return DEBATES_DIR
    root = repository_root()
    if root is not None and (root / DEBATES_DIR).is_dir():
        return Path(os.path.relpath(root / DEBATES_DIR))
    return DEBATES_DIR


def find_debate(name: str) -> Path:
    """A debate named on the command line, by the one rule every command follows (see
    candidates): the first that is a file."""
    path = Path(name)
    try:
        return _find(name, path)
    except OSError as exc:  # a name longer than the file system allows, and the like
        raise NotFound(f'no debate "{name[:80]}{"..." if len(name) > 80 else ""}": '
                       f"{exc.strerror}") from None


def candidates(name: str) -> list[Path]:
    """Where a debate named NAME may be, in order: the path as given; NAME.toml (so
    "debates/rain" is debates/rain.toml); and for a bare name, the debates folder's NAME.toml
    (debates_dir)."""
    path = Path(name)
    if not name or name.endswith(".toml"):
        return [path]
    out = [path, Path(f"{name}.toml")]
    if os.sep not in name and "/" not in name:
        out.append(debates_dir() / f"{name}.toml")
    return out


def is_bare(name: str) -> bool:
    return bool(name) and os.sep not in name and "/" not in name and not name.endswith(".toml")


def _find(name: str, path: Path) -> Path:
    options = candidates(name)
    for candidate in options:
        if candidate.is_file():
            return candidate
    if path.exists() and name:
        return path  # a directory or a special file: reading it gives the precise error
    folder = debates_dir()
    known = [p.stem for p in sorted(folder.glob("*.toml"))]
    hint = did_you_mean(name, known) or (f" (known: {', '.join(known)})" if known else "")
    where = "".join(f", no {c}" for c in options[1:])
    raise NotFound(f'no debate "{name}": no such file{where}{hint}')


def new_debate_path(name: str) -> Path:
    """Where `cruxcli new NAME` writes: a path as given (with .toml added); a bare name inside
    a git repository in its debates/ folder, where every other command, `check`, `diff` and
    the git drivers look; a bare name elsewhere in the current directory."""
    path = Path(name if name.endswith(".toml") else f"{name}.toml")
    if is_bare(name) and repository_root() is not None:
        root = repository_root()
        assert root is not None
        return Path(os.path.relpath(root / DEBATES_DIR / path))
    return path


def git_dir(target: Path) -> tuple[Path, Path] | None:
    """The git directory of the work tree holding `target` (an absolute path, or that root
    itself), and that work tree's root; a linked worktree's or submodule's `.git` file is
    followed. None outside git."""
    for parent in (target, *target.parents):
        dot_git = parent / ".git"
        if dot_git.is_dir():
            return dot_git, parent
        if dot_git.is_file():
            try:
                line = dot_git.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if line.startswith("gitdir:"):
                linked = Path(line.removeprefix("gitdir:").strip())
                linked = linked if linked.is_absolute() else parent / linked
                return (linked, parent) if linked.is_dir() else None
            return None
    return None


def user_folder(variable: str, default: str) -> Path:
    """A folder of the user's own, outside any repository: `$variable/cruxcli` (an XDG base
    directory, e.g. XDG_CACHE_HOME) or `~/default/cruxcli`. A relative value is ignored, as
    the XDG spec says: it would put the folder under the working directory, perhaps into a
    repository (and a sealed statement's salt with it)."""
    base = os.environ.get(variable, "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), default)
    return Path(base, "cruxcli")
