"""The words of the desk's pages, in Chinese (the default) and English. Severity and table labels come from
tongzhou_check.labels, the findings' messages from the rule pack."""

from __future__ import annotations

from tongzhou_check.labels import LABELS

_ZH = {
    "title": "通州区政务公开清单报送台", "office": "区政务公开办", "sign_in": "登录", "sign_out": "退出",
    "name": "用户名", "password": "密码", "bad_login": "用户名或密码不正确。",
    "too_many": "登录失败次数过多,请稍后再试。", "csrf": "表单已过期或来源不明,请刷新页面后重试。",
    "upload": "报送工作簿", "drop": "把工作簿拖到这里,或选择文件", "choose": "选择文件", "send": "上传并检查",
    "as_of": "检查基准日(可选)", "year": "年度(可选)", "hint": "默认:按文件名中的年份,于该年12月31日检查。",
    "history": "本单位的报送记录", "all_history": "全部报送记录", "none": "暂无报送。",
    "time": "时间", "file": "文件", "agency": "单位", "status": "状态", "errors": "错误", "warnings": "警告",
    "infos": "提示", "result": "结论", "passed": "通过", "failed_gate": "未通过", "open": "查看",
    "queued": "排队中", "auditing": "检查中", "done": "已完成", "failed": "失败", "retry": "重新检查",
    "auditing_note": "正在检查,页面会自动刷新。", "failed_note": "检查未完成:",
    "unreadable": "无法读取该文件:", "downloads": "下载", "annotated": "批注版", "report_json": "JSON 报告",
    "original": "原文件", "template": "空白报送模板", "summary": "汇总",
    "findings_title": "检查发现的问题", "no_findings": "未发现问题。", "whole_file": "(整个文件)",
    "preview": "有问题的行", "row": "行", "more_rows": "另有 {n} 行有问题未显示。",
    "changes": "与上次报送相比", "fixed": "已改正", "new": "新问题", "still": "仍存在",
    "first": "这是本单位本年度的第一次报送。", "since": "上次报送:#{id}({time})",
    "dashboard": "各单位报送情况", "latest": "最近一次", "resubmissions": "报送次数", "last_activity": "最近活动",
    "trend": "错误数趋势", "filter": "筛选", "all": "全部", "not_submitted": "未报送", "only": "只看",
    "appendix": "生成年度报告附件", "appendix_note": "按各单位本年度最近一次报送生成。",
    "not_found": "找不到该页面或报送。", "forbidden": "只有区政务公开办可以查看。", "error": "出错了",
    "back": "返回", "sha256": "SHA-256", "size": "大小", "lang": "English", "lang_code": "en",
    "signed_in": "已登录:{name}", "count_files": "共 {n} 次报送", "agency_page": "{name} 的报送",
    "no_agency": "(未识别单位)", "home": "首页", "findings": "问题",
}
_EN = {
    "title": "Tongzhou disclosure submission desk", "office": "District disclosure office", "sign_in": "Sign in",
    "sign_out": "Sign out", "name": "User name", "password": "Password",
    "bad_login": "Wrong user name or password.", "too_many": "Too many failed sign-ins; try again later.",
    "csrf": "The form has expired or did not come from this site; reload the page and try again.",
    "upload": "Submit a workbook", "drop": "Drop the workbook here, or choose a file", "choose": "Choose a file",
    "send": "Upload and audit", "as_of": "As of (optional)", "year": "Year (optional)",
    "hint": "Default: the year in the file name, judged at its 31 December.",
    "history": "Your agency's submissions", "all_history": "All submissions", "none": "No submissions yet.",
    "time": "Time", "file": "File", "agency": "Agency", "status": "Status", "errors": "Errors",
    "warnings": "Warnings", "infos": "Info", "result": "Result", "passed": "passed", "failed_gate": "failed",
    "open": "open", "queued": "queued", "auditing": "auditing", "done": "done", "failed": "failed",
    "retry": "Audit again", "auditing_note": "Auditing; this page updates itself.",
    "failed_note": "The audit did not finish:", "unreadable": "The file could not be read:",
    "downloads": "Downloads", "annotated": "Annotated copy", "report_json": "JSON report",
    "original": "Original file", "template": "Blank template", "summary": "Summary",
    "findings_title": "Findings", "no_findings": "No findings.", "whole_file": "(whole file)",
    "preview": "Rows at fault", "row": "Row", "more_rows": "{n} more rows at fault not shown.",
    "changes": "Since the last submission", "fixed": "fixed", "new": "new", "still": "still open",
    "first": "This is the agency's first submission of the year.", "since": "Last submission: #{id} ({time})",
    "dashboard": "Agencies' submissions", "latest": "Latest", "resubmissions": "Submissions",
    "last_activity": "Last activity", "trend": "Errors per submission", "filter": "Filter", "all": "all",
    "not_submitted": "not submitted", "only": "Show",
    "appendix": "Write the annual-report appendix",
    "appendix_note": "From each agency's latest submission of the year.",
    "not_found": "No such page or submission.", "forbidden": "Only the district office may see this.",
    "error": "Error", "back": "Back", "sha256": "SHA-256", "size": "Size", "lang": "中文", "lang_code": "zh",
    "signed_in": "Signed in: {name}", "count_files": "{n} submissions", "agency_page": "Submissions of {name}",
    "no_agency": "(agency not identified)", "home": "Home", "findings": "Findings",
}
TEXT = {"zh": {**LABELS["zh"], **_ZH}, "en": {**LABELS["en"], **_EN}}
