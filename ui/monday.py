"""Overview sections of issue 14: KPIs against the previous period, the 4R scorecard and
scenarios (save / load / compare what-if settings). Each renders itself; the page calls them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import streamlit as st

from crm_logic import actions, fmt, kpis, scenarios, store
from crm_logic.config import CrmConfig
from crm_logic.i18n import t
from ui import actions as ua
from ui import state

BAD_WHEN_UP = {"lost_customers", "churn_rate", "big_tier_high_risk", "open_complaints",
               "sla_breach_rate", "complaint_to_churn_rate"}


@st.cache_resource(show_spinner=False, max_entries=8)
def _revenue(path: str, version: int, day: dt.date, _data: Any) -> Any:
    from crm_logic import occasions
    from crm_logic.periods import compare_sum

    return compare_sum(occasions.table(_data, day, ("day", "revenue")), "day", "revenue", day,
                       365)


def revenue_12m(day: dt.date) -> Any:
    """Net revenue of the 365 days to `day` against the 365 before (`periods.compare_sum`),
    held per data version and as-of (0.1 s at 8.7M occasions on every Overview rerun)."""
    return _revenue(str(store.db_path()), state.version(), day, state.data())


def currency(cfg: CrmConfig) -> str:
    """The configured currency, else the data's, else CNY (as `ui.show` decides)."""
    from ui import show

    return fmt.resolve_currency(cfg.currency, show.currency_of_data())


def fmt_value(unit: str, v: Any, cur: str = fmt.DEFAULT_CURRENCY, lang: str = "en") -> str:
    """A KPI value: counts whole, money with its currency, rates as percent (`fmt`)."""
    if unit == "rate":
        return fmt.percent(v, 1)
    return fmt.money(v, cur, lang) if unit == "money" else fmt.count(v)


def fmt_change(unit: str, c: Any, lang: str) -> str | None:
    """Relative change for counts and money, rate points for rates."""
    if c is None:
        return None
    if abs(c) < 5e-4:  # no change: no arrow, no sign
        return t("kpi.pp", lang, v="0.0") if unit == "rate" else fmt.percent(0.0, 1)
    if unit == "rate":
        return t("kpi.pp", lang, v=fmt.number(c * 100, 1) if c < 0 else
                 "+" + fmt.number(c * 100, 1))
    return fmt.percent(c, 1, signed=True)


def period_label(start: str, period: str) -> str:
    """2026-06 (month), 2026 Q2 (quarter), 2026 (year)."""
    d = dt.date.fromisoformat(start)
    return {"month": f"{d:%Y-%m}", "quarter": f"{d.year} Q{(d.month - 1) // 3 + 1}",
            "year": str(d.year)}[period]


def kpi_section() -> None:
    """KPIs of the last complete period with the change against the one before."""
    lang, tr = state.lang(), state.tr
    head = st.container()
    period = state.cfg_control("kpi_period", st.radio, "actions.cfg.kpi_period",
                               options=list(kpis.PERIODS), horizontal=True,
                               format_func=lambda p: t(f"kpi.period.{p}", lang))
    cfg = state.config()
    cur = currency(cfg)
    k, info = ua.kpi_report(cfg)
    head.subheader(tr("kpi.title", period=tr(f"kpi.period.{period}")))
    head.caption(tr("kpi.periods", cur=period_label(info["current"][0], period),
                  prev=period_label(info["previous"][0], period)) + " · " + tr("kpi.help"))
    churn = k["churn_rate"]
    if churn["value"] is not None:
        rng = {"lo": f"{churn['acceptable_min']:.1%}", "hi": f"{churn['acceptable_max']:.1%}"}
        if churn["alert"]:
            st.warning(tr("kpi.churn_alert", rate=f"{churn['value']:.1%}",
                          period=tr(f"kpi.period.{period}"), **rng))
        else:
            st.success(tr("kpi.churn_ok", **rng))
    names = list(kpis.KPIS)
    for start in range(0, len(names), 4):
        cols = st.columns(4)
        for col, name in zip(cols, names[start:start + 4], strict=False):
            m = k[name]
            flat = m["change"] is not None and abs(m["change"]) < 5e-4
            col.metric(
                tr(f"kpi.{name}"), fmt_value(m["unit"], m["value"], cur, lang),
                delta=fmt_change(m["unit"], m["change"], lang),
                delta_color=("off" if flat else "inverse" if name in BAD_WHEN_UP else "normal"),
                delta_arrow="off" if flat else "auto",
                help=(tr("kpi.previous", v=fmt_value(m["unit"], m["previous"], cur, lang))
                      + (" · " + tr(f"kpi.reason.{m['reason']}") if m["reason"] else "")),
            )


