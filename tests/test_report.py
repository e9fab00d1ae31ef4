"""The CLI's report and export: contract keys, columns, allowed values, safe cells."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from crm_logic.cli import main
from crm_logic.pipeline import EXPORT_COLUMNS, PATTERNS, RISK_LEVELS, STAGES, TIER_ORDER

REPORT_KEYS = {"as_of", "counts", "customers", "tiers", "stages", "patterns", "churn_model",
               "spend_model", "at_risk", "complaints", "value_backtest"}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def report(sample_db_master: Path) -> dict:
    import contextlib

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["--db", str(sample_db_master), "report"]) == 0
    return json.loads(buf.getvalue())


def test_report_has_the_contract_keys(report: dict) -> None:
    assert REPORT_KEYS <= set(report)
    assert set(report["counts"]) == {"customers", "orders", "complaints", "interactions"}
    assert set(report["customers"]) == {"active", "churned"}
    assert list(report["tiers"]) == list(TIER_ORDER)
    assert list(report["stages"]) == list(STAGES)
    assert list(report["patterns"]) == [*PATTERNS, "unknown_start"]
    assert list(report["at_risk"]) == list(RISK_LEVELS)
    assert set(report["churn_model"]) == {"model", "time_unit", "r", "alpha", "a", "b",
                                          "log_likelihood"}
    assert report["churn_model"]["model"] == "bgnbd"
    assert report["churn_model"]["time_unit"] == "day"
    assert set(report["spend_model"]) == {"model", "p", "q", "gamma"}
    assert {"total", "open", "resolved", "median_days_to_resolve", "sla_breach_rate",
            "by_category"} <= set(report["complaints"])
    bt = report["value_backtest"]
    assert {"cutoff", "horizon_days", "customers", "predicted_purchases", "actual_purchases",
            "predicted_revenue", "actual_revenue", "by_repeat_purchases", "by_tier"} <= set(bt)
    assert bt["horizon_days"] == 365 and bt["customers"] > 0
    assert [r["tier"] for r in bt["by_tier"]] == list(TIER_ORDER)
    assert [r["label"] for r in bt["by_repeat_purchases"]][-1] == "7+"


def test_report_counts_add_up(report: dict) -> None:
    active, churned = report["customers"]["active"], report["customers"]["churned"]
    assert sum(report["tiers"].values()) == active + churned
    assert sum(report["stages"].values()) == active
    assert sum(report["patterns"].values()) == churned
    assert sum(report["at_risk"].values()) == active  # every active customer is scored
    c = report["complaints"]
    assert c["open"] + c["resolved"] == c["total"] == sum(c["by_category"].values())
    assert report["counts"]["customers"] == 600


def test_report_as_of_cuts_the_data(sample_db_master: Path, capsys: pytest.CaptureFixture[str],
                                    report: dict) -> None:
    code, out, _ = _run(capsys, "--db", str(sample_db_master), "report", "--as-of", "2025-06-30")
    assert code == 0
    early = json.loads(out)
    assert early["as_of"] == "2025-06-30"
    assert early["counts"]["orders"] < report["counts"]["orders"]


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_export_customers_columns_and_values(sample_db_master: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "c.csv"
    code, _, _ = _run(capsys, "--db", str(sample_db_master), "export", "customers",
                      "--out", str(out))
    assert code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = _csv(out)
    header = list(rows[0])
    assert header[: len(EXPORT_COLUMNS)] == list(EXPORT_COLUMNS)
    ids = [r["customer_id"] for r in rows]
    assert len(ids) == len(set(ids)) == 600  # unique key
    for r in rows:
        assert r["value_tier"] in TIER_ORDER
        assert r["lifecycle_stage"] in STAGES
        assert r["lifecycle_pattern"] in (*PATTERNS, "unknown_start", "")
        # issue 11.7: every customer is scored, lost ones included (pattern = lost)
        assert r["risk_level"] in RISK_LEVELS
        assert 0.0 <= float(r["churn_risk"]) <= 1.0
        assert r["recommended_action"]  # lost customers get the domain's advice too
    assert any("*" in r["name"] for r in rows)  # masked by default


def test_export_filters_and_unmasked_formula_safety(
    sample_db_master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "risk.csv"
    code, _, _ = _run(capsys, "--db", str(sample_db_master), "export", "at-risk", "--out",
                      str(out), "--risk", "high", "--risk", "medium", "--no-mask", "--lang", "zh")
    assert code == 0
    rows = _csv(out)
    assert rows and {r["风险等级"] for r in rows} <= {"高", "中"}  # --lang zh: Chinese
    big = [r["价值层级"] in ("铂金层", "黄金层") and r["风险等级"] == "高" for r in rows]
    assert big == sorted(big, reverse=True)  # big customers at high risk lead the list
    every = _csv_all(sample_db_master, tmp_path, capsys)
    formula_like = [r["name"] for r in every if r["name"][:1] in "=+-@"]
    assert formula_like == []
    assert any(r["name"].startswith("'=") or r["name"].startswith("'+") for r in every)


def _csv_all(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    out = tmp_path / "all.csv"
    assert _run(capsys, "--db", str(db), "export", "customers", "--out", str(out),
                "--no-mask")[0] == 0
    return _csv(out)


def test_export_gbk(sample_db_master: Path, tmp_path: Path,
                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gbk.csv"
    code, _, _ = _run(capsys, "--db", str(sample_db_master), "export", "customers", "--out",
                      str(out), "--encoding", "gbk", "--tier", "platinum", "--no-mask")
    assert code == 0
    text = out.read_bytes().decode("gbk")
    assert text.splitlines()[0].startswith("customer_id,value_tier")
    assert all(",platinum," in line for line in text.splitlines()[1:])


@pytest.mark.parametrize(
    "argv, message",
    [
        (["report", "--as-of", "2026-13-01"], "--as-of"),
        (["export", "bogus", "--out", "x.csv"], "invalid choice"),
        (["import", "orders", "/no/such/file.csv"], "no such file"),
        (["frobnicate"], "invalid choice"),
        (["report"], "no store"),
    ],
)
def test_unusable_arguments_exit_2_with_one_line(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.duckdb"
    code, out, err = _run(capsys, "--db", str(db), *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err
    assert out == ""


def test_unknown_config_key_exits_2(sample_db_master: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "c.json"
    cfg.write_text('{"sla_dayz": 3}', encoding="utf-8")
    code, _, err = _run(capsys, "--db", str(sample_db_master), "report", "--config", str(cfg))
    assert code == 2 and "sla_dayz" in err
