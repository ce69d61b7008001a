"""附表3: Table 三 of the national annual-report format (国办公开办函〔2021〕30号, or the 2019 trial format)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tongzhou_check.appendix.facts import CARRIED, NEW, OPEN
from tongzhou_check.grids import Merge, Table, Value
from tongzhou_check.model import Unplaced
from tongzhou_check.packtypes import Kind

FORMATS = ("2021", "2019")
COLLAPSED = {"2021": frozenset(), "2019": frozenset({"其他处理"})}  # groups the format gives one row only
GROUP_NUMBERS = "一二三四五六七八九十"
LABELS = 3  # label columns: section, group, leaf
LISTED = 50  # unplaced applications listed one by one; the rest are counted

TEXT = {
    "zh": {
        "title": "附表3 依申请公开办理情况({year}年度,{fmt}年格式)",
        # the national format's own labels, with its punctuation: full-width brackets, colons and commas
        "corner": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "group": "（{number}）{label}{note}", "leaf": "{i}.{label}", "quotes": "“”",
        "applicants": "申请人情况", "person": "自然人", "organisation": "法人或其他组织", "total": "总计",
        "types": {},
        NEW: "一、本年新收政府信息公开申请数量", CARRIED: "二、上年结转政府信息公开申请数量",
        "results": "三、本年度办理结果", "sum": "总计", OPEN: "四、结转下年度继续办理",
        "note": {"部分公开": "（区分处理的，只计这一情形，不计其他情形）"},
        "balance": "勾稽关系 一+二 = (七)总计+四:{detail}",
        "leaves": "勾稽关系 (七)总计 = 各项办理结果之和:{detail}",
        "columns": "勾稽关系 总计 = 六类申请人之和:{detail}",
        "ok": "✓ 各列相符", "bad": "✗ 不符:{items}", "rows_ok": "✓ 各行相符",
        "column_bad": "{column}({left} ≠ {right})", "row_bad": "{row}({left} ≠ {right})",
        "unplaced": "未能归入本表的申请共 {count} 件(请核对后补全,勾稽不符多由此引起):",
        "source": "统计来源:{sheets} 张依申请公开登记表,共 {rows} 条记录。",
        "no_source": "未读到依申请公开登记表,本表各项均为 0。",
        "entry": "{file} · {sheet} · {cell}:{reason}{value}", "more": "另有 {count} 件未逐条列出:{reasons}。",
        "by_reason": "{column} {count} 件", "join": "、",
        "whole": "{file} · {sheet}:缺少“{column}”列,{count} 件申请无法归类",
        "reason": {"received": "收到日期缺失或无法识别,无法判断是否属于本年度",
                   "applicant": "申请人类型缺失或不在六类之中",
                   "outcome": "已答复但处理结果缺失或无法对应本表各项",
                   "replied": "答复日期无法识别或早于本年度,无法判断是否已办结"},
        "value": "(填写为“{value}”)",
    },
    "en": {
        "title": "Table 3 Applications for disclosure ({year}, {fmt} format)",
        "corner": "(Item 1 + item 2 = item 3 total + item 4 in every column)",
        "applicants": "Applicants", "person": "Natural persons",
        "organisation": "Legal persons and other organisations", "total": "Total",
        "types": {"商业企业": "Businesses", "科研机构": "Research institutions",
                  "社会公益组织": "Public-interest organisations", "法律服务机构": "Legal service providers",
                  "其他": "Others"},
        NEW: "1. Applications received this year", CARRIED: "2. Applications carried over from last year",
        "results": "3. Outcomes this year", "sum": "Total", OPEN: "4. Carried over to next year",
        "note": {}, "group": "({number}){label}{note}", "leaf": "{i}.{label}", "quotes": '""',
        "balance": "Check 1 + 2 = 3 (total) + 4: {detail}", "leaves": "Check 3 (total) = sum of the outcomes: {detail}",
        "columns": "Check Total = sum of the six applicant columns: {detail}",
        "ok": "✓ every column agrees", "bad": "✗ differs: {items}", "rows_ok": "✓ every row agrees",
        "column_bad": "{column} ({left} ≠ {right})", "row_bad": "{row} ({left} ≠ {right})",
        "source": "Counted from {sheets} application logs, {rows} records in all.",
        "no_source": "No application log was read: every cell of this table is 0.",
        "unplaced": "{count} applications could not be placed in this table (complete them; they explain any "
                    "failed check):",
        "entry": "{file} · {sheet} · {cell}: {reason}{value}", "more": "{count} more not listed one by one: {reasons}.",
        "by_reason": "{column}: {count}", "join": ", ",
        "whole": "{file} · {sheet}: no “{column}” column, {count} applications cannot be placed",
        "reason": {"received": "the date received is missing or unreadable, so the year is unknown",
                   "applicant": "the applicant type is missing or not one of the six",
                   "outcome": "replied, but the outcome is missing or matches no row of the table",
                   "replied": "the reply date is unreadable or before the year, so it is unknown whether it was "
                              "handled"},
        "value": " (written as “{value}”)",
    },
}


@dataclass(frozen=True)
class Line:
    """A body row: its three label cells and the facts rows it sums (an empty tuple: the row (七)总计)."""

    labels: tuple[str | None, str | None, str | None]
    keys: tuple[str, ...]


def _lines(tree: Sequence[tuple[str, Sequence[str]]], fmt: str, text: dict) -> list[Line]:
    lines = [Line((text[NEW], None, None), (NEW,)), Line((text[CARRIED], None, None), (CARRIED,))]
    for n, (group, leaves) in enumerate(tree):
        section = text["results"] if n == 0 else None  # 三、本年度办理结果 spans the results block
        label = text["group"].format(number=GROUP_NUMBERS[n], label=group, note=text["note"].get(group, ""))
        if not leaves:
            lines.append(Line((section, label, None), (group,)))
        elif group in COLLAPSED[fmt]:
            lines.append(Line((section, label, None), tuple(f"{group}/{leaf}" for leaf in leaves)))
        else:
            lines += [Line((section if i == 1 else None, label if i == 1 else None,
                            text["leaf"].format(i=i, label=_quoted(leaf, text["quotes"]))),
                           (f"{group}/{leaf}",)) for i, leaf in enumerate(leaves, start=1)]
    lines.append(Line((None, text["group"].format(number=GROUP_NUMBERS[len(tree)], label=text["sum"], note=""),
                       None), ()))
    lines.append(Line((text[OPEN], None, None), (OPEN,)))
    return lines


def _quoted(label: str, quotes: str) -> str:
    """A label's straight double quotes as the format prints them (`危及"三安全一稳定"` → `危及“三安全一稳定”`)."""
    parts = label.split('"')
    if len(parts) % 2 == 0:  # an unpaired quote is left as written
        return label
    return "".join(p if k % 2 == 0 else f"{quotes[0]}{p}{quotes[1]}" for k, p in enumerate(parts))


