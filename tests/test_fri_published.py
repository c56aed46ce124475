"""FRI's published cross-camp median VoDs, against `import fri` and `summary`.

tests/data/fri-degenerate.csv holds the rows of FORECASTS.csv (FRI's adversarial-collaboration
study data, github.com/forecastingresearch/adversarial-collab) for the six cruxes in which some
forecaster's derived P(U|not c) is exactly 0 or 1. PUBLISHED is that repository's
P8_results_df_cross_camp_VoD_agg.csv for them ("Luke policies" is published as "Muehlhauser
policies"). The expected values are computed here by hand, in decimal arithmetic at 50 digits
with the voivod transcription of test_exact_numbers: FRI's (degenerate pairs are NaN in R and
dropped; the lower median), and cruxcli's own (0·log 0 = 0, which makes such a pair's VoD -∞;
the usual median). A row whose P(U), P(c) and P(U|c) allow no P(U|not c) in [0, 1] is
incoherent and enters neither (it is NaN in R too).
"""

from __future__ import annotations

import csv
import json
import re
import statistics
from decimal import Decimal
from pathlib import Path

import pytest
from test_exact_numbers import gmod

from conftest import run

D = Decimal
EXCERPT = Path(__file__).parent / "data" / "fri-degenerate.csv"
PUBLISHED = {
    "Evidence of misalignment": 0.00483730375659588,
    "Escalating warning shots": 0.000739640997900158,
    "Supers changing minds": 0.000235423579442427,
    "Progress in lethal technologies": -6.93889390390723e-18,
    "Req testing": -5.83591601968636e-05,
    "Luke policies": -0.0173694314095125,
}
INF = D("Infinity")


def kl(p: Decimal, q: Decimal) -> Decimal:
    """voivod's KL in log10, with 0·log 0 = 0 and a certainty against 0 infinite."""
    def term(a: Decimal, b: Decimal) -> Decimal:
        return D(0) if a == 0 else INF if b == 0 else a * (a / b).log10()

    return term(p, q) + term(1 - p, 1 - q)


def not_c(pu: Decimal, pc: Decimal, puc: Decimal) -> Decimal:
    return (pu - puc * pc) / (1 - pc)


def vod(a: tuple[Decimal, ...], b: tuple[Decimal, ...]) -> Decimal:
    (pua, pca, puca), (pub, pcb, pucb) = a, b
    pna, pnb = not_c(*a), not_c(*b)
    initial = kl(pua, pub) + kl(pub, pua)
    expected = (kl(puca, pucb) + kl(pucb, puca)) * gmod(pca, pcb) + \
        (kl(pna, pnb) + kl(pnb, pna)) * gmod(1 - pca, 1 - pcb)
    return initial - expected


def rows(crux: str) -> dict[str, list[tuple[Decimal, ...]]]:
    camps: dict[str, list[tuple[Decimal, ...]]] = {"Skeptical": [], "Concerned": []}
    with EXCERPT.open() as f:
        for r in csv.DictReader(f):
            if r["ID"] == crux and "NA" not in (r["PU"], r["Pc"], r["PUc"]):
                camps[r["Camp"]].append((D(r["PU"]), D(r["Pc"]), D(r["PUc"])))
    return camps


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fri")
    assert run("import", "fri", EXCERPT, "-o", f"{out}/", "--at", "2023-05-01").exit_code == 0
    return out


@pytest.mark.parametrize("crux", PUBLISHED)
def test_fris_published_median_vod_and_cruxclis_own(crux: str, imported: Path) -> None:
    camps = rows(crux)
    coherent = {k: [r for r in v if 0 <= not_c(*r) <= 1] for k, v in camps.items()}
    pairs = [(a, b) for a in coherent["Skeptical"] for b in coherent["Concerned"]]
    degenerate = [(a, b) for a, b in pairs if {not_c(*a), not_c(*b)} & {D(0), D(1)}]
    kept = sorted(vod(a, b) for a, b in pairs if (a, b) not in degenerate)
    fri = kept[(len(kept) - 1) // 2]  # R's quantile type 1: the lower middle value
    assert float(fri) == pytest.approx(PUBLISHED[crux], rel=1e-9, abs=1e-15)
    ours = statistics.median(sorted(vod(a, b) for a, b in pairs))
    slug = re.sub(r"[^a-z0-9]+", "-", crux.lower()).strip("-")
    doc = json.loads(run("summary", imported / f"{slug}.toml", "--format", "json").stdout)
    (row,) = doc["group_vod"]
    assert (row["pairs"], row["degenerate_pairs"]) == (len(pairs), len(degenerate))
    assert degenerate  # why these six: each has a pair FRI's pipeline cannot compute
    assert row["median_vod_fri"] == pytest.approx(float(fri), rel=1e-9, abs=1e-15)
    expected = float(ours) if ours.is_finite() else -float("inf")
    assert row["median_vod"] == pytest.approx(expected, rel=1e-9, abs=1e-15)
