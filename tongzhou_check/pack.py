"""Rule packs: load pack.yaml, kinds.yaml and rules/*.yaml, validate them with JSON Schema, build Pack."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pandas as pd
import yaml

from tongzhou_check.dutymap import Agency, Duty, DutyMap
from tongzhou_check.model import Severity
from tongzhou_check.text import YamlLoader, norm_header, squash

BUILTIN_PACK = "tongzhou-2018"


class PackError(Exception):
    """An invalid rule pack: names the file and the JSON path of the problem."""

    def __init__(self, file: Path | str, path: str, problem: str) -> None:
        self.file, self.path, self.problem = str(file), path, problem
        super().__init__(f"{file}: {path}: {problem}")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]
    type: str
    required: bool = False
    values: tuple[str, ...] = ()
    value_aliases: dict[str, str] = field(default_factory=dict)
    sample: Any = None
    tree: tuple[tuple[str, tuple[str, ...]], ...] = ()  # a two-level enumeration: (group, leaves)

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Kind:
    key: str
    title: dict[str, str]
    names: tuple[str, ...]
    columns: dict[str, Column]
    keys: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    date_order: tuple[tuple[str, str], ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(k for k, c in self.columns.items() if c.required)


@dataclass(frozen=True)
class Reading:
    placeholders: frozenset[str]
    notes_prefixes: tuple[str, ...]
    header_suffixes: tuple[str, ...]
    header_scan_rows: int
    check_marks: frozenset[str]
    channel_ticked: tuple[str, ...]
    channel_unticked: tuple[str, ...]
    waiver_headers: tuple[str, ...]
    agency_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    slug: str
    severity: Severity
    scope: str
    clause: str
    quote: str
    title: dict[str, str]
    description: dict[str, str]
    message: dict[str, str]
    kind: str | None = None
    status: str = "active"
    check: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    raised_by: tuple[str, ...] = ()
    basis: str = ""
    examples: dict[str, list[dict]] = field(default_factory=dict)
    file: str = ""

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    sha256: str
    title: dict[str, str]
    messages: dict[str, dict[str, str]]
    reading: Reading
    kinds: dict[str, Kind]
    rules: dict[str, Rule]
    root: str
    calendar: str | None = None
    duty_map: DutyMap | None = None

    def rule(self, name: str) -> Rule | None:
        """A rule by id (`TZ201`) or slug (`comment-window`), case-insensitive for the id."""
        name = name.strip()
        if name.upper() in self.rules:
            return self.rules[name.upper()]
        return next((r for r in self.rules.values() if r.slug == name.lower()), None)

    def rules_for(self, check: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.active and r.check == check]


def builtin_pack_dir() -> Path:
    """The built-in pack: shipped inside the wheel, or the repository's rules/ in a source checkout."""
    shipped = resources.files("tongzhou_check") / "rules" / BUILTIN_PACK
    if shipped.is_dir():
        return Path(str(shipped))
    return Path(__file__).resolve().parent.parent / "rules" / BUILTIN_PACK