def _merges(lines: list[Line], top: int) -> list[Merge]:
    """The national table's merged label cells: whole-width labels, vertical group labels, the results block."""
    merges = []
    for i, line in enumerate(lines):
        r = top + i
        if line.labels[0] and line.labels[1] is None:
            merges.append(Merge(r, 0, r, LABELS - 1))
        elif line.labels[1] and line.labels[2] is None:
            merges.append(Merge(r, 1, r, LABELS - 1))
        elif line.labels[1]:  # first leaf of a group: the group label spans its leaves
            end = next(j for j in range(i + 1, len(lines)) if lines[j].labels[1] or lines[j].labels[2] is None)
            merges.append(Merge(r, 1, top + end - 1, 1))
    first, last = 2, len(lines) - 2  # the results block between 二 and 四
    merges.append(Merge(top + first, 0, top + last, 0))
    return merges


def table3(application: Kind, cols: dict[str, str], facts: Sequence[tuple[str, Counter]],
           unplaced: Sequence[tuple[str, Unplaced]], sources: tuple[int, int], year: int, fmt: str, lang: str,
           footer: str) -> Table:
    """Table 三 from every file's application counts (file, Counter of (row, type)), with its cross-checks.

    `sources`: how many application sheets and records were read, said under the table (0 is not "no data").

    The columns are the application kind's applicant types (自然人, then the five kinds of organisation), the rows
    its outcome tree: the values a clerk may write are exactly the cells the table has. `cols`: the pack's
    `appendix.applications` (the column key of each role).
    """
    text = TEXT[lang]
    applicants = application.columns[cols["applicant"]].values
    organisations = [text["types"].get(a, a) for a in applicants[1:]]
    lines = _lines(application.columns[cols["outcome"]].tree, fmt, text)
    counts: Counter = Counter()
    for _, tally in facts:
        counts.update(tally)
    n, total = len(applicants), LABELS + len(applicants)  # applicant columns; the 总计 column's index
    header: list[tuple[Value, ...]] = [
        (text["corner"], None, None, text["applicants"], *[None] * n),
        (None, None, None, text["person"], text["organisation"], *[None] * (n - 2), text["total"]),
        (None, None, None, None, *organisations, None),
    ]
    values = [[sum(counts[(key, a)] for key in line.keys) for a in applicants] for line in lines]
    total_line = len(lines) - 2  # (七)总计, between the outcome rows and 四
    results = range(2, total_line)  # the outcome rows, after 一 and 二
    values[total_line] = [sum(values[i][c] for i in results) for c in range(n)]
    body = [(*line.labels, *row, sum(row)) for line, row in zip(lines, values, strict=True)]
    merges = [Merge(0, 0, 2, LABELS - 1), Merge(0, LABELS, 0, total), Merge(1, LABELS, 2, LABELS),
              Merge(1, LABELS + 1, 1, total - 1), Merge(1, total, 2, total)]
    merges += _merges(lines, len(header))
    columns = [text["person"], *organisations, text["total"]]
    headers = {role: application.columns[key].header for role, key in cols.items() if role != "kind"}
    source = text["source"].format(sheets=sources[0], rows=sources[1]) if sources[0] else text["no_source"]
    notes = [source, *_checks(body, results, total_line, columns, text), *_unplaced(unplaced, headers, text)]
    return Table(
        sheet="附表3 依申请公开" if lang == "zh" else "Table 3 Applications",
        title=text["title"].format(year=year, fmt=fmt),
        grid=tuple(header) + tuple(body),
        header_rows=len(header),
        formats=("text",) * LABELS + ("int",) * (n + 1),
        label_columns=LABELS,
        merges=tuple(merges),
        notes=tuple(notes),
        footer=footer,
    )


