"""The appendix's tables from an audit report: 附表1 概况, 附表2 规则, 附表3 Table 三, 附表4 重点领域, 附表5 职责."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import PurePath

from tongzhou_check.appendix.table3 import table3
from tongzhou_check.grids import Chart, Document, Table, Value
from tongzhou_check.labels import SEVERITY
from tongzhou_check.masking import mask
from tongzhou_check.model import FileResult, Finding, Report, Severity, Unplaced
from tongzhou_check.packtypes import Pack

DUTY_CHECK = "plan_duties"  # the check whose findings 附表5 reads (TZ120)
SHORT = 30  # characters of a duty's text shown in 附表5

TEXT = {
    "zh": {
        "appendix": "政府信息公开工作年度报告附件:政务公开合规检查情况({year}年度)",
        "footer": "{year}年度 · 规则包 {pack} {version} · 截至 {as_of} · tzcheck {tool}",
        "meta": ("年度", "统计截至", "规则包", "工作簿", "附表3格式", "生成工具"),
        "workbooks": "{count} 个",
        "t1": ("附表1 合规概况", "附表1 合规概况({year}年度)"),
        "h1": ("单位", "文件", "工作表", "记录", "错误", "警告", "提示", "有错误的记录", "无错误记录占比"),
        "chart": "各单位无错误记录占比",
        "unreadable": "(无法读取)",
        "total1": "合计:{files} 个文件,{records} 条记录,错误 {errors} 个,警告 {warnings} 个,提示 {info} 个,"
                  "无错误记录占比 {share}。已豁免、已列入基线的问题不计入。",
        "t2": ("附表2 规则执行情况", "附表2 规则执行情况({year}年度)"),
        "h2": ("规则", "名称", "依据条款", "级别", "问题数", "已豁免", "涉及单位"),
        "note2": "问题数不含已豁免(工作簿豁免说明)和已列入基线的问题;涉及单位按有未豁免问题的单位计。",
        "not_run": "未执行的规则(计划中或按配置停用):{rules}。",
        "t4": ("附表4 重点领域", "附表4 重点领域公开情况({year}年度)"),
        "h4": ("重点领域", "公开目录事项", "本年发布信息", "涉及单位"),
        "no_area": "(未标注重点领域)",
        "note4": "公开目录事项按公开清单各行计;本年发布信息按信息发布登记中公开日期在本年度内的各行计。",
        "t5": ("附表5 职责落实情况", "附表5 要点职责落实情况({year}年度)"),
        "h5": ("单位", "文件", "应列职责", "已列", "未列", "未列的职责"),
        "unknown": "(未识别单位)", "no_catalogue": "无公开清单,未核对", "not_checked": "未检查(TZ120 未启用)",
        "unidentified": "未识别单位,未核对", "uncertain": "(待确认)",
        "note5": "依据通政办发〔2018〕23号分配给各单位的公开职责(规则 TZ120);“待确认”指要点措辞不确定的职责。",
        "sep": ";",
    },
    "en": {
        "appendix": "Annex to the annual government-information-disclosure report: compliance audit ({year})",
        "footer": "{year} · rule pack {pack} {version} · as of {as_of} · tzcheck {tool}",
        "meta": ("Year", "Counted up to", "Rule pack", "Workbooks", "Table 3 format", "Tool"),
        "workbooks": "{count}",
        "t1": ("Table 1 Overview", "Table 1 Compliance overview ({year})"),
        "h1": ("Agency", "File", "Sheets", "Records", "Errors", "Warnings", "Info", "Records with errors",
               "Records without error"),
        "chart": "Share of records without error, by agency",
        "unreadable": "(unreadable)",
        "total1": "Total: {files} files, {records} records, {errors} errors, {warnings} warnings, {info} info, "
                  "{share} of records without error. Waived and baselined findings are not counted.",
        "t2": ("Table 2 Rules", "Table 2 Findings by rule ({year})"),
        "h2": ("Rule", "Name", "Clause", "Severity", "Findings", "Waived", "Agencies"),
        "note2": "Findings exclude waived and baselined ones; agencies are those with findings not waived.",
        "not_run": "Rules not run (planned, or deselected by the configuration): {rules}.",
        "t4": ("Table 4 Key areas", "Table 4 Disclosure by key area ({year})"),
        "h4": ("Key area", "Catalogue items", "Published this year", "Agencies"),
        "no_area": "(no key area given)",
        "note4": "Catalogue items count the rows of the catalogues; publications count the rows of the publication "
                 "logs published within the year.",
        "t5": ("Table 5 Plan duties", "Table 5 Plan duties listed ({year})"),
        "h5": ("Agency", "File", "Duties", "Listed", "Missing", "Missing duties"),
        "unknown": "(agency not identified)", "no_catalogue": "no catalogue, not checked",
        "not_checked": "not checked (TZ120 inactive)", "unidentified": "agency not identified, not checked",
        "uncertain": " (uncertain)",
        "note5": "The disclosure duties the plan (通政办发〔2018〕23号) assigns to each agency (rule TZ120); "
                 "“uncertain”: the plan's wording leaves the duty open.",
        "sep": "; ",
    },
}


def agency_name(result: FileResult) -> str:
    """A file's agency as identified (option, 填报单位 cell, title, file name), else its file name's stem."""
    return result.agency[1] if result.agency else mask(PurePath(result.path).stem) or ""


def build(report: Report, pack: Pack, year: int, table_format: str, lang: str) -> Document:
    text = TEXT[lang]
    footer = text["footer"].format(year=year, pack=pack.id, version=pack.version, as_of=report.as_of,
                                   tool=report.tool_version)
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[finding.file].append(finding)
    files = [(r, agency_name(r), mask(r.path) or "", by_file[r.path]) for r in report.files]
    facts = [(shown, Counter({(row, kind): n for row, kind, n in r.facts.applications}))
             for r, _, shown, _ in files if r.facts]
    unplaced: list[tuple[str, Unplaced]] = [(shown, u) for r, _, shown, _ in files if r.facts
                                            for u in r.facts.unplaced]
    spec = pack.appendix.applications if pack.appendix else None
    tables = (
        _overview(files, text, year, footer),
        _rules(report, files, lang, year, footer),
        *([table3(pack.kinds[spec["kind"]], spec, facts, unplaced, _logs(report, spec["kind"]), year, table_format,
                  lang, footer)] if spec else []),
        _areas(files, text, year, footer),
        _duties(pack, files, text, year, footer),
    )
    meta = tuple(zip(text["meta"], (str(year), report.as_of, f"{pack.id} {pack.version}",
                                    text["workbooks"].format(count=len(report.files)), table_format,
                                    f"tzcheck {report.tool_version}"), strict=True))
    return Document(title=text["appendix"].format(year=year), tables=tables, meta=meta, lang=lang)


def _logs(report: Report, kind: str) -> tuple[int, int]:
    """The application sheets read, and their records."""
    logs = [s for r in report.files if r.facts for s in r.sheets if s.kind == kind]
    return len(logs), sum(s.rows for s in logs)


Files = list[tuple[FileResult, str, str, list[Finding]]]  # (result, agency name, path shown, its findings)


def _simple(names: tuple[str, str], headers: tuple[str, ...], rows: list[tuple[Value, ...]], formats: tuple,
            year: int, footer: str, **extra) -> Table:
    return Table(sheet=names[0], title=names[1].format(year=year), grid=(headers, *rows), header_rows=1,
                 formats=formats, footer=footer, **extra)


def _active(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.suppressed is None]


def _overview(files: Files, text: dict, year: int, footer: str) -> Table:
    rows: list[tuple[Value, ...]] = []
    totals: Counter = Counter()
    for result, agency, shown, findings in files:
        active = _active(findings)
        severities = Counter(f.severity for f in active)
        header_rows = {s.name: s.header_row for s in result.sheets if s.kind}
        with_error = {(f.sheet, f.row) for f in active if f.severity == Severity.error and f.sheet in header_rows
                      and f.row is not None and f.row > (header_rows[f.sheet] or 0)}
        records = sum(s.rows for s in result.sheets)
        share = 1 - len(with_error) / records if records else None
        sheets: Value = len(header_rows) if result.status == "ok" else text["unreadable"]
        rows.append((agency, shown, sheets, records, severities[Severity.error], severities[Severity.warning],
                     severities[Severity.info], len(with_error), share))
        totals.update(records=records, with_error=len(with_error), errors=severities[Severity.error],
                      warnings=severities[Severity.warning], info=severities[Severity.info])
    share = 1 - totals["with_error"] / totals["records"] if totals["records"] else None
    total = text["total1"].format(files=len(files), records=totals["records"], errors=totals["errors"],
                                  warnings=totals["warnings"], info=totals["info"],
                                  share=f"{share * 100:.1f}%" if share is not None else "—")
    return _simple(text["t1"], text["h1"], rows, ("text", "text", "int", "int", "int", "int", "int", "int", "percent"),
                   year, footer, label_columns=2, notes=(total,), chart=Chart(text["chart"], 0, 8))


def _rules(report: Report, files: Files, lang: str, year: int, footer: str) -> Table:
    text = TEXT[lang]
    active: Counter = Counter()
    waived: Counter = Counter()
    agencies: dict[str, set[str]] = defaultdict(set)
    for _, agency, _, findings in files:  # one pass over the findings, not one per rule
        for f in findings:
            if f.suppressed is None:
                active[f.rule] += 1
                agencies[f.rule].add(agency)
            else:
                waived[f.rule] += 1
    rows: list[tuple[Value, ...]] = [
        (doc.id, doc.title(lang), doc.clause, SEVERITY[lang][doc.severity], active[doc.id], waived[doc.id],
         len(agencies[doc.id])) for doc in report.rule_docs if doc.active]
    idle = [doc.id for doc in report.rule_docs if not doc.active]
    notes = (text["note2"], *([text["not_run"].format(rules="、".join(idle))] if idle else []))
    return _simple(text["t2"], text["h2"], rows, ("text", "text", "text", "text", "int", "int", "int"), year, footer,
                   label_columns=2, notes=notes, column_classes=("short", "", "short", "short", "", "", ""))


def _areas(files: Files, text: dict, year: int, footer: str) -> Table:
    counts: Counter = Counter()
    agencies: dict[str, set[str]] = defaultdict(set)
    for result, agency, _, _ in files:
        for area, what, n in result.facts.areas if result.facts else ():
            counts[(area, what)] += n
            agencies[area].add(agency)
    areas = sorted(agencies, key=lambda a: (a == "", -counts[(a, "catalogue")] - counts[(a, "publication")], a))
    rows: list[tuple[Value, ...]] = [
        (mask(area) or text["no_area"], counts[(area, "catalogue")], counts[(area, "publication")],
         len(agencies[area])) for area in areas]
    return _simple(text["t4"], text["h4"], rows, ("text", "int", "int", "int"), year, footer,
                   notes=(text["note4"],))


def _duties(pack: Pack, files: Files, text: dict, year: int, footer: str) -> Table:
    duty_map = pack.duty_map
    rules = {r.id for r in pack.rules_for(DUTY_CHECK) if r.active}
    rows: list[tuple[Value, ...]] = []
    for result, agency, shown, findings in files:
        if result.status != "ok":
            continue
        if duty_map is None or result.agency is None:
            rows.append((text["unknown"], shown, None, None, None, text["unidentified"]))
            continue
        assigned = {d.id: (d, uncertain) for d, uncertain in duty_map.duties_of(result.agency[0]) if d.checked}
        if not rules:
            rows.append((agency, shown, len(assigned), None, None, text["not_checked"]))
            continue
        duty_findings = [f for f in findings if f.rule in rules]
        if any(f.subject is None for f in duty_findings):  # the file-level finding: no catalogue sheet
            rows.append((agency, shown, len(assigned), None, None, text["no_catalogue"]))
            continue
        # a finding names the missing duties of one plan sentence (`D164,D165`): each is listed and counted
        missing = sorted((assigned[d] for f in duty_findings for d in f.subject.split(",") if d in assigned),
                         key=lambda m: m[0].id)
        listed = [f"{d.id} {_short(d.text)}{text['uncertain'] if uncertain else ''}" for d, uncertain in missing]
        rows.append((agency, shown, len(assigned), len(assigned) - len(missing), len(missing),
                     text["sep"].join(listed)))
    return _simple(text["t5"], text["h5"], rows, ("text", "text", "int", "int", "int", "text"), year, footer,
                   label_columns=2, notes=(text["note5"],))


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"