def _what_if(lang: str) -> None:
    with st.expander(t("four_r.what_if", lang)):
        c = st.columns(3)
        state.cfg_control("no_contact_days", c[0].number_input, "actions.cfg.no_contact_days",
                          min_value=1, max_value=3650, step=15)
        state.cfg_control("relationship_window_days", c[1].number_input,
                          "actions.cfg.relationship_window_days", min_value=7,
                          max_value=3650, step=30)
        state.cfg_control("reward_words", c[2].text_input, "actions.cfg.reward_words")


def four_r_section() -> None:
    """The 4R scorecard: recognize, relationship, reward, retention."""
    lang, tr = state.lang(), state.tr
    st.subheader(tr("four_r.title"))
    _what_if(lang)
    cfg = state.config()
    card = ua.scorecard(cfg)
    rec, rel, rew, ret = (card[k] for k in ("recognize", "relationship", "reward", "retention"))
    cols = st.columns(4)
    with cols[0]:
        st.markdown(f"**{tr('four_r.recognize')}**")
        st.metric(tr("four_r.complete_share"), fmt_value("rate", rec["complete_share"]),
                  help=tr("four_r.complete_help"))
        st.metric(tr("four_r.identified"), fmt_value("rate", rec["identified_order_share"]))
        st.metric(tr("four_r.duplicates"),
                  f"{rec['duplicate_ids'] + rec['shared_contact_records']:,}",
                  help=tr("four_r.duplicates_help", ids=rec["duplicate_ids"],
                          shared=rec["shared_contact_records"]))
    with cols[1]:
        st.markdown(f"**{tr('four_r.relationship')}**")
        cpc = rel["contacts_per_customer"]
        st.metric(tr("four_r.contacts"), f"{cpc:.1f}" if cpc is not None else "–",
                  help=tr("four_r.contacts_help", d=cfg.relationship_window_days))
        st.metric(tr("four_r.no_contact"), f"{rel['stability_no_contact']:,}",
                  help=tr("four_r.no_contact_help", d=cfg.no_contact_days))
        days = pl.DataFrame(rel["days_since_contact_by_tier"]).select(
            pl.col("tier").replace_strict({x: tr(f"tier.{x}") for x in actions.CODES["tier"]})
            .alias(tr("col.value_tier")),
            pl.col("median_days_since_contact").round(0).alias(tr("four_r.days_short")))
        st.caption(tr("four_r.days_by_tier"))
        st.dataframe(days, hide_index=True, width="stretch")
    with cols[2]:
        st.markdown(f"**{tr('four_r.reward')}**")
        st.metric(tr("four_r.loyal_big"), f"{rew['loyal_big']:,}",
                  help=tr("four_r.loyal_big_help"))
        st.metric(tr("four_r.no_reward"), f"{rew['no_reward_yet']:,}")
        if rew["suggested_category"]:
            sug = pl.DataFrame({tr("four_r.category"): list(rew["suggested_category"]),
                                tr("four_r.customers_short"):
                                    list(rew["suggested_category"].values())})
            st.caption(tr("four_r.suggest"))
            st.dataframe(sug, hide_index=True, width="stretch")
    with cols[3]:
        st.markdown(f"**{tr('four_r.retention')}**")
        st.metric(tr("four_r.retention_rate"), fmt_value("rate", ret["retention_rate"]))
        cur = currency(cfg)
        st.metric(tr("four_r.saves"), fmt.number(ret["expected_saves"], 1),
                  help=tr("four_r.saves_help", v=fmt.money(ret["value_saved"], cur, lang),
                          n=fmt.money(ret["net"], cur, lang)))
        ew = ret["early_warning"]
        st.metric(tr("four_r.hit_rate"), fmt_value("rate", ew["hit_rate"]),
                  help=tr("four_r.hit_rate_help", cutoff=ew["cutoff"]))