def _checks(body: list[tuple], results: range, total_line: int, columns: list[str], text: dict) -> list[str]:
    """The national format's cross-checks, computed from the cells as written."""
    numbers = [row[LABELS:] for row in body]
    open_line = len(body) - 1
    balance = [text["column_bad"].format(column=columns[c], left=numbers[0][c] + numbers[1][c],
                                         right=numbers[total_line][c] + numbers[open_line][c])
               for c in range(len(columns))
               if numbers[0][c] + numbers[1][c] != numbers[total_line][c] + numbers[open_line][c]]
    leaves = [text["column_bad"].format(column=columns[c], left=numbers[total_line][c],
                                        right=sum(numbers[i][c] for i in results))
              for c in range(len(columns)) if numbers[total_line][c] != sum(numbers[i][c] for i in results)]
    rows = [text["row_bad"].format(row=_label(body[i]), left=numbers[i][-1], right=sum(numbers[i][:-1]))
            for i in range(len(body)) if numbers[i][-1] != sum(numbers[i][:-1])]

    def verdict(problems: list[str], ok: str) -> str:
        return text[ok] if not problems else text["bad"].format(items=text["join"].join(problems))

    return [text["balance"].format(detail=verdict(balance, "ok")),
            text["leaves"].format(detail=verdict(leaves, "ok")),
            text["columns"].format(detail=verdict(rows, "rows_ok"))]


def _label(row: tuple) -> str:
    return next(str(v) for v in reversed(row[:LABELS]) if v) if any(row[:LABELS]) else ""


def _unplaced(entries: Sequence[tuple[str, Unplaced]], headers: dict[str, str], text: dict) -> list[str]:
    """Applications that no cell counts, each with its file, sheet and cell."""
    if not entries:
        return []
    total = sum(u.count for _, u in entries)
    lines = [text["unplaced"].format(count=total)]
    for file, u in entries[:LISTED]:
        if u.cell is None:
            lines.append(text["whole"].format(file=file, sheet=u.sheet, column=headers[u.reason],
                                              count=u.count))
        else:
            value = text["value"].format(value=u.value) if u.value else ""
            lines.append(text["entry"].format(file=file, sheet=u.sheet, cell=u.cell, reason=text["reason"][u.reason],
                                              value=value))
    rest: Counter = Counter()
    for _, u in entries[LISTED:]:
        rest[u.reason] += u.count
    if rest:
        reasons = text["join"].join(text["by_reason"].format(column=headers[reason], count=n)
                                    for reason, n in sorted(rest.items()))
        lines.append(text["more"].format(count=sum(rest.values()), reasons=reasons))
    return lines
