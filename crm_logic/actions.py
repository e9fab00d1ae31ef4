"""Action center: every analysed customer gets exactly one action from an editable rule table.

A rule names an action and conditions over five facts of a customer: lifecycle stage, value
tier, churn-risk level, an open complaint (yes/no) and lost (yes/no). A condition is `*`
(anything, missing values included) or a comma-separated list of codes; the first rule whose
conditions all hold wins. A rule with every condition `*` is the catch-all: the table must end
with one, and `validate_rules` adds the default one when it is missing, so nobody is left out.

The defaults follow the domain's stage strategies (../shared/domain.md): resolve an open
complaint first; win back big lost customers and learn why the others left; keep big customers
at high risk personally; recover a declining customer worth it or let it go; develop
exploration, enhance formation, reward loyal big customers in stability and involve the rest in
a community programme; keep serving everyone else.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from crm_logic import codes
from crm_logic.config import CrmConfig
from crm_logic.store import CrmData

# The action center's codes (crm_logic.codes.ACTION_CENTER); names: crm_logic/i18n/actions.py.
ACTIONS: tuple[str, ...] = codes.ACTION_CENTER
CONDITIONS: tuple[str, ...] = ("stage", "tier", "risk", "complaint", "lost")
RULE_COLUMNS: tuple[str, ...] = ("action", *CONDITIONS)
ANY = "*"
CODES: dict[str, tuple[str, ...]] = {
    "stage": codes.STAGES,
    "tier": codes.TIERS,
    "risk": codes.RISK_LEVELS,
    "complaint": ("yes", "no"),
    "lost": ("yes", "no"),
}
CATCH_ALL = "maintain"

_DEFAULT_RULES: tuple[tuple[str, str, str, str, str, str], ...] = (
    # action, stage, tier, risk, complaint, lost
    ("resolve_complaint", ANY, ANY, ANY, "yes", ANY),
    ("win_back_lost", ANY, "platinum,gold", ANY, ANY, "yes"),
    ("learn_why_lost", ANY, ANY, ANY, ANY, "yes"),
    ("win_back_big", ANY, "platinum,gold", "high", ANY, "no"),
    ("recover", "decline", "platinum,gold,iron", ANY, ANY, ANY),
    ("let_go", "decline", ANY, ANY, ANY, ANY),
    ("develop", "exploration", ANY, ANY, ANY, ANY),
    ("enhance", "formation", ANY, ANY, ANY, ANY),
    ("reward_loyal", "stability", "platinum,gold", ANY, ANY, ANY),
    ("community", "stability", ANY, ANY, ANY, ANY),
    (CATCH_ALL, ANY, ANY, ANY, ANY, ANY),
)


def default_rules() -> pl.DataFrame:
    """The default rule table (one row per rule, first match wins)."""
    return pl.DataFrame(list(_DEFAULT_RULES), schema=list(RULE_COLUMNS), orient="row")


def _codes_of(text: object) -> list[str]:
    return [p.strip().lower() for p in str(text or "").split(",") if p.strip()]


def _clean(value: object) -> str:
    found = _codes_of(value)
    return ANY if not found or ANY in found else ",".join(dict.fromkeys(found))


def validate_rules(rules: pl.DataFrame) -> pl.DataFrame:
    """Rules normalised (lower case, blanks as `*`); ValueError naming the first bad cell.

    Rows without an action are dropped; a catch-all (`maintain`, all `*`) is appended when
    the last rule is not a catch-all.
    """
    missing = [c for c in RULE_COLUMNS if c not in rules.columns]
    if missing:
        raise ValueError(f"rule table lacks columns: {', '.join(missing)}")
    rows = []
    for i, row in enumerate(rules.select(RULE_COLUMNS).iter_rows(named=True), start=1):
        action = str(row["action"] or "").strip()
        if not action:
            continue
        if action not in ACTIONS:
            raise ValueError(f"rule {i}: unknown action {action!r}")
        clean = {"action": action}
        for cond in CONDITIONS:
            value = _clean(row[cond])
            bad = [c for c in value.split(",") if value != ANY and c not in CODES[cond]]
            if bad:
                raise ValueError(f"rule {i}: {cond} {bad[0]!r} is not one of "
                                 f"{', '.join(CODES[cond])} or *")
            clean[cond] = value
        rows.append(clean)
    if not rows or any(rows[-1][c] != ANY for c in CONDITIONS):
        rows.append({"action": CATCH_ALL, **dict.fromkeys(CONDITIONS, ANY)})
    return pl.DataFrame(rows, schema=dict.fromkeys(RULE_COLUMNS, pl.String))


def _condition(cond: str, value: str) -> pl.Expr:
    if value == ANY:
        return pl.lit(True)
    chosen = value.split(",")
    if cond in ("complaint", "lost"):
        col = pl.col("open_complaint" if cond == "complaint" else "lost")
        wanted = [c == "yes" for c in chosen]
        return col.is_in(wanted).fill_null(False)
    col = {"stage": "lifecycle_stage", "tier": "value_tier", "risk": "risk_level"}[cond]
    return pl.col(col).is_in(chosen).fill_null(False)


def rule_exprs(rules: pl.DataFrame) -> list[pl.Expr]:
    """`action` and `rule` (1-based number of the rule that fired), first match wins.

    Reads the columns lifecycle_stage, value_tier, risk_level, open_complaint, lost.
    """
    rules = validate_rules(rules)
    action: pl.Expr | None = None
    number: pl.Expr | None = None
    for i, row in enumerate(rules.iter_rows(named=True), start=1):
        cond = pl.lit(True)
        for c in CONDITIONS:
            cond = cond & _condition(c, row[c])
        if action is None or number is None:
            action = pl.when(cond).then(pl.lit(row["action"]))
            number = pl.when(cond).then(pl.lit(i))
        else:
            action = action.when(cond).then(pl.lit(row["action"]))
            number = number.when(cond).then(pl.lit(i))
    assert action is not None and number is not None  # validate_rules leaves >= 1 rule
    return [action.otherwise(pl.lit(CATCH_ALL)).alias("action"),
            number.otherwise(pl.lit(len(rules))).cast(pl.Int64).alias("rule")]


def assign(facts: pl.DataFrame, rules: pl.DataFrame) -> pl.DataFrame:
    """`facts` (see `rule_exprs`) with `action` and `rule` added: one action per row."""
    return facts.with_columns(rule_exprs(rules))


def open_complaint_ids(data: CrmData, cfg: CrmConfig, as_of: dt.date) -> pl.Series:
    """Customer ids with a complaint received up to as_of and not resolved by then."""
    from crm_logic.complaints import complaint_facts

    facts = complaint_facts(data.complaints, cfg, as_of)
    return (facts.filter(~pl.col("resolved") & pl.col("customer_id").is_not_null())
            .get_column("customer_id").unique())


def customer_facts(data: CrmData, cfg: CrmConfig, as_of: dt.date,
                   table: pl.DataFrame, top: pl.DataFrame | None = None) -> pl.DataFrame:
    """The rule inputs per analysed customer, from the analysis table (`pipeline.analyse`).

    Columns: customer_id, lifecycle_stage, value_tier, risk_level, open_complaint, lost,
    lifetime_value, value_at_stake (yearly spend: the last `horizon_days` of an active
    customer, the `horizon_days` before the last purchase of a lost one), top_category (the
    category bought most: the personalised-reward suggestion; `top`: `top_categories` of
    the same data and as_of when already at hand).
    """
    from crm_logic.churn import lost_customers
    from crm_logic.four_r import top_categories

    lost = pl.col("churned").fill_null(False)
    base = table.select(
        "customer_id", "lifecycle_stage", "value_tier",
        pl.when(lost).then(None).otherwise(pl.col("risk_level")).alias("risk_level"),
        pl.col("customer_id").is_in(open_complaint_ids(data, cfg, as_of).implode())
        .alias("open_complaint"),
        lost.alias("lost"), "lifetime_value", pl.col("value_at_stake").alias("_active_value"),
    )
    gone = lost_customers(data, cfg, as_of, lifecycle=table).select("customer_id", "lost_value")
    return base.join(gone, on="customer_id", how="left").with_columns(
        pl.when(pl.col("lost")).then(pl.col("lost_value")).otherwise(pl.col("_active_value"))
        .fill_null(0.0).alias("value_at_stake")
    ).drop("_active_value", "lost_value").join(
        top if top is not None else top_categories(data, as_of), on="customer_id",
        how="left", maintain_order="left")


def label_facts(facts: pl.DataFrame, table: pl.DataFrame) -> pl.DataFrame:
    """`customer_facts` with the labels of `table` (value_tier; risk_level, none for the
    lost): the facts of one features stage re-labelled for a labels-stage what-if (tier
    shares, risk levels; `table` = `pipeline.relabel` of the table the facts came from).
    Equal to `customer_facts` on `table`, without its lost list, complaints or categories."""
    labels = table.select("customer_id", "value_tier", "risk_level")
    if not labels.get_column("customer_id").equals(facts.get_column("customer_id")):
        labels = facts.select("customer_id").join(labels, on="customer_id", how="left",
                                                  maintain_order="left")
    return facts.with_columns(
        labels.get_column("value_tier"),
        pl.when(pl.col("lost")).then(None).otherwise(pl.lit(labels.get_column("risk_level")))
        .alias("risk_level"),
    )


def action_table(data: CrmData, cfg: CrmConfig, as_of: dt.date, table: pl.DataFrame,
                 rules: pl.DataFrame | None = None,
                 top: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per analysed customer with its action (`customer_facts` + action, rule)."""
    facts = customer_facts(data, cfg, as_of, table, top)
    return assign(facts, rules if rules is not None else default_rules())


