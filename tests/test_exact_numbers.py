"""Stated values are computed at full precision: no clamping, ∞ where a figure is infinite.

The VoI and VoD references here are computed independently of cruxcli: in decimal arithmetic
at 50 digits, transcribing FRI's voivod (R/metrics.R: KL, VoI_log, maxVOI, VoD_log_gmod, with
the geometric mean of odds taken exactly).
"""

from __future__ import annotations

import itertools
import json
import math
from decimal import Decimal, getcontext

import pytest

from conftest import credence, debate_text, run
from cruxcli.core import metrics

getcontext().prec = 50
D = Decimal


def kl(p: Decimal, q: Decimal) -> Decimal:
    def term(a: Decimal, b: Decimal) -> Decimal:
        return D(0) if a == 0 else a * (a / b).log10()

    return term(p, q) + term(1 - p, 1 - q)


def voi_log(pu: Decimal, puc: Decimal, pc: Decimal) -> Decimal:
    punotc = (pu - puc * pc) / (1 - pc)
    return kl(puc, pu) * pc + kl(punotc, pu) * (1 - pc)


def gmod(a: Decimal, b: Decimal) -> Decimal:
    odds = ((a / (1 - a)) * (b / (1 - b))).sqrt()
    return odds / (1 + odds)


def vod_log_gmod(a: tuple[Decimal, ...], b: tuple[Decimal, ...]) -> Decimal:
    (pua, pca, puca), (pub, pcb, pucb) = a, b
    pna, pnb = (pua - puca * pca) / (1 - pca), (pub - pucb * pcb) / (1 - pcb)
    initial = kl(pua, pub) + kl(pub, pua)
    expected = (kl(puca, pucb) + kl(pucb, puca)) * gmod(pca, pcb) + \
        (kl(pna, pnb) + kl(pnb, pna)) * gmod(1 - pca, 1 - pcb)
    return initial - expected


TINY = ["1e-12", "1e-8", "1e-7", "3e-6", "0.0004", "0.02", "0.3"]


def coherent(pu: str, pc: str, puc: str) -> bool:
    return 0 <= (D(pu) - D(puc) * D(pc)) / (1 - D(pc)) <= 1


@pytest.mark.parametrize("pu, pc, puc", [
    t for t in itertools.product(TINY, ["0.05", "0.5", "0.9"], TINY)
    if t[0] != t[2] and coherent(*t)])
def test_voi_is_voivods_at_any_size(pu: str, pc: str, puc: str) -> None:
    got = metrics.voi(float(pu), float(pc), float(puc)).value
    assert got == pytest.approx(float(voi_log(D(pu), D(puc), D(pc))), rel=1e-6, abs=0)


def test_max_voi_is_voivods() -> None:
    for pu in ("1e-12", "1e-7", "0.25"):
        expected = voi_log(D(pu), 1 - D(2) ** -53, D(pu))  # 1 - 1e-16 as a double is 1 - 2^-53
        assert metrics.max_voi(float(pu)) == pytest.approx(float(expected), rel=1e-6)


CAMPS = [("1e-8", "0.3", "3e-8"), ("1e-7", "0.6", "1.5e-7"), ("0.2", "0.4", "0.35"),
         ("0.05", "0.1", "0.3"), ("1e-12", "0.5", "1.9e-12")]


@pytest.mark.parametrize("a, b", list(itertools.combinations(CAMPS, 2)))
def test_vod_is_voivods_at_any_size(a: tuple[str, ...], b: tuple[str, ...]) -> None:
    got = metrics.vod((*map(float, a), None), (*map(float, b), None)).value
    expected = vod_log_gmod(tuple(map(D, a)), tuple(map(D, b)))
    assert got == pytest.approx(float(expected), rel=1e-6, abs=1e-18)


def test_a_tiny_stated_value_is_shown_and_used_as_stated(write) -> None:
    # P(U) = 1e-7 (0.00001%) was shown as 0.0001% when clamped to 1e-6
    text = debate_text(credence("alice", "h", 1e-7), credence("alice", "a", "50%"),
                       credence("alice", "h", 2e-8, given="a"))
    doc = json.loads(run("summary", write(text), "--format", "json").stdout)
    (row,) = doc["voi"]
    assert row["p_u"] == 1e-7 and row["p_u_c"] == 2e-8
    assert row["voi"] == pytest.approx(float(voi_log(D("1e-7"), D("2e-8"), D("0.5"))), rel=1e-6)
    assert "0.00001%" in run("summary", write(text)).output


