"""A realistic, seeded synthetic CRM data set (`python -m crm_logic sample` / `load-sample`).

Every customer gets a life curve from the domain (../shared/domain.md): churned customers follow
one of the four patterns (early abort, mid-term abort, early exit, long-term), active ones sit in
one of the four stages at `end_date`. The curve drives a monthly expected number of purchase
occasions and their basket size; occasions become order lines with products, refunds, margins.
Complaints, interactions and churn records follow the causes the domain names (a bad first
order ends a trial; unresolved or late complaints precede churn; long-term customers refer).

Everything is vectorised with NumPy over (customer, month) grids and flat event arrays; the only
Python loops run over groups, categories or templates. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from crm_logic import sample_cases as cases
from crm_logic import sample_prospects, store

PATTERNS: tuple[str, ...] = ("early_abort", "mid_term_abort", "early_exit", "long_term")
STAGES: tuple[str, ...] = ("exploration", "formation", "stability", "decline")
GROUPS: tuple[str, ...] = PATTERNS + STAGES  # index < 4: churned pattern, else active stage

# Share of customers per group: about 40% churned, 60% active.
GROUP_SHARES: tuple[float, ...] = (0.14, 0.08, 0.08, 0.10, 0.06, 0.12, 0.30, 0.12)

INACTIVE_MONTHS = 7  # churned customers' last grid month ends at least this long before end_date
CHURN_RECORD_SHARE = 0.6  # churned customers with a churn_date/reason/type on file
REFUND_SHARE = 0.03  # share of orders that get a return line later
MARGIN_MISSING_SHARE = 0.07
LAPSING_SHARE = 0.45  # declining customers who already skipped their last 1-4 months

EA, MA, EX, LT, EXPL, FORM, STAB, DECL = range(8)
_EPOCH = dt.date(1970, 1, 1)

# Spring Festival dates: the month two weeks before it is a shopping peak.
_SPRING_FESTIVAL = {
    2015: (2, 19), 2016: (2, 8), 2017: (1, 28), 2018: (2, 16), 2019: (2, 5), 2020: (1, 25),
    2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10), 2025: (1, 29), 2026: (2, 17),
    2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3), 2031: (1, 23), 2032: (2, 11),
}
# Month-of-year factor: 618 in June, Double 11 in November, year-end in December.
_SEASON = (1.0, 0.92, 0.96, 0.97, 1.0, 1.08, 0.93, 0.93, 1.0, 1.0, 1.2, 1.1)
_PRE_FESTIVAL_BOOST = 1.12

# Product catalogue: category -> (product, list price in CNY), cheapest first.
CATALOGUE: dict[str, list[tuple[str, float]]] = {
    "数码": [("数据线", 29.0), ("充电宝", 129.0), ("蓝牙耳机", 199.0), ("机械键盘", 459.0),
           ("移动硬盘", 499.0), ("智能手表", 899.0), ("平板电脑", 2999.0)],
    "家居": [("抽纸", 19.9), ("收纳箱", 59.0), ("保温杯", 89.0), ("台灯", 149.0),
           ("乳胶枕", 259.0), ("四件套", 399.0), ("空气净化器", 1299.0)],
    "美妆": [("护手霜", 25.0), ("洗面奶", 79.0), ("面膜", 99.0), ("防晒霜", 159.0),
           ("口红", 239.0), ("面霜", 329.0), ("精华液", 499.0)],
    "食品": [("矿泉水", 15.0), ("牛奶", 69.0), ("有机大米", 89.0), ("咖啡豆", 128.0),
           ("橄榄油", 139.0), ("坚果礼盒", 168.0), ("茶叶", 358.0)],
    "服饰": [("袜子", 19.0), ("T恤", 99.0), ("围巾", 159.0), ("衬衫", 259.0),
           ("牛仔裤", 299.0), ("运动鞋", 599.0), ("羽绒服", 899.0)],
    "母婴": [("奶嘴", 29.0), ("婴儿湿巾", 49.0), ("纸尿裤", 169.0), ("儿童玩具", 199.0),
           ("奶粉", 329.0), ("儿童餐椅", 499.0), ("婴儿推车", 1599.0)],
}
_CATEGORIES = list(CATALOGUE)
_N_PRODUCTS = len(next(iter(CATALOGUE.values())))

_SURNAMES = [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
             ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
             ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
             ("郭", "guo"), ("何", "he"), ("林", "lin"), ("高", "gao"), ("罗", "luo"),
             ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"),
             ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
             ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"),
             ("潘", "pan"), ("袁", "yuan"), ("蔡", "cai"), ("蒋", "jiang"), ("余", "yu"),
             ("欧阳", "ouyang"), ("司马", "sima")]
_SURNAME_WEIGHTS = np.array([7.3, 7.2, 6.9, 5.4, 4.5, 3.1, 2.2, 2.0, 1.9, 1.8, 1.7, 1.5, 1.4,
                             1.3, 1.3, 1.2, 1.1, 1.1, 1.0, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.7,
                             0.7, 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
                             0.5, 0.05, 0.03])
_GIVEN = [("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"),
          ("丽", "li"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"),
          ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("娟", "juan"), ("涛", "tao"),
          ("明", "ming"), ("超", "chao"), ("秀英", "xiuying"), ("霞", "xia"), ("平", "ping"),
          ("刚", "gang"), ("桂英", "guiying"), ("华", "hua"), ("玲", "ling"), ("婷", "ting"),
          ("欣", "xin"), ("宇", "yu"), ("浩", "hao"), ("子涵", "zihan"), ("梓轩", "zixuan"),
          ("雨", "yu"), ("晨", "chen"), ("博", "bo"), ("佳", "jia"), ("思", "si"),
          ("文", "wen"), ("建国", "jianguo"), ("志强", "zhiqiang"), ("海", "hai"), ("颖", "ying")]
_ENGLISH_NAMES = ["David Chen", "Emily Wang", "Michael Zhang", "Sarah Li", "Kevin Liu",
                  "Jennifer Wu", "Tom Brown", "Anna Schmidt", "James O'Neil", "Lucy Zhou"]
_EMAIL_DOMAINS = ["qq.com", "163.com", "126.com", "gmail.com", "sina.com", "foxmail.com",
                  "outlook.com"]
_EMAIL_DOMAIN_WEIGHTS = np.array([0.35, 0.25, 0.1, 0.08, 0.07, 0.1, 0.05])
_REGIONS = ["北京市", "上海市", "天津市", "重庆市", "广东省广州市", "广东省深圳市", "广东省东莞市",
            "浙江省杭州市", "浙江省宁波市", "江苏省南京市", "江苏省苏州市", "山东省济南市",
            "山东省青岛市", "四川省成都市", "湖北省武汉市", "湖南省长沙市", "福建省厦门市",
            "福建省福州市", "河南省郑州市", "陕西省西安市", "辽宁省沈阳市", "辽宁省大连市",
            "安徽省合肥市", "云南省昆明市", "黑龙江省哈尔滨市"]
_REGION_WEIGHTS = np.array([8, 9, 3, 4, 7, 7, 3, 6, 3, 5, 5, 3, 3, 5, 4, 3, 2, 2, 3, 3, 2, 2,
                            2, 2, 1], dtype=float)
_INDUSTRIES = ["零售", "制造业", "餐饮", "教育", "医疗", "互联网", "物流", "金融", "建筑"]
_SALES_REPS = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄涛", "周婷", "吴刚"]
_ACQ_CHANNELS = ["online", "store", "referral", "wechat", "ad"]
_ACQ_CHANNEL_WEIGHTS = np.array([0.32, 0.2, 0.13, 0.22, 0.13])

# Churn reasons by pattern (codes in store.CHURN_REASONS order).
_REASONS = list(store.CHURN_REASONS)
_REASON_WEIGHTS: dict[int, list[float]] = {
    #     price product service tech  promo  need  mgmt  polit other
    EA: [0.25, 0.32, 0.28, 0.02, 0.03, 0.02, 0.0, 0.0, 0.08],
    MA: [0.34, 0.08, 0.30, 0.03, 0.17, 0.02, 0.02, 0.0, 0.04],
    EX: [0.12, 0.2, 0.05, 0.25, 0.18, 0.02, 0.14, 0.0, 0.04],
    LT: [0.05, 0.03, 0.07, 0.05, 0.02, 0.3, 0.22, 0.12, 0.14],
}
# Probability that a churn with this reason is passive (the company's or circumstance's doing).
_PASSIVE_BY_REASON = np.array([0.15, 0.2, 0.25, 0.2, 0.15, 0.7, 0.45, 0.8, 0.5])

_COMPLAINT_CATEGORIES = ["quality", "delivery", "service", "price", "billing", "other"]
_COMPLAINT_CHANNELS = ["phone", "email", "online", "store", "social_media", "authority", "legal"]
# Well handled complaints vs the ones that go wrong (poorly handled ones escalate more).
_CHANNEL_WEIGHTS_GOOD = np.array([0.34, 0.12, 0.26, 0.15, 0.12, 0.008, 0.002])
_CHANNEL_WEIGHTS_POOR = np.array([0.28, 0.1, 0.2, 0.12, 0.245, 0.045, 0.01])
_RESOLUTIONS = ["refund", "replacement", "repair", "compensation", "apology"]
_RESOLUTION_BY_CATEGORY = np.array([
    [0.3, 0.35, 0.25, 0.05, 0.05],  # quality
    [0.25, 0.1, 0.0, 0.4, 0.25],  # delivery
    [0.05, 0.0, 0.0, 0.3, 0.65],  # service
    [0.55, 0.0, 0.0, 0.35, 0.1],  # price
    [0.6, 0.0, 0.0, 0.15, 0.25],  # billing
    [0.1, 0.1, 0.1, 0.2, 0.5],  # other
])
# Category mixes: background complaints, and complaints that precede each churn pattern.
_CAT_BACKGROUND = np.array([0.3, 0.22, 0.2, 0.1, 0.1, 0.08])
_CAT_BY_GROUP: dict[int, np.ndarray] = {
    EA: np.array([0.5, 0.25, 0.25, 0.0, 0.0, 0.0]),
    MA: np.array([0.15, 0.15, 0.35, 0.25, 0.05, 0.05]),
    EX: np.array([0.35, 0.05, 0.15, 0.25, 0.15, 0.05]),
    LT: np.array([0.15, 0.1, 0.3, 0.1, 0.2, 0.15]),
    DECL: np.array([0.25, 0.15, 0.3, 0.15, 0.1, 0.05]),
}
# Description templates per complaint category: (before product, after product).
_DESCRIPTIONS: dict[str, list[tuple[str, str]]] = {
    "quality": [("收到的", "有明显质量问题，用了两天就坏了。"), ("", "做工粗糙，和宣传的不一样。"),
                ("购买的", "质量不合格，希望尽快处理。")],
    "delivery": [("", "下单后一周还没发货，客服也联系不上。"), ("快递送来的", "外包装破损。"),
                 ("", "送错了地址，耽误了使用。")],
    "service": [("咨询", "的售后问题时客服态度很差。"), ("关于", "的问题多次来电都没有人回复。"),
                ("门店销售在介绍", "时承诺的赠品没有兑现。")],
    "price": [("刚买的", "第二天就降价，要求补差价。"), ("", "的价格比其他平台贵很多。"),
              ("", "的优惠券无法使用，实际付款比宣传价高。")],
    "billing": [("", "的订单被重复扣款。"), ("购买", "后发票信息有误，一直没有重开。"),
                ("", "退货后退款迟迟没有到账。")],
    "other": [("对", "的会员积分规则有意见。"), ("", "的使用说明看不懂，希望提供中文说明。"),
              ("希望", "能增加更多颜色选择。")],
}
_DESCRIPTION_TAILS = ["\n请尽快给我答复。", "\n已经是第二次反映这个问题了。", "\n希望公司重视。"]

_INTERACTION_CHANNELS = ["phone", "wechat", "email", "visit", "sms"]


# --- small helpers ---------------------------------------------------------------------------


def _choice(rng: np.random.Generator, weights: np.ndarray | list[float], size: int) -> np.ndarray:
    """Indices drawn with the given (unnormalised) weights."""
    w = np.asarray(weights, dtype=float)
    return rng.choice(len(w), size=size, p=w / w.sum())


def _choice_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One index per row of a (n, k) probability matrix (inverse CDF, vectorised)."""
    cdf = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(probs))[:, None]
    return np.minimum((u > cdf).sum(axis=1), probs.shape[1] - 1)


