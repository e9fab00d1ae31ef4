"""`report --engine spark --orders X.parquet` equals `--engine duckdb` on the same file.

Both engines run THE occasion query (Spark's dialect written by sqlglot) on the sample's
order lines and on CDNOW (the lifetimes wheel's master log, dates as timestamps); the
reports must agree on customers, tiers, stages, patterns and at-risk counts exactly and on
the model parameters within 1e-6. Spark runs in local mode on loopback, without its UI.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import lifetimes
import polars as pl
import pytest

from crm_logic import engines, store
from crm_logic.cli import main

CDNOW = Path(lifetimes.__file__).parent / "datasets" / "CDNOW_master.txt"
COUNTS = ("customers", "tiers", "stages", "patterns", "at_risk", "counts")
MODELS = ("churn_model", "spend_model")


@pytest.fixture(scope="module")
def spark() -> object:
    """One local Spark session for the module (the CLI's getOrCreate reuses it)."""
    return engines.spark_session("local[2]")


def _report(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def _assert_same(duck: dict, spark: dict) -> None:
    for key in COUNTS:
        assert spark[key] == duck[key], key
    for key in MODELS:
        for name, value in duck[key].items():
            other = spark[key][name]
            if isinstance(value, float):
                assert math.isclose(other, value, rel_tol=0, abs_tol=1e-6), (key, name)
            else:
                assert other == value, (key, name)


def test_spark_sql_is_translated_not_written(spark: object) -> None:
    from crm_logic.occasions import ALL_DAYS, occasions_sql

    text = engines.to_spark(occasions_sql(ALL_DAYS))
    assert "CAST('9999-12-31' AS DATE)" in text and "$as_of" not in text
    assert "ORDER BY" not in text  # the driver sorts
    conf = spark.sparkContext.getConf()  # type: ignore[attr-defined]
    assert conf.get("spark.driver.host") == "127.0.0.1"
    assert conf.get("spark.ui.enabled") == "false"


def test_sample_on_both_engines(spark: object, sample_db: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    con = store.connect(sample_db, read_only=True)
    parquet = engines.store_parquet(con, tmp_path)
    con.close()
    occ_duck = engines.occasion_table(parquet, "duckdb")
    occ_spark = engines.occasion_table(parquet, "spark")
    assert occ_spark.select("customer_id", "day", "lines", "orders", "is_purchase").equals(
        occ_duck.select("customer_id", "day", "lines", "orders", "is_purchase"))
    assert (occ_spark["revenue"] - occ_duck["revenue"]).abs().max() < 1e-9
    db = ["--db", str(sample_db), "report"]
    duck = _report(capsys, *db, "--orders", str(parquet))
    _assert_same(duck, _report(capsys, *db, "--orders", str(parquet), "--engine", "spark"))
    assert duck["customers"]["active"] + duck["customers"]["churned"] == 600
    # the store's own lines on Spark (no --orders): the same again
    _assert_same(duck, _report(capsys, *db, "--engine", "spark"))


def _cdnow(tmp_path: Path) -> Path:
    raw = pl.read_csv(CDNOW, has_header=False, new_columns=["line"], separator="\t")
    pattern = r"^\s*(?<id>\d+)\s+(?<day>\d{8})\s+(?<n>\d+)\s+(?<amount>[\d.]+)\s*$"
    body = raw.select(pl.col("line").str.extract_groups(pattern)).unnest("line")
    lines = body.filter(pl.col("id").is_not_null()).select(
        customer_id=pl.col("id").cast(pl.Int64),  # ids as numbers, dates as timestamps
        order_date=pl.col("day").str.to_datetime("%Y%m%d"),
        quantity=pl.col("n").cast(pl.Int64),
        amount=pl.col("amount").cast(pl.Float64))
    out = tmp_path / "cdnow.parquet"
    lines.write_parquet(out)
    return out


def test_cdnow_on_both_engines(spark: object, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    parquet = _cdnow(tmp_path)
    args = ["--db", str(tmp_path / "no-store.duckdb"), "report", "--as-of", "1997-09-30",
            "--orders", str(parquet)]
    duck = _report(capsys, *args)
    assert duck["counts"]["customers"] == 23_570
    _assert_same(duck, _report(capsys, *args, "--engine", "spark"))
