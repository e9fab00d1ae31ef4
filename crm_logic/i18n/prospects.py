"""Texts of the prospects area (English, 中文)."""

TEXTS: dict[str, tuple[str, str]] = {
    "nav.prospects": ("Prospects", "潜在客户"),
    "data.table.prospects": ("Prospects", "潜在客户"),
    "prospects.title": ("Prospects", "潜在客户"),
    "prospects.intro": (
        "Where the pipeline leaks before customers appear in the orders: a prospect qualifies "
        "by purchasing power, decision authority and need (MAN); prospects come through "
        "personal relations; the journey runs prospect → first purchase → repeat purchase → "
        "loyal → churned.",
        "在客户出现在订单之前，客户开发在哪里流失：潜在客户须同时具备购买力、决策权和需求（MAN）；"
        "潜在客户多来自人际关系；客户旅程为潜在客户 → 首次购买 → 重复购买 → 忠诚客户 → 流失客户。",
    ),
    "prospects.none": (
        "No prospects registered up to the as-of date. Import a prospects file on the Data "
        "page (columns such as 潜在客户编号, 来源, 有购买力, 有决策权, 有需求, 登记日期).",
        "截至该日期没有登记的潜在客户。请在“数据”页面导入潜在客户文件（列如 潜在客户编号、来源、"
        "有购买力、有决策权、有需求、登记日期）。",
    ),
    "prospects.no_orders": (
        "No orders up to the as-of date: no prospect can have converted yet.",
        "截至该日期没有订单：尚无潜在客户成交。",
    ),
    "prospects.open_max_days": ("Days a prospect may stay open", "潜在客户最长跟进天数"),
    "prospects.open_max_days_help": (
        "A prospect not converted this many days after it was registered counts as lost.",
        "登记后超过该天数仍未成交的潜在客户计为流失。",
    ),
    # metrics
    "prospects.m.total": ("Prospects", "潜在客户数"),
    "prospects.m.qualified": ("Qualified (MAN)", "合格（MAN）"),
    "prospects.m.converted": ("Converted", "已成交"),
    "prospects.m.conversion_rate": ("Conversion rate", "成交率"),
    "prospects.m.open": ("Open", "跟进中"),
    "prospects.m.lost": ("Lost", "已流失"),
    # MAN
    "prospects.sec.man": ("MAN qualification", "MAN 资格审查"),
    "prospects.man.has_money": ("Purchasing power (money)", "购买力"),
    "prospects.man.has_authority": ("Decision authority", "决策权"),
    "prospects.man.has_need": ("Need", "需求"),
    "prospects.man.no": ("Answered no", "回答否"),
    "prospects.man.unknown": ("Not known", "未知"),
    "prospects.man.chart": ("Prospects lacking each criterion", "各项条件不满足的潜在客户"),
    "prospects.man.most_missing": (
        "Most often missing: {criterion} ({n} of {total} prospects).",
        "最常缺少的条件：{criterion}（{total} 个潜在客户中有 {n} 个）。",
    ),
    "prospects.man.none_missing": (
        "Every prospect meets all three criteria.", "所有潜在客户都满足三项条件。"
    ),
    # sources
    "prospects.sec.sources": ("Sources by personal relation", "按人际关系划分的来源"),
    "prospects.sources.caption": (
        "Relations first (relatives, friends, colleagues, teacher-student, hometown), then other "
        "sources. Value: average lifetime value of the customers each source brought.",
        "先列人际关系来源（亲戚、朋友、同事、师生、同乡），再列其他来源。价值：该来源带来的客户的"
        "平均终身价值。",
    ),
    "prospects.source.relatives": ("Relatives", "亲戚"),
    "prospects.source.friends": ("Friends", "朋友"),
    "prospects.source.colleagues": ("Colleagues", "同事"),
    "prospects.source.teacher_student": ("Teacher-student", "师生"),
    "prospects.source.hometown": ("Hometown", "同乡"),
    "prospects.source.online": ("Online", "线上"),
    "prospects.source.event": ("Event", "活动"),
    "prospects.source.unknown": ("Unknown", "未知"),
    "prospects.chart.conversion": ("Conversion rate by source", "各来源成交率"),
    "prospects.chart.value": (
        "Average lifetime value of converted customers", "成交客户平均终身价值"
    ),
    "prospects.col.source": ("Source", "来源"),
    "prospects.col.relation": ("Personal relation", "人际关系"),
    "prospects.col.prospects": ("Prospects", "潜在客户数"),
    "prospects.col.qualified": ("Qualified", "合格"),
    "prospects.col.converted": ("Converted", "已成交"),
    "prospects.col.conversion_rate": ("Conversion rate", "成交率"),
    "prospects.col.avg_lifetime_value": ("Avg. lifetime value", "平均终身价值"),
    "prospects.col.value": ("Total lifetime value", "终身价值合计"),
    "prospects.yes": ("Yes", "是"),
    "prospects.no": ("No", "否"),
    # funnel
    "prospects.sec.funnel": ("The customer journey in five steps", "客户旅程五步"),
    "prospects.funnel.caption": (
        "Counts of prospects: converted ones by how far their customer got; churned counts "
        "converted customers lost by the as-of date, whatever stage they reached.",
        "按潜在客户计数：已成交的按其客户走到哪一步统计；流失客户为截至该日期已流失的成交客户，"
        "无论其曾到达哪个阶段。",
    ),
    "prospects.funnel.prospects": ("Prospects", "潜在客户"),
    "prospects.funnel.first_purchase": ("First purchase", "首次购买"),
    "prospects.funnel.repeat_purchase": ("Repeat purchase", "重复购买"),
    "prospects.funnel.loyal": ("Loyal (stability)", "忠诚客户（稳定期）"),
    "prospects.funnel.churned": ("Churned", "流失客户"),
    "prospects.funnel.title": ("From prospect to loyal or lost", "从潜在客户到忠诚或流失"),
    # open list
    "prospects.sec.open": ("Open prospects to follow up", "待跟进的潜在客户"),
    "prospects.open.caption": (
        "Qualified, not converted, registered within the open window; oldest first.",
        "合格、未成交、仍在跟进期内的潜在客户，最早登记的在前。",
    ),
    "prospects.open.none": ("No qualified prospect is open.", "没有待跟进的合格潜在客户。"),
    "prospects.open.file": ("open_prospects", "待跟进潜在客户"),
    "prospects.col.prospect_id": ("Prospect", "潜在客户编号"),
    "prospects.col.created_date": ("Registered", "登记日期"),
    "prospects.col.age_days": ("Days open", "已跟进天数"),
    "prospects.col.name": ("Name", "姓名"),
    "prospects.col.phone": ("Phone", "电话"),
    "prospects.col.email": ("Email", "邮箱"),
}
