"""Load a rule pack (pack.yaml, kinds.yaml, rules/*.yaml, duties.yaml): validate its shape and its meaning.

Shape is JSON Schema. Meaning is what a check can use: every column a rule names exists in its kind with a type
the check can compare; every message field and `headers[...]`/`values[...]` key is one the check fills in; every
reason a check can report has a message or a rule raised by it. A pack that loads never crashes or goes silent
mid-audit: each problem is a PackError naming the file and JSON path, before any workbook is read.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
import string
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
import yaml

from tongzhou_check import __version__
from tongzhou_check.checks import CHECKS, Check
from tongzhou_check.dutymap import Agency, Duty, DutyMap
from tongzhou_check.masking import mask
from tongzhou_check.model import Severity
from tongzhou_check.packtypes import (
    INT_MAX,
    WAIVER,
    AppendixSpec,
    Column,
    Hierarchy,
    Kind,
    Pack,
    PackError,
    Reading,
    Rule,
)
from tongzhou_check.schema import load_schema, schema_error
from tongzhou_check.text import TextFileError, load_yaml, norm_header, read_text_file, squash

BUILTIN_PACK = "tongzhou-2018"
INDEXED = ("headers", "values")  # message fields indexed by a column key: {headers[received]}
_FIELD = re.compile(r"^(\w+)(?:\[([^\[\]]+)\])?$")


def builtin_pack_dir() -> Path:
    """The built-in pack: shipped inside the wheel, or the repository's rules/ in a source checkout."""
    shipped = resources.files("tongzhou_check") / "rules" / BUILTIN_PACK
    if shipped.is_dir():
        return Path(str(shipped))
    return Path(__file__).resolve().parent.parent / "rules" / BUILTIN_PACK


