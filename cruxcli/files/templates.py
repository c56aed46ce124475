"""The templates `cruxcli new` copies. They live in the repo's templates/ and ship inside the
wheel as cruxcli/templates (see pyproject.toml); a source checkout reads them in place."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

_TITLE = re.compile(rb"^title\s*=.*$", re.M)
_QUESTION = re.compile(rb"^question\s*=.*$", re.M)


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


def instantiate(name: str, title: str | None = None, question: str | None = None) -> bytes:
    """The template's bytes, with its title and its headline's question replaced (each value
    serialized by tomli-w, never formatted by hand). Raises KeyError for an unknown name."""
    if name not in dict(available()):
        raise KeyError(name)
    data = (directory() / f"{name}.toml").read_bytes()
    import tomli_w

    if title is not None:
        line = tomli_w.dumps({"title": title}).strip().encode("utf-8")
        data = _TITLE.sub(lambda _: line, data, count=1)
    if question is not None:
        from cruxcli.files import toml_text

        headline = toml_text.loads(data.decode("utf-8"))["headline"]
        table = re.search(rb"^\[cruxes\." + re.escape(headline.encode()) + rb"\]\s*$", data, re.M)
        assert table is not None, f"template {name} has no [cruxes.{headline}]"
        line = tomli_w.dumps({"question": question}).strip().encode("utf-8")
        start = table.end()
        data = data[:start] + _QUESTION.sub(lambda _: line, data[start:], count=1)
    return data
