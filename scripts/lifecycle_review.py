"""A review sheet for humans: `python -m scripts.lifecycle_review DB --per-label 8`.

Draws a stratified sample of customers (up to `--per-label` per label: the stage of each
active customer, the pattern of each lost one), and writes one HTML sheet per language
(`OUT.en.html`, `OUT.zh.html`) with each customer's monthly life curve, its stage strip and
its label, so anyone can judge the labels against the theory on their own data. `--text`
also prints each sampled curve as monthly numbers with one stage letter a month
(E exploration, F formation, S stability, D decline), to judge without a browser.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import plotly.io as pio
import polars as pl

from crm_logic import lifecycle as lc
from crm_logic import store
from crm_logic.charts.lifecycle import customer_timeline
from crm_logic.config import CrmConfig, load_config
from crm_logic.i18n import t

LANGS = ("en", "zh")


def sample_labels(life: pl.DataFrame, per_label: int, seed: int = 17) -> pl.DataFrame:
    """Up to `per_label` customers per label (stage of the active, pattern of the lost),
    drawn at random (seeded). Columns: customer_id, label, churned."""
    labelled = life.select(
        "customer_id", "churned",
        pl.when(pl.col("churned")).then(pl.col("lifecycle_pattern"))
        .otherwise(pl.col("lifecycle_stage")).alias("label"),
    ).filter(pl.col("label").is_not_null())
    parts = []
    for label in (*lc.STAGES, *lc.PATTERN_CODES):
        group = labelled.filter(pl.col("label") == label)
        if group.height:
            parts.append(group.sample(min(per_label, group.height), seed=seed).sort("customer_id"))
    return pl.concat(parts) if parts else labelled.head(0)


def curve_text(series: pl.DataFrame) -> str:
    """Monthly volumes with a stage letter each: `2011-01 S 320`."""
    letters = {"exploration": "E", "formation": "F", "stability": "S", "decline": "D"}
    return "  ".join(f"{d:%Y-%m} {letters[s]} {v:,.0f}" for d, s, v in series.select(
        "period_start", "stage", "volume").iter_rows())


def _label_text(label: str, churned: bool, lang: str) -> str:
    return t(f"pattern.{label}", lang) if churned else t(f"stage.{label}", lang)


def sheet(picked: pl.DataFrame, life: pl.DataFrame, history: pl.DataFrame,
          orders: pl.DataFrame, lang: str, period: str) -> str:
    """One HTML page of Plotly figures, one per sampled customer."""
    empty_c = store.empty_frame("complaints")
    empty_i = store.empty_frame("interactions")
    html = [f"<html><head><meta charset='utf-8'><title>{t('review.title', lang)}</title>"
            "</head><body>", f"<h1>{t('review.title', lang)}</h1>",
            f"<p>{t('review.intro', lang)}</p>"]
    first = True
    for cid, label, churned in picked.select("customer_id", "label", "churned").iter_rows():
        one = history.filter(pl.col("customer_id") == cid)
        row = life.filter(pl.col("customer_id") == cid).row(0, named=True)
        fig = customer_timeline(
            one, lc.stage_periods(history, cid),
            orders.filter(pl.col("customer_id") == cid).select("order_date", "amount"),
            empty_c, empty_i, lang, period, churn_date=row["churn_date"])
        fig.update_layout(title=f"{cid} — {_label_text(label, churned, lang)}", height=360)
        html.append(pio.to_html(fig, include_plotlyjs="cdn" if first else False,
                                full_html=False))
        first = False
    html.append("</body></html>")
    return "\n".join(html)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db")
    ap.add_argument("--per-label", type=int, default=8)
    ap.add_argument("--out", default="lifecycle_review")
    ap.add_argument("--as-of", default=None)
    ap.add_argument("--config", default=None)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--text", action="store_true", help="print every sampled curve as text")
    args = ap.parse_args(argv)
    if not Path(args.db).is_file():
        print(f"no store at {args.db}", file=sys.stderr)
        return 2
    con = store.connect(args.db, read_only=True)
    try:
        data = store.load_data(con)
    finally:
        con.close()
    cfg: CrmConfig = load_config(args.config)
    as_of = (dt.date.fromisoformat(args.as_of) if args.as_of
             else data.orders.get_column("order_date").max())
    life, history = lc.lifecycle_frames(data, cfg, as_of)  # type: ignore[arg-type]
    picked = sample_labels(life, args.per_label, args.seed)
    orders = data.orders.filter(pl.col("customer_id").is_in(picked.get_column("customer_id")
                                                            .implode()))
    for lang in LANGS:
        path = Path(f"{args.out}.{lang}.html")
        path.write_text(sheet(picked, life, history, orders, lang, cfg.lifecycle_period),
                        encoding="utf-8")
        print(f"{path}: {picked.height} customers")
    if args.text:
        for cid, label in picked.select("customer_id", "label").iter_rows():
            print(f"\n[{label}] {cid}: "
                  + curve_text(history.filter(pl.col("customer_id") == cid)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
