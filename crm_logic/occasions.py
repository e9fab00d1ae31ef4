"""What counts as a purchase: one definition for the value models, lifecycle and churn.

A purchase occasion is a customer's calendar day with at least one order line whose amount
is not negative. Several lines (and several orders) on one day are one occasion (the
contract's rule for the models). A day that holds only returns or refunds (negative lines)
lowers revenue but is not a purchase; a free item (amount 0) is one — CDNOW's published
figures count such first purchases.

THE purchase-occasion table (`OCCASIONS_SQL`, one DuckDB query) holds one row per customer
and calendar day with an order line up to the as-of date: customer_id, day, revenue (net),
purchase_revenue (lines with amount >= 0), lines, refund_lines, orders, is_purchase, plus
margin (sum of the given margins, null where none) and unmargined_revenue (net amount of
the lines without a margin) for the value to date. `orders` counts each distinct order id
on the first day it appears for that customer (an order spread over two days is one order)
plus one order per day holding lines without an id. Value, churn and complaints start from
this table (`table`); nothing re-derives occasions from the lines.

The SQL is plain text over a relation named `orders` (customer_id, order_date, amount,
order_id, margin) with the as-of as parameter `$as_of`: the store runs it on its table,
`run` on a Polars frame or a Parquet path, and `occasions_sql` inlines the date for other
engines (Spark through sqlglot).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

if TYPE_CHECKING:
    from crm_logic.store import CrmData

OCCASIONS_SQL = """
WITH lines AS (
    SELECT customer_id, order_date AS day, coalesce(amount, 0.0) AS amount, order_id, margin
    FROM orders
    WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND order_date <= $as_of
),
first_days AS (
    SELECT customer_id, day, count(*) AS orders
    FROM (SELECT customer_id, order_id, min(day) AS day FROM lines
          WHERE order_id IS NOT NULL GROUP BY customer_id, order_id) AS o
    GROUP BY customer_id, day
),
days AS (
    SELECT customer_id, day,
           sum(amount) AS revenue,
           sum(CASE WHEN amount >= 0 THEN amount ELSE 0.0 END) AS purchase_revenue,
           count(*) AS lines,
           sum(CASE WHEN amount < 0 THEN 1 ELSE 0 END) AS refund_lines,
           max(CASE WHEN order_id IS NULL THEN 1 ELSE 0 END) AS no_id,
           max(CASE WHEN amount >= 0 THEN 1 ELSE 0 END) AS purchase,
           sum(margin) AS margin,
           sum(CASE WHEN margin IS NULL THEN amount ELSE 0.0 END) AS unmargined_revenue
    FROM lines
    GROUP BY customer_id, day
)
SELECT d.customer_id, d.day, d.revenue, d.purchase_revenue, d.lines, d.refund_lines,
       coalesce(f.orders, 0) + d.no_id AS orders, d.purchase = 1 AS is_purchase,
       d.margin, d.unmargined_revenue
FROM days AS d
LEFT JOIN first_days AS f ON f.customer_id = d.customer_id AND f.day = d.day
ORDER BY d.customer_id, d.day
"""

SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.String(), "day": pl.Date(), "revenue": pl.Float64(),
    "purchase_revenue": pl.Float64(), "lines": pl.Int64(), "refund_lines": pl.Int64(),
    "orders": pl.Int64(), "is_purchase": pl.Boolean(), "margin": pl.Float64(),
    "unmargined_revenue": pl.Float64(),
}
ALL_DAYS = dt.date(9999, 12, 31)  # as-of meaning "every day in the data"
_SOURCE_COLUMNS = {"customer_id": "VARCHAR", "order_date": "DATE", "amount": "DOUBLE",
                   "order_id": "VARCHAR", "margin": "DOUBLE"}


def occasions_sql(as_of: dt.date) -> str:
    """`OCCASIONS_SQL` with the as-of written in as a DATE literal (for sqlglot / Spark)."""
    return OCCASIONS_SQL.replace("$as_of", f"DATE '{as_of.isoformat()}'")


def _frame(rel: duckdb.DuckDBPyRelation) -> pl.DataFrame:
    """The query's rows, in (customer_id, day) order by construction: customer_id carries
    Polars' sorted flag, which `customer_day_sorted` trusts and group-bys use (a sorted
    group-by over 8.7M occasions: 150 ms instead of 557 ms)."""
    frame = rel.pl().cast(SCHEMA)  # type: ignore[arg-type]
    return frame.with_columns(pl.col("customer_id").set_sorted())


def customer_day_sorted(occ: pl.DataFrame) -> bool:
    """Is this occasion table in (customer_id, day) order? Tables built here say so by the
    sorted flag on customer_id (kept through filters); others are checked row by row
    (0.3 s at 8.7M occasions)."""
    if occ.get_column("customer_id").flags["SORTED_ASC"]:
        return True
    return bool(occ.select(pl.struct("customer_id", "day").is_sorted()).item())


def run(con: duckdb.DuckDBPyConnection, as_of: dt.date = ALL_DAYS) -> pl.DataFrame:
    """The occasion table of the `orders` relation visible on `con` (the store's table)."""
    return _frame(con.cursor().sql(OCCASIONS_SQL, params={"as_of": as_of}))


# The store keeps the occasion table over every day as a table of its own, rebuilt in the
# transaction of every orders import (`rebuild`): reading it back costs 0.9 s instead of
# the query's 6.4 s at 11.5M lines / 8.7M occasions (250,000-customer sample), on every
# `report` and every app start. Rows are written in (customer_id, day) order and DuckDB keeps
# insertion order on a plain scan (its default `preserve_insertion_order`).
STORED = "order_days"


# DuckDB's memory for the rebuild: it spills beyond. At 11.5M lines the rebuild took 10.0 s
# and 3.5 GB of peak memory unbounded, 10.8 s and 1.4 GB with this limit.
REBUILD_MEMORY = "1GB"


def rebuild(cur: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the store's occasion table from its `orders` (inside the caller's
    transaction: an import that fails leaves the old table)."""
    cur.execute(f"SET memory_limit = '{REBUILD_MEMORY}'").fetchall()
    try:
        cur.execute(f"CREATE OR REPLACE TABLE {STORED} AS "
                    + OCCASIONS_SQL.replace("$as_of", "DATE '9999-12-31'")).fetchall()
    finally:
        cur.execute("RESET memory_limit").fetchall()


def read(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The store's occasion table over every day: the stored one when it was built from the
    orders now in the store (its `lines` add up to their count), else built now with the
    same SQL (a store from before the table existed, opened read-only)."""
    cur = con.cursor()
    have = cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                       [STORED]).fetchall()[0][0]
    if have:
        fresh = cur.execute(
            f"SELECT (SELECT coalesce(sum(lines), 0) FROM {STORED}) = (SELECT count(*) FROM "
            "orders WHERE customer_id IS NOT NULL AND order_date IS NOT NULL)").fetchall()
        if fresh[0][0]:
            return _frame(cur.sql(f"SELECT {', '.join(SCHEMA)} FROM {STORED}"))
    return run(con)


