"""Settings resolved once: options over the configuration over defaults; every problem a UsageError (exit 2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import ROOT, cli

from tongzhou_check.settings import UsageError, inputs, resolve

SAMPLE = ROOT / "sample_lists" / "区教委-2018.xlsx"


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tzcheck.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_options_win_over_the_configuration_which_wins_over_defaults(tmp_path: Path) -> None:
    config = _config(tmp_path, 'as_of = "2018-06-30"\nlang = "en"\nfail_on = "warning"\njobs = 3\n'
                               'year = 2017\nignore = ["TZ902"]\n')
    configured = resolve(config=config)
    assert (configured.as_of, configured.lang, configured.fail_on, configured.jobs, configured.year) == (
        dt.date(2018, 6, 30), "en", "warning", 3, 2017)
    assert not configured.pack.rules["TZ902"].active  # the configuration's pack, not the built-in one as loaded
    given = resolve(config=config, as_of="2018-12-31", lang="zh", fail_on="never", jobs=1, year=2018)
    assert (given.as_of, given.lang, given.fail_on, given.jobs, given.year) == (
        dt.date(2018, 12, 31), "zh", "never", 1, 2018)
    empty = resolve(config=_config(tmp_path, ""))
    assert (empty.lang, empty.fail_on, empty.year, empty.baseline) == ("zh", "error", None, None)
    with pytest.raises(AttributeError):
        given.lang = "en"  # frozen: resolved once


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"as_of": "2018-13-01"}, "YYYY-MM-DD"),
        ({"as_of": "0999-01-01"}, "1900–2200"),
        ({"rules": Path("/nonexistent/pack")}, "规则包无效"),
        ({"calendar": Path("/nonexistent/calendar.yaml")}, "日历文件无效"),
        ({"config": Path("/nonexistent/tzcheck.toml")}, "配置无效"),
    ],
)
def test_bad_settings_are_usage_errors(options: dict, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        resolve(**options)


def test_inputs_name_each_files_agency_and_guard_the_outputs(tmp_path: Path) -> None:
    settings = resolve(config=_config(tmp_path, '[agencies]\n"区教委-*.xlsx" = "区教委"\n'))
    given = inputs([str(SAMPLE)], settings)
    assert given.files == [(SAMPLE, SAMPLE.as_posix())] and list(given.agencies.values()) == ["jw"]  # the duty map id of 区教委
    with pytest.raises(UsageError, match="unsupported report format"):
        inputs([str(SAMPLE)], settings, [tmp_path / "r.pdf"], (".json",))
    with pytest.raises(UsageError, match="overwrite an input"):
        inputs([str(SAMPLE)], settings, [SAMPLE], (".xlsx",))
    with pytest.raises(UsageError, match="no such file"):
        inputs([str(tmp_path / "missing.xlsx")], settings)


@pytest.mark.parametrize(
    "args",
    [
        ["workdays", "2018-09-28", "--add", "1", "--days", "1"],
        ["workdays", "2099-01-01", "--add", "1"],
        ["duties", "区不存在局"],
        ["rules", "show", "TZ999"],
        ["template", "-o", "{tmp}/t.csv"],
        ["report", str(SAMPLE), "-o", "{tmp}/a.json"],
        ["baseline", "create", "{tmp}/missing.xlsx", "-o", "{tmp}/b.json"],
    ],
)
def test_every_command_turns_a_usage_error_into_exit_2(args: list[str], tmp_path: Path) -> None:
    code, out, err = cli(*[a.format(tmp=tmp_path) for a in args])
    assert code == 2 and "tzcheck:" in err and "Traceback" not in err + out
