"""`cruxcli import predictionbook`: rows made here in the columns of PredictionBook's public
data as iqisa publishes it (public.csv; questions.csv for titles)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from conftest import run

HEADER = ("question_id,user_id,team_id,probability,answer_option,timestamp,outcome,open_time,"
          "close_time,resolve_time,time_open,n_opts,options,q_status,q_type\n")
OPTIONS = '"(0) No, (1) Yes, (-1) Ambiguous, (None) Still open"'


def row(q: int, user: str, p: str, at: str, outcome: str = "", resolved: str = "",
        status: str = "resolved") -> str:
    return (f"{q},{user},0,{p},1,{at},{outcome},2011-01-01 00:00:00+00:00,"
            f"2012-01-01 00:00:00+00:00,{resolved},365 days,2,{OPTIONS},{status},0\n")


PUBLIC = HEADER + "".join([
    row(1, "gwern", "0.7", "2011-03-05 18:09:00+00:00", "1.0", "2011-06-01 00:00:00+00:00"),
    row(1, "alice", "0.2", "2011-03-06 10:00:00+00:00", "1.0", "2011-06-01 00:00:00+00:00"),
    row(2, "gwern", "0.05", "2011-04-01 12:00:00+00:00", "0.0", "2011-08-01 00:00:00+00:00"),
    row(3, "alice", "0.5", "2011-05-01 12:00:00+00:00", "-1.0", "2011-09-01 00:00:00+00:00",
        status="ambiguous"),
    row(4, "gwern", "0.9", "2011-05-02 12:00:00+00:00", status="open"),
    row(5, "alice", "0.3", "2011-05-03 12:00:00+00:00", status="withdrawn"),
    row(6, "alice", "", "2011-05-04 12:00:00+00:00", status="open"),
])
QUESTIONS = ("question_id,q_title,q_status,open_time,close_time,resolve_time,outcome,time_open,"
             "n_opts,options\n1,\"Will it rain, in London?\",resolved,,,,1.0,,2,x\n")


def test_predictionbook_rows_become_cruxes_participants_and_resolutions(tmp_path: Path) -> None:
    (tmp_path / "public.csv").write_text(PUBLIC)
    (tmp_path / "questions.csv").write_text(QUESTIONS)
    out = tmp_path / "pb.toml"
    result = run("import", "predictionbook", tmp_path / "public.csv",
                 tmp_path / "questions.csv", "-o", out)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "imported 5 credences and 3 resolutions from 7 rows" in said
    assert "1 of 4 questions still open" in said  # q4; q5 withdrawn and q6 empty: skipped
    assert "the question was withdrawn" in said and "no probability in this row" in said
    doc = json.loads(run("score", out, "--format", "json").stdout)
    outcomes = {r["crux"]: r["outcome"] for r in doc["resolved"]}
    assert outcomes == {"q1": "yes", "q2": "no", "q3": "annulled"}
    # scored by hand: gwern 0.7 on yes (0.09) and 0.05 on no (0.0025); alice 0.2 on yes (0.64)
    brier = {(f["participant"], f["crux"]): f["brier"] for f in doc["forecasts"]}
    assert brier == pytest.approx({("gwern", "q1"): 0.3 ** 2, ("gwern", "q2"): 0.05 ** 2,
                                   ("alice", "q1"): 0.8 ** 2})
    show = json.loads(run("cruxes", out, "--format", "json").stdout)
    questions = {r["crux"]: r["question"] for r in show["rows"]}
    assert questions["q1"] == "Will it rain, in London?" and questions["q4"].endswith("4")


def test_the_zip_of_public_csv_imports_the_same(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "public.csv.zip", "w") as z:
        z.writestr("public.csv", PUBLIC)
    result = run("import", "predictionbook", tmp_path / "public.csv.zip", "-o",
                 tmp_path / "pb.toml")
    assert result.exit_code == 0 and "imported 5 credences" in result.output


def test_a_bad_outcome_is_an_error_that_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "public.csv").write_text(HEADER + row(1, "x", "0.5", "2011-01-02 00:00:00+00:00",
                                                      "yes", "2011-02-01 00:00:00+00:00"))
    result = run("import", "predictionbook", tmp_path / "public.csv", "-o", tmp_path / "x.toml")
    assert result.exit_code == 1 and "public.csv:2" in result.output and \
        'outcome "yes"' in result.output
    assert not (tmp_path / "x.toml").exists()
