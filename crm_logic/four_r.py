"""The 4R scorecard (recognize, relationship, reward, retention) as of one date: `report.four_r`.

- recognize: how well the data knows each customer: complete records (contact, segment,
  history), order lines that name a customer on record, records that look like duplicates;
- relationship: interactions per active customer in the last `relationship_window_days`, days
  since the last contact per tier, customers in stability not contacted for `no_contact_days`;
- reward: loyal big customers (stability x platinum/gold) with the category they buy most as a
  personalised-reward suggestion, and those with no reward (`reward_words`) in the window;
- retention: the period's retention rate (KPIs), the what-if's expected saves when every
  high-risk customer is contacted (`cost_per_contact`, `save_rate`), and the early warning's
  hit rate: the backtest precision of "high" at as_of - `backtest_horizon_days`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from crm_logic import occasions
from crm_logic.codes import BIG_TIERS, TIERS
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData


def _blank(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.String).str.strip_chars().replace("", None).is_null()


def recognize(data: CrmData, as_of: dt.date, table: pl.DataFrame) -> dict[str, Any]:
    """complete_share, complete, known, identified_order_share, duplicate_ids,
    shared_contact_records (records sharing a phone or email with another customer id)."""
    people = data.customers.filter(
        pl.col("signup_date").is_null() | (pl.col("signup_date") <= as_of))
    buyers = table.select("customer_id")
    known = pl.concat([people.select("customer_id"), buyers]).unique()
    rec = people.unique("customer_id", keep="first").select(
        "customer_id",
        (~_blank("phone") | ~_blank("email")).alias("contact"),
        (~_blank("channel") | ~_blank("region") | ~_blank("industry")).alias("segment"),
    )
    full = (known.join(rec, on="customer_id", how="left")
            .join(buyers.with_columns(history=pl.lit(True)), on="customer_id", how="left")
            .fill_null(False))
    complete = int(full.filter(pl.col("contact") & pl.col("segment") & pl.col("history")).height)
    days = occasions.table(data, as_of, ("customer_id", "lines"))  # lines per day
    on_record = days.filter(pl.col("customer_id").is_in(
        people.get_column("customer_id").implode())).get_column("lines").sum()
    n_lines = int(days.get_column("lines").sum() or 0)
    shared: list[pl.Series] = []
    for norm in (pl.col("phone").str.replace_all(r"\D", ""),
                 pl.col("email").str.strip_chars().str.to_lowercase()):
        keyed = people.select("customer_id", norm.replace("", None).alias("_k")).drop_nulls()
        dup_keys = (keyed.unique().group_by("_k").agg(pl.len().alias("n"))
                    .filter(pl.col("n") > 1))
        shared.append(keyed.join(dup_keys, on="_k").get_column("customer_id"))
    return {
        "known": known.height, "complete": complete,
        "complete_share": complete / known.height if known.height else None,
        "identified_order_share": float(on_record) / n_lines if n_lines else None,
        "duplicate_ids": people.height - people.get_column("customer_id").n_unique(),
        "shared_contact_records": pl.concat(shared).n_unique(),
    }


def contact_facts(data: CrmData, cfg: CrmConfig, as_of: dt.date,
                  table: pl.DataFrame) -> pl.DataFrame:
    """Per analysed customer: contacts (interactions in the window), last_contact,
    days_since_contact (null: never), rewarded (a reward word in the window)."""
    since = as_of - dt.timedelta(days=int(cfg.relationship_window_days))
    words = [w.strip().lower() for w in str(cfg.reward_words).split(",") if w.strip()]
    text = pl.concat_str([pl.col("outcome").fill_null(""), pl.col("channel").fill_null("")],
                         separator=" ").str.to_lowercase()
    inter = data.interactions.filter(pl.col("interaction_date") <= as_of).with_columns(
        (text.str.contains_any(words) if words else pl.lit(False)).alias("_reward"))
    in_window = pl.col("interaction_date") > since
    per = inter.group_by("customer_id").agg(
        in_window.sum().cast(pl.Int64).alias("contacts"),
        pl.col("interaction_date").max().alias("last_contact"),
        (pl.col("_reward") & in_window).any().alias("rewarded"),
    )
    return table.select("customer_id").join(per, on="customer_id", how="left").with_columns(
        pl.col("contacts").fill_null(0), pl.col("rewarded").fill_null(False),
        (pl.lit(as_of) - pl.col("last_contact")).dt.total_days().alias("days_since_contact"),
    )


def top_categories(data: CrmData, as_of: dt.date) -> pl.DataFrame:
    """customer_id, top_category: the category with the most net revenue up to as_of
    (`crm_logic.lines.TOP_CATEGORIES_SQL`, run where the lines are)."""
    from crm_logic import lines

    return lines.top_categories(data, as_of)


def relationship_frame(data: CrmData, cfg: CrmConfig, as_of: dt.date,
                       table: pl.DataFrame, top: pl.DataFrame | None = None) -> pl.DataFrame:
    """Active analysed customers with tier, stage, lifetime value, contact facts, top
    category, and the flags no_contact (stability, not contacted for no_contact_days) and
    loyal_big (stability x platinum/gold)."""
    active = table.filter(~pl.col("churned").fill_null(False)).select(
        "customer_id", "value_tier", "lifecycle_stage", "lifetime_value")
    stab = pl.col("lifecycle_stage") == "stability"
    return (
        active.join(contact_facts(data, cfg, as_of, table), on="customer_id", how="left")
        .join(top if top is not None else top_categories(data, as_of), on="customer_id",
              how="left")
        .with_columns(
            (stab & (pl.col("days_since_contact").is_null()
                     | (pl.col("days_since_contact") > int(cfg.no_contact_days))))
            .fill_null(False).alias("no_contact"),
            (stab & pl.col("value_tier").is_in(list(BIG_TIERS))).fill_null(False)
            .alias("loyal_big"),
        )
    )


def _median(s: pl.Series) -> float | None:
    s = s.drop_nulls()
    return float(s.median()) if s.len() else None  # type: ignore[arg-type]


def relationship_and_reward(rel: pl.DataFrame) -> tuple[dict[str, Any], dict[str, Any]]:
    """The relationship and reward sections from `relationship_frame`."""
    n = rel.height
    by_tier = []
    for tier in TIERS:
        part = rel.filter(pl.col("value_tier") == tier)
        by_tier.append({"tier": tier, "customers": part.height,
                        "never_contacted": part.get_column("last_contact").null_count(),
                        "median_days_since_contact": _median(part["days_since_contact"])})
    loyal = rel.filter(pl.col("loyal_big"))
    cats = loyal.get_column("top_category").fill_null("unknown").value_counts(sort=True)
    relationship = {
        "active_customers": n,
        "contacts_per_customer": float(rel.get_column("contacts").sum()) / n if n else None,
        "days_since_contact_by_tier": by_tier,
        "stability_no_contact": int(rel.get_column("no_contact").sum()),
    }
    reward = {
        "loyal_big": loyal.height,
        "suggested_category": dict(zip(cats["top_category"].to_list(),
                                       cats["count"].to_list(), strict=True)),
        "no_reward_yet": loyal.filter(~pl.col("rewarded")).height,
    }
    return relationship, reward


def retention(data: CrmData, cfg: CrmConfig, as_of: dt.date, table: pl.DataFrame,
              kpis: dict[str, Any] | None) -> dict[str, Any]:
    """Retention rate (KPIs), expected saves of contacting every high-risk customer, and the
    early warning's hit rate (backtest precision of "high")."""
    from crm_logic import churn

    active = table.filter(~pl.col("churned").fill_null(False)
                          & pl.col("churn_risk").is_not_null())
    w = churn.retention_whatif(active, ["high"], None, None, cfg.cost_per_contact,
                               cfg.save_rate)
    cutoff = as_of - dt.timedelta(days=int(cfg.backtest_horizon_days))
    occ = occasions.table(data, occasions.ALL_DAYS, ("day",))
    first = occ.get_column("day").min() if occ.height else None
    hit: dict[str, Any] = {"cutoff": cutoff.isoformat(), "flagged_high": 0, "hit_rate": None,
                           "complete": False}
    if isinstance(first, dt.date) and first < cutoff:
        bt = churn.backtest(data, cfg, cutoff)
        hit.update(flagged_high=bt.high, complete=bt.complete,
                   hit_rate=bt.precision_high if bt.high else None)
    rate = (kpis or {}).get("retention_rate", {}).get("value")
    return {"retention_rate": rate, "contacted_high": w.contacted,
            "expected_saves": round(w.saved, 2), "value_saved": round(w.value_saved, 2),
            "campaign_cost": round(w.cost, 2), "net": round(w.net, 2),
            "early_warning": hit}


def scorecard(data: CrmData, cfg: CrmConfig, as_of: dt.date, table: pl.DataFrame,
              kpis: dict[str, Any] | None = None,
              top: pl.DataFrame | None = None) -> dict[str, Any]:
    """`report.four_r`: {recognize, relationship, reward, retention}. `top`: the
    `top_categories` of the same data and as_of when already at hand."""
    rel, rew = relationship_and_reward(relationship_frame(data, cfg, as_of, table, top))
    return {"recognize": recognize(data, as_of, table), "relationship": rel, "reward": rew,
            "retention": retention(data, cfg, as_of, table, kpis)}