def _save(name: str) -> None:
    try:
        scenarios.save_scenario(state.connection(), name, ua.current_settings())
        st.session_state["scenario.msg"] = ("ok", name)
    except ValueError as exc:
        st.session_state["scenario.msg"] = ("error", str(exc))


def _load(name: str) -> None:
    ua.apply_settings(scenarios.load_scenario(state.connection(), name))
    st.session_state["scenario.msg"] = ("loaded", name)


def _compare(settings: dict[str, Any]) -> None:
    """KPIs and actions under the defaults and under the scenario, side by side."""
    tr = state.tr
    cfgs = (CrmConfig(), scenarios.scenario_config(settings))
    (kd, _), (ks, _) = (ua.kpi_report(c) for c in cfgs)
    lang, cur = state.lang(), currency(cfgs[1])
    rows = [(tr(f"kpi.{n}"), fmt_value(u, kd[n]["value"], cur, lang),
             fmt_value(u, ks[n]["value"], cur, lang)) for n, u in kpis.KPIS.items()]
    ad, ast_ = (actions.summary(ua.assigned(c)) for c in cfgs)
    act_rows = [(tr(f"action.{a['action']}"), fmt.count(a["customers"]), fmt.count(b["customers"]))
                for a, b in zip(ad, ast_, strict=True)]
    header = [tr("scenario.col.measure"), tr("scenario.col.default"),
              tr("scenario.col.scenario")]
    left, right = st.columns(2)
    for col, body in ((left, rows), (right, act_rows)):
        col.dataframe(pl.DataFrame(body, schema=header, orient="row"), hide_index=True,
                      width="stretch")


def scenario_section() -> None:
    """Save the session's what-if settings under a name, load one, compare with defaults."""
    tr = state.tr
    st.subheader(tr("scenario.title"))
    st.caption(tr("scenario.intro"))
    c = st.columns(2)
    name = c[0].text_input(tr("scenario.name"), key="scenario.name")
    c[0].button(tr("scenario.save"), key="scenario.save", on_click=_save, args=(name,),
                disabled=not (name or "").strip())
    msg = st.session_state.pop("scenario.msg", None)
    if msg and msg[0] == "ok":
        st.success(tr("scenario.saved", name=msg[1], n=len(ua.current_settings())))
    elif msg and msg[0] == "loaded":
        st.success(tr("scenario.loaded", name=msg[1]))
    elif msg:
        st.error(tr("scenario.error", msg=msg[1]))
    with store.reading(store.db_path()) as con:  # read-only, short: a rerun writes nothing
        names = scenarios.list_scenarios(con)
    if not names:
        c[1].caption(tr("scenario.none"))
        return
    pick = c[1].selectbox(tr("scenario.pick"), names, key="scenario.pick")
    b = c[1].columns(2)
    b[0].button(tr("scenario.load"), key="scenario.load", on_click=_load, args=(pick,))
    b[1].button(tr("scenario.delete"), key="scenario.delete",
                on_click=lambda: scenarios.delete_scenario(state.connection(), pick))
    with store.reading(store.db_path()) as con:
        settings = scenarios.load_scenario(con, pick)
    st.caption(tr("scenario.settings", s=", ".join(f"{k} = {v}" for k, v in settings.items())
                  or "–"))
    if st.toggle(tr("scenario.compare"), key="scenario.compare"):
        _compare(settings)
