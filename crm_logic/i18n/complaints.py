"""Texts of the complaints area (English, 中文)."""

TEXTS: dict[str, tuple[str, str]] = {
    # page
    "complaints.title": ("Complaints", "投诉分析"),
    "complaints.intro": (
        "A complaint is a free chance to improve and a strong churn signal: handled well it "
        "builds loyalty, ignored it loses the customer. Where do complaints come from, are they "
        "handled in time, and what do unhandled ones cost?",
        "投诉是免费的改进机会，也是强烈的流失信号：处理得好能建立忠诚，置之不理就会失去客户。"
        "投诉从哪里来、是否及时处理、未处理的投诉代价几何？",
    ),
    "complaints.none": (
        "No complaints received up to the as-of date.",
        "截至该日期没有收到投诉。",
    ),
    "complaints.none_match": ("No complaints match the filters.", "没有符合筛选条件的投诉。"),
    "complaints.no_orders": (
        "No orders in the store: showing every figure that needs only complaints. The complaint "
        "rate per 100 orders, new versus old customers (unless customers have a signup date) "
        "and the churn of complainers need order data — import orders on the Data page.",
        "数据库中没有订单：仅显示只需投诉数据的指标。每百单投诉率、新老客户（除非客户有注册日期）"
        "以及投诉客户的流失情况需要订单数据——请在“数据”页面导入订单。",
    ),
    "complaints.needs_orders": (
        "Needs order data (none imported).", "需要订单数据（尚未导入）。"
    ),
    "complaints.needs_reps": (
        "Needs customers with a sales representative.", "需要带有销售代表的客户数据。"
    ),
    "complaints.needs_tenure": (
        "Needs orders or customer signup dates to tell new from old customers.",
        "需要订单或客户注册日期才能区分新老客户。",
    ),
    "complaints.needs_churn": (
        "Needs orders or customer churn dates to tell who was lost.",
        "需要订单或客户流失日期才能判断哪些客户已流失。",
    ),
    # filters
    "complaints.filters": ("Filters", "筛选"),
    "complaints.date_range": ("Received between", "投诉日期范围"),
    "complaints.filter.category": ("Category", "投诉类别"),
    "complaints.filter.channel": ("Channel", "投诉渠道"),
    "complaints.filter.rep": ("Sales representative", "销售代表"),
    "complaints.filter.status": ("Status", "处理状态"),
    "complaints.sla_days": ("SLA: days to resolve", "处理时限（天）"),
    "complaints.sla_help": (
        "A complaint resolved later than this breaches the SLA; an open one breaches once it is "
        "older than this.",
        "解决时间超过该天数即为超时；未解决的投诉在超过该天数后也算超时。",
    ),
    "complaints.new_customer_days": (
        "New customer: tenure below (days)", "新客户：合作时长少于（天）"
    ),
    "complaints.repeat_min": ("Repeat complainer: at least (complaints)", "重复投诉：至少（次）"),
    # metrics
    "complaints.m.total": ("Complaints", "投诉总数"),
    "complaints.m.open": ("Open", "未解决"),
    "complaints.m.resolution_rate": ("Resolution rate", "解决率"),
    "complaints.m.median_days": ("Median days to resolve", "解决天数中位数"),
    "complaints.m.p90_days": ("90th percentile days", "解决天数90分位"),
    "complaints.m.sla_breach_rate": ("SLA breach rate", "超时率"),
    "complaints.m.escalated": ("Escalated (authority, legal)", "升级投诉（主管部门、法律）"),
    "complaints.m.satisfaction": ("Satisfaction after resolution", "解决后满意度"),
    "complaints.m.repeat": ("Repeat complainers", "重复投诉客户"),
    "complaints.m.reasonable": ("Reasonable complaints", "合理投诉占比"),
    "complaints.days_by_category": (
        "Days to resolve and SLA by category", "各投诉类别的解决天数与超时率"
    ),
    "complaints.days_unknown_note": (
        "{n} resolved complaints have no resolution date (status word only): counted as "
        "resolved, left out of days and SLA figures.",
        "{n} 条已解决投诉没有解决日期（仅有状态文字）：计为已解决，但不计入天数和超时统计。",
    ),
    # sections and charts
    "complaints.sec.volume": ("Where complaints come from", "投诉来源"),
    "complaints.sec.handling": ("Handled in time?", "是否及时处理"),
    "complaints.sec.customers": ("Who complains", "谁在投诉"),
    "complaints.sec.churn": ("Complaints and churn", "投诉与客户流失"),
    "complaints.sec.list": ("Complaint list", "投诉明细"),
    "complaints.sec.downloads": ("Downloads", "下载"),
    "complaints.chart.month": ("Complaints per month", "每月投诉量"),
    "complaints.chart.category": ("By category", "按投诉类别"),
    "complaints.chart.product": ("By product", "按产品"),
    "complaints.chart.channel": ("By channel", "按投诉渠道"),
    "complaints.chart.rep": ("By sales representative", "按销售代表"),
    "complaints.chart.rate_product": (
        "Complaints per 100 orders by product", "各产品每百单投诉率"
    ),
    "complaints.chart.rate_rep": (
        "Complaints per 100 orders by sales representative", "各销售代表每百单投诉率"
    ),
    "complaints.chart.days": ("Days to resolve", "解决天数分布"),
    "complaints.chart.backlog": ("Open backlog by age (days)", "未解决投诉账龄（天）"),
    "complaints.chart.reasonable": ("Reasonable?", "投诉是否合理"),
    "complaints.chart.desired": ("Desired resolution", "客户期望的解决方式"),
    "complaints.chart.kind": ("New versus old customers", "新客户与老客户"),
    "complaints.chart.satisfaction": ("Satisfaction after resolution", "解决后满意度"),
    "complaints.chart.churn": ("Churn rate by complaint handling", "按投诉处理情况的客户流失率"),
    "complaints.rate_min_orders": (
        "Only values with at least {n} orders are shown (fewer orders make the rate noise).",
        "仅显示订单数不少于 {n} 的项目（订单太少时比率没有意义）。",
    ),
    "complaints.churn_note": (
        "Each customer counts once, in the worst group of their complaints. Bars: churn rate; "
        "whiskers: {level}% confidence interval (Wilson). Lost customers from: {source}.",
        "每位客户只计一次，归入其投诉中最差的处理组。柱：流失率；误差线：{level}% 置信区间"
        "（Wilson）。流失判定来源：{source}。",
    ),
    "complaints.lost_value_note": (
        "What unhandled complaints cost: {n} customers lost after a late or unresolved "
        "complaint used to bring {value} a year (revenue in their last 12 months).",
        "未妥善处理的投诉代价：{n} 位在投诉超时或未解决后流失的客户，过去每年带来 {value} 的收入"
        "（其最后 12 个月的收入）。",
    ),
    "complaints.churn_source.lifecycle": ("lifecycle analysis", "生命周期分析"),
    "complaints.churn_source.fallback": (
        "churn date, or no purchase for longer than the churn gap",
        "流失日期，或超过流失间隔未购买",
    ),
    "complaints.drill_hint": (
        "Click a bar to list its complaints below.", "点击柱形即可在下方列出对应投诉。"
    ),
    "complaints.drill_from": ("Showing: {what}", "当前显示：{what}"),
    "complaints.drill_all": ("all filtered complaints", "全部筛选后的投诉"),
    "complaints.list_newest": ("The newest {n} of {total} complaints; the list download holds all.",
                               "显示最新的 {n} 条（共 {total} 条）；下载列表包含全部投诉。"),
    "complaints.drill_clear": ("Show all again", "显示全部"),
    "complaints.sla_line": ("SLA {n} days", "时限 {n} 天"),
    # axes and columns
    "complaints.col.complaint_id": ("Complaint ID", "投诉编号"),
    "complaints.col.received_date": ("Received", "投诉日期"),
    "complaints.col.product": ("Product", "产品"),
    "complaints.col.category": ("Category", "投诉类别"),
    "complaints.col.channel": ("Channel", "投诉渠道"),
    "complaints.col.sales_rep": ("Sales rep", "销售代表"),
    "complaints.col.status_code": ("Status", "处理状态"),
    "complaints.col.resolved_date": ("Resolved", "解决日期"),
    "complaints.col.days_to_resolve": ("Days to resolve", "解决天数"),
    "complaints.col.age_days": ("Age (days)", "已过天数"),
    "complaints.col.sla_breached": ("SLA breached", "超时"),
    "complaints.col.escalated": ("Escalated", "升级投诉"),
    "complaints.col.desired_resolution": ("Desired resolution", "期望解决方式"),
    "complaints.col.reasonable": ("Reasonable", "是否合理"),
    "complaints.col.satisfaction": ("Satisfaction", "满意度"),
    "complaints.col.description": ("Description", "问题描述"),
    "complaints.col.complaints": ("Complaints", "投诉数"),
    "complaints.col.open": ("Open", "未解决"),
    "complaints.col.first_received": ("First complaint", "首次投诉"),
    "complaints.col.last_received": ("Last complaint", "最近投诉"),
    "complaints.col.categories": ("Categories", "投诉类别"),
    "complaints.col.satisfaction_mean": ("Mean satisfaction", "平均满意度"),
    "complaints.col.orders": ("Orders", "订单数"),
    "complaints.col.rate_per_100": ("Per 100 orders", "每百单投诉"),
    "complaints.col.group": ("Group", "分组"),
    "complaints.col.customers": ("Customers", "客户数"),
    "complaints.col.churned": ("Lost", "已流失"),
    "complaints.col.churn_rate": ("Churn rate", "流失率"),
    "complaints.col.ci_low": ("CI low", "置信下限"),
    "complaints.col.ci_high": ("CI high", "置信上限"),
    "complaints.col.lost_value": ("Lost yearly revenue", "流失客户年收入"),
    "complaints.col.resolved_known": ("Resolved (days known)", "已解决（天数已知）"),
    "complaints.col.p50_days": ("Median days", "天数中位数"),
    "complaints.col.p90_days": ("90th percentile days", "天数90分位"),
    "complaints.col.sla_breach_rate": ("SLA breach rate", "超时率"),
    "complaints.col.days": ("Days", "天数"),
    "complaints.col.month": ("Month", "月份"),
    "complaints.col.age_bucket": ("Age (days)", "账龄（天）"),
    "complaints.col.reasonable_code": ("Reasonable", "是否合理"),
    "complaints.col.customer_kind": ("New / old customer", "新/老客户"),
    "complaints.col.score": ("Score", "评分"),
    # downloads
    "complaints.dl.open": ("Open complaints", "未解决投诉"),
    "complaints.dl.breached": ("SLA breached", "超时投诉"),
    "complaints.dl.repeat": ("Repeat complainers", "重复投诉客户"),
    "complaints.dl.list": ("This list", "当前列表"),
    # coded values
    "complaints.unknown": ("Not recorded", "未记录"),
    "complaints.status.open": ("Open", "待处理"),
    "complaints.status.in_progress": ("In progress", "处理中"),
    "complaints.status.resolved": ("Resolved", "已解决"),
    "complaints.category.quality": ("Quality", "质量"),
    "complaints.category.delivery": ("Delivery", "物流配送"),
    "complaints.category.service": ("Service", "服务"),
    "complaints.category.price": ("Price", "价格"),
    "complaints.category.billing": ("Billing", "账单"),
    "complaints.category.other": ("Other", "其他"),
    "complaints.channel.phone": ("Phone", "电话"),
    "complaints.channel.email": ("Email", "邮件"),
    "complaints.channel.online": ("Online", "线上"),
    "complaints.channel.store": ("Store", "门店"),
    "complaints.channel.social_media": ("Social media", "社交媒体"),
    "complaints.channel.authority": ("Authority", "主管部门"),
    "complaints.channel.legal": ("Legal action", "法律诉讼"),
    "complaints.desired.refund": ("Refund", "退款"),
    "complaints.desired.replacement": ("Replacement", "换货"),
    "complaints.desired.repair": ("Repair", "维修"),
    "complaints.desired.compensation": ("Compensation", "赔偿"),
    "complaints.desired.apology": ("Apology", "道歉"),
    "complaints.reasonable.yes": ("Reasonable", "合理"),
    "complaints.reasonable.no": ("Not reasonable", "不合理"),
    "complaints.kind.new": ("New customer", "新客户"),
    "complaints.kind.old": ("Old customer", "老客户"),
    "complaints.group.no_complaint": ("No complaint", "无投诉"),
    "complaints.group.resolved_in_sla": ("Resolved in time", "按时解决"),
    "complaints.group.resolved_late": ("Resolved late", "超时解决"),
    "complaints.group.unresolved": ("Unresolved", "未解决"),
    "complaints.group.resolved_days_unknown": (
        "Resolved, time unknown", "已解决（时长未知）"
    ),
    "complaints.sat_by_sla": (
        "Mean satisfaction: resolved in time {in_time}, resolved late {late}.",
        "平均满意度：按时解决 {in_time}，超时解决 {late}。",
    ),
    "complaints.yes": ("Yes", "是"),
    "complaints.no": ("No", "否"),
}
