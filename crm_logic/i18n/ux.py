"""Texts of the shared-view, click-to-filter and formatting features (English, 中文)."""

TEXTS: dict[str, tuple[str, str]] = {
    "churn.click_hint": (
        "Click a bar in the chart above to list that tier and risk level here.",
        "点击上方图表中的柱形，即可在此列出对应层级和风险等级的客户。",
    ),
    "churn.list_tier_filter": ("Value tier", "价值层级"),
    "lifecycle.click_hint": (
        "Click a bar in the stage or pattern chart to list those customers below.",
        "点击阶段或类型图表中的柱形，即可在下方列出对应客户。",
    ),
    "app.currency": ("Currency", "货币"),
    "app.currency_auto": ("From the data ({code})", "按数据（{code}）"),
    "actions.cond.stage": ("Stage", "生命周期阶段"),
    "actions.cond.tier": ("Value tier", "价值层级"),
    "actions.cond.risk": ("Risk level", "风险等级"),
    "actions.cond.complaint": ("Open complaint", "未解决投诉"),
    "actions.cond.lost": ("Lost", "已流失"),
    "upload.button": ("Choose files", "选择文件"),
    "upload.label": ("Choose a file (CSV, TSV, XLSX or Parquet)",
                     "选择文件（CSV、TSV、XLSX 或 Parquet）"),
    "upload.help": ("Drag a file onto the box or click the button; up to {mb:,} MB.",
                    "将文件拖入框内或点击按钮选择；单个文件最大 {mb:,} MB。"),
}
