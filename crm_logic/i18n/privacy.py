"""Texts of sign-in, roles, masking, confirmations, the audit log and upload checks."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # sign-in
    "login.title": ("Sign in", "登录"),
    "login.user": ("User name", "用户名"),
    "login.password": ("Password", "密码"),
    "login.submit": ("Sign in", "登录"),
    "login.wrong": ("Wrong user name or password.", "用户名或密码错误。"),
    "login.locked": (
        "Too many failed attempts for this user name: try again in {s} seconds.",
        "该用户名登录失败次数过多，请 {s} 秒后再试。",
    ),
    "login.oidc": ("Sign in with single sign-on", "使用单点登录"),
    "login.help": (
        "Ask the person who runs CRM Lens for an account.",
        "如需账号，请联系 CRM 透镜的管理员。",
    ),
    "login.local": (
        "No sign-in configured: only this computer can open the app.",
        "未配置登录：只有本机可以打开此应用。",
    ),
    "login.signed_in_as": ("Signed in ({role}):", "已登录（{role}）："),
    "login.signout": ("Sign out", "退出登录"),
    "role.viewer": ("viewer", "查看者"),
    "role.analyst": ("analyst", "分析师"),
    # masking by role
    "privacy.unmask": ("Show personal data", "显示个人信息"),
    "privacy.unmask_help": (
        "Names, phone numbers and e-mails are masked on screen unless you switch this on.",
        "除非打开此开关，屏幕上的姓名、电话和邮箱都会被遮盖。",
    ),
    "privacy.viewer_masked": (
        "Personal data is masked for viewers.",
        "查看者只能看到遮盖后的个人信息。",
    ),
    # error boundary
    "app.error": (
        "Something went wrong on this page (reference {ref}). The details are in the "
        "server log; please pass the reference on to whoever runs CRM Lens.",
        "此页面出错（编号 {ref}）。详细信息已写入服务器日志，请把编号告诉 CRM 透镜的管理员。",
    ),
    "app.error_title": ("Error", "错误"),
    # Data page: roles, confirmations, sample, audit, uploads
    "data.viewer_readonly": (
        "You are signed in as a viewer: you can see what is in the store but not change it.",
        "您以查看者身份登录：可以查看数据库中的内容，但不能修改。",
    ),
    "data.confirm_replace": (
        "Replacing deletes all {rows} rows of the table {table} and loads {name} instead. "
        "This cannot be undone.",
        "替换将删除数据表 {table} 的全部 {rows} 行，并改为载入 {name}。此操作无法撤销。",
    ),
    "data.confirm_replace_go": ("Yes, replace {table}", "确定替换{table}"),
    "data.confirm_cancel": ("Cancel", "取消"),
    "data.confirm_sample": (
        "Reloading the sample deletes every row in the store and loads made-up data instead: "
        "{what}. This cannot be undone.",
        "重新加载示例数据将删除数据库中的全部数据并换成虚构数据：{what}。此操作无法撤销。",
    ),
    "data.confirm_sample_go": ("Yes, replace everything with the sample",
                               "确定用示例数据替换全部数据"),
    "data.table_rows": ("{table} {rows} rows", "{table} {rows} 行"),
    "data.only_sample": (
        "The store holds only the bundled sample (made-up customers). Replace is suggested "
        "so your own data is not mixed with them.",
        "数据库里目前只有自带的示例数据（虚构客户）。建议选择“替换”，以免您的数据与示例数据混在一起。",
    ),
    "data.audit": ("Audit log", "审计日志"),
    "data.audit_help": (
        "Every export and import: who, when, what, how many rows, masked or not.",
        "每一次导出和导入：谁、何时、什么、多少行、是否遮盖个人信息。",
    ),
    "data.audit_empty": ("Nothing exported or imported yet.", "尚无导出或导入记录。"),
    "data.audit.col.logged_at": ("When", "时间"),
    "data.audit.col.user_name": ("Who", "用户"),
    "data.audit.col.action": ("Action", "操作"),
    "data.audit.col.what": ("What", "内容"),
    "data.audit.col.rows": ("Rows", "行数"),
    "data.audit.col.masked": ("Masked", "已遮盖"),
    "data.audit.masked.yes": ("masked", "已遮盖"),
    "data.audit.masked.no": ("NOT masked", "未遮盖"),
    "data.audit.action.export": ("export", "导出"),
    "data.audit.action.import": ("import (append)", "导入（追加）"),
    "data.audit.action.replace": ("import (replace)", "导入（替换）"),
    "data.audit.action.sample": ("sample reloaded", "重新加载示例"),
    "data.upload_rejected": (
        "{name} was not read: {why}",
        "未读取 {name}：{why}",
    ),
    "data.upload_problem.type": (
        "only CSV, TSV, TXT, XLSX, XLSM and Parquet files are accepted",
        "只接受 CSV、TSV、TXT、XLSX、XLSM 和 Parquet 文件",
    ),
    "data.upload_problem.empty": ("the file is empty", "文件为空"),
    "data.upload_problem.content": (
        "its content does not match its file type (renamed or damaged file?)",
        "文件内容与文件类型不符（是否被改名或已损坏？）",
    ),
}
