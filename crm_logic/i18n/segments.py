"""Texts of the segments area: value pyramid, lifetime value, RFM (English, 中文).

Tier names and "value pyramid" / "lifetime value" come from the glossary in `common`.
"""

TEXTS: dict[str, tuple[str, str]] = {
    # page
    "segments.title": ("Customer value & segments", "客户价值与细分"),
    "segments.intro": (
        "Who are your most valuable customers, and what is each one worth? Lifetime value = "
        "value to date + the predicted value of the next purchases. Customers are ranked by it "
        "into the value pyramid; RFM groups them by how recently, how often and how much they "
        "buy.",
        "谁是最有价值的客户？每位客户值多少？客户终身价值 = 迄今价值 + 未来购买的预测价值。"
        "按终身价值将客户排入客户价值金字塔；RFM 则按最近一次购买、购买频率和购买金额对客户分组。",
    ),
    "segments.no_orders": (
        "No orders up to the as-of date: customer value needs orders. Import orders on the "
        "Data page.",
        "截至该日期没有订单：计算客户价值需要订单数据。请在“数据”页面导入订单。",
    ),
    "segments.model_notes": ("Notes on the models", "模型说明"),
    # notes on the models and RFM (ModelFits.notes; English also goes to the report)
    "segments.note.no_orders": ("No orders up to the as-of date", "截至该日期没有订单"),
    "segments.note.not_fitted": (
        "Purchase model not fitted: {n} customers, {repeaters} repeat buyers (needs at least "
        "5 and 2); predicted value is 0 and P(active) is unknown",
        "购买模型未拟合：{n} 位客户，其中 {repeaters} 位重复购买"
        "（至少需要 5 位客户和 2 位重复购买者）；预测价值记为 0，仍活跃概率未知",
    ),
    "segments.note.spend_excluded": (
        "Spend model: {n} repeat buyers with zero or negative mean repeat spend (refunds) left "
        "out of the fit; they get the average spend",
        "金额模型：{n} 位重复购买客户的平均复购金额为零或负（退款），未参与拟合，按平均金额计算",
    ),
    "segments.note.spend_not_fitted": (
        "Spend model not fitted (too few repeat buyers with positive spend): the average "
        "purchase value is used",
        "金额模型未拟合（金额为正的重复购买客户太少）：使用平均每次购买金额",
    ),
    "segments.note.stopped": (
        "{model}: the optimiser stopped before converging; the best parameters found are used",
        "{model}：优化在收敛前停止，使用已找到的最优参数",
    ),
    "segments.note.limit": (
        "{model}: a parameter runs off to a limit (the data do not identify the model); the "
        "best parameters found are used",
        "{model}：某个参数趋于极限（数据不足以确定模型），使用已找到的最优参数",
    ),
    "segments.note.q_le_1": (
        "Gamma-Gamma: q <= 1, the average spend is not finite; the average purchase value is "
        "used for customers without repeat purchases",
        "Gamma-Gamma：q ≤ 1，平均金额不收敛；没有重复购买的客户使用平均每次购买金额",
    ),
    "segments.note.rfm_few": (
        "RFM: only {n} customers for {bins} score groups; scores are coarse",
        "RFM：只有 {n} 位客户，却要分 {bins} 个评分组；评分较粗略",
    ),
    "segments.note.rfm_ties_recency": (
        "RFM: recency cannot be split into {bins} equal groups ({share} of customers share one "
        "value); some scores are empty",
        "RFM：最近购买无法均分为 {bins} 组（{share} 的客户取值相同）；部分评分为空",
    ),
    "segments.note.rfm_ties_frequency": (
        "RFM: frequency cannot be split into {bins} equal groups ({share} of customers share "
        "one value); some scores are empty",
        "RFM：购买频率无法均分为 {bins} 组（{share} 的客户取值相同）；部分评分为空",
    ),
    "segments.note.rfm_ties_monetary": (
        "RFM: monetary cannot be split into {bins} equal groups ({share} of customers share "
        "one value); some scores are empty",
        "RFM：购买金额无法均分为 {bins} 组（{share} 的客户取值相同）；部分评分为空",
    ),
    "segments.tab.pyramid": ("Value pyramid", "客户价值金字塔"),
    "segments.tab.rfm": ("RFM segments", "RFM 细分"),
    "segments.tab.models": ("How value is predicted", "价值如何预测"),
    # metrics
    "segments.metric.customers": ("Customers with orders", "有订单的客户"),
    "segments.metric.total_value": ("Total lifetime value", "终身价值合计"),
    "segments.metric.predicted": ("Predicted, {days} days", "未来 {days} 天预测价值"),
    "segments.metric.top_share": ("Top {share:.0%}: value share", "前 {share:.0%} 价值占比"),
    "segments.metric.top_share_help": (
        "Share of total lifetime value that the platinum and gold customers bring.",
        "铂金层和黄金层客户贡献的终身价值占比。",
    ),
    # what-if controls
    "segments.cfg.platinum": ("Platinum: top share of customers", "铂金层：客户占比（最高）"),
    "segments.cfg.gold": ("Gold: next share", "黄金层：其后占比"),
    "segments.cfg.iron": (
        "Iron: next share (the rest is lead)", "钢铁层：其后占比（其余为重铅层）"
    ),
    "segments.cfg.horizon": ("Prediction horizon (days)", "预测期（天）"),
    "segments.cfg.discount": ("Yearly discount rate", "年折现率"),
    "segments.cfg.margin": (
        "Margin share of revenue (where the data has no margin)",
        "毛利率（数据中没有毛利时使用）",
    ),
    "segments.cfg.cost_order": ("Cost to serve per order", "每笔订单服务成本"),
    "segments.cfg.cost_complaint": ("Cost to serve per complaint", "每次投诉服务成本"),
    "segments.cfg.rfm_bins": ("RFM score groups", "RFM 评分组数"),
    "segments.cfg.help": (
        "Change a value and everything on this page is recomputed at once.",
        "修改任一数值，本页所有结果立即重新计算。",
    ),
    "segments.cfg.shares_too_big": (
        "Platinum + gold + iron exceed 100% of customers: there is no lead tier left.",
        "铂金层 + 黄金层 + 钢铁层 超过 100%：已没有重铅层。",
    ),
    # pyramid
    "segments.pyramid.title": ("Value pyramid: customers ranked by lifetime value",
                               "客户价值金字塔：按终身价值排序"),
    "segments.pyramid.width": ("Top share of customers", "客户累计占比（由高到低）"),
    "segments.pyramid.label": (
        "{n} customers · {vshare} of value", "{n} 位客户 · 价值占比 {vshare}"
    ),
    "segments.pyramid.hover": (
        "{tier}: {n} customers ({cshare}) · {vshare} of value · average CLV {avg}",
        "{tier}：{n} 位客户（{cshare}）· 价值占比 {vshare} · 平均终身价值 {avg}",
    ),
    "segments.pyramid.select_hint": (
        "Click a tier in the pyramid (or pick it below) to list its customers.",
        "点击金字塔中的某一层（或在下方选择）即可列出该层客户。",
    ),
    "segments.share.title": ("Share of customers and share of value", "客户占比与价值占比"),
    "segments.share.customers": ("Share of customers", "客户占比"),
    "segments.share.value": ("Share of lifetime value", "终身价值占比"),
    "segments.table.tier": ("Tier", "层级"),
    "segments.table.customers": ("Customers", "客户数"),
    "segments.table.customer_share": ("Share of customers", "客户占比"),
    "segments.table.value_share": ("Share of value", "价值占比"),
    "segments.table.avg_clv": ("Average lifetime value", "平均终身价值"),
    "segments.table.strategy": ("What to do", "应对策略"),
    # strategies (domain: value pyramid)
    "segments.strategy.platinum": (
        "Most valuable: keep them at all costs, and find more customers like them.",
        "最有价值的客户：全力保持，并寻找更多与他们相似的客户。",
    ),
    "segments.strategy.gold": (
        "Valuable: keep them, and find more customers like them.",
        "有价值的客户：保持关系，并寻找更多与他们相似的客户。",
    ),
    "segments.strategy.iron": (
        "Moderately profitable: raise their profitability (cross-sell, larger orders).",
        "中等盈利的客户：提升其盈利能力（交叉销售、提高订单金额）。",
    ),
    "segments.strategy.lead": (
        "Unprofitable: find out why; decide whether they can change or should be let go.",
        "无利可图的客户：找出原因，判断他们能否改变，还是应当放弃。",
    ),
    # pareto
    "segments.pareto.title": ("Value concentration (Pareto curve)", "价值集中度（帕累托曲线）"),
    "segments.pareto.x": ("Share of customers, most valuable first", "客户占比（价值由高到低）"),
    "segments.pareto.y": ("Cumulative share of lifetime value", "终身价值累计占比"),
    "segments.pareto.equal": ("Equal shares", "均等分布"),
    "segments.pareto.mark": (
        "Top {c:.0%} bring {v:.0%} of value", "前 {c:.0%} 客户贡献 {v:.0%} 的价值"
    ),
    "segments.pareto.none": (
        "Total lifetime value is not positive: no concentration curve.",
        "终身价值合计不为正，无法绘制集中度曲线。",
    ),
    "segments.pareto.caption": (
        "Above 100%: the customers at the end of the curve destroy value (negative lifetime "
        "value after refunds and cost to serve).",
        "曲线超过 100% 的部分：曲线末端的客户在扣除退款和服务成本后终身价值为负，正在损耗价值。",
    ),
    # RFM
    "segments.rfm.grid_title": ("RFM grid: recency × frequency (customers)",
                                "RFM 网格：最近购买 × 购买频率（客户数）"),
    "segments.rfm.r": ("Recency score (5 = bought most recently)", "最近购买评分（5 = 最近购买）"),
    "segments.rfm.f": ("Frequency score (5 = buys most often)", "购买频率评分（5 = 购买最频繁）"),
    "segments.rfm.cell_hover": (
        "R {r} · F {f}: {n} customers · average CLV {avg}",
        "R {r} · F {f}：{n} 位客户 · 平均终身价值 {avg}",
    ),
    "segments.rfm.segments_title": ("RFM segments (customers)", "RFM 细分（客户数）"),
    "segments.rfm.select_hint": (
        "Click a segment bar (or pick it below) to list its customers.",
        "点击某个细分的条形（或在下方选择）即可列出该细分的客户。",
    ),
    "segments.rfm.coarse": ("Scores are coarse on this data", "在本数据上评分较粗略"),
    "rfm.champions": ("Champions", "冠军客户"),
    "rfm.loyal": ("Loyal", "忠诚客户"),
    "rfm.potential_loyalists": ("Potential loyalists", "潜在忠诚客户"),
    "rfm.new": ("New", "新客户"),
    "rfm.promising": ("Promising", "有潜力客户"),
    "rfm.needs_attention": ("Needs attention", "需要关注"),
    "rfm.about_to_sleep": ("About to sleep", "即将沉睡"),
    "rfm.at_risk": ("At risk", "有流失风险"),
    "rfm.cannot_lose_them": ("Cannot lose them", "不能失去的客户"),
    "rfm.hibernating": ("Hibernating", "休眠客户"),
    "rfm.lost": ("Lost", "已流失"),
    # customer list
    "segments.list.title": ("Customers", "客户名单"),
    "segments.list.by": ("List customers by", "按以下方式列出客户"),
    "segments.list.by_tier": ("Tier", "价值层级"),
    "segments.list.by_segment": ("RFM segment", "RFM 细分"),
    "segments.list.all": ("All customers", "全部客户"),
    "segments.list.count": ("{n} customers, largest lifetime value first",
                            "{n} 位客户，按终身价值由高到低排列"),
    "segments.list.file": ("customers", "客户名单"),
    "segments.list.shown": ("Showing the first {n} rows; the download holds all.",
                            "仅显示前 {n} 行，下载文件包含全部客户。"),
    # columns
    "segments.col.value_tier": ("Tier", "层级"),
    "segments.col.lifetime_value": ("Lifetime value", "终身价值"),
    "segments.col.historic_value": ("Value to date", "迄今价值"),
    "segments.col.predicted_value": ("Predicted value", "预测价值"),
    "segments.col.cost_to_serve": ("Cost to serve", "服务成本"),
    "segments.col.rfm_segment": ("RFM segment", "RFM 细分"),
    "segments.col.last_order_date": ("Last order", "最近订单日期"),
    "segments.col.first_order_date": ("First order", "首次订单日期"),
    "segments.col.orders": ("Orders", "订单数"),
    "segments.col.revenue": ("Net revenue", "净收入"),
    "segments.col.p_alive": ("P(active)", "仍活跃概率"),
    "segments.col.p_alive_mbg": ("P(active), MBG/NBD", "仍活跃概率（MBG/NBD）"),
    "segments.col.expected_purchases": ("Expected purchases", "预期购买次数"),
    "segments.col.expected_spend": ("Expected spend per purchase", "每次购买预期金额"),
    "segments.col.rfm": ("R-F-M scores", "R-F-M 评分"),
    # model explainer
    "segments.models.explain": (
        "**How the prediction works.** Purchases are counted as purchase occasions (a "
        "customer's orders on one day). The **BG/NBD** model learns from everybody's history how "
        "often customers buy and how likely they are to drop out; for each customer it gives the "
        "chance of still being active and the expected number of purchases in the horizon. The "
        "**Gamma-Gamma** model gives the expected spend per purchase (customers with few "
        "purchases are pulled towards the average). Predicted value = expected purchases × "
        "expected spend × margin, discounted by the yearly rate. The **MBG/NBD** model, which "
        "also lets one-time buyers drop out, feeds the churn early warning.",
        "**预测方法。** 购买按“购买场次”计数（同一客户同一天的订单算一次）。"
        "**BG/NBD** 模型从全体客户的历史中学习购买频率与流失可能性，"
        "为每位客户给出仍活跃的概率和预测期内的预期购买次数。"
        "**Gamma-Gamma** 模型给出每次购买的预期金额（购买次数少的客户向平均值收缩）。"
        "预测价值 = 预期购买次数 × 每次预期金额 × 毛利率，并按年折现率折现。"
        "**MBG/NBD** 模型允许只购买过一次的客户流失，用于客户流失预警。",
    ),
    "segments.models.param": ("Parameter", "参数"),
    "segments.models.value": ("Value", "数值"),
    "segments.models.purchase": ("Purchase model (BG/NBD, per day)", "购买模型（BG/NBD，按天）"),
    "segments.models.mbg": ("Dropout model for churn (MBG/NBD, per day)",
                            "流失模型（MBG/NBD，按天）"),
    "segments.models.spend": ("Spend model (Gamma-Gamma)", "金额模型（Gamma-Gamma）"),
    "segments.models.not_fitted": ("Not fitted", "未拟合"),
    "segments.models.converged": ("converged", "已收敛"),
    "segments.models.not_converged": ("did not settle", "未稳定收敛"),
}
