"""The fixed tables the sample generator draws from (part of `crm_logic.sample`).

Groups and their shares, season factors, the product catalogue, names, regions, churn
reasons, complaint categories, channels and texts. Kept apart from the drawing code so each
concern's module reads its parameters from one place; every name is re-exported by
`crm_logic.sample` where it was public before the split.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from crm_logic import store

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
