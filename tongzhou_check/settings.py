"""Settings resolved once: command-line options over the configuration file over defaults, into a frozen object.

Every command that audits reads its pack, calendar, dates, language, gate, jobs and baseline from here, so the
precedence is written once. A problem is a UsageError (exit 2) with a message in both languages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import glob
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tongzhou_check.audityear import Pin
from tongzhou_check.config import Config, ConfigError, apply_config, find_config, load_config
from tongzhou_check.engine import today
from tongzhou_check.inputs import STDIN, NoInput, gather
from tongzhou_check.model import Report
from tongzhou_check.pack import load_pack
from tongzhou_check.packtypes import Pack, PackError
from tongzhou_check.reader import DEFAULT_LIMITS, Limits
from tongzhou_check.reader.opening import SUFFIXES as WORKBOOK_SUFFIXES
from tongzhou_check.sources import Source, is_url
from tongzhou_check.text import did_you_mean
from tongzhou_check.workdays import FIRST_YEAR, LAST_YEAR, Calendar, CalendarError, load_calendar


def available_cores() -> int:
    """The cores this process may run on (a container's or a CPU set's, not the machine's): --jobs' default."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class UsageError(Exception):
    """A bad option, configuration, pack or input: the command exits 2 with this message."""


@dataclass(frozen=True)
class Settings:
    """What an audit runs with, whichever of option, configuration or default gave it."""

    config: Config
    pack: Pack
    calendar: Calendar
    as_of: dt.date | None  # None: each workbook's year's end when it is over, else today (audityear)
    year: int | None  # None: the year of as_of, else each workbook's own (its title, file name or dates)
    lang: str
    fail_on: str
    jobs: int
    scheduler: str | None  # a Dask scheduler's address or local:N: the audit runs there instead of --jobs
    limits: Limits  # what reading one file may cost (--max-cells, --max-uncompressed)
    agency: str | None  # --agency (every file's), else the configuration's mapping per file
    baseline: Path | None
    sources: dict[str, str] = field(default_factory=dict)  # setting → "option" | "config" (absent: default)
    exclude: tuple[str, ...] = ()  # globs of files never audited
    selection: Config | None = None  # the configuration with the command line's selection applied (--show-settings)

    @property
    def pin(self) -> Pin:
        """What the options and the configuration fix of each workbook's year and as-of."""
        return Pin(year=self.year, as_of=self.as_of, year_from=self.sources.get("year", "option"),
                   as_of_from=self.sources.get("as_of", "option"))


def parse_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"日期应为 YYYY-MM-DD / a date must be YYYY-MM-DD: {text!r}") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise UsageError(f"日期应在 {FIRST_YEAR}–{LAST_YEAR} 年之间 / a date must be in {FIRST_YEAR}–{LAST_YEAR}: "
                         f"{text!r}")
    return day


def read_config(path: Path | None) -> Config:
    try:
        return load_config(path) if path else find_config()
    except ConfigError as exc:
        raise UsageError(f"配置无效 / invalid configuration: {exc}") from None


def read_pack(location: Path | None) -> Pack:
    try:
        return load_pack(location)
    except PackError as exc:
        raise UsageError(f"规则包无效 / invalid rule pack: {exc.file}: {exc.path}: {exc.problem}") from None


def read_calendar(path: Path | None, pack: Pack | None = None) -> Calendar:
    """The official calendar; a --calendar file wins over the one the pack names."""
    try:
        return load_calendar(path or (pack.calendar_file() if pack else None))
    except CalendarError as exc:
        raise UsageError(f"日历文件无效 / invalid calendar file: {exc}") from None


SEVERITIES = ("error", "warning", "info")


def rule_id(pack: Pack, name: str, where: str) -> str:
    """A rule named by id or slug; a usage error naming the option, with the closest rule, when there is none."""
    rule = pack.rule(name)
    if rule is None:
        hint = did_you_mean(name, [*pack.rules, *(r.slug for r in pack.rules.values())])
        raise UsageError(f"{where}: 没有这条规则 / no such rule: {name}{hint}")
    return rule.id


