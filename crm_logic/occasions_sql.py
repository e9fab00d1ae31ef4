"""THE purchase-occasion table as one SQL text (DuckDB dialect), for the scale-out engines.

Interim home: the `engine` helper is writing this query as `crm_logic.occasions.OCCASIONS_SQL`
(same text, same columns); when it is on main, this module goes and `crm_logic.engines`
imports it from there. One row per customer and calendar day with an order line up to the
as-of date: customer_id, day, revenue (net), purchase_revenue (lines with amount >= 0),
lines, refund_lines, orders (each distinct order id on the first day it appears for that
customer, plus one per day holding lines without an id), is_purchase (any line with
amount >= 0: the project's purchase occasion, `crm_logic.occasions`), margin (sum of the
given margins, null where none) and unmargined_revenue (net amount of the lines without a
margin).

The SQL reads a relation named `orders` (customer_id, order_date, amount, order_id, margin)
and takes the as-of as parameter `$as_of`; `occasions_sql` writes the date in for engines
without parameters (Spark, through sqlglot).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

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


def occasions_sql(as_of: dt.date = ALL_DAYS) -> str:
    """`OCCASIONS_SQL` with the as-of written in as a DATE literal (for sqlglot / Spark)."""
    return OCCASIONS_SQL.replace("$as_of", f"DATE '{as_of.isoformat()}'")
