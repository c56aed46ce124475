"""The templates `cruxcli new` copies. They live in the repo's templates/ and ship inside the
wheel as cruxcli/templates (see pyproject.toml); a source checkout reads them in place."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

_TITLE = re.compile(rb"^title\s*=.*$", re.M)


def directory() -> Path:
    shipped = Path(str(resources.files("cruxcli"))) / "templates"
    return shipped if shipped.is_dir() else Path(__file__).resolve().parents[2] / "templates"


def available() -> list[tuple[str, str]]:
    """(name, one-line summary from the template's first comment), sorted by name."""
    out = []
    for path in sorted(directory().glob("*.toml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        summary = first.lstrip("# ").strip().removeprefix(f"{path.stem}:").strip()
        out.append((path.stem, summary))
    return out


def instantiate(name: str, title: str | None = None) -> bytes:
    """The template's bytes, with its title replaced. Raises KeyError for an unknown name."""
    if name not in dict(available()):
        raise KeyError(name)
    data = (directory() / f"{name}.toml").read_bytes()
    if title is not None:
        import tomli_w

        line = tomli_w.dumps({"title": title}).strip().encode("utf-8")
        data = _TITLE.sub(lambda _: line, data, count=1)
    return data
