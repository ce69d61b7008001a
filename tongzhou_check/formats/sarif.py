"""`--format sarif`: SARIF 2.1.0 for code-scanning tools — one run, the pack's rules, one result per finding."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from tongzhou_check.baseline import Identities, hashed
from tongzhou_check.formats.jsontext import Items, Streamed, dump_bytes, objects, texts
from tongzhou_check.formats.records import CHUNK, FINDING_FIELDS, as_records, finding_columns
from tongzhou_check.model import Report, RuleDoc, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "tzcheck/v1"
LEVELS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
LEVEL_NAMES = {s.name: level for s, level in LEVELS.items()}
SUPPRESSION_KINDS = {"baseline": "external", "waiver": "inSource"}
CLAUSE = {"zh": "条款", "en": "Clause"}
LANGUAGES = {"zh": "zh-CN", "en": "en-US"}
PROPERTIES = ("sheet", "cell", "header", "subject", "evidence", "clause")  # a result's properties, in this order


def artifact_location(path: str) -> dict[str, str]:
    """A workbook path as a SARIF URI: relative paths against %SRCROOT%, absolute ones as file: URIs.

    Paths are percent-encoded (RFC 3986 allows no raw CJK); an absolute URI must not carry a uriBaseId.
    """
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path.replace("\\", "/")), "uriBaseId": SRCROOT}


def _help(clause: str, quote_text: str, lang: str) -> str:
    return f"{CLAUSE[lang]} {clause}:“{quote_text}”" if quote_text else f"{CLAUSE[lang]} {clause}"


def _descriptor(doc: RuleDoc, lang: str) -> dict[str, Any]:
    return {
        "id": doc.id,
        "name": doc.slug,
        "shortDescription": {"text": doc.title(lang)},
        "fullDescription": {"text": doc.description(lang) or doc.title(lang)},
        "help": {"text": _help(doc.clause, doc.quote, lang)},
        "defaultConfiguration": {"level": LEVELS[doc.severity]},
        "properties": {"clause": doc.clause},
    }


def _rules(report: Report, lang: str) -> list[dict[str, Any]]:
    """The report's rule docs, then (for a report built without them) a bare descriptor per unknown rule."""
    rules = [_descriptor(doc, lang) for doc in report.rule_docs]
    known = {r["id"] for r in rules}
    table = report.findings
    if set(table.column("rule").tolist()) <= known:
        return rules
    for f in table:
        if f.rule not in known:
            known.add(f.rule)
            rules.append({"id": f.rule, "name": f.name, "shortDescription": {"text": f.name},
                          "defaultConfiguration": {"level": LEVELS[f.severity]}, "properties": {"clause": f.clause}})
    return rules


def _result(rule: str, rule_index: int, level: str, text: str, artifact: dict[str, Any], start_line: int,
            where: str | None, fingerprint: str, *rest: Any) -> dict[str, Any]:
    """One result; `rest` the PROPERTIES' values (None: left out), then the suppression's kind and justification
    (None: not suppressed)."""
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": artifact, "region": {"startLine": start_line}}
    }
    if where is not None:
        location["logicalLocations"] = [{"name": where, "kind": "element"}]
    properties, (kind, justification) = rest[:len(PROPERTIES)], rest[len(PROPERTIES):]
    result: dict[str, Any] = {
        "ruleId": rule,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: fingerprint},
        "properties": {k: v for k, v in zip(PROPERTIES, properties, strict=True) if v is not None},
    }
    if kind is not None:
        result["suppressions"] = [{"kind": kind, "justification": justification}]
    return result


def _result_columns(records: list[list[Any]], prints: list[str], rule_index: dict[str, int],
                    artifacts: list[bytes]) -> list[list[bytes | None]]:
    """The JSON texts of `_result`'s values for some findings (their records' columns), one list per argument."""
    columns = dict(zip(FINDING_FIELDS, records, strict=True))
    where = [None if sheet is None else f"{sheet}!{cell}" if cell else sheet
             for sheet, cell in zip(columns["sheet"], columns["cell"], strict=True)]
    suppressed = columns["suppressed"]
    kinds = [s and SUPPRESSION_KINDS.get(s["by"], "external") for s in suppressed]
    reasons = [s and s["reason"] for s in suppressed]
    return [
        texts(columns["rule"]),
        texts([rule_index[r] for r in columns["rule"]]),
        texts([LEVEL_NAMES[s] for s in columns["severity"]]),
        texts([f"{w}: {m}" if w else m for w, m in zip(where, columns["message"], strict=True)]),
        artifacts,
        texts([r or 1 for r in columns["row"]]),
        texts(where, absent=True),
        texts(prints),
        *(texts(columns[k], absent=True) for k in PROPERTIES),
        texts(kinds, absent=True),
        texts(reasons, absent=True),
    ]


def render(report: Report, lang: str) -> str:
    return render_bytes(report, lang).decode("utf-8")


def render_bytes(report: Report, lang: str) -> bytes:
    buffer = io.BytesIO()
    write(report, lang, buffer)
    return buffer.getvalue()


def write(report: Report, lang: str, out: BinaryIO) -> None:
    """The SARIF log as UTF-8 bytes, its results serialised a chunk at a time."""
    records = as_records(report, lang, findings=())
    rules = _rules(report, lang)
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    artifact_index = {f["path"]: i for i, f in enumerate(records["files"])}
    table = report.findings
    files = list(zip(table.column("file").tolist(), table.column("file_index").tolist(), strict=True))
    artifacts = {(file, index): dump_bytes({**artifact_location(file), "index": artifact_index.get(file, index)})[:-1]
                 for file, index in dict.fromkeys(files)}  # each file's artifactLocation, as JSON text, once
    places = list(map(artifacts.__getitem__, files))
    identities = Identities.of(table)  # the repeats counted over all findings; each part's texts where it is made

    def results(i: int, indent: bytes) -> bytes:
        part = slice(i * CHUNK, (i + 1) * CHUNK)
        prints = hashed(identities.texts(part))
        return objects(_result, _result_columns(finding_columns(table, lang, part), prints, rule_index, places[part]),
                       indent)

    document = Streamed()
    run = {
        "tool": {"driver": {"name": records["tool"]["name"], "version": records["tool"]["version"], "rules": rules}},
        "artifacts": [
            {"location": artifact_location(f["path"]), "hashes": {"sha-256": f["sha256"]},
             **({"properties": {"period": f["period"]}} if f["period"] else {})}
            for f in records["files"]
        ],
        "language": LANGUAGES.get(lang, "zh-CN"),
        "results": document.array(Items(-(-len(table) // CHUNK), results)),
        "properties": {"as_of": records["as_of"], "rule_pack": records["rule_pack"], "summary": records["summary"]},
    }
    document.write({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, out)
