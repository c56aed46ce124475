"""Render a terminal capture (`tmux capture-pane -e -p`, ANSI colours kept) as a PNG on a dark
or light background, to look at what people see and to picture it in the docs.

    tmux capture-pane -e -p -t SESSION > shot.ansi
    python tools/terminal_png.py shot.ansi shot-dark.png --background dark

Needs Pillow and a monospaced font (matplotlib ships DejaVu Sans Mono). Not part of cruxcli.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

XTERM = ["#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
         "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff"]
THEMES = {"dark": ("#1e1e1e", "#d4d4d4"), "light": ("#fdfdfd", "#202020")}
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def colour_256(n: int) -> str:
    if n < 16:
        return XTERM[n]
    if n >= 232:
        v = 8 + 10 * (n - 232)
        return f"#{v:02x}{v:02x}{v:02x}"
    n -= 16
    steps = [0, 95, 135, 175, 215, 255]
    return f"#{steps[n // 36]:02x}{steps[n // 6 % 6]:02x}{steps[n % 6]:02x}"


def spans(line: str, default: str) -> list[tuple[str, str, bool]]:
    """(text, colour, bold) runs of one line."""
    out, colour, bold, pos = [], default, False, 0
    for m in SGR.finditer(line):
        if m.start() > pos:
            out.append((line[pos:m.start()], colour, bold))
        codes = [int(c) for c in m.group(1).split(";") if c] or [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                colour, bold = default, False
            elif c == 1:
                bold = True
            elif 30 <= c <= 37:
                colour = XTERM[c - 30]
            elif 90 <= c <= 97:
                colour = XTERM[c - 90 + 8]
            elif c == 39:
                colour = default
            elif c == 38 and i + 2 < len(codes) and codes[i + 1] == 5:
                colour, i = colour_256(codes[i + 2]), i + 2
            i += 1
        pos = m.end()
    out.append((line[pos:], colour, bold))
    return out


def render(text: str, background: str) -> Image.Image:
    import matplotlib

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    regular = ImageFont.truetype(str(fonts / "DejaVuSansMono.ttf"), 15)
    bold = ImageFont.truetype(str(fonts / "DejaVuSansMono-Bold.ttf"), 15)
    bg, fg = THEMES[background]
    lines = text.rstrip("\n").split("\n")
    cell_w, cell_h = regular.getbbox("M")[2], 19
    width = max(len(SGR.sub("", line)) for line in lines)
    image = Image.new("RGB", ((width + 2) * cell_w, (len(lines) + 2) * cell_h), bg)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        col = 1
        for chunk, colour, strong in spans(line, fg):
            draw.text((col * cell_w, (row + 1) * cell_h), chunk, fill=colour,
                      font=bold if strong else regular)
            col += len(chunk)
    return image


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("capture", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--background", choices=sorted(THEMES), default="dark")
    args = parser.parse_args()
    render(args.capture.read_text(encoding="utf-8"), args.background).save(args.png)
