"""Texts of the churn area (English, 中文)."""

TEXTS: dict[str, tuple[str, str]] = {
    "churn.intro": (
        "Find customers at risk before they leave — big customers first — and act. "
        "The backtest shows how well this warning would have predicted your own past.",
        "在客户流失之前发现有风险的客户（大客户优先）并采取行动。回测显示该预警在您自己的历史数据上的命中率。",
    ),
    "churn.no_orders": (
        "No orders up to the as-of date: churn risk needs purchase history.",
        "截至日期之前没有订单：流失风险需要购买记录。",
    ),
    # flags: short labels
    "churn.flag.inactive": ("Inactive beyond own rhythm", "超出自身购买节奏未购买"),
    "churn.flag.frequency_drop": ("Purchase frequency fallen", "购买频率下降"),
    "churn.flag.spend_drop": ("Spend fallen", "消费金额下降"),
    "churn.flag.complaint_open": ("Complaint unresolved", "投诉未解决"),
    "churn.flag.complaint_late": ("Complaint handled late", "投诉处理超时"),
    "churn.flag.complaint_repeat": ("Repeated complaints", "重复投诉"),
    "churn.flag.low_p_alive": ("Low probability of being active", "活跃概率低"),
    "churn.flag.decline": ("Lifecycle stage: decline", "生命周期处于退化期"),
    # flags: one sentence each (shown with the current thresholds)
    "churn.explain.inactive": (
        "No purchase for more than {m}× the customer's own typical gap between purchases "
        "(one-time buyers: the typical gap of all customers).",
        "距上次购买的天数超过该客户自身典型购买间隔的 {m} 倍"
        "（只购买过一次的客户按全体客户的典型间隔计）。",
    ),
    "churn.explain.frequency_drop": (
        "Purchases per day in the last {w} days below {s:.0%} of the customer's own rate "
        "before that window.",
        "最近 {w} 天的日均购买次数低于该客户此前自身水平的 {s:.0%}。",
    ),
    "churn.explain.spend_drop": (
        "Spend per day in the last {w} days below {s:.0%} of the customer's own spend rate "
        "before that window.",
        "最近 {w} 天的日均消费金额低于该客户此前自身水平的 {s:.0%}。",
    ),
    "churn.explain.complaint_open": (
        "The customer has a complaint that is not resolved on the as-of date.",
        "该客户有截至日期仍未解决的投诉。",
    ),
    "churn.explain.complaint_late": (
        "A complaint took (or is taking) longer than {d} days to resolve.",
        "有投诉的处理时间超过（或已超过）{d} 天。",
    ),
    "churn.explain.complaint_repeat": (
        "{n} or more complaints in the last {w} days.",
        "最近 {w} 天内投诉 {n} 次或以上。",
    ),
    "churn.explain.low_p_alive": (
        "The purchase model (MBG/NBD, which allows one-time buyers to be gone) puts the "
        "probability that the customer is still active below {p:.0%}.",
        "购买模型（MBG/NBD，允许只购买一次的客户已经流失）估计该客户仍然活跃的概率低于 {p:.0%}。",
    ),
    "churn.explain.decline": (
        "The customer's volume has fallen well below its own peak (lifecycle stage decline).",
        "该客户的交易量已明显低于自身峰值（生命周期处于退化期）。",
    ),
    "churn.explain.risk": (
        "Churn risk is the chance of no purchase in the next {h} days. A model learns it from "
        "your own past: it looks at these signals {h} days ago and at who bought again since. "
        "High from {hi:.0%}, medium from {me:.0%}.",
        "流失风险是未来 {h} 天内不再购买的概率。模型从您自己的历史中学习：查看 {h} 天前的这些信号，"
        "以及此后哪些客户再次购买。{hi:.0%} 及以上为高，{me:.0%} 及以上为中。",
    ),
    "churn.model.rules": (
        "Too little history to learn from: the risk uses a transparent rule (time since the "
        "last purchase against the customer's rhythm, raised by complaints and falls).",
        "历史数据不足以训练模型：风险采用透明规则（距上次购买时间相对于客户节奏，并因投诉和下降而提高）。",
    ),
    # actions (domain strategies)
    "churn.action.win_back_big": (
        "Big customer at risk: personal contact by the account manager, learn why, win back",
        "大客户有流失风险：客户经理亲自联系，了解原因，努力挽回",
    ),
    "churn.action.resolve_complaint": (
        "Resolve the complaint: listen, respond, compensate, follow up",
        "解决投诉：倾听、回应、补偿并跟进",
    ),
    "churn.action.recover_or_terminate": (
        "Decline: analyse the causes, then invest to recover or stop investing",
        "退化期：分析原因，决定投入恢复或停止投入",
    ),
    "churn.action.personal_offer": (
        "Personal offer or service before the customer leaves",
        "在客户流失前提供个性化优惠或服务",
    ),
    "churn.action.review_value": (
        "Unprofitable customer at risk: find out why; change the relationship or let go",
        "低价值客户有流失风险：查明原因，决定改善关系或放弃",
    ),
    "churn.action.care_contact": (
        "Care contact: service call, loyalty reward",
        "关怀联系：服务回访、忠诚奖励",
    ),
    "churn.action.maintain": (
        "Maintain: keep serving well, involve in the customer community",
        "维持：持续优质服务，邀请参与客户社区活动",
    ),
    "churn.action.win_back_lost": (
        "Lost big customer: learn why they left, give them the chance to complain, win back",
        "已流失的大客户：了解流失原因，给予投诉机会，努力赢回",
    ),
    "churn.action.learn_why_lost": (
        "Lost customer: record and learn the reason; win back only if worth it",
        "已流失客户：记录并分析流失原因，值得时再尝试赢回",
    ),
    # sections and labels
    "churn.thresholds": ("Warning thresholds (what-if)", "预警阈值（假设分析）"),
    "churn.cfg.recent_window_days": ("Recent window (days)", "近期窗口（天）"),
    "churn.cfg.inactive_gap_multiple": ("Inactive after × own gap", "超过自身间隔倍数视为不活跃"),
    "churn.cfg.frequency_drop_share": ("Frequency fallen below share", "购买频率降至低于比例"),
    "churn.cfg.spend_drop_share": ("Spend fallen below share", "消费金额降至低于比例"),
    "churn.cfg.p_alive_low": ("Low P(active) below", "活跃概率低于"),
    "churn.cfg.repeat_complaints_min": ("Repeated complaints from", "重复投诉次数下限"),
    "churn.cfg.risk_high": ("High risk from", "高风险下限"),
    "churn.cfg.risk_medium": ("Medium risk from", "中风险下限"),
    "churn.cfg.risk_horizon_days": ("Risk horizon (days)", "风险预测期（天）"),
    "churn.cfg.churn_rate_acceptable_max": (
        "Acceptable monthly churn rate: max", "可接受月流失率：上限"),
    "churn.cfg.churn_rate_acceptable_min": (
        "Acceptable monthly churn rate: min", "可接受月流失率：下限"),
    "churn.cfg.backtest_horizon_days": (
        "Look-ahead after the cut-off (days)", "截止日后观察期（天）"),
    "churn.cfg.cost_per_contact": ("Cost per contacted customer", "每位联系客户的成本"),
    "churn.cfg.save_rate": ("Expected save rate", "预期挽留率"),
    "churn.flags_title": ("What the warning flags mean", "预警标记的含义"),
    "churn.metric.high": ("High risk", "高风险"),
    "churn.metric.win_back": ("Win-back chance", "赢回机会"),
    "churn.win_back_help": (
        "Lost customer: the chance of a purchase within the risk horizon (1 − churn risk)",
        "已流失客户：在风险期限内再次购买的机会（1 − 流失风险）"),
    "churn.metric.medium": ("Medium risk", "中风险"),
    "churn.metric.low": ("Low risk", "低风险"),
    "churn.metric.big_high": ("Platinum/gold at high risk", "高风险的铂金/黄金客户"),
    "churn.metric.value_at_stake": ("Yearly value at stake (high risk)", "高风险客户年价值"),
    "churn.list_title": ("At-risk customers — big customers first", "风险客户名单（大客户优先）"),
    "churn.list_filter": ("Risk levels shown", "显示的风险等级"),
    "churn.big_caption": (
        "Platinum and gold customers at high risk lead the list; value at stake = their net "
        "spend of the last {d} days, expected loss = risk × value at stake.",
        "高风险的铂金和黄金客户排在最前；"
        "风险价值 = 最近 {d} 天的净消费，预期损失 = 风险 × 风险价值。",
    ),
    "churn.download": ("Download at-risk list (CSV)", "下载风险客户名单（CSV）"),
    "churn.col.customer_id": ("Customer", "客户"),
    "churn.col.value_tier": ("Tier", "价值层级"),
    "churn.col.lifecycle_stage": ("Stage", "生命周期阶段"),
    "churn.col.churn_risk": ("Churn risk", "流失风险"),
    "churn.col.risk_level": ("Risk level", "风险等级"),
    "churn.col.risk_flags": ("Warning flags", "预警标记"),
    "churn.col.recommended_action": ("Recommended action", "建议行动"),
    "churn.col.value_at_stake": ("Value at stake", "风险价值"),
    "churn.col.expected_loss": ("Expected loss", "预期损失"),
    "churn.col.last_order_date": ("Last purchase", "最近购买"),
    "churn.col.days_since_last": ("Days since last purchase", "距上次购买天数"),
    "churn.col.churn_reason": ("Cause", "流失原因"),
    "churn.col.churn_type": ("Type", "流失类型"),
    "churn.col.lifecycle_pattern": ("Life-curve pattern", "生命曲线类型"),
    "churn.col.customers": ("Customers", "客户数"),
    "churn.col.lost_value": ("Yearly value lost", "流失年价值"),
    "churn.unknown": ("Not recorded", "未记录"),
    "churn.all": ("All customers", "全部客户"),
    # churn rate over time
    "churn.rate_title": ("Churn rate over time", "流失率趋势"),
    "churn.rate_tier": ("Series", "序列"),
    "churn.rate_axis": ("Monthly churn rate", "月流失率"),
    "churn.rate_range": ("Acceptable range", "可接受范围"),
    "churn.rate_provisional": (
        "Shaded months are provisional: customers who left then are recognised as lost only "
        "after {d} days without a purchase.",
        "阴影月份为暂定值：客户在 {d} 天未购买后才被识别为流失。",
    ),
    "churn.rate_alert": (
        "Churn rate outside the acceptable range ({lo:.1%}–{hi:.1%}) in {n} month(s); "
        "latest: {month} at {rate:.1%}.",
        "有 {n} 个月的流失率超出可接受范围（{lo:.1%}–{hi:.1%}）；"
        "最近一次：{month}，流失率 {rate:.1%}。",
    ),
    "churn.rate_ok": (
        "Churn rate within the acceptable range in every complete month.",
        "所有完整月份的流失率均在可接受范围内。",
    ),
    # churn causes
    "churn.causes_title": ("Churn causes", "流失原因"),
    "churn.causes_none": ("No lost customers up to the as-of date.", "截至日期没有流失客户。"),
    "churn.causes_by_reason": ("By cause", "按原因"),
    "churn.causes_by_type": ("Active vs passive churn", "积极流失与被动流失"),
    "churn.causes_by_tier": ("By value tier", "按价值层级"),
    "churn.causes_by_pattern": ("By life-curve pattern", "按生命曲线类型"),
    "churn.causes_measure": ("Measure", "度量"),
    "churn.causes_summary": (
        "{n} lost customers; yearly value lost {v:,.0f}; cause not recorded for {u}.",
        "流失客户 {n} 位；流失年价值 {v:,.0f}；其中 {u} 位未记录原因。",
    ),
    # backtest
    "churn.backtest_title": ("Backtest: how far to trust the list", "回测：名单的可信程度"),
    "churn.backtest_intro": (
        "Pick a past cut-off: customers are scored with data up to it only, then compared "
        "with who really made no purchase in the following days.",
        "选择一个过去的截止日期：只用截止日之前的数据为客户评分，再与之后实际未购买的客户对比。",
    ),
    "churn.backtest_cutoff": ("Cut-off date", "截止日期"),
    "churn.backtest_auc": ("AUC (1.0 = perfect, 0.5 = chance)", "AUC（1.0 为完美，0.5 为随机）"),
    "churn.backtest_auc_recency": ("AUC of recency alone", "仅按最近购买时间的 AUC"),
    "churn.backtest_precision": ("Precision of “high”", "“高”风险的精确率"),
    "churn.backtest_recall": ("Recall of “high”", "“高”风险的召回率"),
    "churn.backtest_summary": (
        "{n} customers scored at {cutoff}; {lost} ({rate:.0%}) made no purchase in the next "
        "{h} days. Of {high} flagged high, {prec} were lost.",
        "{cutoff} 为 {n} 位客户评分；其中 {lost} 位（{rate:.0%}）在之后 {h} 天内未购买。"
        "被标为高风险的 {high} 位中，{prec} 位确实流失。",
    ),
    "churn.backtest_incomplete": (
        "The data ends before cut-off + look-ahead: some customers counted as lost may still buy.",
        "数据在截止日加观察期之前结束：部分被计为流失的客户之后仍可能购买。",
    ),
    "churn.backtest_empty": (
        "No customers with purchases before this cut-off.", "该截止日期之前没有有购买记录的客户。"),
    "churn.lift_title": ("Lift by risk decile", "按风险十分位的提升度"),
    "churn.lift_decile": ("Risk decile (1 = riskiest 10%)", "风险十分位（1 = 风险最高的 10%）"),
    "churn.lift_rate": ("Share lost", "流失比例"),
    "churn.lift_cum": ("Cumulative share of all lost found", "累计找到的流失客户占比"),
    "churn.lift_base": ("Average", "平均"),
    # retention what-if
    "churn.whatif_title": ("Retention what-if", "挽留方案假设分析"),
    "churn.whatif_intro": (
        "Choose a target group, the cost per contacted customer and the share of would-be "
        "leavers a contact keeps. Value saved uses each customer's risk × value at stake.",
        "选择目标客户群、每位联系客户的成本，以及联系后能留住的潜在流失客户比例。"
        "挽回价值按每位客户的风险 × 风险价值计算。",
    ),
    "churn.scenario": ("Scenario {name}", "方案 {name}"),
    "churn.whatif_levels": ("Risk levels", "风险等级"),
    "churn.whatif_tiers": ("Value tiers", "价值层级"),
    "churn.whatif_stages": ("Lifecycle stages", "生命周期阶段"),
    "churn.whatif_cost": ("Cost per contacted customer", "每位联系客户的成本"),
    "churn.whatif_save": ("Expected save rate", "预期挽留率"),
    "churn.whatif_contacted": ("Customers contacted", "联系客户数"),
    "churn.whatif_saved": ("Customers saved", "挽留客户数"),
    "churn.whatif_value": ("Value saved", "挽回价值"),
    "churn.whatif_campaign_cost": ("Campaign cost", "活动成本"),
    "churn.whatif_roi": ("ROI", "投资回报率"),
    "churn.whatif_net": ("Net gain", "净收益"),
    "churn.empty_means_all": ("Empty = all", "留空 = 全部"),
}
