"""Settings resolved once: command-line options over the configuration file over defaults, into a frozen object.

Every command that audits reads its pack, calendar, dates, language, gate, jobs and baseline from here, so the
precedence is written once. A problem is a UsageError (exit 2) with a message in both languages.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from tongzhou_check.config import Config, ConfigError, apply_config, find_config, load_config
from tongzhou_check.engine import today
from tongzhou_check.inputs import NoInput, expand
from tongzhou_check.pack import load_pack
from tongzhou_check.packtypes import Pack, PackError
from tongzhou_check.reader import DEFAULT_LIMITS, Limits
from tongzhou_check.sources import Source, is_url
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
    as_of: dt.date
    year: int | None  # None: the year of as_of
    lang: str
    fail_on: str
    jobs: int
    scheduler: str | None  # a Dask scheduler's address or local:N: the audit runs there instead of --jobs
    limits: Limits  # what reading one file may cost (--max-cells, --max-uncompressed)
    agency: str | None  # --agency (every file's), else the configuration's mapping per file
    baseline: Path | None


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


def resolve(*, config: Path | None = None, rules: Path | None = None, as_of: str | None = None,
            year: int | None = None, calendar: Path | None = None, lang: str | None = None,
            fail_on: str | None = None, jobs: int | None = None, agency: str | None = None,
            baseline: Path | None = None, scheduler: str | None = None, max_cells: int | None = None,
            max_uncompressed_mib: int | None = None) -> Settings:
    """Options (None where not given) over the configuration over defaults."""
    cfg = read_config(config)
    pack = read_pack(rules or cfg.resolve("rules"))
    try:
        pack = apply_config(pack, cfg)
    except ConfigError as exc:
        raise UsageError(f"配置无效 / invalid configuration: {exc}") from None
    pinned = as_of or cfg.get("as_of")
    return Settings(
        config=cfg,
        pack=pack,
        calendar=read_calendar(calendar or cfg.resolve("calendar"), pack),
        as_of=today() if pinned is None else parse_date(pinned),
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
    )


@dataclass(frozen=True)
class Inputs:
    files: list[tuple[Source, str]]  # (path or URL, as shown in reports)
    agencies: dict[str, str]  # path as shown → agency id


def inputs(paths: list[str], settings: Settings, outputs: list[Path] = (), suffixes: tuple[str, ...] = ()
           ) -> Inputs:
    """The files to audit, each one's agency, and the report files checked: a known suffix, never an input."""
    for target in outputs:
        if target.suffix.lower() not in suffixes:
            raise UsageError(f"不支持的报告格式 / unsupported report format: {target} "
                             f"(supported: {', '.join(suffixes)})")
    try:
        files = expand(paths)
    except NoInput as exc:
        raise UsageError(str(exc)) from None
    read = {Path(path).resolve() for path, _ in files if not is_url(path)}
    for target in outputs:
        if target.resolve() in read:
            raise UsageError(f"报告文件不能覆盖被检查的工作簿 / the report would overwrite an input workbook: {target}")
    duty_map = settings.pack.duty_map
    agencies = {}
    for _, shown in files:
        name = settings.agency or settings.config.agency_for(shown) or settings.config.get("agency")
        if name is None:
            continue
        found = duty_map.lookup(name) if duty_map else None
        if found is None:
            raise UsageError(f"未知单位 / unknown agency: {name} (tzcheck duties lists them)")
        agencies[shown] = found
    return Inputs(files, agencies)