def summary(assigned: pl.DataFrame) -> list[dict]:
    """`report.actions`: [{action, customers, value_at_stake}] in `ACTIONS` order, zeros kept."""
    got = assigned.group_by("action").agg(
        pl.len().alias("customers"), pl.col("value_at_stake").fill_null(0.0).sum()
    )
    found = {r["action"]: r for r in got.iter_rows(named=True)}
    return [{"action": a, "customers": int(found.get(a, {}).get("customers", 0)),
             "value_at_stake": round(float(found.get(a, {}).get("value_at_stake", 0.0)), 2)}
            for a in ACTIONS]


def action_list(assigned: pl.DataFrame, action: str) -> pl.DataFrame:
    """The customers of one action, most value at stake first."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")
    return (assigned.filter(pl.col("action") == action)
            .sort("value_at_stake", "customer_id", descending=[True, False], nulls_last=True))


EXPORT_COLUMNS: tuple[str, ...] = (
    "customer_id", "action", "rule", "value_at_stake", "lifetime_value", "value_tier",
    "lifecycle_stage", "risk_level", "open_complaint", "lost", "top_category",
)


def export_frame(assigned: pl.DataFrame, action: str | None = None) -> pl.DataFrame:
    """Rows of `export actions` (all customers, or one action's), money to cents."""
    order = pl.col("action").replace_strict({a: i for i, a in enumerate(ACTIONS)},
                                             default=len(ACTIONS), return_dtype=pl.Int64)
    rows = action_list(assigned, action) if action else assigned.sort(
        order, pl.col("value_at_stake"), pl.col("customer_id"), descending=[False, True, False])
    return rows.select(EXPORT_COLUMNS).with_columns(pl.col("value_at_stake", "lifetime_value")
                                                    .round(2))