def _selection(pack: Pack, cfg: Config, select: Sequence[str] | None, ignore: Sequence[str] | None,
               extend_select: Sequence[str] | None, severity: Sequence[str] | None) -> Config:
    """The configuration with the command line's rule selection and severities over its own (each option may be
    repeated, or hold a comma-separated list: `--select TZ201,TZ205`)."""
    select, ignore, extend_select, severity = (
        [part.strip() for item in names or () for part in item.split(",") if part.strip()]
        for names in (select, ignore, extend_select, severity))
    values = dict(cfg.values)
    if select:
        values["select"] = [rule_id(pack, n, "--select") for n in select]
    if ignore:
        values["ignore"] = [rule_id(pack, n, "--ignore") for n in ignore]
    if extend_select:
        extra = [rule_id(pack, n, "--extend-select") for n in extend_select]
        if values.get("select"):
            values["select"] = [*values["select"], *extra]
        ignored = {rule.id if (rule := pack.rule(n)) else n for n in values.get("ignore", [])}
        values["ignore"] = sorted(ignored - set(extra))
    if severity:
        levels = dict(values.get("severity", {}))
        for item in severity:
            name, _, level = item.partition("=")
            if level.strip().lower() not in SEVERITIES:
                raise UsageError(f"--severity 应为 规则=级别(error、warning、info)/ --severity must be RULE=LEVEL "
                                 f"(error, warning, info): {item!r}")
            levels[rule_id(pack, name.strip(), "--severity")] = level.strip().lower()
        values["severity"] = levels
    return dataclasses.replace(cfg, values=values)


def resolve(*, config: Path | None = None, rules: Path | None = None, as_of: str | None = None,
            year: int | None = None, calendar: Path | None = None, lang: str | None = None,
            fail_on: str | None = None, jobs: int | None = None, agency: str | None = None,
            baseline: Path | None = None, scheduler: str | None = None, select: Sequence[str] | None = None,
            ignore: Sequence[str] | None = None, extend_select: Sequence[str] | None = None,
            severity: Sequence[str] | None = None, exclude: Sequence[str] | None = None,
            max_cells: int | None = None, max_uncompressed_mib: int | None = None) -> Settings:
    """Options (None where not given) over the configuration over defaults."""
    cfg = read_config(config)
    pack = read_pack(rules or cfg.resolve("rules"))
    given = {"rules": rules, "as_of": as_of, "year": year, "calendar": calendar, "lang": lang, "fail_on": fail_on,
             "jobs": jobs, "scheduler": scheduler, "agency": agency, "baseline": baseline,
             "select": select or extend_select or None,
             "ignore": ignore, "severity": severity, "exclude": exclude}
    sources = {key: "option" if value is not None else "config" for key, value in given.items()
               if value is not None or cfg.get(key) is not None}
    selected = _selection(pack, cfg, select, ignore, extend_select, severity)
    try:
        pack = apply_config(pack, selected)
    except ConfigError as exc:
        raise UsageError(f"配置无效 / invalid configuration: {exc}") from None
    pinned = as_of or cfg.get("as_of")
    return Settings(
        config=cfg,
        pack=pack,
        calendar=read_calendar(calendar or cfg.resolve("calendar"), pack),
        as_of=None if pinned is None else parse_date(pinned),
        year=year or cfg.get("year"),
        lang=lang or cfg.get("lang", "zh"),
        fail_on=fail_on or cfg.get("fail_on", "error"),
        jobs=jobs or cfg.get("jobs") or available_cores(),
        scheduler=scheduler or cfg.get("scheduler") or None,
        limits=Limits(max_cells=max_cells or cfg.get("max_cells") or DEFAULT_LIMITS.max_cells,
                      max_uncompressed=(max_uncompressed_mib or cfg.get("max_uncompressed_mib") or 0) << 20
                      or DEFAULT_LIMITS.max_uncompressed),
        agency=agency,
        baseline=baseline or cfg.resolve("baseline"),
        sources=sources,
        exclude=tuple(exclude or cfg.get("exclude", ())),
        selection=selected,
    )


def appendix_pin(settings: Settings) -> Pin:
    """The annual appendix's year and as-of: --year, else the as-of's year, else the workbooks' own year (last
    year when none says), at the year's end once it is over; the records' dates are counted per year."""
    return dataclasses.replace(settings.pin, fallback=today().year - 1, count_dates=True)


def appendix_year(report: Report) -> int:
    """The one year the appendix is for; a usage error when the workbooks are of different years, or when they
    hold dated records but none in that year (an appendix of zeros would mislead)."""
    periods = [(f.path, f.period) for f in report.files if f.period is not None]
    years: dict[int, list[str]] = {}
    for path, period in periods:
        years.setdefault(period.year, []).append(path)
    if len(years) > 1:
        listed = "; ".join(f"{year}: {', '.join(paths)}" for year, paths in sorted(years.items()))
        raise UsageError(f"工作簿的年度不同,请用 --year 指定报告年度 / the workbooks are of different years, give "
                         f"--year: {listed}")
    year = next(iter(years), today().year - 1)
    dated = sorted({y for _, period in periods for y, _ in period.dated})
    if dated and not any(period.dated_in(year) for _, period in periods):
        found = ", ".join(map(str, dated))
        raise UsageError(f"没有工作簿含有 {year} 年的记录(记录日期的年份:{found}),不生成全为零的附件;"
                         f"请用 --year 指定年度 / no workbook holds records of {year} (their records are dated "
                         f"{found}); give the year with --year")
    return year


