"""`export ... --lang zh`: Chinese headers and values; `--lang en` keeps the contract names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import polars as pl
import pytest

from crm_logic.cli import main
from crm_logic.i18n import TEXTS, t
from crm_logic.localise import localise_frame
from crm_logic.pipeline import EXPORT_COLUMNS, PATTERNS, RISK_LEVELS, STAGES, TIER_ORDER

CJK = re.compile(r"[\u4e00-\u9fff]")


def _export(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], *argv: str
            ) -> list[dict[str, str]]:
    out = tmp_path / "x.csv"
    assert main(["--db", str(db), "export", *argv, "--out", str(out)]) == 0
    capsys.readouterr()
    return list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))


def test_localise_frame_hand_made() -> None:
    df = pl.DataFrame({
        "customer_id": ["C1", "C2"], "value_tier": ["platinum", "lead"],
        "risk_level": ["high", None], "rfm_segment": ["champions", "lost"],
        "risk_flags": [["inactive", "spend_drop"], []], "sla_breached": [True, False],
        "recommended_action": ["win_back_big", "maintain"], "last_order_date":
        [dt.date(2024, 1, 5), None], "orders": [3, 1],
    })
    zh = localise_frame(df, "zh")
    assert zh.columns == ["客户编号", "价值层级", "风险等级", "RFM 细分", "预警信号", "是否超时",
                          "建议行动", "最近下单日期", "订单数"]
    flags = "超出自身购买节奏未购买；消费金额下降"
    assert zh.row(0) == ("C1", "铂金层", "高", "冠军客户", flags, "是",
                         t("churn.action.win_back_big", "zh"), dt.date(2024, 1, 5), 3)
    assert zh.row(1)[:6] == ("C2", "重铅层", None, t("rfm.lost", "zh"), "", "否")
    en = localise_frame(df, "en", headers=False)
    assert en.columns == df.columns
    assert en.row(0)[1] == "Platinum"


def test_export_customers_zh_headers_and_values(sample_db_master: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    rows = _export(sample_db_master, tmp_path, capsys, "customers", "--lang", "zh")
    header = list(rows[0])
    assert header[:3] == ["客户编号", "价值层级", "客户终身价值"]
    assert all(CJK.search(h) for h in header), header  # every header in Chinese
    tiers = {t(f"tier.{x}", "zh") for x in TIER_ORDER}
    stages = {t(f"stage.{x}", "zh") for x in STAGES}
    patterns = {zh for k, (_, zh) in TEXTS.items() if k.startswith("pattern.")}
    assert {t(f"pattern.{x}", "zh") for x in PATTERNS} <= patterns
    levels = {t(f"risk.{x}", "zh") for x in RISK_LEVELS}
    assert len(rows) == 600
    for r in rows:
        assert r["价值层级"] in tiers
        assert r["生命周期阶段"] in stages
        assert r["生命曲线类型"] in (*patterns, "")
        assert r["风险等级"] in (*levels, "")
        assert CJK.search(r["RFM 细分"]) and CJK.search(r["建议行动"])
        assert r["流失风险"] == "" or 0.0 <= float(r["流失风险"]) <= 1.0
    assert any(r["预警信号"] for r in rows)
    assert all(CJK.search(r["预警信号"]) for r in rows if r["预警信号"])


def test_export_en_keeps_contract_names(sample_db_master: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    rows = _export(sample_db_master, tmp_path, capsys, "at-risk", "--lang", "en")
    assert list(rows[0])[: len(EXPORT_COLUMNS)] == list(EXPORT_COLUMNS)
    assert {r["value_tier"] for r in rows} <= set(TIER_ORDER)
    assert not any(CJK.search(r["recommended_action"] + r["risk_flags"]) for r in rows)


def test_export_complaints_zh(sample_db_master: Path, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    rows = _export(sample_db_master, tmp_path, capsys, "complaints", "--lang", "zh")
    assert rows
    header = list(rows[0])
    assert header[:2] == ["投诉编号", "投诉日期"]
    statuses = {t(f"complaints.status.{s}", "zh") for s in ("open", "in_progress", "resolved")}
    assert {r["处理状态"] for r in rows} <= statuses
    assert {r["是否超时"] for r in rows} <= {"是", "否", ""}
    assert "是" in {r["是否超时"] for r in rows}
