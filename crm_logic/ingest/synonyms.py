"""Header synonyms and code words: the tables that header mapping and code columns read.

To teach the importer a new table or column, add its spellings here: `COMMON_SYNONYMS` for a
column name shared by tables, `DATE_SYNONYMS` for a table's own date column (which also
accepts the generic "date" / 日期). Spellings are compared after `normalise_header`.
"""

from __future__ import annotations

# --- header synonyms ---------------------------------------------------------------------------
# Canonical column -> source header spellings (compared after `normalise_header`). Columns that
# several tables share (customer_id, product, channel, ...) are listed once; the date column of
# each table also accepts the generic words "date" / 日期.
COMMON_SYNONYMS: dict[str, tuple[str, ...]] = {
    "customer_id": ("customer_id", "customerid", "customer", "customer no", "customer number",
                    "customer code", "client id", "clientid", "member id", "memberid", "cust id",
                    "custid", "user id", "userid", "account id", "客户编号", "客户id", "客户号",
                    "客户代码", "客户编码", "会员编号", "会员id", "会员号", "用户id", "用户编号",
                    "顾客编号", "顾客id", "客户"),
    "name": ("name", "customer name", "client name", "full name", "contact", "contact name",
             "姓名", "客户名称", "客户姓名", "名称", "联系人", "会员姓名", "顾客姓名"),
    "email": ("email", "e-mail", "email address", "mail", "邮箱", "电子邮箱", "电子邮件",
              "邮件", "邮箱地址"),
    "phone": ("phone", "mobile", "telephone", "tel", "phone number", "mobile phone", "cell",
              "手机", "手机号", "手机号码", "电话", "联系电话", "电话号码", "移动电话"),
    "signup_date": ("signup_date", "signup", "sign up date", "registration date",
                    "register date", "registered", "join date", "joined", "created at",
                    "first contact", "注册日期", "注册时间", "入会日期", "开户日期",
                    "加入日期", "建档日期"),
    "channel": ("channel", "source", "acquisition channel", "sales channel", "submitted via",
                "渠道",
                "来源渠道", "获客渠道", "销售渠道", "来源", "投诉渠道", "联系渠道"),
    "region": ("region", "area", "province", "city", "country", "territory", "地区", "区域",
               "省份", "城市", "所在地区", "国家"),
    "industry": ("industry", "sector", "vertical", "行业", "所属行业"),
    "sales_rep": ("sales_rep", "sales rep", "salesperson", "sales person", "account manager",
                  "owner", "rep", "销售代表", "销售员", "业务员", "客户经理", "负责人",
                  "销售人员"),
    "churn_date": ("churn_date", "churned at", "churn", "lost date", "cancel date",
                   "cancellation date", "流失日期", "流失时间", "注销日期", "解约日期"),
    "churn_reason": ("churn_reason", "churn reason", "lost reason", "cancel reason",
                     "流失原因", "流失理由"),
    "churn_type": ("churn_type", "churn type", "流失类型", "流失方式"),
    "order_id": ("order_id", "orderid", "order no", "order number", "invoice", "invoiceno",
                 "invoice no", "invoice number", "transaction id", "订单编号", "订单号",
                 "订单id", "单号", "发票号", "交易编号", "订单"),
    "amount": ("amount", "total", "order amount", "order total", "revenue", "sales", "value",
               "paid", "payment", "金额", "订单金额", "实付金额", "实付", "支付金额", "销售额",
               "总金额", "成交金额", "消费金额", "交易金额", "应付金额", "合计"),
    "quantity": ("quantity", "qty", "units", "count", "数量", "购买数量", "件数", "销量"),
    "unit_price": ("unit_price", "unitprice", "price", "unit cost", "单价", "价格", "销售单价",
                   "商品单价"),
    "product": ("product", "item", "sku", "stockcode", "stock code", "product name",
                "product id", "goods", "商品", "产品", "商品名称", "产品名称", "商品编号",
                "产品编号", "货品", "品名", "投诉产品"),
    "category": ("category", "product category", "type", "class", "issue", "类别", "品类",
                 "分类",
                 "商品类别", "产品类别", "投诉类别", "投诉类型", "类型"),
    "margin": ("margin", "profit", "gross margin", "gross profit", "毛利", "利润", "毛利润",
               "毛利额"),
    "complaint_id": ("complaint_id", "complaint", "complaint no", "complaint number",
                     "ticket", "ticket id", "case id", "case", "投诉编号", "投诉单号", "投诉id",
                     "工单号", "工单编号"),
    "description": ("description", "details", "content", "text", "comment", "sub-issue",
                    "consumer complaint narrative", "complaint narrative", "narrative",
                    "problem", "描述", "投诉内容", "问题描述", "内容", "详情", "投诉描述"),
    "desired_resolution": ("desired_resolution", "desired resolution", "expected resolution",
                           "request", "诉求", "客户诉求", "期望处理方式", "期望解决方式",
                           "处理要求"),
    "reasonable": ("reasonable", "is reasonable", "justified", "valid", "是否合理", "合理",
                   "合理性"),
    # not "state": complaint exports use it for the customer's state (CA, NY)
    "status": ("status", "company response to consumer", "company response",
               "response to consumer", "处理状态", "状态", "投诉状态"),
    "resolved_date": ("resolved_date", "resolved", "resolved at", "resolution date",
                      "closed date", "closed at", "解决日期", "解决时间", "处理完成日期",
                      "结案日期", "关闭日期"),
    "satisfaction": ("satisfaction", "csat", "rating", "score", "满意度", "评分", "满意度评分"),
    "timely_response": ("timely_response", "timely response", "timely response?",
                        "timely", "responded in time", "是否及时回复", "及时回复", "及时响应",
                        "是否及时响应"),
    "direction": ("direction", "inbound/outbound", "方向", "呼入呼出"),
    "outcome": ("outcome", "result", "结果", "跟进结果", "沟通结果"),
    # prospects (issue 15)
    "prospect_id": ("prospect_id", "prospect", "prospect no", "lead id", "leadid", "lead",
                    "潜在客户编号", "潜在客户id", "潜客编号", "潜客id", "线索编号", "线索id"),
    "source": ("source", "lead source", "referral source", "relation", "来源", "客户来源",
               "线索来源", "来源关系", "关系", "介绍人关系"),
    "has_money": ("has_money", "money", "purchasing power", "budget", "有购买力", "购买力",
                  "有预算", "预算"),
    "has_authority": ("has_authority", "authority", "decision authority", "decision maker",
                      "有决策权", "决策权", "决策人"),
    "has_need": ("has_need", "need", "needs", "有需求", "需求"),
    "converted_customer_id": ("converted_customer_id", "converted customer", "customer_id",
                              "customer id", "成交客户编号", "转化客户编号", "客户编号",
                              "成交客户id", "客户id"),
}
DATE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "order_date": ("order_date", "orderdate", "invoicedate", "invoice date", "purchase date",
                   "transaction date", "order time", "date", "订单日期", "下单时间",
                   "下单日期", "交易日期", "购买日期", "成交日期", "日期", "订单时间"),
    "received_date": ("received_date", "received", "complaint date", "date received",
                      "created", "opened", "date", "投诉日期", "投诉时间", "受理日期",
                      "接收日期", "日期"),
    "interaction_date": ("interaction_date", "contact date", "activity date", "date",
                         "互动日期", "联系日期", "沟通日期", "跟进日期", "日期"),
    "created_date": ("created_date", "created", "created at", "registered", "registration date",
                     "date", "登记日期", "登记时间", "创建日期", "录入日期", "日期"),
}

# Code columns: accepted spellings -> code.
CHURN_REASON_WORDS: dict[str, str] = {
    "价格": "price", "产品": "product", "服务": "service", "技术": "technology",
    "促销": "promotion", "需求": "need", "管理": "management", "政治": "political",
    "其他": "other", "其它": "other",
}
CHURN_TYPE_WORDS: dict[str, str] = {"主动": "active", "积极": "active", "被动": "passive",
                                    "消极": "passive"}
TRUE_WORDS: tuple[str, ...] = ("是", "合理", "yes", "y", "true", "t", "1", "对", "有")
FALSE_WORDS: tuple[str, ...] = ("否", "不合理", "no", "n", "false", "f", "0", "不", "无",
                                "没有")
