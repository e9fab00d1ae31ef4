"""Order lines from Parquet (or the store) aggregated on DuckDB or Spark: `--engine`, `--orders`.

Past one machine, only the per-customer aggregation has to scale out: THE purchase-occasion
query (`crm_logic.occasions.OCCASIONS_SQL`, DuckDB dialect, written once) runs on the
chosen engine; Spark gets the same text translated by sqlglot. Only its result, one row per
customer and day, comes back to the driver. `day_lines` turns that table into a few order
lines per customer-day that carry every figure the analyses read (net revenue per day, the
purchase flag, margins and the unmargined revenue, distinct orders), so the rest of the
pipeline runs unchanged on it.

Input: a Parquet file or a folder of them with the canonical order columns (customer_id,
order_date, amount or quantity and unit_price; optional order_id, margin); dates may be
dates, timestamps or ISO text. Spark: master `CRM_SPARK_MASTER` (default `local[*]`); a local
master binds to loopback only and runs without its web UI.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from crm_logic import store
from crm_logic.occasions import ALL_DAYS, OCCASIONS_SQL, SCHEMA, occasions_sql

ENGINES: tuple[str, ...] = ("duckdb", "spark")
_TYPES = {"customer_id": "VARCHAR", "order_date": "DATE", "amount": "DOUBLE",
          "order_id": "VARCHAR", "margin": "DOUBLE"}


class OrdersSourceError(ValueError):
    """The order lines cannot be used (no such path, no Parquet files, a column missing)."""


def parquet_glob(path: str | Path) -> str:
    """The Parquet file, or every *.parquet under the folder; OrdersSourceError if none."""
    p = Path(path)
    if p.is_file():
        return str(p)
    if p.is_dir():
        if not any(p.rglob("*.parquet")):
            raise OrdersSourceError(f"no Parquet files under {p}")
        return str(p / "**" / "*.parquet")
    raise OrdersSourceError(f"no such file or folder: {p}")


def source_sql(columns: list[str]) -> str:
    """SELECT over relation `src` giving the canonical order columns (DuckDB dialect).

    amount from quantity x unit_price where the file has no amount; optional columns the
    file lacks are null."""
    have = {c.lower(): c for c in columns}
    missing = [c for c in ("customer_id", "order_date") if c not in have]
    if "amount" not in have and not {"quantity", "unit_price"} <= set(have):
        missing.append("amount (or quantity and unit_price)")
    if missing:
        raise OrdersSourceError(f"order lines lack column(s): {', '.join(missing)}; "
                                f"columns: {', '.join(columns)}")
    parts = []
    for c, typ in _TYPES.items():
        if c in have:
            parts.append(f"CAST(src.{have[c]} AS {typ}) AS {c}")
        elif c == "amount":
            parts.append(f"CAST(src.{have['quantity']} AS DOUBLE) * "
                         f"CAST(src.{have['unit_price']} AS DOUBLE) AS amount")
        else:
            parts.append(f"CAST(NULL AS {typ}) AS {c}")
    return f"SELECT {', '.join(parts)} FROM src"


def _frame(table: Any) -> pl.DataFrame:
    """An engine's result as the occasion table: canonical dtypes, sorted by customer, day."""
    return pl.from_arrow(table).cast(SCHEMA).sort("customer_id", "day")  # type: ignore[arg-type]


def duckdb_occasions(path: str | Path, as_of: dt.date = ALL_DAYS) -> pl.DataFrame:
    """THE occasion query on DuckDB over a Parquet file or folder."""
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.register("src", con.read_parquet(parquet_glob(path), union_by_name=True))
        cols = [r[0] for r in con.execute("DESCRIBE src").fetchall()]
        con.execute(f"CREATE TEMP VIEW orders AS {source_sql(cols)}")
        return _frame(con.sql(OCCASIONS_SQL, params={"as_of": as_of}).arrow())
    finally:
        con.close()