def _read_yaml(path: Path) -> Any:
    if not path.exists():
        raise PackError(path, "$", "file not found")
    try:
        return load_yaml(read_text_file(path))
    except TextFileError as exc:
        raise PackError(path, "$", str(exc)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "$"
        raise PackError(path, where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None


def _validate(doc: Any, schema: dict, path: Path) -> None:
    error = schema_error(doc, schema)
    if error is not None:  # the message quotes the value: a short, masked excerpt of it
        raise PackError(path, error.json_path, _excerpt(error.message))


def _excerpt(text: str, limit: int = 160) -> str:
    return mask(text if len(text) <= limit else text[:limit] + "…") or ""


def _inside(root: Path, name: Any, manifest: Path, field: str) -> Path:
    """A file the manifest names, which must lie inside the pack's folder (no `/etc/passwd`, no `../..`)."""
    if not isinstance(name, str):
        raise TypeError(field)
    path = root / name
    if not path.resolve().is_relative_to(root.resolve()):
        raise PackError(manifest, f"$.{field}", "应为规则包目录内的文件 / must name a file inside the pack's folder")
    return path


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
        max=raw.get("max", INT_MAX),
    )


_GROUP_NUMBERS = "一二三四五六七八九十"


def _tree_values(tree: dict[str, list[str]]) -> tuple[tuple[str, ...], dict[str, str]]:
    """Leaf values `组/子项` of a two-level enumeration, with the accepted short and numbered forms."""
    values: list[str] = []
    aliases: dict[str, str] = {}
    leaf_count: dict[str, int] = {}
    for leaves in tree.values():
        for leaf in leaves:
            leaf_count[leaf] = leaf_count.get(leaf, 0) + 1
    for n, (group, leaves) in enumerate(tree.items()):
        number = f"({_GROUP_NUMBERS[n]})" if n < len(_GROUP_NUMBERS) else ""  # the national row label: (三)不予公开
        if not leaves:
            values.append(group)
            if number:
                aliases[f"{number}{group}"] = group
            continue
        for i, leaf in enumerate(leaves, start=1):
            full = f"{group}/{leaf}"
            values.append(full)
            forms = [f"{group}-{i}", f"{group}{i}", f"{group}-{i}.{leaf}", f"{group}{i}.{leaf}",
                     f"{group}{i}、{leaf}", f"{group}-{leaf}", f"{group}:{leaf}", f"{group}{leaf}",
                     f"{group}/{i}.{leaf}"]
            if number:
                forms += [f"{number}{form}" for form in [full, *forms]]
            if leaf_count[leaf] == 1:
                forms += [leaf, f"{i}.{leaf}"]
            aliases.update(dict.fromkeys(forms, full))
    return tuple(values), aliases


def _kind(key: str, raw: dict, path: Path, waiver: Column) -> Kind:
    """A sheet kind; the 豁免说明 column (reading.waiver) is one of its columns, after its own."""
    columns = {k: _column(k, c) for k, c in raw["columns"].items()}
    if WAIVER in columns:
        raise PackError(path, f"$.kinds.{key}.columns.{WAIVER}",
                        f"{WAIVER!r} is the column reading.waiver gives every kind")
    columns[WAIVER] = waiver
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
    hierarchy = None
    if "hierarchy" in raw:
        spec = raw["hierarchy"]
        for role in ("group", "item"):
            if spec[role] not in columns or columns[spec[role]].type != "text":
                raise PackError(path, f"{base}.hierarchy.{role}", f"{spec[role]!r} is not a text column of {key}")
        hierarchy = Hierarchy(spec["group"], spec["item"], tuple(tuple(level) for level in spec["levels"]))
    implied = {}
    for col, spec in raw.get("implied", {}).items():
        if col not in columns:
            raise PackError(path, f"{base}.implied.{col}", f"unknown column {col!r}")
        implied[col] = (spec["value"], tuple(spec["words"]))
    return Kind(
        key=key,
        title=raw["title"],
        names=tuple(raw["names"]),
        columns=columns,
        keys=tuple(raw.get("keys", ())),
        published=tuple(raw.get("published", ())),
        date_order=tuple(tuple(p) for p in raw.get("date_order", ())),
        hierarchy=hierarchy,
        implied=implied,
    )


def _reading(raw: dict) -> Reading:
    return Reading(
        placeholders=frozenset(squash(p).upper() for p in [*raw["placeholders"], ""]),
        notes_prefixes=tuple(norm_header(p) for p in raw["notes_prefixes"]),
        header_suffixes=tuple(norm_header(s) for s in raw["header_suffixes"]),
        header_scan_rows=raw["header_scan_rows"],
        check_marks=frozenset(raw["check_marks"]),
        channel_ticked=tuple(raw["channel_ticked"]),
        channel_unticked=tuple(raw["channel_unticked"]),
        agency_labels=tuple(raw.get("agency_labels", ())),
        instructions_sheets=frozenset(squash(n).upper() for n in raw.get("instructions_sheets", ())),
    )


def template_problem(template: str, fields: frozenset[str], kind: Kind | None) -> str | None:
    """Why a message template cannot be rendered with a check's fields, or None.

    A field is a name the check fills in, or `headers[key]` / `values[key]` with a column key of the rule's kind.
    """
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        return f"not a valid template: {exc}"
    for _, name, _, _ in parsed:
        if name is None:
            continue
        m = _FIELD.match(name)
        if m is None:
            return f"{{{name}}}: a field is a name or headers[column] / values[column]"
        field, key = m[1], m[2]
        if field not in fields:
            return f"unknown field {{{field}}}; this check gives: {', '.join(sorted(fields))}"
        if (key is None) != (field not in INDEXED):
            return f"{{{name}}}: " + (f"{{{field}[column]}} needs a column key" if key is None
                                      else f"{{{field}}} takes no [key]")
        if key is not None and (kind is None or key not in kind.columns):
            where = f"of {kind.key}" if kind else "(the rule has no kind)"
            return f"{{{name}}}: {key!r} is not a column {where}"
    return None


def _check_template(text: dict[str, str], fields: frozenset[str], kind: Kind | None, path: Path | str,
                    where: str) -> None:
    for lang, template in text.items():
        problem = template_problem(template, fields, kind)
        if problem:
            raise PackError(path, f"{where}.{lang}", problem)


def check_params(check: Check, params: dict, kind: Kind | None, path: Path | str, base: str) -> None:
    """The parameters' schema, then their meaning: columns of the kind, of the types the check uses."""
    error = schema_error(params, check.params_schema)
    if error is not None:
        raise PackError(path, base + error.json_path[1:], error.message)
    if kind is None:
        return
    for where, col, types in check.columns(params):
        if col not in kind.columns:
            raise PackError(path, f"{base}.{where}", f"{col!r} is not a column of {kind.key}")
        if types and kind.columns[col].type not in types:
            raise PackError(path, f"{base}.{where}", f"{col!r} is a {kind.columns[col].type} column; "
                                                     f"this needs {' or '.join(types)}")
    for where, problem in check.meaning(params, kind):
        raise PackError(path, f"{base}.{where}", problem)


def _rule(raw: dict, path: Path, kinds: dict[str, Kind]) -> Rule:
    if raw.get("kind") is not None and raw["kind"] not in kinds:
        raise PackError(path, "$.kind", f"unknown kind {raw['kind']!r}")
    reasons = {reason for check in CHECKS.values() for reason in check.reasons}
    for i, name in enumerate(raw.get("raised_by", ())):
        if name not in reasons:
            raise PackError(path, f"$.raised_by[{i}]",
                            f"no check reports {name!r}; reasons: {', '.join(sorted(reasons))}")
    status = raw.get("status", "active")
    if status == "active" and "check" in raw:
        check = CHECKS.get(raw["check"])
        if check is None:
            raise PackError(path, "$.check", f"unknown check type {raw['check']!r}; known: {', '.join(CHECKS)}")
        if check.scope != raw["scope"]:
            raise PackError(path, "$.scope", f"check {raw['check']!r} runs at {check.scope} scope")
        kind = kinds.get(raw.get("kind") or "")
        check_params(check, raw.get("params", {}), kind, path, "$.params")
        _check_template(raw["message"], check.fields, kind, path, "$.message")
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


def _routes(rules: dict[str, Rule]) -> dict[str, str]:
    """reason → the rule raised by it (one rule per reason)."""
    routes: dict[str, str] = {}
    for rule in rules.values():
        for i, reason in enumerate(rule.raised_by):
            if reason in routes:
                raise PackError(rule.file, f"$.raised_by[{i}]", f"{reason!r} is already raised by {routes[reason]}")
            routes[reason] = rule.id
    return routes


def check_reasons(rules: dict[str, Rule], kinds: dict[str, Kind], messages: dict, routes: dict[str, str],
                  manifest: Path | str) -> None:
    """Every reason an active rule's check may report has a message with the fields the check gives it."""
    for rule in rules.values():
        if not rule.active or rule.check is None:
            continue
        kind = kinds.get(rule.kind or "")
        for reason, fields in CHECKS[rule.check].reasons.items():
            if reason in routes:
                target = rules[routes[reason]]
                _check_template(target.message, fields, kind, target.file, "$.message")
            elif reason in messages:
                _check_template(messages[reason], fields, kind, manifest, f"$.messages.{reason}")
            else:
                raise PackError(manifest, "$.messages", f"no message {reason!r}, which {rule.id} ({rule.check}) "
                                                        f"reports, and no rule raised_by it")


def _appendix(raw: dict | None, kinds: dict[str, Kind], path: Path) -> AppendixSpec | None:
    """pack.yaml's `appendix:`: the kinds and columns the annual appendix counts, each of the type it needs."""
    if raw is None:
        return None
    needs = {"applications": {"received": ("date",), "replied": ("date",), "applicant": ("enum",),
                              "outcome": ("enum",)},
             "catalogue": {"area": ("text", "enum")},
             "publication": {"area": ("text", "enum"), "date": ("date",)}}
    for part, spec in raw.items():
        kind = kinds.get(spec["kind"])
        if kind is None:
            raise PackError(path, f"$.appendix.{part}.kind", f"unknown kind {spec['kind']!r}")
        for role, types in needs[part].items():
            col = kind.columns.get(spec[role])
            if col is None:
                raise PackError(path, f"$.appendix.{part}.{role}", f"{spec[role]!r} is not a column of {kind.key}")
            if col.type not in types:
                raise PackError(path, f"$.appendix.{part}.{role}", f"{spec[role]!r} is a {col.type} column; "
                                                                   f"this needs {' or '.join(types)}")
    outcome = raw.get("applications") and kinds[raw["applications"]["kind"]].columns[raw["applications"]["outcome"]]
    if outcome and not outcome.tree:
        raise PackError(path, "$.appendix.applications.outcome", "Table 三's rows need an outcome column with a tree")
    return AppendixSpec(**{part: dict(spec) for part, spec in raw.items()})


_CACHE: dict[str, Pack] = {}  # this process's packs, by folder and content
CACHE_ENV = "TZCHECK_CACHE_DIR"  # where validated packs are kept between runs ("off": nowhere)


@functools.cache
def _code_stamp() -> str:
    """The package's own files as they are (name, size, modification time): a cached pack made by other code — an
    edited checkout at the same version — is never served."""
    package = Path(__file__).resolve().parent
    stamp = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *package.glob("schemas/*.json")]):
        info = path.stat()
        stamp.update(f"{path.relative_to(package)}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return stamp.hexdigest()


def _cache_file(key: str) -> Path | None:
    """Where a validated pack is kept between runs: the user's cache directory, by the pack's content and the code
    that validated it (tool version, Python, the package's files)."""
    folder = os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir("tzcheck")
    if folder == "off":
        return None
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0{_code_stamp()}\0{key}".encode()).hexdigest()[:32]
    return Path(folder) / f"pack-{digest}.pickle"


def _cached(key: str) -> Pack | None:
    path = _cache_file(key)
    try:
        with path.open("rb") as fh:  # type: ignore[union-attr]
            pack = pickle.load(fh)
    except Exception:
        return None
    return pack if isinstance(pack, Pack) else None


def _keep(key: str, pack: Pack) -> None:
    path = _cache_file(key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)
    except OSError:  # a read-only home: validate on every run
        pass


def _files(root: Path, doc: dict, manifest: Path) -> list[Path]:
    rules = _inside(root, doc["rules"], manifest, "rules")
    files = [manifest, _inside(root, doc["kinds"], manifest, "kinds"), *sorted(rules.glob("*.yaml"))]
    if doc.get("calendar"):
        _inside(root, doc["calendar"], manifest, "calendar")
    return files + ([_inside(root, doc["duties"], manifest, "duties")] if doc.get("duties") else [])


def load_pack(location: Path | str | None = None) -> Pack:
    """Load and validate a pack directory (or its pack.yaml); None loads the built-in pack.

    Packs are frozen: the same files (by content) give the same Pack, validated once — kept for this process, and
    between runs in the user's cache directory (revalidated whenever any pack file or the tool changes).
    """
    root = Path(location) if location else builtin_pack_dir()
    manifest = root / "pack.yaml" if root.is_dir() else root
    root = manifest.parent
    doc = _read_yaml(manifest)
    try:  # the files a valid manifest names; a manifest in the cache was valid when it was kept
        files = _files(root, doc, manifest)
    except (TypeError, KeyError, AttributeError):
        files = None
    if files is None:
        _validate(doc, load_schema("pack.schema.json"), manifest)
        files = _files(root, doc, manifest)
    digest = hashlib.sha256()
    for path in files or []:
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    key = f"{root.resolve()}\0{digest.hexdigest()}"
    if key not in _CACHE:
        pack = _cached(key)
        if pack is None:
            _validate(doc, load_schema("pack.schema.json"), manifest)
            pack = _load(root, manifest, doc, digest.hexdigest())
            _keep(key, pack)
        _CACHE[key] = pack
    return _CACHE[key]


def _load(root: Path, manifest: Path, doc: dict, sha256: str) -> Pack:
    kinds_path = root / doc["kinds"]
    kinds_doc = _read_yaml(kinds_path)
    _validate(kinds_doc, load_schema("kinds.schema.json"), kinds_path)
    waiver = kinds_doc["reading"]["waiver"]
    waiver_column = Column(WAIVER, waiver["header"], tuple(waiver.get("aliases", ())), "text")
    kinds = {k: _kind(k, v, kinds_path, waiver_column) for k, v in kinds_doc["kinds"].items()}

    rule_schema = load_schema("rule.schema.json")
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
    rules = dict(sorted(rules.items()))
    messages = doc.get("messages", {})
    routes = _routes(rules)
    check_reasons(rules, kinds, messages, routes, manifest)
    return Pack(
        id=doc["id"],
        version=str(doc["version"]),
        sha256=sha256,
        title=doc["title"],
        messages=messages,
        reading=_reading(kinds_doc["reading"]),
        kinds=kinds,
        rules=rules,
        root=str(root),
        calendar=doc.get("calendar"),
        duty_map=_duty_map(root / doc["duties"]) if doc.get("duties") else None,
        routes=routes,
        appendix=_appendix(doc.get("appendix"), kinds, manifest),
    )


def _duty_map(path: Path) -> DutyMap:
    """duties.yaml: the plan's agencies and the disclosure duties it assigns them (TZ120)."""
    doc = _read_yaml(path)
    _validate(doc, load_schema("duties.schema.json"), path)
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
            hedged=bool(d.get("hedged", False)), part=d.get("part"), sentence=d["sentence"], item=d["item"],
        ))
    return DutyMap(agencies, tuple(duties), tuple(doc.get("home", ())))
