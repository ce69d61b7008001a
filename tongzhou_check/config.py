"""Project configuration: `tzcheck.toml`, or `[tool.tzcheck]` in `pyproject.toml`, found from the working directory up.

Validated with a JSON Schema; command-line options win over it. It selects and ignores rules, overrides their
severity and parameters, names the rule pack, as-of date, calendar file and agency of each file, and adds header
aliases to the pack's kinds.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from tongzhou_check.checks import CHECKS
from tongzhou_check.model import Severity
from tongzhou_check.pack import check_params
from tongzhou_check.packtypes import Pack, PackError
from tongzhou_check.schema import load_schema, schema_error
from tongzhou_check.text import TextFileError, read_text_file

CONFIG_FILE = "tzcheck.toml"


class ConfigError(Exception):
    """An invalid configuration: names the file and the key."""


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def resolve(self, key: str) -> Path | None:
        """A path option, relative to the configuration file."""
        value = self.values.get(key)
        if value is None:
            return None
        path = Path(value)
        return path if path.is_absolute() or self.path is None else self.path.parent / path

    def agency_for(self, file: str) -> str | None:
        """The agency the `agencies` mapping gives a file (by file name or glob)."""
        name = PurePath(file).name
        for pattern, agency in self.values.get("agencies", {}).items():
            if PurePath(name).match(pattern) or PurePath(file).match(pattern):
                return agency
        return None


def find_config(start: Path | None = None) -> Config:
    """The nearest tzcheck.toml, or pyproject.toml with [tool.tzcheck], from `start` upwards; else empty."""
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return load_config(candidate)
        project = folder / "pyproject.toml"
        if project.is_file():
            doc = _toml(project)
            if "tzcheck" in doc.get("tool", {}):
                return _validated(project, doc["tool"]["tzcheck"], "tool.tzcheck.")
    return Config()


def _toml(path: Path) -> dict:
    try:
        return tomllib.loads(read_text_file(path))
    except TextFileError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from None


def load_config(path: Path) -> Config:
    return _validated(path, _toml(path), "")


def _validated(path: Path, values: dict, prefix: str) -> Config:
    error = schema_error(values, load_schema("config.schema.json"))
    if error is not None:
        where = prefix + ".".join(str(p) for p in error.absolute_path) if error.absolute_path else prefix.rstrip(".")
        if error.validator == "additionalProperties":
            unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            where, problem = prefix + ".".join([*map(str, error.absolute_path), unknown[0]]), "unknown key"
        else:
            problem = error.message
        raise ConfigError(f"{path}: {where or '(top level)'}: {problem}")
    return Config(path, values)


def apply_config(pack: Pack, config: Config) -> Pack:
    """The pack as the configuration changes it: rules selected or ignored, severities, parameters, aliases."""
    where = str(config.path)

    def rule_of(name: str, key: str) -> str:
        rule = pack.rule(name)
        if rule is None:
            raise ConfigError(f"{where}: {key}: unknown rule {name!r}")
        return rule.id

    select = {rule_of(n, "select") for n in config.get("select", [])}
    ignore = {rule_of(n, "ignore") for n in config.get("ignore", [])}
    rules = {}
    for rule_id, rule in pack.rules.items():
        off = (select and rule_id not in select) or rule_id in ignore
        rules[rule_id] = dataclasses.replace(rule, status="planned") if off and rule.active else rule
    for name, level in config.get("severity", {}).items():
        rule_id = rule_of(name, f"severity.{name}")
        rules[rule_id] = dataclasses.replace(rules[rule_id], severity=Severity[level])
    for name, params in config.get("params", {}).items():
        rule_id = rule_of(name, f"params.{name}")
        rule = rules[rule_id]
        merged = {**rule.params, **params}
        check = CHECKS.get(rule.check or "")
        if check is None:
            raise ConfigError(f"{where}: params.{name}: {rule_id} takes no parameters")
        try:  # the same validation, shape and meaning, as the pack's own parameters
            check_params(check, merged, pack.kinds.get(rule.kind or ""), where, f"params.{name}")
        except PackError as exc:
            raise ConfigError(f"{where}: {exc.path}: {exc.problem}") from None
        rules[rule_id] = dataclasses.replace(rule, params=merged)
    kinds = dict(pack.kinds)
    for kind_key, columns in config.get("aliases", {}).items():
        if kind_key not in kinds:
            raise ConfigError(f"{where}: aliases.{kind_key}: unknown sheet kind")
        kind = kinds[kind_key]
        cols = dict(kind.columns)
        for col_key, aliases in columns.items():
            if col_key not in cols:
                raise ConfigError(f"{where}: aliases.{kind_key}.{col_key}: unknown column")
            cols[col_key] = dataclasses.replace(cols[col_key], aliases=(*cols[col_key].aliases, *aliases))
        kinds[kind_key] = dataclasses.replace(kind, columns=cols)
    return dataclasses.replace(pack, rules=rules, kinds=kinds)