def to_spark(sql: str) -> str:
    """DuckDB SQL in Spark's dialect (sqlglot): the one query, never a hand-written copy.

    A final ORDER BY is dropped: the driver sorts the result (`_frame`), and a global sort
    would cost Spark an extra sampling pass."""
    import sqlglot

    tree = sqlglot.parse_one(sql, read="duckdb")
    tree.set("order", None)
    return tree.sql(dialect="spark")


def spark_master() -> str:
    return os.environ.get("CRM_SPARK_MASTER") or "local[*]"


def spark_session(master: str | None = None) -> Any:
    """A SparkSession on `master` (default CRM_SPARK_MASTER or local[*]); dates in UTC.

    A local master binds to 127.0.0.1 only and runs without the web UI; a cluster master
    takes its network settings from the Spark configuration of the machine."""
    master = master or spark_master()
    local = master.startswith("local")
    if local:
        os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.master(master).appName("crm-lens")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.parquet.recursiveFileLookup", "true"))
    if local:
        builder = (builder.config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.sql.shuffle.partitions", "4"))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def spark_occasions(path: str | Path, as_of: dt.date = ALL_DAYS,
                    spark: Any = None) -> pl.DataFrame:
    """THE occasion query on Spark (translated by sqlglot) over a Parquet file or folder."""
    if "://" not in str(path):  # a local path: a clear error before Spark starts
        parquet_glob(path)
    spark = spark or spark_session()
    src = spark.read.option("recursiveFileLookup", "true").parquet(str(path))
    src.createOrReplaceTempView("src")
    spark.sql(to_spark(source_sql(src.columns))).createOrReplaceTempView("orders")
    return _frame(spark.sql(to_spark(occasions_sql(as_of))).toArrow())


def occasion_table(path: str | Path, engine: str = "duckdb",
                   as_of: dt.date = ALL_DAYS) -> pl.DataFrame:
    """The purchase-occasion table of the order lines in `path`, computed on `engine`."""
    if engine not in ENGINES:
        raise OrdersSourceError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    return spark_occasions(path, as_of) if engine == "spark" else duckdb_occasions(path, as_of)


