"""Texts of the lifecycle area: Lifecycle page and Customer 360 page (English, 中文).

Stage and pattern names come from the glossary in `common` (stage.*, pattern.*).
"""

TEXTS: dict[str, tuple[str, str]] = {
    # ---- Lifecycle page -------------------------------------------------------------------
    "lifecycle.title": ("Customer lifecycle", "客户生命周期"),
    "lifecycle.intro": (
        "At which stage is each customer (exploration, formation, stability, decline), and "
        "for every customer you lost, which life curve did the relationship follow? See where "
        "relationships break and what it costs.",
        "每位客户处于哪个阶段（考察期、形成期、稳定期、退化期）？每位流失客户走的是哪种客户生命曲线？"
        "看清客户关系在哪里断裂、代价多大。",
    ),
    "lifecycle.no_orders": (
        "No orders up to the as-of date: the lifecycle needs orders. Import orders on the Data "
        "page.",
        "截至该日期没有订单：生命周期分析需要订单数据。请在“数据”页面导入订单。",
    ),
    "lifecycle.hindsight": (
        "Stages are labelled with hindsight up to the as-of date (a plateau counts from its "
        "start once it has lasted long enough), so the latest months can still change.",
        "阶段按截至日期的全部数据回溯判定（平台期达到足够长度后从其起点算起），因此最近几个月的阶"
        "段仍可能变化。",
    ),
    # what-if controls
    "lifecycle.cfg.help": (
        "The rules that place customers in stages and patterns. Durations are in months.",
        "判定客户阶段与生命曲线类型的规则。时长单位均为月。",
    ),
    "lifecycle.cfg.period": ("Period of the volume series", "交易量序列的周期"),
    "lifecycle.cfg.volume": ("Volume measured as", "交易量的度量"),
    "lifecycle.cfg.smoothing": ("Smoothing window (months)", "平滑窗口（月）"),
    "lifecycle.cfg.gap_multiple": (
        "Smoothing covers at least this many typical gaps", "平滑窗口至少覆盖的典型购买间隔数"),
    "lifecycle.cfg.smoothing_max": ("Widest smoothing window (months)", "最大平滑窗口（月）"),
    "lifecycle.cfg.churn_floor": (
        "Lost after no purchase for at least (days)", "至少多少天未购买才算流失（天）"),
    "lifecycle.cfg.churn_multiple": (
        "… and at least this many typical gaps", "……且至少为典型购买间隔的倍数"),
    "lifecycle.cfg.exploration_max": (
        "Trial orders: first purchase occasions", "试探性订单：前几次购买"),
    "lifecycle.cfg.rise_months": (
        "Rising: peak grew within (months)",
        "上升：峰值在多少个月内增长",
    ),
    "lifecycle.cfg.rise_growth": ("… by more than (share)", "……增幅超过（比例）"),
    "lifecycle.cfg.stability_share": (
        "Plateau: volume at least this share of peak", "平台期：交易量不低于峰值的比例"),
    "lifecycle.cfg.stability_min": ("… held for at least (months)", "……至少持续（月）"),
    "lifecycle.cfg.decline_share": (
        "Decline: volume below this share of peak", "退化：交易量低于峰值的比例"),
    "lifecycle.cfg.decline_min": ("… for at least (months)", "……至少持续（月）"),
    "lifecycle.cfg.long_term_min": (
        "Long-term: stability lasted at least (months)", "长期保持型：稳定期至少持续（月）"),
    "lifecycle.period.week": ("Week", "周"),
    "lifecycle.period.month": ("Month", "月"),
    "lifecycle.period.quarter": ("Quarter", "季度"),
    "lifecycle.volume.revenue": ("Revenue", "收入"),
    "lifecycle.volume.occasions": ("Purchase occasions", "购买次数"),
    # metrics
    "lifecycle.metric.active": ("Active customers", "活跃客户"),
    "lifecycle.metric.churned": ("Lost customers", "流失客户"),
    "lifecycle.metric.stability_share": ("Active in stability", "活跃客户中稳定期占比"),
    "lifecycle.metric.decline": ("Active in decline", "活跃客户中处于退化期"),
    "lifecycle.metric.long_term_share": (
        "Lost customers that were long-term",
        "流失客户中长期保持型占比",
    ),
    # tabs
    "lifecycle.tab.curves": ("Life curves", "客户生命曲线"),
    "lifecycle.tab.stages": ("Stages over time", "阶段变化"),
    "lifecycle.tab.flow": ("Stage flow", "阶段流转"),
    "lifecycle.tab.cohorts": ("Cohort retention", "同期群留存"),
    "lifecycle.tab.strategy": ("Strategy by stage", "各阶段策略"),
    # life curves
    "lifecycle.curves.title": (
        "Life curves of lost customers by pattern",
        "流失客户的客户生命曲线（按类型）",
    ),
    "lifecycle.curves.normalise": ("Normalise each curve to its peak", "按各自峰值归一化"),
    "lifecycle.curves.x": ("{period}s since the first purchase", "首次购买后的{period}数"),
    "lifecycle.curves.y": ("Average volume per {period}", "每{period}平均交易量"),
    "lifecycle.curves.y_norm": ("Share of the customer's peak", "占客户峰值的比例"),
    "lifecycle.curves.band": ("{pattern}: middle 50%", "{pattern}：中间 50%"),
    "lifecycle.curves.caption": (
        "Lines: average smoothed volume of the lost customers of each pattern; bands: the "
        "middle half of them (25th to 75th percentile). Points with fewer than {n} customers "
        "are left out.",
        "线：各类型流失客户的平滑交易量平均值；色带：中间一半客户（第 25 至第 75 百分位）。少于 {n}"
        " 位客户的点不显示。",
    ),
    "lifecycle.summary.title": ("Lost customers by pattern", "流失客户类型汇总"),
    "lifecycle.summary.pattern": ("Pattern", "类型"),
    "lifecycle.summary.customers": ("Customers", "客户数"),
    "lifecycle.summary.share": ("Share", "占比"),
    "lifecycle.summary.lifetime": ("Average lifetime (months)", "平均生命周期（月）"),
    "lifecycle.summary.value": ("Average lifetime value", "平均客户终身价值"),
    "lifecycle.summary.total": ("Total value", "价值合计"),
    "lifecycle.summary.value_note": (
        "Lifetime value of a lost customer: the net revenue over the whole relationship.",
        "流失客户的客户终身价值：整个关系期间的净收入。",
    ),
    "lifecycle.verdict.agrees": (
        "The data agrees with the domain: long-term customers earned the most, {value} on "
        "average ({ratio:.1f}× the next pattern).",
        "数据与理论一致：长期保持型客户贡献最多，平均 {value}（是次高类型的 {ratio:.1f} 倍）。",
    ),
    "lifecycle.verdict.disagrees": (
        "In this data long-term customers did not earn the most: {best} did ({value} on "
        "average).",
        "在本数据中长期保持型客户并非贡献最多：贡献最多的是{best}（平均 {value}）。",
    ),
    "lifecycle.verdict.no_data": (
        "No lost long-term customers yet: the domain's claim cannot be checked.",
        "暂无流失的长期保持型客户，无法验证理论观点。",
    ),
    "lifecycle.chart.value": ("Average lifetime value by pattern", "各类型平均客户终身价值"),
    # stage mix
    "lifecycle.mix.title": ("Stage mix of running relationships", "在续客户关系的阶段构成"),
    "lifecycle.mix.as_share": ("Show shares", "显示占比"),
    "lifecycle.mix.periods": ("Periods shown", "显示的周期数"),
    "lifecycle.mix.caption": (
        "Each period counts the customers whose relationship was running then (from the first "
        "purchase to the last one, for lost customers; to today for active ones), by stage.",
        "每个周期统计当时关系仍在持续的客户（流失客户从首次购买到最后一次购买；活跃客户到今天），"
        "按阶段划分。",
    ),
    "lifecycle.current_mix": ("Active customers by current stage", "活跃客户当前阶段分布"),
    # flow
    "lifecycle.flow.title": ("Where customers went in the last {n} {period}s",
                             "最近 {n} 个{period}客户的阶段流转"),
    "lifecycle.flow.periods": ("Look back (periods)", "回看周期数"),
    "lifecycle.flow.caption": (
        "Left: stage at the start of the window (new: started since). Right: stage now, or "
        "lost. Customers lost before the window are left out.",
        "左：窗口开始时的阶段（新客户：此后才开始）。右：当前阶段或已流失。窗口开始前已流失的客户"
        "不计入。",
    ),
    "lifecycle.state.new": ("New", "新客户"),
    "lifecycle.state.lost": ("Lost", "已流失"),
    # cohorts
    "lifecycle.cohort.title": ("Retention by first-purchase cohort", "按首购月份的同期群留存"),
    "lifecycle.cohort.x": ("{period}s since the first purchase", "首次购买后的{period}数"),
    "lifecycle.cohort.y": ("First purchase", "首次购买"),
    "lifecycle.cohort.caption": (
        "Share of each cohort that bought in the k-th period after its first purchase.",
        "各同期群在首次购买后第 k 个周期内再次购买的客户比例。",
    ),
    "lifecycle.cohort.hover": ("Cohort size", "同期群人数"),
    # strategy by stage (domain, source 001)
    "lifecycle.strategy.exploration": (
        "Both sides test each other; the customer places trial orders and contributes little. "
        "Strategy — new-customer development: find prospects and turn them into customers; "
        "make the first purchases a success.",
        "双方相互考察，客户下试探性订单，贡献很小。策略——新客户开发：寻找潜在客户并将其转化为客户"
        "，确保首几次购买体验良好。",
    ),
    "lifecycle.strategy.formation": (
        "Fast growth: transaction volume rises, both sides commit, but the relationship can "
        "still break. Strategy — relationship enhancement: raise the customer's value and keep "
        "serving as well as in exploration.",
        "快速发展：交易量上升，双方逐步投入，但关系尚不稳定、仍可能破裂。策略——关系强化：提升客户"
        "价值，保持考察期的服务水平。",
    ),
    "lifecycle.strategy.stability": (
        "The highest level: most of the customer's business goes to you, large transactions, "
        "cross-selling and referrals. Strategy — maintenance: a community programme; involve "
        "customers and reward their suggestions.",
        "关系的最高水平：客户的大部分业务交给企业，交易额大，有交叉购买与推荐。策略——关系维护：开"
        "展客户社区活动，邀请客户参与并奖励其建议。",
    ),
    "lifecycle.strategy.decline": (
        "The customer's volume with you falls while their own business does not: they look "
        "for alternatives. Strategy — recover or terminate: analyse the causes, then invest to "
        "restore the relationship or stop investing.",
        "客户与企业的交易量下降，而客户自身业务并未减少：客户在寻找替代者。策略——恢复或终止：分析"
        "原因，决定投入挽回还是停止投入。",
    ),
    "lifecycle.cause.early_abort": (
        "Ended in exploration: the value fell short of expectations and, with no trust or "
        "switching cost yet, one bad purchase ended it; or the customer was judged not worth "
        "it.",
        "在考察期结束：所获价值低于预期，且尚无信任与转换成本，一次不满意的购买即告终止；或企业认"
        "为该客户不值得发展。",
    ),
    "lifecycle.cause.mid_term_abort": (
        "Ended in formation: the company could not keep up with the customer's rising "
        "expectations.",
        "在形成期结束：企业未能满足客户不断提高的价值期望。",
    ),
    "lifecycle.cause.early_exit": (
        "Reached stability but left early: not enough continuous innovation, or the customer "
        "saw the gains as unfair.",
        "进入稳定期但提前退出：持续创新不足，或客户认为关系收益不公平。",
    ),
    "lifecycle.cause.long_term": (
        "Stayed in stability long: consistently better value, a fair win-win relationship, "
        "high switching cost. The pattern to aim for.",
        "长期处于稳定期：持续提供更高价值、公平双赢、转换成本高。这是企业追求的类型。",
    ),
    "lifecycle.strategy.stage_col": ("Stage", "阶段"),
    "lifecycle.strategy.now_col": ("Active customers now", "当前活跃客户数"),
    "lifecycle.strategy.text_col": ("What it is, what to do", "特征与策略"),
    "lifecycle.patterns.title": (
        "Why relationships end (life-curve patterns)",
        "关系为何终止（客户生命曲线类型）",
    ),
    # lists
    "lifecycle.list.title": ("Customer lists", "客户名单"),
    "lifecycle.list.status": ("Customers", "客户"),
    "lifecycle.list.status.all": ("All", "全部"),
    "lifecycle.list.status.active": ("Active", "活跃"),
    "lifecycle.list.status.lost": ("Lost", "已流失"),
    "lifecycle.list.stage": ("Stage", "阶段"),
    "lifecycle.list.pattern": ("Pattern", "类型"),
    "lifecycle.list.tier": ("Value tier", "价值层级"),
    "lifecycle.list.count": ("{n} customers", "{n} 位客户"),
    "lifecycle.list.preset": ("Quick list", "快捷名单"),
    "lifecycle.list.preset.none": ("Custom", "自定义"),
    "lifecycle.list.preset.gold_decline": (
        "Platinum and gold customers in decline", "处于退化期的铂金层和黄金层客户"),
    "lifecycle.list.preset.formation": ("Customers in formation", "处于形成期的客户"),
    "lifecycle.list.preset.lost_long_term": ("Lost long-term customers", "已流失的长期保持型客户"),
    "lifecycle.list.shown": ("Showing the first {n}; the download holds all.",
                             "仅显示前 {n} 位；下载文件包含全部。"),
    "lifecycle.tiers_unavailable": (
        "Value tiers are not available yet: the list cannot be filtered by tier.",
        "暂无价值层级数据，无法按层级筛选。",
    ),
    # columns (display labels; frames keep codes)
    "lifecycle.col.customer_id": ("Customer ID", "客户编号"),
    "lifecycle.col.name": ("Name", "姓名"),
    "lifecycle.col.value_tier": ("Value tier", "价值层级"),
    "lifecycle.col.lifetime_value": ("Lifetime value", "客户终身价值"),
    "lifecycle.col.lifecycle_stage": ("Stage", "阶段"),
    "lifecycle.col.lifecycle_pattern": ("Pattern", "类型"),
    "lifecycle.col.churned": ("Lost", "已流失"),
    "lifecycle.col.churn_date": ("Lost on", "流失日期"),
    "lifecycle.col.churn_source": ("Loss found from", "流失判定依据"),
    "lifecycle.col.peak_stage": ("Highest stage reached", "达到的最高阶段"),
    "lifecycle.col.stability_months": ("Months in stability", "稳定期月数"),
    "lifecycle.col.lifetime_days": ("Lifetime (days)", "生命周期（天）"),
    "lifecycle.col.first_purchase": ("First purchase", "首次购买"),
    "lifecycle.col.last_purchase": ("Last purchase", "最近购买"),
    "lifecycle.col.occasions": ("Purchase occasions", "购买次数"),
    "lifecycle.col.revenue": ("Net revenue", "净收入"),
    "lifecycle.col.typical_gap_days": ("Typical gap (days)", "典型购买间隔（天）"),
    "lifecycle.col.days_since_last": ("Days since last purchase", "距最近购买天数"),
    "lifecycle.col.share_of_peak": ("Volume / peak", "当前交易量 / 峰值"),
    "lifecycle.churn_source.recorded": ("Recorded churn date", "已记录的流失日期"),
    "lifecycle.churn_source.inactivity": ("No purchase for too long", "长期未购买"),
    "lifecycle.yes": ("Yes", "是"),
    "lifecycle.no": ("No", "否"),
    # ---- Customer 360 page ------------------------------------------------------------------
    "customer.title": ("Customer 360", "客户360"),
    "customer.intro": (
        "One customer on one page: life curve with stages, orders, complaints and "
        "interactions on one timeline; value, stage, pattern, churn risk and what to do.",
        "一页看懂一位客户：带阶段的客户生命曲线，订单、投诉与互动在同一时间轴上；价值、阶段、类型"
        "、流失风险与建议行动。",
    ),
    "customer.search": ("Search by customer ID or name", "按客户编号或姓名搜索"),
    "customer.search_help": (
        "Part of the ID or the name is enough; the best matches are listed first.",
        "输入部分编号或姓名即可，最匹配的结果排在前面。",
    ),
    "customer.pick": ("Customer", "客户"),
    "customer.no_match": ("No customer matches “{q}”.", "没有与“{q}”匹配的客户。"),
    "customer.matches": ("{n} matches", "{n} 个匹配"),
    "customer.no_orders": (
        "This customer has no orders up to the as-of date.", "该客户截至该日期没有订单。"),
    "customer.metric.tier": ("Value tier", "价值层级"),
    "customer.metric.clv": ("Lifetime value", "客户终身价值"),
    "customer.metric.stage": ("Lifecycle stage", "生命周期阶段"),
    "customer.metric.pattern": ("Life-curve pattern", "生命曲线类型"),
    "customer.metric.risk": ("Churn risk", "流失风险"),
    "customer.metric.lifetime": ("Customer for", "客户时长"),
    "customer.metric.status": ("Status", "状态"),
    "customer.status.active": ("Active", "活跃"),
    "customer.status.lost": ("Lost on {date}", "{date} 流失"),
    "customer.days": ("{n} days", "{n} 天"),
    "customer.not_available": ("n/a", "暂无"),
    "customer.no_pattern": ("— (active)", "—（活跃）"),
    "customer.action": ("Recommended action", "建议行动"),
    "customer.action.stage_based": (
        "From the lifecycle stage (no churn model result for this customer):",
        "依据生命周期阶段（该客户暂无流失模型结果）：",
    ),
    "customer.risk_flags": ("Warning signs", "预警信号"),
    "customer.timeline.title": ("Life curve and timeline", "客户生命曲线与时间轴"),
    "customer.timeline.volume": ("Volume (smoothed)", "交易量（平滑）"),
    "customer.timeline.raw": ("Volume per {period}", "每{period}交易量"),
    "customer.timeline.orders": ("Orders", "订单"),
    "customer.timeline.refunds": ("Returns / refunds", "退货 / 退款"),
    "customer.timeline.complaints": ("Complaints", "投诉"),
    "customer.timeline.interactions": ("Interactions", "互动"),
    "customer.timeline.churn": ("Lost", "流失"),
    "customer.profile": ("Profile", "客户资料"),
    "customer.tab.orders": ("Orders", "订单"),
    "customer.tab.complaints": ("Complaints", "投诉"),
    "customer.tab.interactions": ("Interactions", "互动"),
    "customer.none": ("None.", "无。"),
    "customer.field.channel": ("Channel", "渠道"),
    "customer.field.region": ("Region", "地区"),
    "customer.field.industry": ("Industry", "行业"),
    "customer.field.sales_rep": ("Sales rep", "销售代表"),
    "customer.field.signup_date": ("Signed up", "注册日期"),
    "customer.field.churn_reason": ("Churn reason", "流失原因"),
    "customer.field.churn_type": ("Churn type", "流失类型"),
    # ---- rules of issue 17: unknown starts, the observable window, new what-if controls ----
    "pattern.unknown_start": ("History before the data", "数据之前已有往来"),
    "lifecycle.cause.unknown_start": (
        "The relationship began before the first day of your data, so its early stages were "
        "never seen: which life curve it followed cannot be told (unless its observed "
        "stability alone was long enough for long-term).",
        "该客户关系在数据首日之前就已开始，早期阶段不在数据中：无法判断其生命曲线类型（除非仅观察到"
        "的稳定期就已足够长，可判为长期保持型）。",
    ),
    "lifecycle.unknown_start.note": (
        "{n} customers bought within the data's first {days} days (or two of their typical "
        "gaps): their relationships may be older than the data. They skip exploration, and "
        "lost ones are shown as “history before the data” instead of a life curve.",
        "{n} 位客户在数据最初 {days} 天内（或其两个典型购买间隔内）就已购买："
        "他们的关系可能早于数据。他们不计考察期；其中已流失的客户显示为“数据之前已有往来”，而不归入某种生命曲线。",
    ),
    "lifecycle.window.note": (
        "Your data covers {months:.0f} months ({start} to {end}). A lost customer can be "
        "watched for at most about {watch:.0f} months of it, so a stability of "
        "{long_term} months (long-term) can hardly be seen: long-term counts are a floor.",
        "数据覆盖 {months:.0f} 个月（{start} 至 {end}）。"
        "一位流失客户最多只能被观察约 {watch:.0f} 个月，"
        "{long_term} 个月的稳定期（长期保持型）几乎无法观察到：长期保持型的数量只是下限。",
    ),
    "lifecycle.window.ok": (
        "Your data covers {months:.0f} months ({start} to {end}): long enough to watch a "
        "stability of {long_term} months.",
        "数据覆盖 {months:.0f} 个月（{start} 至 {end}）：足以观察 {long_term} 个月的稳定期。",
    ),
    "lifecycle.implausible.note": (
        "{rows} order lines (customers {customers}) have amounts beyond {bound} (1,000 × the "
        "data's 99.9th percentile): check them. They affect only their own customers' stages.",
        "{rows} 条订单行（客户 {customers}）的金额超过 {bound}（数据第 99.9 百分位数的 1000 倍）："
        "请核查。它们只影响所属客户自己的阶段判定。",
    ),
    "lifecycle.relationships.note": (
        "{n} customers came back after a silence longer than their lost threshold: each "
        "return starts a new relationship (a new trial), which is the one shown.",
        "{n} 位客户在超过流失阈值的沉寂之后再次购买："
        "每次回归都开始一段新的关系（重新考察），此处显示的是当前这段关系。",
    ),
    "lifecycle.cfg.churn_prior_gaps": (
        "Fewer gaps than this: pull the typical gap toward everyone's",
        "购买间隔少于此数时：典型间隔向全体客户的典型间隔收缩",
    ),
    "lifecycle.cfg.churn_cap": (
        "… and call such a customer lost after at most (days)",
        "……且此类客户最多沉寂（天）即判为流失",
    ),
    "lifecycle.cfg.unknown_days": (
        "Start unknown if the first purchase is within the data's first (days)",
        "首次购买在数据最初（天）内：起点未知",
    ),
    "lifecycle.cfg.unknown_gaps": (
        "… or within this many typical gaps of the data's start",
        "……或在数据起点后这么多个典型间隔内",
    ),
    "lifecycle.cfg.exploration_min": (
        "Exploration lasts at least (months)", "考察期至少持续（月）",
    ),
    "lifecycle.cfg.formation_growth": (
        "Formation: volume rose above the trial level by more than (share)",
        "形成期：交易量比考察期水平增长超过（比例）",
    ),
    "lifecycle.cfg.spike": (
        "A month counts at most this × the customer's median month (robust peak)",
        "单月最多按客户月中位数的这么多倍计（稳健峰值）",
    ),
    "lifecycle.cfg.decline_yoy": (
        "With a year behind, decline also needs volume below this share of a year earlier",
        "有一年以上历史时，退化期还要求交易量低于一年前同期的这一比例",
    ),
    "lifecycle.cfg.implausible": (
        "Flag amounts beyond this × the 99.9th percentile",
        "标记超过第 99.9 百分位数这么多倍的金额",
    ),
    "review.title": ("Lifecycle review sheet", "客户生命周期复核表"),
    "review.intro": (
        "A stratified sample of customers: each curve is the monthly volume (bars), its "
        "smoothing (line) and the stage strip behind it; the title gives the label. Judge "
        "each label against the theory: agree, unclear or disagree.",
        "按标签分层抽样的客户：每张图为月交易量（柱）、平滑曲线（线）及背景中的阶段色带，标题为判定"
        "标签。请对照理论逐一判断：同意、不确定或不同意。",
    ),
    "lifecycle.cfg.repeat_gap": (
        "A gap seen twice is rhythm: lost only after this × it",
        "出现过两次的间隔属于购买节奏：沉寂超过它的这一倍数才算流失",
    ),
    "lifecycle.cfg.stability_purchases": (
        "… with purchases in at least (periods)", "……其中至少有购买的周期数",
    ),
}
