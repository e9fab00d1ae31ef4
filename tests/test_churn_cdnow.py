"""The public CDNOW check: churn_risk must beat the simple baselines (issue 5).

CDNOW master log (23,570 customers, shipped in the lifetimes wheel): scored as of
1997-09-30 with data up to that day only; truth: no purchase 1997-10-01..1998-06-30. The
holdout is a check, not a training set: the method and its settings were chosen on the
store's own past (CDNOW before 1997-09-30 and the UCI Online Retail data).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import lifetimes
import numpy as np
import polars as pl

from crm_logic import churn, models
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData, empty_frame

CDNOW = Path(lifetimes.__file__).resolve().parent / "datasets" / "CDNOW_master.txt"
AS_OF = dt.date(1997, 9, 30)
END = dt.date(1998, 6, 30)


def _load() -> CrmData:
    raw = pl.read_csv(CDNOW, has_header=False, new_columns=["line"], separator="\t")
    pattern = r"^\s*(?<id>\d+)\s+(?<day>\d{8})\s+(?<n>\d+)\s+(?<amount>[\d.]+)\s*$"
    body = raw.select(pl.col("line").str.extract_groups(pattern)).unnest("line")
    body = body.filter(pl.col("id").is_not_null())
    orders = body.select(
        customer_id=pl.col("id"),
        order_date=pl.col("day").str.to_date("%Y%m%d"),
        amount=pl.col("amount").cast(pl.Float64),
    )
    base = empty_frame("orders")
    orders = pl.concat([base, orders], how="diagonal_relaxed").select(base.columns)
    return CrmData(empty_frame("customers"), orders, empty_frame("complaints"),
                   empty_frame("interactions"))


def test_cdnow_auc_beats_baselines() -> None:
    data = _load()
    assert data.orders.get_column("customer_id").n_unique() == 23_570
    scores = churn.churn_scores(data, CrmConfig(), AS_OF)
    assert scores.height == 23_570 and scores.get_column("model")[0] == "logistic"
    bought = data.orders.filter(pl.col("order_date") > AS_OF, pl.col("order_date") <= END)
    lost = ~scores.get_column("customer_id").is_in(bought.get_column("customer_id").implode())
    y = lost.to_numpy()
    auc = churn.roc_auc(y, scores.get_column("churn_risk").to_numpy())
    recency = churn.roc_auc(y, scores.get_column("days_since_last").to_numpy())
    feats = churn.customer_features(data, CrmConfig(), AS_OF).collect().sort("customer_id")
    x = (feats["occasions"] - 1).cast(pl.Float64).to_numpy()
    tt = feats["tenure_days"].to_numpy()
    t_x = tt - feats["days_since_last"].to_numpy()
    fit = models.fit_bgnbd(x, t_x, tt)
    assert fit is not None
    bg = churn.roc_auc(y, 1.0 - models.bgnbd_p_alive(fit, x, t_x, tt))
    print(f"\nCDNOW as of {AS_OF}: AUC churn_risk {auc:.4f}, recency {recency:.4f}, "
          f"BG/NBD 1-P(alive) {bg:.4f} (lost share {np.mean(y):.3f})")
    assert auc >= 0.77
    assert auc > recency and auc > bg