def day_lines(occ: pl.DataFrame) -> pl.DataFrame:
    """Order lines (canonical schema) standing for the occasion table, a few per customer-day.

    Per customer-day: a line with the margined lines' net amount and their margin (when the
    day has margins), a line with the unmargined net amount, and a zero line where the day is
    a purchase but neither line is >= 0. So each day keeps its net revenue, its purchase flag
    (any line >= 0), its margin sum and unmargined revenue. Order ids: the day's `orders`
    new orders get one id each (a day with more orders than lines gets zero lines, or, on a
    refund-only day, its refund split evenly), days without a new order reuse the customer's
    latest id; so distinct ids per customer = the sum of `orders`."""
    if occ.height == 0:
        return store.empty_frame("orders")
    has_m = pl.col("margin").is_not_null()
    a_amt = pl.col("revenue") - pl.col("unmargined_revenue")
    b_on = ~has_m | (pl.col("unmargined_revenue") != 0)
    parts = occ.with_columns(
        pl.when(has_m).then(a_amt).alias("_a"),
        pl.when(b_on).then(pl.col("unmargined_revenue")).alias("_b"),
        pl.col("orders").cum_sum().over("customer_id").alias("_c"),
    ).with_columns(
        pl.when(pl.col("is_purchase") & ~((pl.col("_a") >= 0).fill_null(False)
                                          | (pl.col("_b") >= 0).fill_null(False)))
        .then(0.0).alias("_z"),
    )
    n_parts = pl.sum_horizontal(pl.col("_a", "_b", "_z").is_not_null().cast(pl.Int64))
    parts = parts.with_columns(
        n_parts.alias("_p"),
        pl.max_horizontal(n_parts, pl.col("orders")).alias("_n"),
    )
    j, k, n_p = pl.col("_j"), pl.col("orders"), pl.col("_p")
    last = pl.col("_k") == n_p - 1  # the line belongs to the day's last part
    first_margined = has_m & (pl.col("_k") == 0)
    lines = (parts.with_columns(
        pl.concat_list(pl.col("_a", "_b", "_z")).list.drop_nulls().alias("_amt"),
        pl.int_ranges(0, pl.col("_n")).alias("_j"))
        .explode("_j")
        .with_columns(pl.min_horizontal(j, n_p - 1).alias("_k"),
                      (pl.col("_n") - n_p + 1).alias("_split"))
        .with_columns(pl.col("_amt").list.get(pl.col("_k")).alias("_part"))
        .with_columns(
            # lines past the parts: zero on a purchase day, a share of the refund otherwise
            pl.when(~last).then(pl.col("_part"))
            .when(pl.col("is_purchase")).then(
                pl.when(j == n_p - 1).then(pl.col("_part")).otherwise(0.0))
            .otherwise(pl.col("_part") / pl.col("_split")).alias("amount"),
            pl.when(~first_margined).then(None)
            .when(~last).then(pl.col("margin"))
            .when(pl.col("is_purchase")).then(pl.when(j == 0).then(pl.col("margin")))
            .otherwise(pl.col("margin") / pl.col("_split")).alias("_m"),
            pl.when(k > 0).then(pl.col("_c") - k + 1 + pl.min_horizontal(j, k - 1))
            .otherwise(pl.col("_c")).alias("_id")))
    return lines.select(
        "customer_id", pl.col("day").alias("order_date"), "amount",
        (pl.col("customer_id") + "#" + pl.col("_id").cast(pl.String)).alias("order_id"),
        pl.lit(None, pl.Float64).alias("quantity"), pl.lit(None, pl.Float64).alias("unit_price"),
        pl.lit(None, pl.String).alias("product"), pl.lit(None, pl.String).alias("category"),
        pl.col("_m").alias("margin"),
    ).cast(store.polars_schema("orders"))  # type: ignore[arg-type]


def store_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> Path:
    """The store's order lines written to a Parquet file in `folder` (Spark reads it)."""
    out = folder / "orders.parquet"
    cols = ", ".join(_TYPES)
    con.cursor().execute(f"COPY (SELECT {cols} FROM orders) TO '{out}' (FORMAT PARQUET)")
    return out


def load(con: duckdb.DuckDBPyConnection | None, orders: str | Path | None,
         engine: str) -> tuple[store.CrmData, pl.DataFrame]:
    """The data the analyses read, order lines aggregated on `engine`; and the occasion table.

    Order lines from `orders` (Parquet) or else the store `con`; customers, complaints,
    interactions and prospects from the store when there is one (else empty)."""
    if orders is None:
        if con is None:
            raise OrdersSourceError("no store to read order lines from: give --orders")
        with tempfile.TemporaryDirectory(prefix="crm_orders_") as tmp:
            occ = occasion_table(store_parquet(con, Path(tmp)), engine)
    else:
        occ = occasion_table(orders, engine)
    tables = {t: (store.read_table(con, t) if con is not None else store.empty_frame(t))
              for t in store.TABLES if t != "orders"}
    lines = day_lines(occ)
    # the table the analyses cut (`occasions.table`): its `lines` counts the lines of the
    # CrmData (the day lines), so it is recognised as built from them; nothing else reads it
    per_day = lines.group_by("customer_id", "order_date", maintain_order=True).len()
    held = occ.with_columns(per_day.get_column("len").cast(pl.Int64).alias("lines"))
    return store.CrmData(orders=lines, occasions=held, **tables), occ


def line_count(occ: pl.DataFrame, as_of: dt.date) -> int:
    """Order lines up to and including `as_of` (the report's counts.orders)."""
    return int(occ.filter(pl.col("day") <= as_of).get_column("lines").sum() or 0)
