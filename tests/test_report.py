"""`cruxcli report`: one self-contained HTML page, checked as text and in a real browser
(headless Chromium from the distribution, which .ci/run installs; skipped where it is absent)."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import HEADER, REPO, credence, debate_text, run
from cruxcli.files import reading

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
browser = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed "
                             "(apt-get install chromium; .ci/run does)")
XSS_NAME = "<img src=x onerror=\"document.title='pwned'\">"
XSS_NOTE = "<script>document.title='pwned'</script>"
XSS_SOURCE = "javascript:document.title='pwned'"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    import tomli_w

    header = HEADER.replace('title = "Test debate"', 'title = "Safe"').replace(
        'name = "Bob"', tomli_w.dumps({"name": XSS_NAME}).strip())
    path = tmp_path / "hostile.toml"
    path.write_text(debate_text(
        credence("alice", "h", "10%", note=XSS_NOTE, source=XSS_SOURCE, quote="q"),
        credence("bob", "h", "40%", source="https://example.org/a?b=1&c=<2>"),
        header=header))
    assert run("check", path).exit_code == 0
    return path


def page(path: Path, tmp_path: Path) -> str:
    out = tmp_path / "page.html"
    result = run("report", path, "-o", out)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_the_page_is_self_contained_and_has_no_script(hostile: Path, tmp_path: Path) -> None:
    html = page(hostile, tmp_path)
    assert "<script" not in html.lower().replace("&lt;script", "")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r'(src|href)="(?!https?://)[a-z]+:', html)  # no javascript:, data:
    assert not re.search(r'<(link|img|iframe|object|embed)\b', html)  # nothing fetched
    assert html.count('href="http') == 1  # only the https source became a link
    assert "&lt;img src=x onerror=" in html and "&lt;script&gt;" in html
    assert "javascript:document.title=" in html  # shown as text


def test_a_page_that_cannot_be_written_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "page.html"
    result = run("report", REPO / "debates" / "scheming.toml", "-o", target)
    assert result.exit_code == 1 and f"cannot write {target}" in result.output
    assert not target.parent.exists()


def test_the_shipped_debates_render_every_section(tmp_path: Path) -> None:
    html = page(REPO / "debates" / "power-seeking.toml", tmp_path)
    for section in ('id="show"', 'id="cruxes"', 'id="summary"', 'id="trace"', 'id="sources"'):
        assert section in html
    assert html.count('class="chart"') == 7 and "<title" in html and "<desc" in html
    assert 'premises last revised <span class="nw">2021-04</span>' in html  # the summary's own sheet
    assert "Which premise carries the gap: superforecasters vs carlsmith" in html


def chromium(*args: str, timeout: int = 90) -> subprocess.CompletedProcess[str]:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", "--hide-scrollbars"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True,  # type: ignore[list-item]
                          timeout=timeout)


class Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        Recorder.seen.append(self.path)
        self.send_response(404)
        self.end_headers()

    do_POST = do_HEAD = do_CONNECT = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@browser
def test_in_a_real_browser_hostile_text_stays_inert_and_nothing_is_fetched(
        hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    assert run("report", hostile, "-o", out).exit_code == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Recorder.seen = []
    try:
        proxy = f"--proxy-server=http://127.0.0.1:{server.server_address[1]}"
        dom = chromium(f"--user-data-dir={tmp_path / 'profile'}", proxy,
                       "--proxy-bypass-list=<-loopback>", "--dump-dom", out.as_uri()).stdout
    finally:
        server.shutdown()
    assert "<title>Safe</title>" in dom and "pwned</title>" not in dom
    assert "&lt;img src=x onerror=" in dom and "<img" not in dom
    assert "<script" not in dom
    # every request goes through the recording proxy; the browser's own calls home (time,
    # updates: Google's hosts) are not the page's, which would ask for x, example.org, ...
    own = re.compile(r"^(https?://)?[a-z0-9.-]*\.(google\.com|googleapis\.com|gstatic\.com)"
                     r"(:\d+)?(/|$)")
    assert [u for u in Recorder.seen if not own.match(u)] == []


@browser
@pytest.mark.parametrize("name", ["scheming", "power-seeking"])
def test_in_a_real_browser_every_participant_and_stated_credence_is_shown(
        tmp_path: Path, name: str) -> None:
    path = REPO / "debates" / f"{name}.toml"
    out = tmp_path / "page.html"
    assert run("report", path, "-o", out).exit_code == 0
    dom = chromium(f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", out.as_uri()).stdout
    text = re.sub(r"<[^>]+>", " ", dom).replace("&lt;", "<").replace("&gt;", ">")
    text = " ".join(text.replace("&amp;", "&").replace("&quot;", '"').split())
    d = reading.load(path)
    for pid, person in d.participants.items():
        assert pid in text and person.name in text, pid
    for e in d.entries:
        assert " ".join(e.credence.text.split()) in text, e.credence.text


@browser
@pytest.mark.parametrize("width", [375, 1440])
def test_screenshots_at_phone_and_desktop_widths(tmp_path: Path, width: int) -> None:
    out = tmp_path / "page.html"
    run("report", REPO / "debates" / "scheming.toml", "-o", out)
    shot = tmp_path / f"shot-{width}.png"
    chromium(f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
             f"--window-size={width},1800", out.as_uri())
    image = pytest.importorskip("PIL.Image").open(shot).convert("RGB")
    assert image.size == (width, 1800)
    # a page was drawn, not a blank or error screen: text, the heat colours and the charts
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50
    top = image.crop((0, 0, width, 200))  # the title is on the first screen
    assert len(top.getcolors(maxcolors=1 << 20) or []) > 5


def test_the_page_lists_retractions_struck_through_with_the_reason(write, tmp_path: Path) -> None:
    path = write(debate_text(credence("alice", "h", "10%"), credence("bob", "h", "30%")))
    ident = json.loads(run("trace", path, "--format", "json").stdout)["lines"][0]["steps"][0]["id"]
    assert run("retract", path, ident, "--why", "quoted the wrong crux",
               "--at", "2024-02-01").exit_code == 0
    run("report", path, "-o", tmp_path / "p.html")
    page = (tmp_path / "p.html").read_text()
    assert 'id="retracted"' in page and "quoted the wrong crux" in page
    assert 'class="s-struck"' in page


def test_chart_text_alternatives_quote_what_was_stated(write, tmp_path: Path) -> None:
    path = write(debate_text(credence("alice", "h", "very unlikely", at="2024-01-01"),
                             credence("bob", "h", "<1%", at="2024-01-01"),
                             credence("bob", "h", "2/3", at="2024-02-01")))
    run("report", path, "-o", tmp_path / "p.html")
    desc = re.search(r'<desc id="trace0-d">([^<]*)', (tmp_path / "p.html").read_text())[1]
    assert "very unlikely† (2024-01-01)" in desc and "&lt;1% (2024-01-01)" in desc
    assert "2/3 (2024-02-01)" in desc
    assert not re.search(r"\d\.\d{3,}%", desc)  # no computed figure stands in for a word


def test_dates_and_ids_in_table_cells_never_break_at_their_hyphens(write, tmp_path: Path) -> None:
    from cruxcli.output.html import text, unbroken

    path = write(debate_text(credence("alice", "a", "10%", at="2025-09-01"))
                 + '\n[[resolution]]\ncrux = "a"\noutcome = "no"\nat = 2025-10-01\n')
    html = page(path, tmp_path)  # the scores and the crux tree give both dates in cells
    assert '<span class="nw">2025-09-01</span>' in html and ".nw{white-space:nowrap}" in html
    assert '<span class="nw">2025-10-01</span>' in html
    assert unbroken(text("<a-b>")) == '&lt;<span class="nw">a-b</span>&gt;'  # still escaped


def test_a_chart_of_more_series_than_styles_draws_the_busiest_and_says_so(write,
                                                                          tmp_path: Path) -> None:
    """Past 40 series two share a colour and a dash: the page draws the 40 with the most
    statements, says how many it left out, and --all draws every one."""
    people = "".join(f'\n[participants.p{i}]\nname = "P{i}"\n' for i in range(45))
    header = HEADER.replace("[cruxes.h]", people + "\n[cruxes.h]")
    entries = [credence(f"p{i}", "h", f"{i + 1}%", at="2024-01-01") for i in range(45)]
    entries += [credence(f"p{i}", "h", f"{i + 2}%", at="2024-02-01") for i in range(40)]
    path = write(debate_text(*entries, header=header))
    html = page(path, tmp_path)
    chart = html[html.index('<svg viewBox'):html.index("</svg>", html.index('<svg viewBox'))]
    assert chart.count("<polyline") == 40
    assert "p39 · h" in chart and "p40 · h" not in chart  # p40-p44 stated once each
    assert "The 40 series with the most statements; 5 more are left out" in html
    run("report", path, "-o", tmp_path / "all.html", "--all")
    everything = (tmp_path / "all.html").read_text(encoding="utf-8")
    assert everything.count("<polyline") >= 45 and "more are left out of this chart" not in \
        everything
