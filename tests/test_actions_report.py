"""`report.actions` and `export actions` on the sample store; rules and scenarios in the store."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest

from crm_logic import scenarios, store
from crm_logic.actions import ACTIONS, default_rules
from crm_logic.cli import main


def _report(db: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["--db", str(db), "report"]) == 0
    return json.loads(capsys.readouterr().out)


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_actions_cover_every_analysed_customer(sample_db: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    rep = _report(sample_db, capsys)
    analysed = rep["customers"]["active"] + rep["customers"]["churned"]
    assert analysed == 600
    assert [a["action"] for a in rep["actions"]] == list(ACTIONS)
    assert sum(a["customers"] for a in rep["actions"]) == analysed
    out = tmp_path / "all.csv"
    assert main(["--db", str(sample_db), "export", "actions", "--out", str(out)]) == 0
    rows = _rows(out)
    assert len(rows) == analysed
    assert len({r["customer_id"] for r in rows}) == analysed  # each customer exactly once
    by = {a["action"]: a for a in rep["actions"]}
    for code in ("recover", "reward_loyal", "resolve_complaint"):
        one = tmp_path / f"{code}.csv"
        assert main(["--db", str(sample_db), "export", "actions", "--action", code,
                     "--out", str(one)]) == 0
        got = _rows(one)
        assert len(got) == by[code]["customers"] > 0
        assert {r["action"] for r in got} == {code}
        value = sum(float(r["value_at_stake"]) for r in got)
        assert value == pytest.approx(by[code]["value_at_stake"], abs=0.01 * len(got))
    assert rep["four_r"]["relationship"]["active_customers"] == rep["customers"]["active"]
    assert 0 <= rep["four_r"]["retention"]["early_warning"]["hit_rate"] <= 1


def test_bad_action_exits_2(sample_db: Path, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.csv"
    assert main(["--db", str(sample_db), "export", "actions", "--action", "party",
                 "--out", str(out)]) == 2
    assert "unknown action" in capsys.readouterr().err
    assert not out.exists()


def test_saved_rules_drive_report_and_export(sample_db: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    con = store.connect(sample_db)
    only_lost = pl.DataFrame({"action": ["learn_why_lost"], "stage": ["*"], "tier": ["*"],
                              "risk": ["*"], "complaint": ["*"], "lost": ["yes"]})
    saved = scenarios.save_rules(con, only_lost)
    assert saved.height == 2  # the catch-all was added
    con.close()
    rep = _report(sample_db, capsys)
    by = {a["action"]: a["customers"] for a in rep["actions"]}
    assert by["learn_why_lost"] == rep["customers"]["churned"]
    assert by["maintain"] == rep["customers"]["active"]
    assert sum(by.values()) == 600
    con = store.connect(sample_db)
    scenarios.reset_rules(con)
    assert scenarios.load_rules(con) is None
    con.close()


def test_scenarios_round_trip(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "s.duckdb")
    assert scenarios.list_scenarios(con) == []
    scenarios.save_scenario(con, " strict ", {"risk_high": 0.8, "sla_days": 7})
    assert scenarios.list_scenarios(con) == ["strict"]
    assert scenarios.load_scenario(con, "strict") == {"risk_high": 0.8}  # defaults dropped
    assert scenarios.scenario_config({"risk_high": 0.8}).risk_high == 0.8
    with pytest.raises(ValueError, match="unknown settings"):
        scenarios.save_scenario(con, "bad", {"risk_hi": 1})
    with pytest.raises(KeyError):
        scenarios.load_scenario(con, "nope")
    scenarios.delete_scenario(con, "strict")
    assert scenarios.list_scenarios(con) == []
    assert default_rules().height == len(ACTIONS)
    con.close()