def test_zero_against_fifty_percent_is_infinite_not_nineteen_bits(write) -> None:
    text = debate_text(credence("alice", "a", "0%"), credence("bob", "a", "50%"))
    table = run("summary", write(text)).output
    assert "∞" in table and "x∞" in table and "19.9" not in table and "999,999" not in table
    (row,) = [r for r in json.loads(run("summary", write(text), "--format", "json").stdout)[
        "divergence"] if r["crux"] == "a"]
    assert row["bits"] == "Infinity" and row["ratio"] == "Infinity"
    assert row["pooled"] == 0.0 and row["median"] == 0.25  # exact: 0% makes the odds product 0


def test_pooled_with_both_zero_and_hundred_percent_is_undefined(write) -> None:
    text = debate_text(credence("alice", "a", "0%"), credence("bob", "a", "100%"))
    assert "undefined" in run("summary", write(text)).output
    assert metrics.geo_mean_odds([0.0, 1.0]) is None
    assert metrics.geo_mean_odds([0.0, 0.5]) == 0.0 and metrics.geo_mean_odds([1.0, 0.5]) == 1.0


def test_edges_of_kl_are_limits_not_nan() -> None:
    assert metrics.kl(0.0, 0.3) == pytest.approx(math.log10(1 / 0.7))  # 0·log 0 = 0
    assert metrics.kl(0.5, 0.0) == math.inf  # a certainty that did not happen
    v = metrics.voi(0.0, 0.5, 0.0)  # voivod: P(U) = 0 gives VoI 0
    assert v.value == 0.0
    assert metrics.voi(0.4, 1.0, 0.2).incoherent  # P(c) = 100% requires P(U|c) = P(U)


# FRI's conventions beside cruxcli's (docs/summary.md). One participant in group x and four in
# group y state P(h), P(a) and P(h | a); y4's derived P(h | not a) is exactly 0:
# (0.2 - 0.5 * 0.4) / 0.5. FRI's R pipeline gets NaN for the pair (x1, y4) and drops it, and
# takes the lower median of what is left; cruxcli keeps the pair (its VoD is -∞: x1 gives
# P(h | not a) = 0.1 where y4 gives 0) and takes the usual median.
FRI_CASE = {"x1": ("0.3", "0.5", "0.5"), "y1": ("0.5", "0.5", "0.6"),
            "y2": ("0.6", "0.4", "0.9"), "y3": ("0.2", "0.6", "0.3"),
            "y4": ("0.2", "0.5", "0.4")}


def test_fri_conventions_are_shown_beside_cruxcli(write) -> None:
    header = ("format = 1\ntitle = \"t\"\nheadline = \"h\"\n"
              + "".join(f'\n[participants.{p}]\nname = "{p}"\ngroup = "{p[0]}"\n'
                        for p in FRI_CASE)
              + '\n[cruxes.h]\nquestion = "H?"\n\n[cruxes.a]\nquestion = "A?"\n')
    entries = [credence(p, crux, float(v), **({"given": "a"} if given else {}))
               for p, (pu, pc, puc) in FRI_CASE.items()
               for crux, v, given in (("h", pu, False), ("a", pc, False), ("h", puc, True))]
    doc = json.loads(run("summary", write(debate_text(*entries, header=header)),
                         "--format", "json").stdout)
    (row,) = [g for g in doc["group_vod"] if g["crux"] == "a"]
    x1 = tuple(D(v) for v in FRI_CASE["x1"])
    kept = sorted(float(vod_log_gmod(x1, tuple(D(v) for v in FRI_CASE[y])))
                  for y in ("y1", "y2", "y3"))
    assert (row["pairs"], row["degenerate_pairs"]) == (4, 1)
    assert row["median_vod"] == pytest.approx((kept[0] + kept[1]) / 2, rel=1e-12)  # with -∞
    assert row["median_vod_fri"] == pytest.approx(kept[1], rel=1e-12)  # lower median of 3
    degenerate = {v["participant"] for v in doc["voi"] if v["p_u_not_c_degenerate"]}
    assert degenerate == {"y4"}
