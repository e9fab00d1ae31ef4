"""Texts of the value backtest and the value intervals (Value & segments page; English, 中文)."""

TEXTS: dict[str, tuple[str, str]] = {
    "value_bt.tab": ("Can you trust it? Backtest", "可信吗？回测"),
    "value_bt.intro": (
        "We go back to {cutoff}, fit the models on the data before that day only, predict "
        "each customer's purchases and revenue for the next {days} days and compare with what "
        "really happened. Customers who first bought after {cutoff} are not in the prediction.",
        "回到 {cutoff}：只用当天及以前的数据拟合模型，预测每位客户在之后 {days} 天内的购买次数"
        "和收入，再与实际发生的情况对比。{cutoff} 之后才首次购买的客户不在预测范围内。",
    ),
    "value_bt.none": (
        "Not enough history before {cutoff} for a backtest: the models need customers who "
        "bought before that day, some of them more than once.",
        "{cutoff} 之前的历史不足，无法回测：模型需要在该日之前购买过的客户，其中一些须多次购买。",
    ),
    "value_bt.metric.purchases": ("Purchases: predicted ÷ actual", "购买次数：预测 ÷ 实际"),
    "value_bt.metric.revenue": ("Revenue: predicted ÷ actual", "收入：预测 ÷ 实际"),
    "value_bt.metric.counts": ("{pred} vs {actual}", "预测 {pred}，实际 {actual}"),
    "value_bt.metric.spearman": ("Rank agreement (Spearman)", "排序一致性（Spearman）"),
    "value_bt.metric.spearman_help": (
        "Rank correlation of predicted and actual revenue per customer: 1 = the ranking was "
        "exactly right, 0 = no better than chance.",
        "每位客户预测收入与实际收入的秩相关：1 表示排序完全正确，0 表示与随机无异。",
    ),
    "value_bt.metric.coverage": ("Customers inside their interval", "落在区间内的客户"),
    "value_bt.metric.coverage_help": (
        "Share of customers whose actual revenue fell inside their {level} interval.",
        "实际收入落在各自 {level} 区间内的客户占比。",
    ),
    "value_bt.calibration.caption": (
        "The classic check of these models: customers grouped by how often they bought again "
        "before the cut-off; bars = purchases per customer afterwards.",
        "这类模型的经典检验：按截止日前的重复购买次数分组，柱形为之后人均购买次数。",
    ),
    "value_bt.tiers.caption": (
        "Bars: share of the next {days} days' revenue from each tier as the pyramid stood on "
        "{cutoff}; text: share of the tier's customers who were in the same tier by that "
        "revenue (did platinum stay platinum?).",
        "柱形：按 {cutoff} 当时的金字塔分层，各层级在之后 {days} 天收入中的占比；文字：按该期收入"
        "重新分层后仍留在原层级的客户占比（铂金层客户是否仍在铂金层？）。",
    ),
    "value_bt.models.title": ("Each purchase model on your data", "各购买模型在您数据上的表现"),
    "value_bt.models.better": (
        "Lower error per customer on your own history: {model} ({best} vs {other}). Choose "
        "the model behind predicted value in the what-if panel.",
        "在您自己的历史数据上每位客户误差更小的是 {model}（{best} 对 {other}）。"
        "可在假设分析面板中选择预测价值所用的模型。",
    ),
    "value_bt.col.model": ("Model", "模型"),
    "value_bt.col.predicted_purchases": ("Predicted purchases", "预测购买次数"),
    "value_bt.col.actual_purchases": ("Actual purchases", "实际购买次数"),
    "value_bt.col.purchases_ratio": ("Predicted / actual", "预测 / 实际"),
    "value_bt.col.rmse_purchases": ("Error per customer (RMSE)", "每位客户误差（RMSE）"),
    "value_bt.col.spearman": ("Rank agreement", "排序一致性"),
    "value_bt.col.coverage": ("Inside interval", "落在区间内"),
    "value_bt.col.in_use": ("In use", "当前使用"),
    "value_bt.predicted": ("Predicted", "预测"),
    "value_bt.actual": ("Actual", "实际"),
    "value_bt.stayed": ("{share} stayed", "{share} 留在原层级"),
    "value_bt.axis.repeat": ("Repeat purchases before the cut-off", "截止日前的重复购买次数"),
    "value_bt.axis.purchases": ("Purchases per customer afterwards", "之后人均购买次数"),
    "value_bt.axis.revenue_share": ("Share of next period's revenue", "下一期收入占比"),
    "value_bt.chart.calibration": ("Predicted vs actual purchases, by past repeat purchases",
                                   "按过去重复购买次数：预测与实际购买次数"),
    "value_bt.chart.tiers": ("Next period's revenue by predicted tier",
                             "按预测层级：下一期收入"),
    # the forecast's interval
    "value_bt.interval.title": ("How sure is the forecast?", "预测有多确定？"),
    "value_bt.interval.total": (
        "Predicted value of the next {days} days: {total}, {level} interval {low} – {high}.",
        "未来 {days} 天的预测价值：{total}，{level} 区间 {low} – {high}。",
    ),
    "value_bt.interval.covers": (
        "The interval covers the randomness of who buys how much and the uncertainty of the "
        "models' parameters. It does **not** cover a wrong model: a market shock, a new "
        "catalogue or prices, or customers who behave unlike the model. How often intervals "
        "held on your own past: {coverage} of customers fell inside their {level} interval; "
        "the backtest's total {total_word} inside its interval.",
        "区间涵盖了谁买多少的随机性和模型参数的不确定性，但**不**涵盖模型本身的偏差："
        "市场冲击、新品或调价、行为与模型假设不同的客户。在您自己的历史上区间的表现："
        "{coverage} 的客户落在各自的 {level} 区间内；回测的总额{total_word}落在其区间内。",
    ),
    "value_bt.interval.was": ("was", "确实"),
    "value_bt.interval.was_not": ("was not", "并未"),
    "value_bt.interval.no_fit": (
        "No interval: the purchase model is not fitted or not identified on these data.",
        "无区间：购买模型在这些数据上未拟合或无法识别。",
    ),
    # what-if controls
    "segments.cfg.value_model": ("Purchase model behind predicted value",
                                 "预测价值所用的购买模型"),
    "segments.cfg.interval_level": ("Interval level", "区间置信水平"),
    "value_model.bgnbd": ("BG/NBD (standard)", "BG/NBD（标准模型）"),
    "value_model.mbgnbd": ("MBG/NBD (one-time buyers may drop out too)",
                           "MBG/NBD（只买过一次的客户也可能流失）"),
    "segments.col.lifetime_value_low": ("Lifetime value, low", "终身价值下限"),
    "segments.col.lifetime_value_high": ("Lifetime value, high", "终身价值上限"),
}
