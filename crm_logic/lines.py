"""Questions about single order lines, answered where the lines are: one SQL text each.

The analyses start from the purchase-occasion table (`crm_logic.occasions`); only a few
questions need the lines themselves: which category a customer buys most (the reward
suggestion), orders per product or sales rep (complaint rates), amounts too large to be
believed (`crm_logic.plausibility`), and one customer's lines (Customer 360).

The report and the app do not hold the lines in memory (`CrmData.lines_held` False,
`store.load_data(con, lines=False)`): at 11.5M lines (250,000-customer sample) reading them
cost 1.9 s and 1.7 GB of resident memory that stayed after the read, for a 0.73 GB frame.
Such a `CrmData` knows its store and data version; each question opens the store read-only
for a moment and runs its SQL there. Data that holds its lines (tests, `--orders` day lines)
runs the same SQL on the frame through DuckDB. Either way one text per question.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl

if TYPE_CHECKING:
    from crm_logic.store import CrmData

# customer_id, top_category: the category with the most net revenue up to $as_of (ties: the
# first category in alphabetical order)
TOP_CATEGORIES_SQL = """
SELECT customer_id, arg_min(category, (-amount, category)) AS top_category
FROM (SELECT customer_id, category, sum(coalesce(amount, 0.0)) AS amount FROM orders
      WHERE order_date <= $as_of AND category IS NOT NULL AND customer_id IS NOT NULL
      GROUP BY customer_id, category)
GROUP BY customer_id
ORDER BY customer_id
"""

# <by>, orders: distinct orders holding a product (or placed by a sales rep's customer)
# received between $start and $as_of; an order is an order_id, or the (customer, day) of
# lines without one; refund lines (negative amount) are not orders
_ORDER_COUNTS_SQL = """
SELECT {key} AS {by}, count(DISTINCT (order_id, CASE WHEN order_id IS NULL THEN o.customer_id
       END, CASE WHEN order_id IS NULL THEN order_date END))::BIGINT AS orders
FROM orders AS o {join}
WHERE order_date <= $as_of AND order_date >= $start AND coalesce(amount, 0.0) >= 0
  AND {key} IS NOT NULL
GROUP BY ALL
ORDER BY 1
"""
_REPS = ("LEFT JOIN (SELECT customer_id, first(sales_rep) AS sales_rep FROM customers "
         "GROUP BY customer_id) AS c ON c.customer_id = o.customer_id")

# the lines of one customer up to $as_of, oldest first
CUSTOMER_LINES_SQL = """
SELECT * FROM orders WHERE customer_id = $customer_id AND order_date <= $as_of
ORDER BY order_date, order_id
"""

AMOUNTS_SQL = "SELECT amount FROM orders WHERE order_date <= $as_of"
# lines up to $as_of whose absolute amount is beyond $bound or not finite
BEYOND_SQL = """
SELECT * FROM orders
WHERE order_date <= $as_of AND amount IS NOT NULL
  AND (NOT isfinite(amount) OR abs(amount) > $bound)
"""
EARLIEST = dt.date(1, 1, 1)


class StoreChangedError(RuntimeError):
    """An import landed after the data was read: its lines no longer match."""


def ask(data: CrmData, sql: str, params: dict[str, Any],
        tables: tuple[str, ...] = ("orders",)) -> pl.DataFrame:
    """The result of `sql` over the order lines of `data` (and `tables` beside them)."""
    from crm_logic import store

    if data.lines_held or data.store_path is None:
        con = duckdb.connect()
        try:
            for name in tables:
                con.register(name, getattr(data, name).to_arrow())
            return con.sql(sql, params=params).pl()
        finally:
            con.close()
    with store.reading(data.store_path) as con:
        if data.version is not None and store.data_version(con) != data.version:
            raise StoreChangedError("the store changed while reading it (an import landed):"
                                    " run again")
        return con.cursor().sql(sql, params=params).pl()


def top_categories(data: CrmData, as_of: dt.date) -> pl.DataFrame:
    """customer_id, top_category (`TOP_CATEGORIES_SQL`), sorted by customer_id."""
    return ask(data, TOP_CATEGORIES_SQL, {"as_of": as_of}).cast(
        {"customer_id": pl.String, "top_category": pl.String})


def order_counts(data: CrmData, by: str, as_of: dt.date,
                 start: dt.date | None = None) -> pl.DataFrame:
    """<by>, orders per product or sales rep (the customer's) in [start, as_of]."""
    if by not in ("product", "sales_rep"):
        raise ValueError(f"rate by product or sales_rep, not {by!r}")
    sql = _ORDER_COUNTS_SQL.format(by=by, key="o.product" if by == "product" else "c.sales_rep",
                                   join="" if by == "product" else _REPS)
    return ask(data, sql, {"as_of": as_of, "start": start or EARLIEST},
               ("orders", "customers") if by == "sales_rep" else ("orders",)).cast(
        {by: pl.String, "orders": pl.Int64})


def customer_lines(data: CrmData, customer_id: str, as_of: dt.date) -> pl.DataFrame:
    """One customer's order lines up to as_of (canonical columns), oldest first."""
    from crm_logic.store import polars_schema

    got = ask(data, CUSTOMER_LINES_SQL, {"customer_id": customer_id, "as_of": as_of})
    return got.cast(polars_schema("orders"))  # type: ignore[arg-type]


def amounts(data: CrmData, as_of: dt.date) -> pl.Series:
    """Every line's amount up to as_of (one float column: 92 MB at 11.5M lines)."""
    return ask(data, AMOUNTS_SQL, {"as_of": as_of}).get_column("amount").cast(pl.Float64)


def lines_beyond(data: CrmData, bound: float, as_of: dt.date) -> pl.DataFrame:
    """Lines up to as_of with an absolute amount beyond `bound`, or not finite."""
    from crm_logic.store import polars_schema

    got = ask(data, BEYOND_SQL, {"bound": bound, "as_of": as_of})
    return got.cast(polars_schema("orders"))  # type: ignore[arg-type]
