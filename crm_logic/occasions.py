"""What counts as a purchase: one definition for the value models, lifecycle and churn.

A purchase occasion is a customer's calendar day with at least one order line whose amount
is not negative. Several lines (and several orders) on one day are one occasion (the
contract's rule for the models). A day that holds only returns or refunds (negative lines)
lowers revenue but is not a purchase; a free item (amount 0) is one — CDNOW's published
figures count such first purchases.
"""

from __future__ import annotations

import polars as pl


def is_purchase_line(amount: str = "amount") -> pl.Expr:
    """True for an order line that is a purchase (amount >= 0), false for a refund line."""
    return pl.col(amount).fill_null(0.0) >= 0


def is_purchase_day(amount: str = "amount") -> pl.Expr:
    """Aggregation over one customer-day's lines: does the day hold a purchase?"""
    return is_purchase_line(amount).any()
