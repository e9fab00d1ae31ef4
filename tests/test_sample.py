"""The synthetic sample: deterministic, canonical, and shaped the way the domain describes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from crm_logic import store
from crm_logic.sample import PATTERNS, STAGES, generate, load_sample, write_sample

END = dt.date(2026, 6, 18)  # the default end date: the last month is partial
START = dt.date(2022, 6, 19)  # four years
N = 3000


def _plain(data: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The truth of the customers on plain life curves (the shape tests below are theirs;
    the hard cases of `crm_logic.sample_cases` are judged in tests/test_lifecycle_truth.py)."""
    return data["truth"].filter(pl.col("case") == "plain")


@pytest.fixture(scope="module")
def data() -> dict[str, pl.DataFrame]:
    return generate(n_customers=N, seed=3)


@pytest.fixture(scope="module")
def occasions(data: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Purchase occasions (customer, day with a positive net amount) joined with the truth."""
    return (
        data["orders"].group_by("customer_id", "order_date").agg(pl.col("amount").sum())
        .filter(pl.col("amount") > 0)
        .join(_plain(data), on="customer_id")
        .sort("customer_id", "order_date")
    )


@pytest.fixture(scope="module")
def monthly(data: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Dense monthly net revenue per customer from the first to the last purchase month,
    with a trailing 3-month mean (months before the first purchase count as zero)."""
    orders = data["orders"].with_columns(pl.col("order_date").dt.truncate("1mo").alias("m"))
    rev = orders.group_by("customer_id", "m").agg(pl.col("amount").sum().alias("rev"))
    buys = orders.filter(pl.col("amount") > 0)
    span = buys.group_by("customer_id").agg(pl.col("m").min().alias("m0"),
                                            pl.col("m").max().alias("m1"))
    grid = (span.with_columns(pl.date_ranges("m0", "m1", interval="1mo").alias("m"))
            .explode("m").select("customer_id", "m"))
    return (
        grid.join(rev, on=["customer_id", "m"], how="left").fill_null(0.0)
        .sort("customer_id", "m")
        .with_columns(
            (pl.col("rev").rolling_sum(3, min_samples=1).over("customer_id") / 3).alias("sm"),
            pl.int_range(pl.len()).over("customer_id").alias("t"),
            pl.len().over("customer_id").alias("months"),
        )
        .join(_plain(data), on="customer_id")
    )


def test_deterministic_for_a_seed() -> None:
    a = generate(n_customers=300, seed=5)
    b = generate(n_customers=300, seed=5)
    c = generate(n_customers=300, seed=6)
    for table in a:
        assert_frame_equal(a[table], b[table])
    assert not a["orders"].equals(c["orders"])


def test_schema_is_canonical(data: dict[str, pl.DataFrame]) -> None:
    for table in store.TABLES:
        assert data[table].schema == pl.Schema(store.polars_schema(table)), table
        assert data[table].height > 0
    assert data["truth"].columns[:3] == ["customer_id", "pattern", "churned"]
    assert data["truth"].height == data["customers"].height == N
    assert data["customers"]["customer_id"].is_unique().all()
    assert data["customers"]["customer_id"].str.contains(r"^C\d{6}$").all()
    # every order and interaction belongs to a known customer
    known = set(data["customers"]["customer_id"])
    assert set(data["orders"]["customer_id"]) <= known
    assert set(data["interactions"]["customer_id"]) <= known
    assert set(data["complaints"]["customer_id"].drop_nulls()) <= known
    assert data["complaints"]["complaint_id"].is_unique().all()


def test_every_code_is_present(data: dict[str, pl.DataFrame]) -> None:
    truth, cust, comp = data["truth"], data["customers"], data["complaints"]
    assert set(truth["pattern"].drop_nulls()) == {*PATTERNS, "unknown_start"}
    assert set(truth["case"]) == {"plain", "before_data", "spike", "seasonal", "annual",
                                  "retrial"}
    assert set(truth["stage"].drop_nulls()) == set(STAGES)
    assert set(cust["churn_reason"].drop_nulls()) == set(store.CHURN_REASONS)
    assert set(cust["churn_type"].drop_nulls()) == set(store.CHURN_TYPES)
    assert set(comp["channel"]) == {"phone", "email", "online", "store", "social_media",
                                    "authority", "legal"}
    assert set(comp["category"]) == {"quality", "delivery", "service", "price", "billing",
                                     "other"}
    assert set(comp["desired_resolution"]) == {"refund", "replacement", "repair",
                                               "compensation", "apology"}
    assert set(comp["status"]) == {"open", "in_progress", "resolved"}
    inter = data["interactions"]
    assert set(inter["channel"]) == {"phone", "wechat", "email", "visit", "sms"}
    assert set(inter["direction"]) == {"inbound", "outbound"}
    assert set(inter["outcome"]) == {"info", "offer_accepted", "offer_declined", "referral",
                                     "complaint_followup"}
    # escalation is rare: about 2% to an authority, 0.5% legal action
    share = comp["channel"].value_counts(normalize=True)
    shares = dict(zip(share["channel"], share["proportion"], strict=True))
    assert 0.005 < shares["authority"] < 0.05
    assert 0.0005 < shares["legal"] < 0.015


def test_churned_share_and_records(data: dict[str, pl.DataFrame]) -> None:
    truth = data["truth"].join(data["customers"], on="customer_id")
    assert 0.35 <= truth["churned"].mean() <= 0.45  # type: ignore[operator]
    churned = truth.filter("churned")
    assert 0.5 <= churned["churn_date"].is_not_null().mean() <= 0.7  # type: ignore[operator]
    # only churned customers carry a churn record, always complete
    assert truth.filter(~pl.col("churned"))["churn_date"].null_count() == N - churned.height
    rec = churned.filter(pl.col("churn_date").is_not_null())
    assert rec["churn_reason"].null_count() == 0 and rec["churn_type"].null_count() == 0
    assert (rec["churn_date"] <= END).all()


def test_churned_customers_are_inactive_long_enough(occasions: pl.DataFrame,
                                                    data: dict[str, pl.DataFrame]) -> None:
    per = (
        occasions.with_columns(pl.col("order_date").diff().dt.total_days().over("customer_id")
                               .alias("gap"))
        .group_by("customer_id", "churned")
        .agg(pl.col("order_date").max().alias("last"), pl.col("gap").median().alias("gap"))
        .with_columns((pl.lit(END) - pl.col("last")).dt.total_days().alias("idle"))
    )
    churned = per.filter("churned")
    need = pl.max_horizontal(pl.lit(180.0), 3 * pl.col("gap").fill_null(0.0))
    assert churned.filter(pl.col("idle") < need).height == 0
    # nothing at all (not even a return) lands within 180 days of end_date for them
    last_row = (data["orders"].join(data["truth"].filter("churned"), on="customer_id")
                ["order_date"].max())
    assert (END - last_row).days >= 180  # type: ignore[operator]
    # active customers bought recently, relative to their rhythm (new ones within 90 days)
    active = per.filter(~pl.col("churned")).join(data["truth"].select("customer_id", "stage"),
                                                 on="customer_id")
    assert (active["idle"] < 180).all()
    assert (active.filter(pl.col("stage") == "exploration")["idle"] <= 90).all()
    regular = active.filter(pl.col("stage").is_in(["formation", "stability"]))
    assert (regular["idle"] <= 3 * regular["gap"] + 31).all()
    # about half of the declining customers are already drifting away (months without a buy)
    lapsing = (active.filter(pl.col("stage") == "decline")["idle"] > 31).mean()
    assert 0.3 <= lapsing <= 0.6  # type: ignore[operator]
    # a recorded churn comes after the last purchase
    rec = data["customers"].join(churned, on="customer_id").drop_nulls("churn_date")
    assert (rec["churn_date"] > rec["last"]).all()


def test_signup_before_first_order(occasions: pl.DataFrame,
                                   data: dict[str, pl.DataFrame]) -> None:
    first = occasions.group_by("customer_id").agg(pl.col("order_date").min().alias("first"))
    cust = data["customers"].join(first, on="customer_id")
    assert cust.height == _plain(data).height  # every customer bought at least once
    assert (cust["signup_date"] <= cust["first"]).all()
    assert (cust["signup_date"] >= START).all()


def test_trial_patterns_have_at_most_two_occasions(occasions: pl.DataFrame) -> None:
    n = occasions.group_by("customer_id", "pattern", "stage").len()
    trial = n.filter((pl.col("pattern") == "early_abort") | (pl.col("stage") == "exploration"))
    assert trial["len"].max() <= 2  # type: ignore[operator]
    assert set(trial["len"]) == {1, 2}
    others = n.filter(pl.col("pattern").is_in(["mid_term_abort", "early_exit", "long_term"]))
    assert others["len"].min() >= 3  # type: ignore[operator]


def test_mid_term_abort_is_lost_while_rising(monthly: pl.DataFrame) -> None:
    ma = monthly.filter(pl.col("pattern") == "mid_term_abort")
    half = (pl.col("months") + 1) // 2
    per = ma.group_by("customer_id").agg(
        (pl.col("months") - 1 - pl.col("sm").arg_max()).first().alias("peak_from_end"),
        pl.col("rev").filter((pl.col("t") >= 1) & (pl.col("t") < half)).sum().alias("first"),
        pl.col("rev").filter(pl.col("t") >= half).sum().alias("second"),
    )
    # the smoothed volume peaks at the very end: lost at the top of the rise, no plateau
    assert (per["peak_from_end"] <= 1).mean() >= 0.97  # type: ignore[operator]
    # the second half of the relationship brings far more than the first (after the trial)
    assert (per["second"] > 1.5 * per["first"]).mean() >= 0.95  # type: ignore[operator]


def _plateau_months(monthly: pl.DataFrame, pattern: str) -> pl.Series:
    """Months whose smoothed revenue is at least 70% of the customer's high level (the 80th
    percentile of its smoothed series: robust to a single seasonal spike)."""
    return (
        monthly.filter(pl.col("pattern") == pattern)
        .group_by("customer_id")
        .agg((pl.col("sm") >= 0.7 * pl.col("sm").quantile(0.8)).sum().alias("plateau"))
        ["plateau"]
    )


def test_plateau_lengths_separate_early_exit_from_long_term(monthly: pl.DataFrame) -> None:
    long_term = _plateau_months(monthly, "long_term")
    early_exit = _plateau_months(monthly, "early_exit")
    assert (long_term >= 18).mean() >= 0.95  # type: ignore[operator]
    assert long_term.min() >= 15  # type: ignore[operator]
    assert (early_exit <= 12).mean() >= 0.95  # type: ignore[operator]
    assert (early_exit >= 3).mean() >= 0.95  # type: ignore[operator]


def test_decline_precedes_churn_and_marks_declining_customers(monthly: pl.DataFrame) -> None:
    end = monthly.group_by("customer_id", "pattern", "stage").agg(
        (pl.col("sm").last() < 0.5 * pl.col("sm").max()).alias("low_at_end"))
    long_term = end.filter(pl.col("pattern") == "long_term")["low_at_end"].mean()
    assert 0.5 <= long_term <= 0.85  # type: ignore[operator]  # most, not all, decline first
    decline = end.filter(pl.col("stage") == "decline")["low_at_end"].mean()
    assert decline >= 0.95  # type: ignore[operator]
    stability = end.filter(pl.col("stage") == "stability")["low_at_end"].mean()
    assert stability <= 0.02  # type: ignore[operator]


def test_long_term_customers_refer_and_cross_buy(data: dict[str, pl.DataFrame]) -> None:
    truth = data["truth"]
    refs = (data["interactions"].filter(pl.col("outcome") == "referral")
            .group_by("customer_id").len())
    by = truth.join(refs, on="customer_id", how="left").fill_null(0).group_by(
        pl.coalesce("pattern", "stage").alias("group")).agg(pl.col("len").mean())
    mean = dict(zip(by["group"], by["len"], strict=True))
    assert mean["long_term"] > 1.0
    assert mean["mid_term_abort"] == 0 and mean["formation"] == 0  # no referrals yet
    cats = (data["orders"].filter(pl.col("amount") > 0).group_by("customer_id")
            .agg(pl.col("category").n_unique().alias("cats")).join(truth, on="customer_id")
            .group_by("pattern").agg(pl.col("cats").mean()))
    cat_mean = dict(zip(cats["pattern"], cats["cats"], strict=True))
    assert cat_mean["long_term"] > cat_mean["early_exit"] > cat_mean["early_abort"]


def test_order_lines_refunds_and_margins(data: dict[str, pl.DataFrame]) -> None:
    orders = data["orders"]
    assert (orders["amount"] - (orders["quantity"] * orders["unit_price"]).round(2)).abs().max() \
        < 0.005  # type: ignore[operator]
    assert (orders["unit_price"] > 0).all()
    lines = orders.group_by("order_id").len()["len"]
    assert lines.min() == 1 and lines.max() == 4  # type: ignore[operator]
    sales = orders.filter(pl.col("amount") > 0)
    returns = orders.filter(pl.col("amount") < 0)
    assert 0.02 <= returns.height / sales["order_id"].n_unique() <= 0.04
    # a return refers to an earlier sale of the same customer, product and price
    sale_lines = sales.group_by("order_id", "customer_id", "product", "unit_price").agg(
        pl.col("order_date").first(), pl.col("quantity").max())
    matched = returns.with_columns(pl.col("order_id").str.strip_suffix("-R")).join(
        sale_lines, on=["order_id", "customer_id", "product", "unit_price"], suffix="_sale")
    assert matched.height == returns.height
    assert (matched["order_date"] > matched["order_date_sale"]).all()
    assert (matched["quantity"].abs() <= matched["quantity_sale"]).all()
    share = (sales["margin"] / sales["amount"]).drop_nulls()
    assert share.min() >= 0.19 and share.max() <= 0.46  # type: ignore[operator]
    assert 0.85 <= sales["margin"].is_not_null().mean() < 1.0  # type: ignore[operator]
    assert (orders["order_date"] <= END).all()
    assert (orders["order_date"] >= START).all()


def test_value_is_heavy_tailed(data: dict[str, pl.DataFrame]) -> None:
    value = data["orders"].group_by("customer_id").agg(pl.col("amount").sum())["amount"]
    top = value.sort(descending=True).head(N // 20).sum()
    assert top / value.sum() > 0.25


def test_seasonal_peaks(data: dict[str, pl.DataFrame]) -> None:
    month = (data["orders"].filter(pl.col("amount") > 0)
             .group_by(pl.col("order_date").dt.truncate("1mo").alias("m"))
             .agg(pl.col("amount").sum()).sort("m"))
    rev = dict(zip(month["m"], month["amount"], strict=True))
    for year in (2023, 2024, 2025):  # Double 11 beats the two months before it
        nov = rev[dt.date(year, 11, 1)]
        assert nov > 1.1 * (rev[dt.date(year, 9, 1)] + rev[dt.date(year, 10, 1)]) / 2


def test_complaint_records_are_consistent(data: dict[str, pl.DataFrame]) -> None:
    comp = data["complaints"]
    resolved = comp.filter(pl.col("status") == "resolved")
    unresolved = comp.filter(pl.col("status") != "resolved")
    assert resolved["resolved_date"].null_count() == 0
    assert unresolved["resolved_date"].null_count() == unresolved.height
    assert unresolved["satisfaction"].null_count() == unresolved.height
    assert (resolved["resolved_date"] >= resolved["received_date"]).all()
    assert (resolved["resolved_date"] <= END).all()
    sat = resolved["satisfaction"].drop_nulls()
    assert set(sat.unique()) == {1.0, 2.0, 3.0, 4.0, 5.0}
    days = (resolved["resolved_date"] - resolved["received_date"]).dt.total_days()
    assert 0.5 < (days <= 7).mean() < 0.95  # type: ignore[operator]  # SLA 7 days, heavy tail
    assert days.max() > 30  # type: ignore[operator]
    assert comp["description"].str.contains("\n").any()
    assert comp["description"].null_count() == 0
    assert 0 < comp["customer_id"].null_count() < 0.03 * comp.height  # a few anonymous
    assert comp["reasonable"].null_count() == 0
    assert 0.6 < comp["reasonable"].mean() < 0.95  # type: ignore[operator]


def test_complaints_precede_churn(data: dict[str, pl.DataFrame],
                                  occasions: pl.DataFrame) -> None:
    comp = data["complaints"].drop_nulls("customer_id").with_columns(
        ((pl.col("status") != "resolved")
         | ((pl.col("resolved_date") - pl.col("received_date")).dt.total_days() > 7))
        .alias("bad"))
    per = comp.group_by("customer_id").agg(pl.col("bad").any().alias("bad"),
                                           (~pl.col("bad")).any().alias("good"))
    t = data["truth"].join(per, on="customer_id", how="left").fill_null(False)
    churn_if_bad = t.filter("bad")["churned"].mean()
    churn_if_good = t.filter(pl.col("good") & ~pl.col("bad"))["churned"].mean()
    churn_if_none = t.filter(~pl.col("good") & ~pl.col("bad"))["churned"].mean()
    assert churn_if_bad > 1.5 * churn_if_none  # type: ignore[operator]
    # complaints resolved in time barely raise churn
    assert abs(churn_if_good - churn_if_none) < 0.1  # type: ignore[operator,arg-type]
    # early aborts: about half complain right after their first order
    first = occasions.group_by("customer_id").agg(pl.col("order_date").min().alias("first"))
    ea = data["truth"].filter(pl.col("pattern") == "early_abort").join(first, on="customer_id")
    soon = (comp.join(ea, on="customer_id")
            .filter((pl.col("received_date") - pl.col("first")).dt.total_days().is_between(0, 30))
            ["customer_id"].n_unique())
    assert 0.4 <= soon / ea.height <= 0.6


def test_customer_master_data(data: dict[str, pl.DataFrame]) -> None:
    cust = data["customers"]
    phone = cust["phone"].drop_nulls()
    assert phone.str.contains(r"^1[358]\d{9}$").all()
    assert cust["email"].drop_nulls().str.contains(r"^[a-z.]+\d*@[a-z0-9.]+$").all()
    names = cust["name"]
    assert names.null_count() == 0
    assert names.str.contains(r"^[\u4e00-\u9fff]{2,4}$").mean() > 0.95  # type: ignore[operator]
    assert names.str.contains(r"^[A-Za-z' ]+$").any()  # a few English names
    assert names.str.starts_with("=").any() and names.str.starts_with("+").any()
    assert names.str.contains("  ").any()
    assert set(cust["channel"]) == {"online", "store", "referral", "wechat", "ad"}
    assert cust["sales_rep"].n_unique() == 11  # ten reps and a few without one
    assert cust["region"].str.contains("[省市]$").all()


def test_interactions_are_in_the_window(data: dict[str, pl.DataFrame]) -> None:
    days = data["interactions"]["interaction_date"]
    assert days.min() >= START and days.max() <= END  # type: ignore[operator]


def test_other_window_and_size() -> None:
    d = generate(n_customers=200, seed=1, end_date=dt.date(2024, 12, 31), years=3)
    assert d["orders"]["order_date"].max() <= dt.date(2024, 12, 31)  # type: ignore[operator]
    assert d["orders"]["order_date"].min() >= dt.date(2022, 1, 1)  # type: ignore[operator]
    assert d["customers"].height == 200
    with pytest.raises(ValueError):
        generate(n_customers=10, years=2)


def test_write_sample(tmp_path: Path) -> None:
    line = write_sample(tmp_path / "out", n_customers=200, seed=2)
    assert "200 customers" in line and "\n" not in line
    files = {p.name for p in (tmp_path / "out").iterdir()}
    assert files == {"customers.csv", "orders.csv", "complaints.csv", "interactions.csv",
                     "prospects.csv", "truth.csv"}
    expected = generate(n_customers=200, seed=2)
    for table in store.TABLES:
        back = pl.read_csv(tmp_path / "out" / f"{table}.csv",
                           schema=store.polars_schema(table))  # type: ignore[arg-type]
        assert_frame_equal(back, expected[table])
    truth = pl.read_csv(tmp_path / "out" / "truth.csv")
    assert truth.columns[:3] == ["customer_id", "pattern", "churned"]
    assert truth.height == 200


def test_load_sample_into_store(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "crm.duckdb")
    line = load_sample(con, n_customers=200, seed=2)
    assert line.startswith("sample loaded")
    loaded = store.load_data(con)
    expected = generate(n_customers=200, seed=2)
    for table in store.TABLES:
        assert getattr(loaded, table).height == expected[table].height, table
    # loading again replaces, never duplicates
    load_sample(con, n_customers=200, seed=2)
    assert store.load_data(con).counts() == loaded.counts()
    con.close()
