"""`cruxcli summary`: each number checked against values computed by hand (in the comments)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
import tomli

from conftest import REPO, credence, debate_text, json_keys, run
from cruxcli.core import metrics
from cruxcli.core.checks import build
from cruxcli.reports.summary import summarize


def summary_of(*entries: str, pair: tuple[str, str] | None = None):
    return summarize(build(tomli.loads(debate_text(*entries))), pair=pair)


# ---- divergence -------------------------------------------------------------------------------

def test_spread_in_bits_and_odds_ratio() -> None:
    # odds 0.25/0.75 = 1/3 and 0.001/0.999: ratio = 999/3 = 333, log2(333) = 8.38 bits
    s = summary_of(credence("alice", "h", "0.1%"), credence("bob", "h", "25%"))
    sp = s.spreads[0]
    assert sp.bits == pytest.approx(8.379, abs=1e-3)
    assert sp.ratio == pytest.approx(333.0, rel=1e-9)
    assert (sp.low.who, sp.high.who) == ("alice", "bob")


def test_pooled_is_the_geometric_mean_of_odds_and_median_is_beside_it() -> None:
    # odds 1/9 and 2/3: geometric mean sqrt(2/27) = 0.2721655; as a probability 0.213939
    s = summary_of(credence("alice", "a", "10%"), credence("bob", "a", "40%"))
    sp = s.spreads[0]
    assert sp.pooled == pytest.approx(0.213939, abs=1e-6)
    assert sp.median == pytest.approx(0.25)


def test_rows_are_ranked_by_spread_and_bounds_enter_at_their_bound() -> None:
    s = summary_of(credence("alice", "a", "<1%"), credence("bob", "a", "10%"),
                   credence("alice", "b", "40%"), credence("bob", "b", "60%"))
    assert [sp.crux for sp in s.spreads] == ["a", "b"]
    a = s.spreads[0]
    assert a.low.value == 0.01 and a.from_bound and not s.spreads[1].from_bound


def test_direction_only_updates_are_reported_never_computed() -> None:
    s = summary_of(credence("alice", "h", "10%", at="2023"), credence("alice", "h", "lower"),
                   credence("bob", "h", "higher"), credence("bob", "a", "5%"))
    h = next(sp for sp in s.spreads if sp.crux == "h")
    assert [x.who for x in h.held] == ["alice"] and h.held[0].value == 0.10
    assert [e.credence.text for e in h.held[0].then] == ["lower"]
    assert h.direction_only == ["bob"]


def test_only_the_direction_only_updates_after_the_last_number_are_kept_with_it() -> None:
    from cruxcli.core.view import current

    d = build(tomli.loads(debate_text(
        credence("alice", "h", "higher", at="2020"), credence("alice", "h", "10%", at="2021"),
        credence("alice", "h", "lower", at="2022"), credence("alice", "h", "20%", at="2023"),
        credence("alice", "h", "higher", at="2024"), credence("alice", "h", "much lower",
                                                              at="2025"),
        credence("bob", "h", "lower", at="2021"), credence("bob", "h", "higher", at="2022"),
        credence("bob", "a", "5%"))))
    view = current(d)
    alice = view.get("alice", "h")
    assert alice is not None and alice.value == 0.20
    assert [e.credence.text for e in alice.then] == ["higher", "much lower"]
    assert view.directions[("h", None)]["bob"].credence.text == "higher"  # his latest
    assert "alice" not in view.directions[("h", None)] and ("a", None) not in view.directions


def test_as_of_uses_the_credences_held_then(write) -> None:
    path = write(debate_text(credence("alice", "h", "10%", at="2023"),
                             credence("bob", "h", "20%", at="2023"),
                             credence("alice", "h", "1%", at="2025")))
    old = json.loads(run("summary", path, "--as-of", "2024", "--format", "json").stdout)
    new = json.loads(run("summary", path, "--format", "json").stdout)
    assert old["divergence"][0]["lowest"]["stated"] == "10%"
    assert new["divergence"][0]["lowest"]["stated"] == "1%"


# ---- the bottom line ----------------------------------------------------------------------------

CARLSMITH = ["65%", "80%", "40%", "65%", "40%", "95%"]
PREMISES = ["timelines", "incentives", "alignment-difficulty", "high-impact-failures",
            "disempowerment", "catastrophe"]


def power_seeking():
    return summarize(tomli_debate(REPO / "debates" / "power-seeking.toml"),
                     pair=("carlsmith", "superforecasters"))


def tomli_debate(path: Path):
    return build(tomli.loads(path.read_text(encoding="utf-8")))


def test_carlsmiths_premises_imply_about_five_percent() -> None:
    # 0.65 * 0.80 * 0.40 * 0.65 * 0.40 * 0.95 = 0.051376
    bottom = {b.who: b for b in power_seeking().bottom}
    assert bottom["carlsmith"].value == pytest.approx(0.051376, abs=1e-9)
    # the superforecasters': 0.8 * 0.9 * 0.58 * 0.25 * 0.05 * 0.4 = 0.002088, stated 1%
    sf = bottom["superforecasters"]
    assert sf.value == pytest.approx(0.002088, abs=1e-9)
    assert sf.gap_bits == pytest.approx(math.log2((0.01 / 0.99) / (0.002088 / 0.997912)))
    # a product of a group's aggregates is nobody's implied view: reported, not flagged
    assert sf.aggregate and sf.reading == "aggregate" and not sf.flagged
    # Carlsmith's May 2022 ">10%" against premises last stated in April 2021: dates, not
    # incoherence (log2 of (0.1/0.9) / (0.051376/0.948624) = 1.036 bits)
    carlsmith = bottom["carlsmith"]
    assert carlsmith.gap_bits == pytest.approx(1.0367, abs=1e-4)
    assert carlsmith.reading == "dates differ" and carlsmith.premises_revised == "2021-04"


def test_the_bottom_line_as_of_the_2021_report_is_coherent(write) -> None:
    d = tomli_debate(REPO / "debates" / "power-seeking.toml")
    from cruxcli.core.when import parse_when

    s = summarize(d, parse_when("2021-12"))
    carlsmith = next(b for b in s.bottom if b.who == "carlsmith")
    assert carlsmith.stated.entry.credence.text == "~5%"  # type: ignore[union-attr]
    assert abs(carlsmith.gap_bits) < 0.05 and not carlsmith.flagged  # type: ignore[arg-type]


def test_missing_premises_are_named() -> None:
    s = summary_of(credence("alice", "h", "10%"), credence("alice", "a", "50%"))
    alice = next(b for b in s.bottom if b.who == "alice")
    assert alice.value is None and alice.missing == ["b"]


# ---- between two participants ---------------------------------------------------------------

# Carlsmith's and the superforecasters' stated premises (Carlsmith 2021; FRI/Carlsmith 2023)
PREMISES = {"timelines": (0.65, 0.80), "incentives": (0.80, 0.90),
            "alignment-difficulty": (0.40, 0.58), "high-impact-failures": (0.65, 0.25),
            "disempowerment": (0.40, 0.05), "catastrophe": (0.95, 0.40)}


def test_each_premise_carries_its_own_log_ratio_of_the_gap() -> None:
    g = power_seeking().between
    assert g is not None
    # log2(0.051376 / 0.002088) = 4.6209
    assert g.implied_log2_ratio == pytest.approx(math.log2(0.051376 / 0.002088))
    by_premise = {x.premise: x.log2_ratio for x in g.shares}
    assert by_premise == pytest.approx({k: math.log2(a / b) for k, (a, b) in PREMISES.items()})
    shares = {x.premise: x.share_of(g.implied_log2_ratio) for x in g.shares}
    # disempowerment: log2(0.40 / 0.05) = 3 bits of the 4.62
    assert shares["disempowerment"] == pytest.approx(3.0 / 4.6209, abs=1e-4)
    assert g.stated.bits == pytest.approx(math.log2((0.1 / 0.9) / (0.01 / 0.99)))  # type: ignore[union-attr]


def test_widest_pairwise_gaps_come_first() -> None:
    gaps = power_seeking().pair_gaps
    assert gaps[0].crux == "catastrophe"  # log2 odds ratio of 95% vs 40% = 4.83
    assert gaps[0].bits == pytest.approx(math.log2((0.95 / 0.05) / (0.4 / 0.6)))


def test_unknown_participant_in_between_is_a_usage_error() -> None:
    result = run("summary", REPO / "debates" / "power-seeking.toml", "--between",
                 "carlsmith", "superforcasters")
    assert result.exit_code == 2 and 'did you mean "superforecasters"' in result.output


# ---- value of information and of discrimination (FRI voivod definitions, log10) -------------

def test_voi_against_a_hand_computed_vector() -> None:
    # P(U)=.3, P(c)=.5, P(U|c)=.5 -> P(U|¬c) = (.3 - .25)/.5 = .1
    # KL(.5,.3) = .5 log10(.5/.3) + .5 log10(.5/.7) = .0378605
    # KL(.1,.3) = .1 log10(.1/.3) + .9 log10(.9/.7) = .0505175
    # VoI = .5 * .0378605 + .5 * .0505175 = .0441890
    # max: binary entropy of .3 in log10 = .3 log10(1/.3) + .7 log10(1/.7) = .2652950
    v = metrics.voi(0.3, 0.5, 0.5)
    assert v.p_u_not_c == pytest.approx(0.1) and v.derived
    assert v.value == pytest.approx(0.0441890, abs=1e-6)
    assert v.percent_of_max == pytest.approx(0.0441890 / 0.2652950, abs=1e-5)


def test_voi_is_zero_when_the_crux_does_not_move_the_bottom_line() -> None:
    assert metrics.voi(0.3, 0.5, 0.3).value == 0.0


def test_incoherent_inputs_are_reported_not_computed() -> None:
    # P(U|c)·P(c) = .25 > P(U) = .1, so P(U|¬c) = -.3
    v = metrics.voi(0.1, 0.5, 0.5)
    assert v.incoherent and v.p_u_not_c == pytest.approx(-0.3)
    d = metrics.vod((0.1, 0.5, 0.5, None), (0.3, 0.5, 0.5, None))
    assert d.incoherent and d.value is None


def test_vod_negative_when_resolving_the_crux_widens_the_gap() -> None:
    # A: P(U)=.2, P(c)=.5, P(U|c)=.3, P(U|¬c)=.1; B: .6, .5, .8, .4
    # D0 = KL(.2,.6) + KL(.6,.2) = .1453997 + .1658608 = .3112605
    # D1 = SKL(.3,.8) * .5 + SKL(.1,.4) * .5 = .4850185 * .5 + .2334453 * .5 = .3592319
    d = metrics.vod((0.2, 0.5, 0.3, None), (0.6, 0.5, 0.8, None))
    assert d.initial == pytest.approx(0.3112605, abs=1e-6)
    assert d.expected == pytest.approx(0.3592319, abs=1e-6)
    assert d.value == pytest.approx(-0.0479714, abs=1e-6)


def test_vod_positive_when_they_agree_given_the_crux() -> None:
    # A: .2, .2, .9 -> P(U|¬c)=.025; B: .6, .6, .9 -> .15; g(.8, .4): odds 4 and 2/3,
    # geometric mean 1.632993 -> .620204; D1 = SKL(.025,.15) * .620204 = .1047205 * .620204
    d = metrics.vod((0.2, 0.2, 0.9, None), (0.6, 0.6, 0.9, None))
    assert d.expected == pytest.approx(0.1047205 * 0.620204, abs=1e-5)
    assert d.value == pytest.approx(0.3112605 - 0.0649481, abs=1e-5)
    assert d.percent_of_max == pytest.approx(0.7913, abs=1e-4)


def test_a_stated_p_u_given_not_c_is_used_instead_of_derived() -> None:
    v = metrics.voi(0.3, 0.5, 0.5, 0.2)
    assert not v.derived and v.p_u_not_c == 0.2


def test_summary_ranks_cruxes_by_voi_and_by_vod() -> None:
    s = summary_of(
        credence("alice", "h", "30%"), credence("alice", "a", "50%"), credence("alice", "b", "50%"),
        credence("alice", "h", "50%", given="a"), credence("alice", "h", "35%", given="b"),
        credence("bob", "h", "60%"), credence("bob", "a", "60%"),
        credence("bob", "h", "90%", given="a"),
        pair=("alice", "bob"),
    )
    alice = [v for v in s.vois if v.who == "alice"]
    assert [v.crux for v in alice] == ["a", "b"]  # a moves her more than b
    assert alice[0].voi.value == pytest.approx(0.0441890, abs=1e-6)
    assert [v.crux for v in s.pair_vods] == ["a"]  # the only crux both can be scored on
    assert [g.crux for g in s.group_vods] == ["a"] and s.group_vods[0].pairs == 1
    assert s.group_vods[0].median == pytest.approx(s.pair_vods[0].vod.value)


# ---- groups ---------------------------------------------------------------------------------

def test_group_rows_and_the_gap_between_groups() -> None:
    s = summary_of(credence("alice", "h", "10%"), credence("bob", "h", "50%"))
    assert [(g.name, g.pooled) for g in s.groups] == [("one", pytest.approx(0.1)),
                                                     ("two", pytest.approx(0.5))]
    hi, lo, gap = s.group_gap  # type: ignore[misc]
    assert (hi.name, lo.name) == ("two", "one") and gap == pytest.approx(math.log2(9))


# ---- the command ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["scheming", "power-seeking"])
def test_summary_on_the_shipped_debates(name: str) -> None:
    path = REPO / "debates" / f"{name}.toml"
    table = run("summary", path)
    assert table.exit_code == 0 and "Where credences diverge" in table.stdout
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    doc = json.loads(run("summary", path, "--format", "json").stdout)
    assert doc["headline"] and doc["cruxes"] and doc["divergence"]
    md = run("summary", path, "--format", "md").stdout
    assert md.startswith("**Where credences diverge")




def test_every_json_key_is_documented() -> None:
    path = REPO / "debates" / "power-seeking.toml"
    doc = json.loads(run("summary", path, "--between", "carlsmith", "superforecasters",
                         "--format", "json").stdout)
    documented = set(re.findall(r"`([a-z_0-9]+)`", (REPO / "docs" / "summary.md").read_text()))
    missing = json_keys(doc) - documented
    assert not missing, f"keys not in docs/summary.md: {sorted(missing)}"


def test_zero_and_hundred_percent_premises_give_an_infinite_gap_not_a_made_up_one(write) -> None:
    # alice gives A 0% and B 100%: log2(0 / 0.5) is -inf, log2(1 / 0.5) is exactly 1
    entries = (credence("alice", "h", "10%"), credence("alice", "a", "0%"),
               credence("alice", "b", "100%"), credence("bob", "h", "1%"),
               credence("bob", "a", "50%"), credence("bob", "b", "50%"))
    g = summary_of(*entries, pair=("alice", "bob")).between
    assert g is not None and g.implied_a == 0.0
    assert [x.log2_ratio for x in g.shares] == [-math.inf, 1.0]
    assert g.implied_log2_ratio == -math.inf
    assert all(x.share_of(g.implied_log2_ratio) is None for x in g.shares)  # no share of ∞
    path = write(debate_text(*entries))
    for pair in (("alice", "bob"), ("bob", "alice")):
        table = run("summary", path, "--between", *pair)
        assert table.exit_code == 0 and "∞" in table.output, table.output
        doc = json.loads(run("summary", path, "--between", *pair, "--format", "json").stdout)
        shares = [x["log2_ratio"] for x in doc["between"]["attribution"]]
        assert shares[0] in ("-Infinity", "Infinity") and float(shares[0]) == (
            -math.inf if pair[0] == "alice" else math.inf)

def test_a_crux_with_one_number_names_who_gave_only_directions(write) -> None:
    path = write(debate_text(credence("alice", "h", "10%"), credence("bob", "h", "lower")))
    out = " ".join(run("summary", path).output.split())
    assert "a number from one participant only: h (directions only from bob)" in out


def test_a_group_of_one_shows_what_that_one_stated(write) -> None:
    path = write(debate_text(credence("alice", "h", ">10%"), credence("bob", "h", "<1%")))
    out = " ".join(run("summary", path).output.split())
    assert "gap between groups: one >10% vs two <1%" in out  # groups "one" and "two"
    assert "(bound): a bound" not in out  # nothing pooled: nothing counted at a bound