def _ints(rng: np.random.Generator, lo: int | np.ndarray, hi: int | np.ndarray,
          size: int) -> np.ndarray:
    """Uniform integers in [lo, hi] inclusive (bounds may be arrays)."""
    lo_a = np.asarray(lo, dtype=np.int64)
    hi_a = np.asarray(hi, dtype=np.int64)
    return lo_a + np.floor(rng.random(size) * (hi_a - lo_a + 1)).astype(np.int64)


def _day(d: dt.date) -> int:
    return (d - _EPOCH).days


def _dates(days: np.ndarray) -> pl.Series:
    """Days since 1970-01-01 -> a Polars Date series."""
    return pl.Series(np.asarray(days, dtype=np.int32)).cast(pl.Date)


def _strings(values: list[str], idx: np.ndarray) -> pl.Series:
    """values[idx] as a Polars String series (vectorised gather)."""
    return pl.Series(values, dtype=pl.String).gather(np.asarray(idx, dtype=np.int64))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pl.Series:
    """prefix + zero-padded number, e.g. C000123."""
    digits = pl.Series(np.asarray(numbers, dtype=np.int64)).cast(pl.String).str.zfill(width)
    return pl.select(pl.lit(prefix) + pl.lit(digits)).to_series()


def _years_before(d: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (28 Feb for 29 Feb)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def _month_grid(start: dt.date, end: dt.date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Calendar months covering [start, end]: first day, last day (clipped) and season factor."""
    m0 = np.datetime64(start, "M")
    m1 = np.datetime64(end, "M")
    months = np.arange(m0, m1 + 1)
    first = months.astype("datetime64[D]").astype(np.int64)
    last = (months + 1).astype("datetime64[D]").astype(np.int64) - 1
    lo = np.maximum(first, _day(start))
    hi = np.minimum(last, _day(end))
    years = months.astype("datetime64[Y]").astype(np.int64) + 1970
    moy = months.astype(np.int64) % 12
    season = np.array(_SEASON)[moy]
    for i, (y, m) in enumerate(zip(years, moy, strict=True)):  # one loop per month
        md = _SPRING_FESTIVAL.get(int(y))
        if md is None:
            continue
        peak = dt.date(int(y), *md) - dt.timedelta(days=14)
        if peak.month == m + 1:
            season[i] *= _PRE_FESTIVAL_BOOST
    return lo, hi, season


# --- customers' life curves ------------------------------------------------------------------


def _group_of(rng: np.random.Generator, n: int) -> np.ndarray:
    """Exact group counts by GROUP_SHARES, shuffled (the remainder goes to stability)."""
    counts = np.floor(np.array(GROUP_SHARES) * n).astype(np.int64)
    counts[STAB] += n - counts.sum()
    groups = np.repeat(np.arange(len(GROUPS)), counts)
    return rng.permutation(groups)


def _phases(rng: np.random.Generator, g: np.ndarray, n_months: int) -> dict[str, np.ndarray]:
    """Per customer: rise/plateau/decline lengths (grid months), acquisition month, curve shape.

    Grid month t = month - acquisition month; t = 0 holds the trial occasions, the rise runs
    t = 1..rise, the plateau the next `plateau` months, the decline the next `decline` months.
    `rise_full` > `rise` for customers still rising at end_date (formation): the curve is cut.
    `lapse`: months without purchases at the end for declining customers drifting away.
    """
    n = len(g)
    rise = np.zeros(n, np.int64)
    rise_full = np.zeros(n, np.int64)
    plateau = np.zeros(n, np.int64)
    decline = np.zeros(n, np.int64)
    last_churn_month = n_months - 1 - INACTIVE_MONTHS  # last grid month a churned one may buy

    m = g == MA
    rise[m] = _ints(rng, 4, 12, m.sum())
    m = g == EX
    rise[m] = _ints(rng, 3, 7, m.sum())
    plateau[m] = _ints(rng, 4, 8, m.sum())
    decline[m] = np.where(rng.random(m.sum()) < 0.4, _ints(rng, 1, 2, m.sum()), 0)
    m = g == LT
    k = int(m.sum())
    rise[m] = _ints(rng, 3, 6, k)
    decline[m] = np.where(rng.random(k) < 0.7, _ints(rng, 3, 7, k), 0)
    plateau[m] = _ints(rng, 18, np.maximum(18, last_churn_month - rise[m] - decline[m]), k)
    m = g == FORM
    rise[m] = _ints(rng, 3, 10, m.sum())
    rise_full[m] = rise[m] + _ints(rng, 1, 4, m.sum())
    m = g == STAB
    k = int(m.sum())
    rise[m] = _ints(rng, 3, 8, k)
    plateau[m] = _ints(rng, 4, np.maximum(4, np.minimum(36, n_months - 2 - rise[m])), k)
    m = g == DECL
    k = int(m.sum())
    rise[m] = _ints(rng, 3, 6, k)
    decline[m] = _ints(rng, 3, 7, k)
    plateau[m] = _ints(rng, 6, np.maximum(6, np.minimum(24, n_months - 6 - rise[m] - decline[m])),
                       k)
    rise_full = np.where(rise_full > 0, rise_full, rise)
    span = rise + plateau + decline  # grid months after the trial month

    churned = g < EXPL
    latest_start = np.where(g == EA, last_churn_month - 2, last_churn_month - span)
    # Declining customers drift away: some have already skipped their last 1-4 months (still
    # too recent to call them lost, but at risk); churn is in progress at any date.
    lapse = np.where((g == DECL) & (rng.random(n) < LAPSING_SHARE), _ints(rng, 1, 4, n), 0)
    acq = np.where(churned, _ints(rng, 0, np.maximum(latest_start, 0), n),
                   n_months - 1 - span - lapse)
    acq = np.clip(acq, 0, n_months - 1)
    # Volume at the start of the rise (share of peak): growth of 20-40% a month up to the peak.
    c0 = np.clip(rng.uniform(1.2, 1.4, n) ** -np.maximum(rise_full, 1), 0.06, 0.3)
    dmin = np.where(g == EX, rng.uniform(0.35, 0.55, n), rng.uniform(0.18, 0.4, n))
    dmin = np.where(g == DECL, rng.uniform(0.25, 0.42, n), dmin)
    return {"rise": rise, "rise_full": rise_full, "plateau": plateau, "decline": decline,
            "span": span, "acq": acq, "c0": c0, "dmin": dmin, "lapse": lapse}


def _curve(ph: dict[str, np.ndarray], t: np.ndarray) -> np.ndarray:
    """Share of peak volume in grid month t (broadcast (n, 1) phases against t)."""
    r = ph["rise"][:, None]
    rf = ph["rise_full"][:, None]
    p = ph["plateau"][:, None]
    d = ph["decline"][:, None]
    c0 = ph["c0"][:, None]
    dmin = ph["dmin"][:, None]
    rising = c0 ** (1.0 - t / np.maximum(rf, 1))  # geometric growth: clearly rising
    falling = dmin ** ((t - r - p) / np.maximum(d, 1))
    return np.select(
        [t <= 0, t <= r, t <= r + p, t <= r + p + d],
        [np.zeros_like(rising), rising, np.ones_like(rising), falling],
        default=0.0,
    )


# --- generate --------------------------------------------------------------------------------


def generate(n_customers: int = 20_000, seed: int = 7, end_date: dt.date = dt.date(2026, 6, 18),
             years: int = 4) -> dict[str, pl.DataFrame]:
    """The synthetic data set: customers, orders, complaints, interactions (canonical schema)
    and truth (customer_id, pattern, churned, stage, case). Deterministic for a seed. The
    default end date leaves the last month partial (18 of 30 days), as real data does."""
    if n_customers < 1:
        raise ValueError("n_customers must be at least 1")
    if years < 3:
        raise ValueError("years must be at least 3 (long-term customers need the time)")
    rng = np.random.default_rng(seed)
    start = _years_before(end_date, years) + dt.timedelta(days=1)
    lo, hi, season = _month_grid(start, end_date)
    n_months = len(lo)
    end_day = _day(end_date)
    n = n_customers

    g = _group_of(rng, n)
    ph = _phases(rng, g, n_months)
    churned = g < EXPL
    # hard cases from their own stream: the plain customers' draws stay as they were
    rng_cases = np.random.default_rng([seed, 17])
    case = cases.pick(rng_cases, g)
    cases.shift_before_data(rng_cases, ph, g, case, n_months)
    cases.settle_rhythm(rng_cases, ph, case, n_months)
    before = case == cases.BEFORE_DATA

    # Per-customer rhythm and spend: frequency at peak and a heavy-tailed basket.
    rate = np.clip(rng.lognormal(np.log(2.0), 0.4, n), 1.2, 7.0)
    basket = np.maximum(rng.lognormal(np.log(230.0), 0.75, n), 50.0)
    whale = rng.random(n) < 0.04
    basket = np.where(whale, basket * rng.uniform(3, 12, n), basket)
    primary_cat = _choice(rng, [1.2, 1.0, 1.0, 1.1, 1.1, 0.7], n)
    cross_buyer = np.isin(g, [LT, STAB]) | ((g == DECL) & (rng.random(n) < 0.6))

    # Acquisition (first purchase) day.
    acq_month = np.clip(ph["acq"], 0, n_months - 1)
    acq_day = _ints(rng, lo[acq_month], hi[acq_month], n)
    acq_day = np.where(g == EXPL, end_day - _ints(rng, 3, 80, n), acq_day)
    acq_day = np.where(before, _day(start) - 1, acq_day)  # trials before the data: unseen

    # --- monthly grid of purchase occasions ---
    t = np.arange(n_months)[None, :] - ph["acq"][:, None]
    t = np.where(g[:, None] == EXPL, -1, t)
    curve = _curve(ph, t.astype(float))
    noise = rng.lognormal(0.0, 0.1, curve.shape)
    lam = rate[:, None] * curve * season[None, :] * noise
    # Systematic sampling of the cumulative volume: customers keep a rhythm, so a month holds
    # floor or ceil of its expected count and the monthly series follows the curve closely.
    cum = np.cumsum(lam, axis=1)
    phase = rng.random((n, 1))
    counts = (np.floor(cum + phase) - np.floor(cum - lam + phase)).astype(np.int64)
    last_t = ph["span"][:, None]
    # Mid-term aborts are lost at the top of their rise: they buy in its last two months.
    counts = np.where((g[:, None] == MA) & (t >= last_t - 1) & (t <= last_t),
                      np.maximum(counts, 1), counts)
    # Active customers bought recently (relative to their own rhythm).
    active_now = np.isin(g, [FORM, STAB, DECL])[:, None] & (t == last_t)
    counts = np.where(active_now, np.maximum(counts, 1), counts)
    days_in = (hi - lo + 1)[None, :]
    counts = np.minimum(counts, days_in)
    moy = (np.arange(n_months) + (start.month - 1)) % 12  # month of year, 0 = January
    counts = cases.rhythm_counts(counts, case, t, moy)

    cust_m, mon_m = np.nonzero(counts)
    k = counts[cust_m, mon_m]
    occ_c = np.repeat(cust_m, k)
    occ_m = np.repeat(mon_m, k)
    first_idx = np.repeat(np.cumsum(k) - k, k)
    j = np.arange(len(occ_c)) - first_idx
    kk = np.repeat(k, k)
    ndays = hi[occ_m] - lo[occ_m] + 1
    grid_day = lo[occ_m] + np.floor((j + rng.random(len(j))) / kk * ndays).astype(np.int64)
    grid_curve = curve[occ_c, occ_m]
    # A month's spend follows the curve (the customer's need), split over its occasions: the
    # monthly spend series stays smooth while the number of occasions carries the rhythm.
    month_spend = basket[:, None] * lam * (0.3 + 0.7 * curve)
    grid_basket = month_spend[occ_c, occ_m] / kk * rng.lognormal(0, 0.12, len(occ_c))

    # Trial occasions: the first purchase, and for some a second one soon after.
    second = rng.random(n) < np.where(g == EA, 0.45, 0.5)
    gap2 = np.where(g == EA, _ints(rng, 7, 60, n), _ints(rng, 5, 25, n))
    second &= (acq_day + gap2 <= end_day) & ~np.isin(case, [cases.SEASONAL, cases.ANNUAL])
    tr_c = np.concatenate([np.arange(n), np.nonzero(second)[0]])
    tr_day = np.concatenate([acq_day, (acq_day + gap2)[second]])
    tr_curve = ph["c0"][tr_c]
    tr_basket = basket[tr_c] * rng.uniform(0.2, 0.45, len(tr_c))  # trial orders are small

    # one big one-off order (spike cases); early aborts back for a new trial (re-trials)
    sp_c, sp_day, sp_basket = cases.spike_occasions(rng_cases, case, ph, lo, hi, basket,
                                                    n_months)
    last_trial = np.where(second, acq_day + gap2, acq_day)
    rt_c, rt_day, rt_basket, returned = cases.retrial_occasions(rng_cases, case, last_trial,
                                                                end_day, basket)
    occ_cust = np.concatenate([tr_c, occ_c, sp_c, rt_c])
    occ_day = np.concatenate([tr_day, grid_day, sp_day, rt_day])
    occ_curve = np.concatenate([tr_curve, grid_curve, np.ones(len(sp_c)),
                                ph["c0"][rt_c]])
    occ_basket = np.concatenate([tr_basket, grid_basket, sp_basket, rt_basket])
    seen = occ_day >= _day(start)  # trial orders of relationships older than the data
    occ_cust, occ_day, occ_curve, occ_basket = (x[seen] for x in (occ_cust, occ_day,
                                                                   occ_curve, occ_basket))
    churned = churned & ~returned  # a re-trial is an active relationship again
    key = occ_cust * 1_000_000 + (occ_day - _day(start) + 1000)
    _, keep = np.unique(key, return_index=True)  # one occasion per customer and day, sorted
    occ_cust, occ_day, occ_curve, occ_basket = (x[keep] for x in (occ_cust, occ_day, occ_curve,
                                                                  occ_basket))

    first_buy = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_buy, occ_cust, occ_day)
    last_buy = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last_buy, occ_cust, occ_day)
    in_plateau = occ_curve >= 0.99

    orders = _orders(rng, occ_cust, occ_day, occ_basket, in_plateau, g, primary_cat,
                        cross_buyer, first_buy, end_day)
    customers = _customers(rng, g, first_buy, last_buy, churned, end_day, _day(start))
    complaints, comp_cust, comp_day = _complaints(rng, g, first_buy, last_buy, customers,
                                                  primary_cat, end_day, _day(start))
    interactions = _interactions(rng, g, ph, first_buy, last_buy, lo, hi, comp_cust, comp_day,
                                 end_day, _day(start))

    ids = customers["customer_id"]
    # what can be known: a lost relationship older than the data has no pattern to tell
    # (unless its observed plateau alone is long-term); a re-trial is in exploration
    unknown = before & churned & (g != LT)
    truth = pl.DataFrame({
        "customer_id": ids,
        "pattern": _strings(list(GROUPS), g).set(pl.Series(unknown), "unknown_start")
        .set(pl.Series(~churned), None),
        "churned": churned,
        "stage": _strings(list(GROUPS), g).set(pl.Series(returned), "exploration")
        .set(pl.Series(churned), None),
        "case": _strings(list(cases.CASES), case).set(pl.Series((case == cases.RETRIAL)
                                                                & ~returned), "plain"),
    })
    return {
        "customers": customers.select(store.polars_schema("customers").keys())
        .cast(store.polars_schema("customers")),  # type: ignore[arg-type]
        "orders": orders.cast(store.polars_schema("orders")),  # type: ignore[arg-type]
        "complaints": complaints.cast(store.polars_schema("complaints")),  # type: ignore[arg-type]
        "interactions": interactions.cast(
            store.polars_schema("interactions")),  # type: ignore[arg-type]
        "truth": truth,
        "prospects": sample_prospects.prospects(customers, truth, seed, end_date),
    }


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


def _customers(rng: np.random.Generator, g: np.ndarray, first_buy: np.ndarray,
               last_buy: np.ndarray, churned: np.ndarray, end_day: int,
               start_day: int) -> pl.DataFrame:
    """Customer master data: Chinese names, contacts, signup, channel, region, churn record."""
    n = len(g)
    sur = _choice(rng, _SURNAME_WEIGHTS, n)
    g1 = _ints(rng, 0, len(_GIVEN) - 1, n)
    g2 = _ints(rng, 0, len(_GIVEN) - 1, n)
    single = np.array([len(s) == 1 for s, _ in _GIVEN])
    two = (rng.random(n) < 0.65) & single[g1] & single[g2]  # given names of 1-2 characters
    sur_s = _strings([s for s, _ in _SURNAMES], sur)
    sur_py = _strings([p for _, p in _SURNAMES], sur)
    g1_s, g1_py = _strings([s for s, _ in _GIVEN], g1), _strings([p for _, p in _GIVEN], g1)
    g2_s = _strings([s for s, _ in _GIVEN], g2).set(pl.Series(~two), "")
    g2_py = _strings([p for _, p in _GIVEN], g2).set(pl.Series(~two), "")
    english = rng.random(n) < 0.012
    en_idx = _ints(rng, 0, len(_ENGLISH_NAMES) - 1, n)
    en_name = _strings(_ENGLISH_NAMES, en_idx)
    digits = pl.Series(_ints(rng, 1, 999, n)).cast(pl.String).set(
        pl.Series(rng.random(n) < 0.4), "")
    domain = _strings(_EMAIL_DOMAINS, _choice(rng, _EMAIL_DOMAIN_WEIGHTS, n))
    prefix2 = _strings(["13", "15", "18"], _choice(rng, [0.45, 0.3, 0.25], n))
    phone_rest = pl.Series(_ints(rng, 0, 999_999_999, n)).cast(pl.String).str.zfill(9)

    df = pl.DataFrame({
        "customer_id": _ids("C", np.arange(1, n + 1), 6),
        "sur": sur_s, "g1": g1_s, "g2": g2_s, "sur_py": sur_py, "g1_py": g1_py,
        "g2_py": g2_py, "en": en_name, "english": english, "digits": digits, "domain": domain,
        "p2": prefix2, "p9": phone_rest,
    }).with_columns(
        pl.when(pl.col("english")).then(pl.col("en"))
        .otherwise(pl.col("sur") + pl.col("g1") + pl.col("g2")).alias("name"),
        pl.when(pl.col("english"))
        .then(pl.col("en").str.to_lowercase().str.replace_all(r"[^a-z]", "."))
        .otherwise(pl.col("sur_py") + pl.col("g1_py") + pl.col("g2_py"))
        .add(pl.col("digits")).add(pl.lit("@")).add(pl.col("domain")).alias("email"),
        (pl.col("p2") + pl.col("p9")).alias("phone"),
    )
    # A real export's quirks: formula-like names and doubled spaces (all still valid rows).
    odd = rng.permutation(n)[: min(n, 9)]
    name = df["name"].to_list()
    for i, pos in enumerate(odd):  # at most nine rows
        nm = name[pos]
        if i < 3:
            name[pos] = "=" + nm
        elif i < 5:
            name[pos] = "+" + nm
        elif i < 7:
            name[pos] = nm[0] + "  " + nm[1:] if " " not in nm else nm.replace(" ", "  ")
        else:
            name[pos] = nm + " "
    email = df["email"].set(pl.Series(rng.random(n) < 0.12), None)
    phone = df["phone"].set(pl.Series(rng.random(n) < 0.05), None)

    signup = np.maximum(start_day, first_buy - _ints(rng, 0, 45, n))
    chan_w = np.tile(_ACQ_CHANNEL_WEIGHTS, (n, 1))
    chan_w[np.isin(g, [LT, STAB]), 2] *= 2.0  # loyal customers more often came by referral
    industry = _strings(_INDUSTRIES, _ints(rng, 0, len(_INDUSTRIES) - 1, n)).set(
        pl.Series(rng.random(n) < 0.25), None)
    rep = _strings(_SALES_REPS, _ints(rng, 0, len(_SALES_REPS) - 1, n)).set(
        pl.Series(rng.random(n) < 0.03), None)

    record = churned & (rng.random(n) < CHURN_RECORD_SHARE)
    weights = np.zeros((n, len(_REASONS)))
    for grp in (EA, MA, EX, LT):  # one loop per pattern
        weights[g == grp] = _REASON_WEIGHTS[grp]
    weights[~churned] = 1.0
    reason = _choice_rows(rng, weights)
    passive = rng.random(n) < _PASSIVE_BY_REASON[reason]
    churn_day = np.minimum(last_buy + _ints(rng, 14, 120, n), end_day)
    no_record = pl.Series(~record)
    return pl.DataFrame({
        "customer_id": df["customer_id"],
        "name": pl.Series(name, dtype=pl.String),
        "email": email,
        "phone": phone,
        "signup_date": _dates(signup),
        "channel": _strings(_ACQ_CHANNELS, _choice_rows(rng, chan_w)),
        "region": _strings(_REGIONS, _choice(rng, _REGION_WEIGHTS, n)),
        "industry": industry,
        "sales_rep": rep,
        "churn_date": _dates(churn_day).set(no_record, None),
        "churn_reason": _strings(_REASONS, reason).set(no_record, None),
        "churn_type": _strings(list(store.CHURN_TYPES), passive.astype(np.int64)).set(
            no_record, None),
    })


def _handling(rng: np.random.Generator, received: np.ndarray, poor: np.ndarray,
              end_day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Status code (0 open, 1 in progress, 2 resolved), resolved day, satisfaction (NaN)."""
    m = len(received)
    never = poor & (rng.random(m) < 0.4)
    days = np.where(poor, np.ceil(rng.lognormal(np.log(15.0), 0.6, m)),
                    np.ceil(rng.lognormal(np.log(2.5), 0.6, m))).astype(np.int64)
    resolved_day = received + days
    resolved = ~never & (resolved_day <= end_day)
    fresh = received >= end_day - 3
    status = np.where(resolved, 2, np.where(fresh | (rng.random(m) < 0.55), 0, 1))
    on_time = days <= 7
    sat_good = _choice(rng, [0.0, 0.05, 0.15, 0.4, 0.4], m) + 1
    sat_late = _choice(rng, [0.3, 0.35, 0.25, 0.08, 0.02], m) + 1
    satisfaction = np.where(on_time, sat_good, sat_late).astype(float)
    satisfaction[~resolved | (rng.random(m) < 0.12)] = np.nan
    return status, np.where(resolved, resolved_day, -1), satisfaction


def _complaints(rng: np.random.Generator, g: np.ndarray, first_buy: np.ndarray,
                last_buy: np.ndarray, customers: pl.DataFrame, primary_cat: np.ndarray,
                end_day: int, start_day: int) -> tuple[pl.DataFrame, np.ndarray, np.ndarray]:
    """Complaints: a bad first order, trouble before churn, background noise, anonymous ones.

    Returns the frame plus the customer index (-1 anonymous) and received day of each row.
    """
    n = len(g)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def add(cust: np.ndarray, day: np.ndarray, cat_w: np.ndarray, p_poor: float) -> None:
        cat = _choice(rng, cat_w, len(cust))
        parts.append((cust, np.minimum(day, end_day), cat, rng.random(len(cust)) < p_poor))

    ea = np.nonzero((g == EA) & (rng.random(n) < 0.5))[0]  # a bad first order
    add(ea, first_buy[ea] + _ints(rng, 1, 20, len(ea)), _CAT_BY_GROUP[EA], 0.9)
    for grp, share in ((MA, 0.4), (EX, 0.4), (LT, 0.35)):  # trouble before the end
        c = np.nonzero((g == grp) & (rng.random(n) < share))[0]
        day = np.maximum(first_buy[c], last_buy[c] - _ints(rng, 0, 90, len(c)))
        add(c, day, _CAT_BY_GROUP[grp], 0.85)
    c = np.nonzero((g == DECL) & (rng.random(n) < 0.3))[0]
    add(c, np.maximum(first_buy[c], end_day - _ints(rng, 0, 150, len(c))), _CAT_BY_GROUP[DECL],
        0.5)
    months = (last_buy - first_buy) / 30.44
    k = rng.poisson(0.025 * months + 0.02)
    c = np.repeat(np.arange(n), k)
    hi = np.minimum(last_buy[c] + 30, end_day)
    add(c, _ints(rng, first_buy[c], hi, len(c)), _CAT_BACKGROUND, 0.12)
    n_anon = max(1, sum(len(p[0]) for p in parts) // 100)
    add(np.full(n_anon, -1), _ints(rng, start_day, end_day, n_anon), _CAT_BACKGROUND, 0.3)

    cust, received, cat, poor = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((cust, received))
    cust, received, cat, poor = cust[order], received[order], cat[order], poor[order]
    m = len(cust)
    status, resolved_day, satisfaction = _handling(rng, received, poor, end_day)
    known = cust >= 0
    safe = np.where(known, cust, 0)
    pcat = np.where(known, primary_cat[safe], _ints(rng, 0, len(_CATEGORIES) - 1, m))
    prod = pcat * _N_PRODUCTS + _ints(rng, 0, _N_PRODUCTS - 1, m)
    names = [name for c in _CATEGORIES for name, _ in CATALOGUE[c]]
    n_tpl = len(next(iter(_DESCRIPTIONS.values())))
    tpl = cat * n_tpl + _ints(rng, 0, n_tpl - 1, m)
    before = [b for c in _COMPLAINT_CATEGORIES for b, _ in _DESCRIPTIONS[c]]
    after = [a for c in _COMPLAINT_CATEGORIES for _, a in _DESCRIPTIONS[c]]
    tails = [""] + _DESCRIPTION_TAILS
    tail = np.where(rng.random(m) < 0.2, _ints(rng, 1, len(tails) - 1, m), 0)
    product = _strings(names, prod)
    description = pl.select(
        pl.lit(_strings(before, tpl)) + pl.lit(product) + pl.lit(_strings(after, tpl))
        + pl.lit(_strings(tails, tail))).to_series()
    channel = _choice_rows(rng, np.where(poor[:, None], _CHANNEL_WEIGHTS_POOR[None, :],
                                         _CHANNEL_WEIGHTS_GOOD[None, :]))
    reps = customers["sales_rep"].gather(safe).set(pl.Series(~known), None)
    reasonable = rng.random(m) < np.where(poor, 0.72, 0.88)
    df = pl.DataFrame({
        "complaint_id": _ids("CP", np.arange(1, m + 1), 6),
        "received_date": _dates(received),
        "customer_id": customers["customer_id"].gather(safe).set(pl.Series(~known), None),
        "product": product,
        "category": _strings(_COMPLAINT_CATEGORIES, cat),
        "description": description,
        "sales_rep": reps,
        "channel": _strings(_COMPLAINT_CHANNELS, channel),
        "desired_resolution": _strings(_RESOLUTIONS, _choice_rows(rng,
                                                                  _RESOLUTION_BY_CATEGORY[cat])),
        "reasonable": reasonable,
        "status": _strings(["open", "in_progress", "resolved"], status),
        "resolved_date": _dates(np.where(resolved_day >= 0, resolved_day, 0)).set(
            pl.Series(resolved_day < 0), None),
        "satisfaction": pl.Series(satisfaction).fill_nan(None),
        # answered within 15 days (as complaint exports' "Timely response?"); open: unknown
        "timely_response": pl.Series(resolved_day - received <= 15).set(
            pl.Series(resolved_day < 0), None),
    })
    return df, cust, received


def _interactions(rng: np.random.Generator, g: np.ndarray, ph: dict[str, np.ndarray],
                  first_buy: np.ndarray, last_buy: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                  comp_cust: np.ndarray, comp_day: np.ndarray, end_day: int,
                  start_day: int) -> pl.DataFrame:
    """Contacts: routine ones, referrals from stable customers, complaint follow-ups, win-backs."""
    n = len(g)
    parts: list[tuple[np.ndarray, ...]] = []  # cust, day, channel, inbound, outcome
    outcomes = ["info", "offer_accepted", "offer_declined", "referral", "complaint_followup"]

    # Routine contacts while the relationship runs; declining ones decline offers more.
    months = (last_buy - first_buy) / 30.44
    k = rng.poisson(0.25 * months + 0.3)
    c = np.repeat(np.arange(n), k)
    day = _ints(rng, np.maximum(first_buy[c] - 10, start_day),
                np.minimum(last_buy[c] + 20, end_day), len(c))
    out_w = np.tile([0.6, 0.25, 0.15, 0.0, 0.0], (len(c), 1))
    out_w[g[c] == DECL] = [0.5, 0.12, 0.38, 0.0, 0.0]
    out_w[g[c] == EA] = [0.7, 0.05, 0.25, 0.0, 0.0]
    out_w[np.isin(g[c], [FORM, MA])] = [0.5, 0.38, 0.12, 0.0, 0.0]
    parts.append((c, day, _choice(rng, [0.3, 0.35, 0.15, 0.1, 0.1], len(c)),
                  rng.random(len(c)) < 0.4, _choice_rows(rng, out_w)))

    # Referrals: stable relationships bring in new customers (not yet in formation).
    lam = np.where(np.isin(g, [LT, STAB]), ph["plateau"] / 12.0 + 0.3, 0.0)
    lam = np.where(g == EX, 0.15, lam)
    k = rng.poisson(lam)
    c = np.repeat(np.arange(n), k)
    p_from = np.minimum(ph["acq"][c] + ph["rise"][c] + 1, len(lo) - 1)
    p_to = np.minimum(ph["acq"][c] + ph["rise"][c] + np.maximum(ph["plateau"][c], 1), len(lo) - 1)
    day = np.minimum(_ints(rng, lo[p_from], hi[p_to], len(c)), end_day)
    parts.append((c, day, _choice(rng, [0.3, 0.5, 0.0, 0.2, 0.0], len(c)),
                  np.ones(len(c), bool), np.full(len(c), 3)))

    # Follow-ups on complaints.
    sel = (comp_cust >= 0) & (rng.random(len(comp_cust)) < 0.7)
    c = comp_cust[sel]
    day = np.minimum(comp_day[sel] + _ints(rng, 0, 5, len(c)), end_day)
    parts.append((c, day, _choice(rng, [0.6, 0.3, 0.1, 0.0, 0.0], len(c)),
                  np.zeros(len(c), bool), np.full(len(c), 4)))

    # Win-back attempts after a churned customer's last purchase, mostly declined.
    day_all = last_buy + _ints(rng, 30, 150, n)
    c = np.nonzero((g < EXPL) & (rng.random(n) < 0.35) & (day_all <= end_day))[0]
    parts.append((c, day_all[c], _choice(rng, [0.5, 0.25, 0.0, 0.0, 0.25], len(c)),
                  np.zeros(len(c), bool), np.where(rng.random(len(c)) < 0.8, 2, 0)))

    cust, day, chan, inbound, outcome = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((cust, day))
    cust, day, chan, inbound, outcome = (x[order] for x in (cust, day, chan, inbound, outcome))
    return pl.DataFrame({
        "customer_id": _ids("C", cust + 1, 6),
        "interaction_date": _dates(day),
        "channel": _strings(_INTERACTION_CHANNELS, chan),
        "direction": _strings(["outbound", "inbound"], inbound.astype(np.int64)),
        "outcome": _strings(outcomes, outcome),
    }).unique(maintain_order=True)  # two identical contacts on a day are one


# --- writing and loading ---------------------------------------------------------------------


def summary(data: dict[str, pl.DataFrame]) -> str:
    """One line: row counts and the churned share."""
    truth = data["truth"]
    churned = int(truth["churned"].sum())
    return (f"{data['customers'].height} customers ({churned} churned), "
            f"{data['orders'].height} order lines, {data['complaints'].height} complaints, "
            f"{data['interactions'].height} interactions")


def write_sample(out: Path, n_customers: int = 20_000, seed: int = 7) -> str:
    """Write customers/orders/complaints/interactions/prospects/truth.csv (UTF-8, English
    headers)."""
    data = generate(n_customers=n_customers, seed=seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in data.items():
        df.write_csv(out / f"{name}.csv", date_format="%Y-%m-%d")
    return f"sample written to {out}: {summary(data)}"


def load_sample(con: Any, n_customers: int = 20_000, seed: int = 7) -> str:
    """Generate the sample and load the four tables into the store (replacing their rows)."""
    from crm_logic.ingest import import_frame

    data = generate(n_customers=n_customers, seed=seed)
    loaded = []
    for table in store.TABLES:
        result = import_frame(con, table, data[table], file_name=f"sample:{table}",
                              mode="replace")
        loaded.append(f"{table} {result.rows_loaded}")
    return "sample loaded: " + ", ".join(loaded)