def run_on(source: pl.DataFrame | pl.LazyFrame | str | Path,
           as_of: dt.date = ALL_DAYS) -> pl.DataFrame:
    """The occasion table of order lines given as a Polars frame or a Parquet file/folder.

    Optional columns (order_id, margin) missing from the source count as null."""
    con = duckdb.connect()
    try:
        if isinstance(source, (str, Path)):
            p = Path(source)
            pattern = str(p / "**" / "*.parquet") if p.is_dir() else str(p)
            raw = con.read_parquet(pattern)
        else:
            raw = con.from_arrow((source.collect() if isinstance(source, pl.LazyFrame)
                                  else source).to_arrow())
        have = set(raw.columns)
        cols = ", ".join(
            f"CAST({c} AS {typ}) AS {c}" if c in have else f"CAST(NULL AS {typ}) AS {c}"
            for c, typ in _SOURCE_COLUMNS.items())
        con.register("_src", raw)
        con.execute(f"CREATE TEMP VIEW orders AS SELECT {cols} FROM _src")
        return _frame(con.sql(OCCASIONS_SQL, params={"as_of": as_of}))
    finally:
        con.close()


# The columns each reader of a date cut needs (a cut copies only these: at 8.7M occasions
# the whole table is 650 MB, customer-day-revenue-purchase 270 MB).
DAYS = ("customer_id", "day", "revenue", "is_purchase")


def table(data: CrmData, as_of: dt.date,
          columns: tuple[str, ...] | None = None) -> pl.DataFrame:
    """The occasion table of `data` up to and including `as_of`, sorted by customer, day
    (only `columns` when given).

    Cut from the store's table built once per data version (`data.occasions`) when present,
    else built from `data.orders` with the same SQL. A cut on or after the last day is the
    held table itself, not a copy (has_orders and the latest as-of ask for it often)."""
    held = getattr(data, "occasions", None)
    if held is None or not _matches(held, data.orders):
        held = run_on(data.orders, as_of)
    cols = held.columns if columns is None else list(columns)
    last = held.get_column("day").max()
    if last is None or (isinstance(last, dt.date) and last <= as_of):
        return held.select(cols)  # the held columns themselves: no copy
    return held.select(cols).filter(held.get_column("day") <= as_of)


def _matches(held: pl.DataFrame, orders: pl.DataFrame) -> bool:
    """Was `held` built from these lines? (Guards a `dataclasses.replace(data, orders=...)`
    that kept the old table: the line counts differ. Lines dropped on purpose, an empty
    `orders`, leave the held table in charge.)"""
    if orders.height == 0:
        return True
    counted = orders.select((pl.col("customer_id").is_not_null()
                             & pl.col("order_date").is_not_null()).sum()).item()
    return int(held.get_column("lines").sum() or 0) == int(counted)


def is_purchase_line(amount: str = "amount") -> pl.Expr:
    """True for an order line that is a purchase (amount >= 0), false for a refund line."""
    return pl.col(amount).fill_null(0.0) >= 0


def is_purchase_day(amount: str = "amount") -> pl.Expr:
    """Aggregation over one customer-day's lines: does the day hold a purchase?"""
    return is_purchase_line(amount).any()
