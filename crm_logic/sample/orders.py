"""Order lines of the sample (part of `crm_logic.sample`).

Purchase occasions become 1-4 lines with products picked by budget, quantities, promotional
prices, margins (some missing) and later return lines. Split out of the former single module
as the largest single table builder.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from crm_logic import store
from crm_logic.sample.draws import _choice, _dates, _ids, _ints, _strings
from crm_logic.sample.tables import (
    _CATEGORIES,
    _N_PRODUCTS,
    CATALOGUE,
    EA,
    MARGIN_MISSING_SHARE,
    REFUND_SHARE,
)


def _orders(rng: np.random.Generator, occ_cust: np.ndarray, occ_day: np.ndarray,
            occ_basket: np.ndarray, in_plateau: np.ndarray, g: np.ndarray,
            primary_cat: np.ndarray, cross_buyer: np.ndarray,
            first_buy: np.ndarray, end_day: int) -> pl.DataFrame:
    """Order lines (1-4 per occasion) with products, quantities, prices, margins and returns."""
    n_occ = len(occ_cust)
    # Order numbers follow the calendar, as an ERP would issue them.
    by_date = np.lexsort((occ_cust, occ_day))
    order_no = np.empty(n_occ, np.int64)
    order_no[by_date] = np.arange(1, n_occ + 1)

    n_lines = _choice(rng, [0.74, 0.18, 0.06, 0.02], n_occ) + 1
    line_occ = np.repeat(np.arange(n_occ), n_lines)
    weight = rng.exponential(1.0, len(line_occ))
    weight_sum = np.bincount(line_occ, weights=weight, minlength=n_occ)
    target = occ_basket[line_occ] * weight / weight_sum[line_occ]
    cust = occ_cust[line_occ]

    # Cross-buying: stable, long relationships buy across categories.
    p_primary = np.where(cross_buyer[cust] & in_plateau[line_occ], 0.4, 0.85)
    other_cat = _ints(rng, 0, len(_CATEGORIES) - 1, len(line_occ))
    cat = np.where(rng.random(len(line_occ)) < p_primary, primary_cat[cust], other_cat)
    # The dearest product whose price fits the line's budget (with some slack), else the cheapest.
    prices = np.array([[p for _, p in CATALOGUE[c]] for c in _CATEGORIES])
    budget = target * rng.uniform(0.8, 1.3, len(line_occ))
    prod = np.maximum((prices[cat] <= budget[:, None]).sum(axis=1) - 1, 0)
    prod = np.maximum(prod - (rng.random(len(line_occ)) < 0.3), 0)
    names = [name for c in _CATEGORIES for name, _ in CATALOGUE[c]]
    list_price = prices[cat, prod]
    # Full price when whole units come close to the budget, else enough units at a promotional
    # discount (70-100% of list price).
    qty_round = np.maximum(1.0, np.round(target / list_price))
    full_price = np.abs(qty_round * list_price / target - 1.0) <= 0.15
    qty = np.where(full_price, qty_round, np.ceil(target / list_price))
    discount = np.clip(np.round(target / (qty * list_price), 2), 0.7, 1.0)
    unit_price = np.where(full_price, list_price, np.round(list_price * discount, 2))
    amount = np.round(qty * unit_price, 2)
    margin_share = rng.uniform(0.2, 0.45, len(line_occ))
    margin = np.round(amount * margin_share, 2)
    margin_missing = rng.random(len(line_occ)) < MARGIN_MISSING_SHARE
    line_day = occ_day[line_occ]
    line_no = order_no[line_occ]

    # Returns: a later negative line for ~3% of orders; more after a bad first order.
    first_line = np.r_[True, line_occ[1:] != line_occ[:-1]]
    is_first_order = occ_day == first_buy[occ_cust]
    p_refund = np.where((g[occ_cust] == EA) & is_first_order, 0.15, REFUND_SHARE * 0.9)
    refund_occ = (rng.random(n_occ) < p_refund) & (occ_day < end_day)  # returned later
    r = np.nonzero(first_line & refund_occ[line_occ])[0]
    r_qty = -np.ceil(rng.random(len(r)) * qty[r])
    r_amount = np.round(r_qty * unit_price[r], 2)
    r_day = np.minimum(line_day[r] + _ints(rng, 1, 14, len(r)), end_day)
    r_margin = np.round(r_amount * margin_share[r], 2)

    is_return = np.concatenate([np.zeros(len(line_no), bool), np.ones(len(r), bool)])
    prod_all = np.concatenate([cat * _N_PRODUCTS + prod, (cat * _N_PRODUCTS + prod)[r]])
    order_id = _ids("SO", np.concatenate([line_no, line_no[r]]), 7)
    order_id = pl.select(pl.when(pl.lit(pl.Series(is_return))).then(pl.lit(order_id) + "-R")
                         .otherwise(pl.lit(order_id))).to_series()
    df = pl.DataFrame({
        "customer_id": _ids("C", np.concatenate([cust, cust[r]]) + 1, 6),
        "order_date": _dates(np.concatenate([line_day, r_day])),
        "amount": np.concatenate([amount, r_amount]),
        "order_id": order_id,
        "quantity": np.concatenate([qty, r_qty]),
        "unit_price": np.concatenate([unit_price, unit_price[r]]),
        "product": _strings(names, prod_all),
        "category": _strings(_CATEGORIES, prod_all // _N_PRODUCTS),
        "margin": pl.Series(np.concatenate([margin, r_margin])).set(
            pl.Series(np.concatenate([margin_missing, margin_missing[r]])), None),
    })
    # Two lines of one order for the same product at the same price are one line (an exact
    # repeat of a row would read as a duplicate on import).
    key = ["customer_id", "order_date", "order_id", "product", "category", "unit_price"]
    df = (
        df.group_by(key, maintain_order=True)
        .agg(pl.col("quantity").sum(), pl.col("margin").sum(),
             pl.col("margin").is_null().any().alias("_no_margin"))
        .with_columns(
            (pl.col("quantity") * pl.col("unit_price")).round(2).alias("amount"),
            pl.when(~pl.col("_no_margin")).then(pl.col("margin")).alias("margin"),
        )
        .select(store.polars_schema("orders").keys())
    )
    return df.sort(["order_date", "order_id"], maintain_order=True)