def _schema(name: str) -> dict:
    return json.loads((resources.files("tongzhou_check") / "schemas" / name).read_text("utf-8"))


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text("utf-8"), Loader=YamlLoader)
    except FileNotFoundError:
        raise PackError(path, "$", "file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "$"
        raise PackError(path, where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None


_VALIDATORS: dict[str, jsonschema.protocols.Validator] = {}


def schema_error(doc: Any, schema: dict) -> jsonschema.ValidationError | None:
    """The most relevant error of a document against a schema, or None. One validator per schema, its own schema
    checked once (jsonschema.validate checks it on every call: that was most of a pack's loading time)."""
    key = json.dumps(schema, sort_keys=True)
    if key not in _VALIDATORS:
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
        cls.check_schema(schema)
        _VALIDATORS[key] = cls(schema)
    return jsonschema.exceptions.best_match(_VALIDATORS[key].iter_errors(doc))


def _validate(doc: Any, schema: dict, path: Path) -> None:
    error = schema_error(doc, schema)
    if error is not None:
        raise PackError(path, error.json_path, error.message)


def _column(key: str, raw: dict) -> Column:
    values = tuple(raw.get("values", ()))
    aliases = dict(raw.get("value_aliases", {}))
    if "tree" in raw:
        values, tree_aliases = _tree_values(raw["tree"])
        aliases = {**tree_aliases, **aliases}
    return Column(
        key=key,
        header=raw["header"],
        aliases=tuple(raw.get("aliases", ())),
        type=raw["type"],
        required=bool(raw.get("required", False)),
        values=values,
        value_aliases=aliases,
        sample=raw.get("sample"),
        tree=tuple((g, tuple(leaves)) for g, leaves in raw.get("tree", {}).items()),
    )


def _tree_values(tree: dict[str, list[str]]) -> tuple[tuple[str, ...], dict[str, str]]:
    """Leaf values `组/子项` of a two-level enumeration, with the accepted short and numbered forms."""
    values: list[str] = []
    aliases: dict[str, str] = {}
    leaf_count: dict[str, int] = {}
    for leaves in tree.values():
        for leaf in leaves:
            leaf_count[leaf] = leaf_count.get(leaf, 0) + 1
    for group, leaves in tree.items():
        if not leaves:
            values.append(group)
            continue
        for i, leaf in enumerate(leaves, start=1):
            full = f"{group}/{leaf}"
            values.append(full)
            forms = [f"{group}-{i}", f"{group}{i}", f"{group}-{i}.{leaf}", f"{group}{i}.{leaf}",
                     f"{group}{i}、{leaf}", f"{group}-{leaf}", f"{group}:{leaf}", f"{group}{leaf}"]
            if leaf_count[leaf] == 1:
                forms += [leaf, f"{i}.{leaf}"]
            aliases.update(dict.fromkeys(forms, full))
    return tuple(values), aliases


def _kind(key: str, raw: dict, path: Path) -> Kind:
    columns = {k: _column(k, c) for k, c in raw["columns"].items()}
    base = f"$.kinds.{key}"
    for i, spec in enumerate(raw.get("keys", ())):
        for part in spec.split("|"):
            if part not in columns:
                raise PackError(path, f"{base}.keys[{i}]", f"unknown column {part!r}")
    for i, col in enumerate(raw.get("published", ())):
        if col not in columns or columns[col].type != "text":
            raise PackError(path, f"{base}.published[{i}]", f"{col!r} is not a text column of {key}")
    for i, pair in enumerate(raw.get("date_order", ())):
        for j, col in enumerate(pair):
            if col not in columns or columns[col].type != "date":
                raise PackError(path, f"{base}.date_order[{i}][{j}]", f"{col!r} is not a date column of {key}")
    return Kind(
        key=key,
        title=raw["title"],
        names=tuple(raw["names"]),
        columns=columns,
        keys=tuple(raw.get("keys", ())),
        published=tuple(raw.get("published", ())),
        date_order=tuple(tuple(p) for p in raw.get("date_order", ())),
    )


def _reading(raw: dict) -> Reading:
    waiver = raw["waiver"]
    return Reading(
        placeholders=frozenset(squash(p).upper() for p in [*raw["placeholders"], ""]),
        notes_prefixes=tuple(norm_header(p) for p in raw["notes_prefixes"]),
        header_suffixes=tuple(norm_header(s) for s in raw["header_suffixes"]),
        header_scan_rows=raw["header_scan_rows"],
        check_marks=frozenset(raw["check_marks"]),
        channel_ticked=tuple(raw["channel_ticked"]),
        channel_unticked=tuple(raw["channel_unticked"]),
        waiver_headers=(waiver["header"], *waiver.get("aliases", ())),
        agency_labels=tuple(raw.get("agency_labels", ())),
    )


def _rule(raw: dict, path: Path, kinds: dict[str, Kind]) -> Rule:
    from tongzhou_check.checks import CHECKS  # the registry needs pack types; import late

    if raw.get("kind") is not None and raw["kind"] not in kinds:
        raise PackError(path, "$.kind", f"unknown kind {raw['kind']!r}")
    status = raw.get("status", "active")
    for i, name in enumerate(raw.get("raised_by", ())):
        if name not in CHECKS:
            raise PackError(path, f"$.raised_by[{i}]", f"unknown check type {name!r}")
    if status == "active" and "check" in raw:
        check = CHECKS.get(raw["check"])
        if check is None:
            raise PackError(path, "$.check", f"unknown check type {raw['check']!r}; known: {', '.join(CHECKS)}")
        error = schema_error(raw.get("params", {}), check.params_schema)
        if error is not None:
            raise PackError(path, "$.params" + error.json_path[1:], error.message)
        if check.scope != raw["scope"]:
            raise PackError(path, "$.scope", f"check {raw['check']!r} runs at {check.scope} scope")
        kind = kinds.get(raw.get("kind") or "")
        if kind is not None:
            for where, col in check.columns(raw.get("params", {})):
                if col not in kind.columns:
                    raise PackError(path, f"$.params.{where}", f"{col!r} is not a column of {kind.key}")
    return Rule(
        id=raw["id"],
        slug=raw["slug"],
        severity=Severity[raw["severity"]],
        scope=raw["scope"],
        clause=raw["clause"],
        quote=raw["quote"],
        title=raw["title"],
        description=raw["description"],
        message=raw["message"],
        kind=raw.get("kind"),
        status=status,
        check=raw.get("check"),
        params=raw.get("params", {}),
        raised_by=tuple(raw.get("raised_by", ())),
        basis=raw.get("basis", ""),
        examples=raw.get("examples", {}),
        file=str(path),
    )


def load_pack(location: Path | str | None = None) -> Pack:
    """Load and validate a pack directory (or its pack.yaml); None loads the built-in pack."""
    root = Path(location) if location else builtin_pack_dir()
    manifest = root / "pack.yaml" if root.is_dir() else root
    root = manifest.parent
    doc = _read_yaml(manifest)
    _validate(doc, _schema("pack.schema.json"), manifest)
    kinds_path = root / doc["kinds"]
    kinds_doc = _read_yaml(kinds_path)
    _validate(kinds_doc, _schema("kinds.schema.json"), kinds_path)
    kinds = {k: _kind(k, v, kinds_path) for k, v in kinds_doc["kinds"].items()}

    rule_schema = _schema("rule.schema.json")
    rules_dir = root / doc["rules"]
    rule_files = sorted(rules_dir.glob("*.yaml"))
    if not rule_files:
        raise PackError(rules_dir, "$", "no rule files (*.yaml)")
    rules: dict[str, Rule] = {}
    slugs: set[str] = set()
    for path in rule_files:
        raw = _read_yaml(path)
        _validate(raw, rule_schema, path)
        if raw["id"] in rules or raw["slug"] in slugs:
            raise PackError(path, "$.id", f"duplicate rule {raw['id']} {raw['slug']}")
        rules[raw["id"]] = _rule(raw, path, kinds)
        slugs.add(raw["slug"])

    duty_map, duties_path = None, None
    if doc.get("duties"):
        duties_path = root / doc["duties"]
        duty_map = _duty_map(duties_path)
    digest = hashlib.sha256()
    for path in [manifest, kinds_path, *rule_files, *([duties_path] if duties_path else [])]:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return Pack(
        id=doc["id"],
        version=str(doc["version"]),
        sha256=digest.hexdigest(),
        title=doc["title"],
        messages=doc.get("messages", {}),
        reading=_reading(kinds_doc["reading"]),
        kinds=kinds,
        rules=dict(sorted(rules.items())),
        root=str(root),
        calendar=doc.get("calendar"),
        duty_map=duty_map,
    )


def _duty_map(path: Path) -> DutyMap:
    """duties.yaml: the plan's agencies and the disclosure duties it assigns them (TZ120)."""
    doc = _read_yaml(path)
    _validate(doc, _schema("duties.schema.json"), path)
    agencies = tuple(
        Agency(a["id"], a["short"], a["full"], tuple(a.get("aliases", ())), tuple(a.get("successors", ())))
        for a in doc["agencies"]
    )
    known = {a.id for a in agencies} | {"*"}
    duties = []
    for i, d in enumerate(doc["duties"]):
        for j, e in enumerate(d["expected"]):
            if e["agency"] not in known:
                raise PackError(path, f"$.duties[{i}].expected[{j}].agency", f"unknown agency {e['agency']!r}")
        duties.append(Duty(
            id=d["id"], clause=d["clause"], text=d["text"], rec=d["rec"],
            expected=tuple((e["agency"], bool(e.get("uncertain", False))) for e in d["expected"]),
            keywords=tuple(tuple(tuple(slot) for slot in group) for group in d["keywords"]),
            hedged=bool(d.get("hedged", False)), part=d.get("part"),
        ))
    return DutyMap(agencies, tuple(duties))


def _is_periods(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict) and "from" in value[0]


def param_at(value: Any, on: dt.date) -> tuple[Any, str]:
    """A parameter in force on a date: a plain value, or the last `{from, value, basis}` period begun by then.

    Before the first period the parameter is not in force: (None, "").
    """
    if not _is_periods(value):
        return value, ""
    current = None
    for period in sorted(value, key=lambda p: str(p["from"])):
        if dt.date.fromisoformat(str(period["from"])) <= on:
            current = period
    return (current["value"], current.get("basis", "")) if current else (None, "")


def param_series(value: Any, on: pd.Series) -> tuple[pd.Series, pd.Series]:
    """param_at for a column of dates at once: (values, bases); NaN/"" where no period is in force."""
    if not _is_periods(value):
        return pd.Series(value, index=on.index, dtype=float), pd.Series("", index=on.index, dtype=object)
    days = pd.to_datetime(on, errors="coerce")
    values = pd.Series(np.nan, index=on.index, dtype=float)
    bases = pd.Series("", index=on.index, dtype=object)
    for period in sorted(value, key=lambda p: str(p["from"])):
        started = (days >= pd.Timestamp(str(period["from"]))).to_numpy()
        values[started] = period["value"]
        bases[started] = period.get("basis", "")
    return values, bases