@dataclass(frozen=True)
class Inputs:
    files: list[tuple[Source, str]]  # (path or URL, as shown in reports)
    agencies: dict[str, str]  # path as shown → agency id
    skipped: list[str] = field(default_factory=list)  # named files that are no workbook
    excluded: int = 0  # files left out by --exclude
    irregular: list[str] = field(default_factory=list)  # named workbooks that are no regular file (never opened)


ANNOTATABLE = (".xlsx", ".xlsm")  # what an annotated copy can be made of (annotate.py, openpyxl)


def names_one_file(paths: Sequence[str]) -> bool:
    """Whether the command line names exactly one workbook file — not a directory, a glob or several paths, which
    may hold any number of workbooks (stdin, `-`, is one file)."""
    if len(paths) != 1:
        return False
    name = paths[0]
    if name == STDIN:
        return True
    if is_url(name):
        return not glob.has_magic(name) and PurePosixPath(name).suffix.lower() in WORKBOOK_SUFFIXES
    path = Path(name)
    if path.exists() or path.is_symlink():
        return not path.is_dir()
    return not glob.has_magic(name)


def annotated_copies(paths: Sequence[str], outputs: Sequence[Path]) -> list[Path]:
    """The .xlsx outputs that are annotated copies: all of them when the command line names one workbook file, else
    none (each is then the findings export, formats/export.py)."""
    return [t for t in outputs if t.suffix.lower() == ".xlsx"] if names_one_file(paths) else []


def _identity(path: Path) -> tuple[int, int] | str:
    """What a file is, whatever names it: its device and inode (a hard link is the same file), else its path."""
    try:
        info = path.stat()
        return (info.st_dev, info.st_ino)
    except (OSError, RuntimeError):
        return os.path.abspath(path)


def writable(target: Path) -> None:
    """A file that cannot be written (no such directory, a directory, no permission) is a usage error, found
    before any work is done."""
    parent = target.parent
    problem = None
    if target.is_dir():
        problem = "是一个目录 / is a directory"
    elif not parent.is_dir():
        problem = f"目录不存在 / no such directory: {parent}"
    elif not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        problem = "没有写入权限 / permission denied"
    if problem:
        raise UsageError(f"无法写入 / cannot write {target}: {problem}")


def inputs(paths: list[str], settings: Settings, outputs: list[Path] = (), suffixes: tuple[str, ...] = (),
           copies: list[Path] = (), stdin: Path | None = None) -> Inputs:
    """The files to audit, each one's agency, and the report files checked before any work: a known suffix,
    writable, never an input; `copies` (annotated workbooks) need exactly one .xlsx or .xlsm input."""
    for target in outputs:
        if target.suffix.lower() not in suffixes:
            raise UsageError(f"不支持的报告格式 / unsupported report format: {target} "
                             f"(supported: {', '.join(suffixes)})")
    try:
        expanded = gather(paths, settings.exclude, stdin)
    except NoInput as exc:
        raise UsageError(str(exc)) from None
    files = expanded.files
    read = {_identity(Path(path)) for path, _ in files if not is_url(path)}
    for target in outputs:
        if target.is_symlink() and not target.exists():  # a loop, or a link to nowhere
            raise UsageError(f"无法写入 / cannot write {target}: 符号链接无效 / a broken or looping symbolic link")
        if _identity(target) in read:
            raise UsageError(f"报告文件不能覆盖被检查的工作簿 / the report would overwrite an input workbook: {target}")
        writable(target)
    if copies and len(files) != 1:
        raise UsageError("批注副本(.xlsx)只能针对一个工作簿 / "
                         "an annotated copy (.xlsx) needs exactly one input workbook")
    if copies and PurePosixPath(str(files[0][0])).suffix.lower() not in ANNOTATABLE:  # a path or a URL
        raise UsageError(f"无法生成批注副本 / cannot write the annotated copy: {files[0][0]}: "
                         "只有 .xlsx 和 .xlsm 工作簿可以生成批注副本 / only .xlsx and .xlsm workbooks can be annotated")
    duty_map = settings.pack.duty_map
    agencies = {}
    for _, shown in files:
        name = settings.agency or settings.config.agency_for(shown) or settings.config.get("agency")
        if name is None:
            continue
        found = duty_map.lookup(name) if duty_map else None
        if found is None:
            names = [n for a in duty_map.agencies.values() for n in a.names] if duty_map else []
            raise UsageError(f"未知单位 / unknown agency: {name}{did_you_mean(name, names)} "
                             "(tzcheck duties lists them)")
        agencies[shown] = found
    return Inputs(files, agencies, expanded.skipped, expanded.excluded, expanded.irregular)
