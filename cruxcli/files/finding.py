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
    """A debate named on the command line: a file path; or a bare name, found as ./NAME.toml
    (where `cruxcli new NAME` puts it), then in debates_dir()."""
    path = Path(name)
    try:
        return _find(name, path)
    except OSError as exc:  # a name longer than the file system allows, and the like
        raise NotFound(f'no debate "{name[:80]}{"..." if len(name) > 80 else ""}": '
                       f"{exc.strerror}") from None


def _find(name: str, path: Path) -> Path:
    if path.is_file():
        return path
    bare = bool(name) and os.sep not in name and "/" not in name and not name.endswith(".toml")
    folder = debates_dir()
    candidates = [Path(f"{name}.toml"), folder / f"{name}.toml"] if bare else []
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    if path.exists() and name:
        return path  # a directory or a special file: reading it gives the precise error
    known = [p.stem for p in sorted(folder.glob("*.toml"))]
    hint = did_you_mean(name, known) or (f" (known: {', '.join(known)})" if known else "")
    where = f", no {candidates[0]} and no {candidates[1]}" if bare else ""
    raise NotFound(f'no debate "{name}": no such file{where}{hint}')


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
