"""Texts of the KPIs, the 4R scorecard, the action center and scenarios (English, 中文)."""

TEXTS: dict[str, tuple[str, str]] = {
    # action names (codes in crm_logic.actions.ACTIONS) and what each means
    "action.resolve_complaint": ("Resolve the complaint first", "先解决投诉"),
    "action.win_back_lost": ("Win back big lost customers", "挽回流失的大客户"),
    "action.learn_why_lost": ("Learn why they left", "了解流失原因"),
    "action.win_back_big": ("Keep big customers at high risk", "挽留高风险大客户"),
    "action.recover": ("Recover the declining relationship", "恢复退化期关系"),
    "action.let_go": ("Let go (stop investing)", "放弃（停止投入）"),
    "action.develop": ("Develop new customers", "开发新客户"),
    "action.enhance": ("Enhance the relationship", "强化客户关系"),
    "action.reward_loyal": ("Reward loyal big customers", "回报忠诚大客户"),
    "action.community": ("Maintain via community programme", "以客户社区维系"),
    "action.maintain": ("Keep serving", "保持服务"),
    "action.resolve_complaint.what": (
        "An open complaint: hear the customer, respond, compensate and solve it before any "
        "offer.",
        "有未解决的投诉：先倾听、回应、补偿并解决，再谈任何优惠。"),
    "action.win_back_lost.what": (
        "Lost platinum or gold customers: learn why they left, give them the chance to "
        "complain, win them back.",
        "已流失的铂金层、黄金层客户：了解流失原因，给他们投诉的机会，努力挽回。"),
    "action.learn_why_lost.what": (
        "Other lost customers: record and analyse the reason; win back only where worth it.",
        "其他流失客户：记录并分析流失原因，值得时再挽回。"),
    "action.win_back_big.what": (
        "Platinum or gold at high churn risk: a personal contact and offer before they leave.",
        "高流失风险的铂金层、黄金层客户：在流失前亲自联系并提供个性化优惠。"),
    "action.recover.what": (
        "Decline stage, worth keeping: analyse the causes and invest to restore the "
        "relationship.",
        "退化期且有价值：分析原因，投入资源恢复关系。"),
    "action.let_go.what": (
        "Decline stage, little value: stop investing; decide whether they can change.",
        "退化期且价值低：停止投入，判断能否改变。"),
    "action.develop.what": (
        "Exploration: trial orders; turn the trial into a relationship (new-customer "
        "development).",
        "考察期：试探性购买；把试用变成关系（新客户开发）。"),
    "action.enhance.what": (
        "Formation: raise the customer's value, keep serving as well as in exploration.",
        "形成期：提升客户价值，保持考察期一样的服务水平。"),
    "action.reward_loyal.what": (
        "Stability, platinum or gold: a personalised reward (the category they buy most).",
        "稳定期的铂金层、黄金层客户：给予个性化回报（其最常购买的品类）。"),
    "action.community.what": (
        "Stability: involve the customer in a community programme, reward suggestions.",
        "稳定期：邀请客户参与客户社区计划，奖励其建议。"),
    "action.maintain.what": ("Everyone else: keep serving well.", "其他客户：保持良好服务。"),
    # action center page
    "nav.actions": ("Action center", "行动中心"),
    "actions.title": ("Action center", "行动中心"),
    "actions.intro": (
        "Every analysed customer gets exactly one action: the first rule below that fits the "
        "customer's stage, tier, churn risk, open complaint and lost status wins; the last "
        "rule catches everyone else.",
        "每位已分析的客户恰好得到一项行动：按客户的生命周期阶段、价值层级、流失风险、"
        "是否有未解决投诉及是否已流失，自上而下第一条符合的规则生效；最后一条规则兜底。"),
    "actions.summary_title": ("Actions", "行动汇总"),
    "actions.col.action": ("Action", "行动"),
    "actions.col.code": ("Code", "代码"),
    "actions.col.customers": ("Customers", "客户数"),
    "actions.col.value_at_stake": ("Value at stake", "涉及价值"),
    "actions.col.what": ("What to do", "做法"),
    "actions.col.rule": ("Rule", "规则"),
    "actions.col.risk_level": ("Risk level", "风险等级"),
    "actions.col.open_complaint": ("Open complaint", "未解决投诉"),
    "actions.col.lost": ("Lost", "已流失"),
    "actions.col.link": ("Customer 360", "客户360"),
    "actions.total": ("{n} customers, each in exactly one action",
                      "共 {n} 位客户，每位恰属一项行动"),
    "actions.pick": ("Show the list of", "查看名单"),
    "actions.list_empty": ("No customer gets this action.", "没有客户适用此行动。"),
    "actions.download": ("Download the list (CSV)", "下载名单（CSV）"),
    "actions.rules_title": ("Rule table (first match wins)", "规则表（自上而下，先匹配者生效）"),
    "actions.rules_help": (
        "Conditions: * = any, or codes separated by commas. stage: exploration, formation, "
        "stability, decline; tier: platinum, gold, iron, lead; risk: high, medium, low; "
        "complaint and lost: yes, no. Add, remove or reorder rows; a catch-all is added at "
        "the end when missing.",
        "条件：* 表示任意，或用逗号分隔的代码。stage（阶段）：exploration 考察期、formation "
        "形成期、stability 稳定期、decline 退化期；tier（层级）：platinum 铂金、gold 黄金、"
        "iron 钢铁、lead 重铅；risk（风险）：high、medium、low；complaint（投诉）与 lost"
        "（流失）：yes、no。可增删、调整行序；末尾缺少兜底规则时会自动补上。"),
    "actions.rules_edit": ("Edit the rules", "编辑规则"),
    "actions.any": ("any", "任意"),
    "actions.yes": ("yes", "是"),
    "actions.no": ("no", "否"),
    "actions.col.stage": ("Stage", "生命周期阶段"),
    "actions.col.tier": ("Tier", "价值层级"),
    "actions.col.risk": ("Churn risk", "流失风险"),
    "actions.col.complaint": ("Open complaint", "未解决投诉"),
    "actions.rules_save": ("Save rules", "保存规则"),
    "actions.rules_reset": ("Back to the default rules", "恢复默认规则"),
    "actions.rules_saved": ("Rules saved in the store.", "规则已保存到数据库。"),
    "actions.rules_error": ("Rule table not usable: {msg}", "规则表无法使用：{msg}"),
    "actions.rules_unsaved": (
        "Edited rules apply on this page; save them to use them in reports and exports.",
        "编辑后的规则已在本页生效；保存后才会用于报告和导出。"),
    "actions.no_orders": (
        "No orders up to the as-of date: there is nobody to act on yet.",
        "截至该日期没有订单：暂无可采取行动的客户。"),
    # KPIs
    "kpi.title": ("KPIs: last complete {period} against the one before",
                  "关键指标：最近一个完整{period}与上一周期对比"),
    "kpi.period_label": ("KPI period", "指标周期"),
    "kpi.period.month": ("month", "月"),
    "kpi.period.quarter": ("quarter", "季度"),
    "kpi.period.year": ("year", "年"),
    "kpi.periods": ("{cur} against {prev}", "{cur} 对比 {prev}"),
    "kpi.pp": ("{v} pts", "{v} 个百分点"),
    "kpi.previous": ("Previous period: {v}", "上一周期：{v}"),
    "kpi.active_customers": ("Active customers", "活跃客户"),
    "kpi.new_customers": ("New customers", "新客户"),
    "kpi.lost_customers": ("Lost customers", "流失客户"),
    "kpi.churn_rate": ("Churn rate", "客户流失率"),
    "kpi.retention_rate": ("Retention rate", "客户保持率"),
    "kpi.revenue": ("Revenue", "收入"),
    "kpi.avg_lifetime_value": ("Average lifetime value", "平均客户终身价值"),
    "kpi.big_tier_value_share": ("Value share of platinum + gold", "铂金+黄金层价值占比"),
    "kpi.big_tier_high_risk": ("Platinum + gold at high risk", "高风险铂金+黄金层客户"),
    "kpi.open_complaints": ("Open complaints", "未解决投诉数"),
    "kpi.sla_breach_rate": ("SLA breach rate", "投诉超时率"),
    "kpi.complaint_to_churn_rate": ("Complaint-to-churn rate", "投诉后流失率"),
    "kpi.reason.no_complete_period": (
        "The data does not cover a complete period yet.", "数据尚未覆盖一个完整周期。"),
    "kpi.reason.previous_not_covered": (
        "No comparison: the data does not cover the previous period completely.",
        "无法对比：数据未完整覆盖上一周期。"),
    "kpi.reason.previous_zero": ("No change: the previous value is 0.", "上期为 0，无法计算变化。"),
    "kpi.reason.no_value": ("No comparison: a value is missing.", "缺少数值，无法对比。"),
    "kpi.reason.no_orders": ("No orders yet.", "暂无订单。"),
    "kpi.churn_alert": (
        "Churn rate {rate} is outside the acceptable range {lo} – {hi} for a {period}.",
        "客户流失率 {rate} 超出每{period}可接受范围 {lo} – {hi}。"),
    "kpi.churn_ok": ("Churn rate within the acceptable range {lo} – {hi}.",
                     "客户流失率在可接受范围 {lo} – {hi} 之内。"),
    "kpi.help": (
        "Lost customers count in the period their loss is recognised (recorded churn date, or "
        "the day their silence exceeded their churn gap). Lifetime value and risk are the "
        "analysis as of each period's last day.",
        "流失客户计入其流失被识别的周期（记录的流失日期，或沉默时间超过其流失间隔的那天）。"
        "终身价值与风险按各周期最后一天的分析计算。"),
    # 4R scorecard
    "four_r.title": ("4R scorecard", "4R 评分卡"),
    "four_r.what_if": ("What-if: relationship and reward settings", "假设分析：关系与回报设置"),
    "four_r.recognize": ("Recognize", "识别"),
    "four_r.relationship": ("Relationship", "关系"),
    "four_r.reward": ("Reward", "回报"),
    "four_r.retention": ("Retention", "保留"),
    "four_r.complete_share": ("Complete records", "资料完整客户占比"),
    "four_r.complete_help": (
        "Contact (phone or email), segment (channel, region or industry) and purchase history.",
        "有联系方式（电话或邮箱）、细分信息（渠道、地区或行业）且有购买记录。"),
    "four_r.identified": ("Order lines with a customer on record", "订单可对应到客户档案的占比"),
    "four_r.duplicates": ("Possible duplicates", "疑似重复客户"),
    "four_r.duplicates_help": (
        "{ids} repeated customer ids; {shared} records share a phone or email with another.",
        "重复客户编号 {ids} 个；{shared} 条记录与其他客户共用电话或邮箱。"),
    "four_r.contacts": ("Contacts per active customer", "每位活跃客户的互动次数"),
    "four_r.contacts_help": ("Interactions in the last {d} days.", "最近 {d} 天的互动记录。"),
    "four_r.no_contact": ("Stability customers without contact", "未被联系的稳定期客户"),
    "four_r.no_contact_help": ("No contact for more than {d} days.", "超过 {d} 天未联系。"),
    "four_r.days_by_tier": ("Median days since last contact", "距上次联系天数（中位数）"),
    "four_r.days_short": ("Days", "天数"),
    "four_r.category": ("Category", "品类"),
    "four_r.customers_short": ("Customers", "客户"),
    "four_r.loyal_big": ("Loyal big customers", "忠诚大客户"),
    "four_r.loyal_big_help": ("Stability stage, platinum or gold.", "稳定期的铂金层、黄金层客户。"),
    "four_r.no_reward": ("… with no reward yet", "……尚未获得回报"),
    "four_r.suggest": ("Reward suggestion: their top category", "回报建议：其最常购买品类"),
    "four_r.retention_rate": ("Retention rate", "客户保持率"),
    "four_r.saves": ("Expected saves (contact all high risk)", "预计挽留（联系全部高风险客户）"),
    "four_r.saves_help": ("Value kept {v}, net of contact cost {n}.",
                          "保住价值 {v}，扣除联系成本后净值 {n}。"),
    "four_r.hit_rate": ("Early-warning hit rate", "流失预警命中率"),
    "four_r.hit_rate_help": (
        "Of the customers flagged high risk on {cutoff}, the share that then stopped buying.",
        "{cutoff} 被标为高风险的客户中，此后确实停止购买的比例。"),
    "actions.cfg.kpi_period": ("KPI period", "指标周期"),
    "actions.cfg.relationship_window_days": ("Contact window (days)", "互动统计窗口（天）"),
    "actions.cfg.no_contact_days": ("No contact for (days)", "未联系天数阈值"),
    "actions.cfg.reward_words": ("Words that mark a reward (outcome)", "表示回报的互动结果关键词"),
    # scenarios
    "scenario.title": ("Scenarios", "情景"),
    "scenario.intro": (
        "Save the what-if settings of all pages under a name, load them again, or compare a "
        "scenario with the defaults.",
        "将所有页面的假设分析设置以名称保存，可再次载入，或与默认设置对比。"),
    "scenario.name": ("Scenario name", "情景名称"),
    "scenario.save": ("Save current settings", "保存当前设置"),
    "scenario.saved": ("Scenario \"{name}\" saved ({n} settings differ from the defaults).",
                       "情景“{name}”已保存（{n} 项设置不同于默认值）。"),
    "scenario.pick": ("Saved scenario", "已保存的情景"),
    "scenario.load": ("Load", "载入"),
    "scenario.delete": ("Delete", "删除"),
    "scenario.loaded": ("Scenario \"{name}\" loaded.", "已载入情景“{name}”。"),
    "scenario.none": ("No scenario saved yet.", "尚未保存任何情景。"),
    "scenario.compare": ("Compare with the defaults", "与默认设置对比"),
    "scenario.col.default": ("Defaults", "默认"),
    "scenario.col.scenario": ("Scenario", "情景"),
    "scenario.col.measure": ("Measure", "指标"),
    "scenario.settings": ("Settings that differ: {s}", "不同的设置：{s}"),
    "scenario.error": ("Scenario not usable: {msg}", "情景无法使用：{msg}"),
}
