"""JSON written from columns (formats/jsontext.py) is byte for byte what the standard library writes for the whole
document: every shape of object, values left out, values spanning lines, odd text, at any indentation."""

from __future__ import annotations

import io
import json
import random
from typing import Any

import pytest

from tongzhou_check.formats.jsontext import Streamed, dumped, objects, texts

ODD = ["", "%s", "%%d", "\x00", "\x00 0\x00", '"引号"', "换\n行", "\\", "\u2028", "a\ud800b", "😀", "{}", "[1, 2]"]


def _build(a: Any, b: Any, c: Any, d: Any) -> dict[str, Any]:
    """An object like a SARIF result: some members only when their value is given, one nested twice."""
    out: dict[str, Any] = {"a": a, "inner": {"b": b, "list": [{"c": c}] if c is not None else []}}
    if d is not None:
        out["d"] = [{"value": d, "kind": "element"}]
    return out


def _values(rng: random.Random, n: int) -> list[list[Any]]:
    def value(optional: bool) -> Any:
        pick = rng.random()
        if optional and pick < 0.3:
            return None
        if pick < 0.5:
            return rng.choice(ODD)
        if pick < 0.6:
            return rng.randint(-5, 2**40)
        if pick < 0.7:
            return {"by": rng.choice(ODD), "reason": rng.choice(ODD)}  # an object: spans lines
        if pick < 0.75:
            return [] if rng.random() < 0.5 else {}
        return rng.choice([True, False, 1.5, None])
    return [[value(optional=i > 0) for _ in range(n)] for i in range(4)]


def _reference(rows: list[list[Any]], indent: str) -> bytes:
    """The items as an indented dump of the whole array writes them, moved right to `indent`."""
    body = json.dumps([_build(*row) for row in rows], ensure_ascii=False, indent=2)[2:-2]  # the items, at 2 spaces
    pad = indent[2:]
    return (pad + body.replace("\n", "\n" + pad)).encode("utf-8", "backslashreplace")


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("indent", ["  ", "        "])
def test_objects_from_columns_are_the_dump_of_the_built_objects(seed: int, indent: str) -> None:
    rng = random.Random(seed)
    columns = _values(rng, rng.choice([1, 2, 7, 40]))
    rows = [list(r) for r in zip(*columns, strict=True)]
    given = [texts(c, absent=i > 0) for i, c in enumerate(columns)]
    # the first column keeps None as null; the others leave a member out, as _build does
    written = objects(_build, given, indent.encode())
    assert written == _reference(rows, indent)


def test_texts_are_each_values_own_dump() -> None:
    values = [*ODD, 1, -0.0, 2**70, True, None, {"k": ["v", 1]}, []]
    assert texts(values) == [json.dumps(v, ensure_ascii=False, indent=2).encode("utf-8", "backslashreplace")
                             for v in values]
    assert texts(["x", None], absent=True) == [b'"x"', None]
    assert texts([]) == []


def test_a_build_that_changes_a_value_is_refused() -> None:
    with pytest.raises(ValueError, match="unchanged"):
        objects(lambda a: {"a": f"{a}!"}, [[b'"x"']], b"  ")
    with pytest.raises(ValueError, match="order"):
        objects(lambda a, b: {"b": b, "a": a}, [[b"1"], [b"2"]], b"  ")


@pytest.mark.parametrize("runs", [[], [[]], [[1, {"a": [2]}], [], ["x\ny"]]])
def test_a_streamed_document_is_one_dump_of_the_whole(runs: list[list[Any]]) -> None:
    document = Streamed()
    doc = {"head": 1, "nested": {"items": document.array(dumped(runs))}, "tail": [document.array(dumped(runs))]}
    out = io.BytesIO()
    document.write(doc, out)
    items = [v for run in runs for v in run]
    expected = {"head": 1, "nested": {"items": items}, "tail": [items]}
    assert out.getvalue() == (json.dumps(expected, ensure_ascii=False, indent=2) + "\n").encode()


def test_sarif_results_hold_what_each_finding_says() -> None:
    """Each result, loaded back, is the object the SARIF writer's own rules describe, member by member."""
    from tongzhou_check.formats import sarif
    from tongzhou_check.model import Finding, Report, Severity, Suppression

    def finding(i: int) -> Finding:
        odd = ODD[i % len(ODD)]
        return Finding(rule=f"TZ00{4 + i % 3}", name="n", severity=Severity(i % 3), file=f"{'甲' if i % 2 else 'b'}.xlsx",
                       clause="二(一)", message_zh=f"消息{odd}", message_en="m", sheet=None if i % 5 == 0 else f"表{odd}",
                       row=None if i % 4 == 0 else i + 2, column=None if i % 3 == 0 else "B",
                       header=None if i % 2 else odd, evidence=odd if i % 3 == 1 else None, subject=None,
                       suppressed=Suppression("waiver", f"理由{odd}") if i % 6 == 1 else None, file_index=i % 2)

    rows = [finding(i) for i in range(30)]
    report = Report("v", "p", "1", "s", "c", None, (), "2018-12-31", (), findings=tuple(rows))
    results = json.loads(sarif.render_bytes(report, "zh").decode("utf-8"))["runs"][0]["results"]
    table = report.findings
    for result, f in zip(results, table, strict=True):
        where = None if f.sheet is None else f"{f.sheet}!{f.cell}" if f.cell else f.sheet
        assert result["ruleId"] == f.rule and result["level"] == sarif.LEVELS[f.severity]
        assert result["message"]["text"] == (f"{where}: {f.message_zh}" if where else f.message_zh)
        location = result["locations"][0]
        assert location["physicalLocation"]["region"] == {"startLine": f.row or 1}
        assert location["physicalLocation"]["artifactLocation"]["uri"] == f.file.replace("甲", "%E7%94%B2")
        assert location.get("logicalLocations") == ([{"name": where, "kind": "element"}] if where else None)
        values = {"sheet": f.sheet, "cell": f.cell, "header": f.header, "subject": f.subject,
                  "evidence": f.evidence, "clause": f.clause}
        assert result["properties"] == {k: v for k, v in values.items() if v is not None}
        assert result.get("suppressions") == ([{"kind": "inSource", "justification": f.suppressed.reason}]
                                              if f.suppressed else None)


def test_a_lone_surrogate_is_fingerprinted_and_baselined(tmp_path: Any) -> None:
    """A damaged cell's lone surrogate (UTF-8 cannot hold it) in a sheet name: hashed, and kept as its JSON escape."""
    from tongzhou_check.baseline import fingerprints, read_baseline, write_baseline
    from tongzhou_check.model import Finding, Severity

    damaged = Finding(rule="TZ004", name="n", severity=Severity.error, file="a.xlsx", clause="c", message_zh="m",
                      message_en="m", sheet="表\ud800", row=3)
    path = tmp_path / "baseline.json"
    assert write_baseline([damaged], path) == 1
    (entry,) = read_baseline(path)
    assert entry["sheet"] == "表\ud800" and entry["fingerprint"] == fingerprints([damaged])[0]


def test_runs_made_by_a_forked_copy_are_the_runs_made_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from tongzhou_check import forked
    from tongzhou_check.formats.twofold import MIN_RUNS, write_runs

    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)  # whatever threads earlier tests left
    parent = os.getpid()
    made_by: list[int] = []
    runs = [lambda i=i: (made_by.append(os.getpid()), f"<{i}:{os.getpid() == parent}>".encode())[1]
            for i in range(MIN_RUNS + 3)]
    out = io.BytesIO()
    write_runs(runs, out)
    written = out.getvalue().decode()
    assert [int(part.split(":")[0]) for part in written.strip("<>").split("><")] == list(range(MIN_RUNS + 3))
    assert "False" in written and "True" in written  # the second half was made in the copy
    assert set(made_by) == {parent}  # (the copy's own list is its own)

    def failing(i: int) -> bytes:
        if os.getpid() != parent:
            raise RuntimeError("the copy fails")
        return f"<{i}>".encode()

    out = io.BytesIO()
    write_runs([lambda i=i: failing(i) for i in range(MIN_RUNS + 1)], out)
    assert out.getvalue() == b"".join(f"<{i}>".encode() for i in range(MIN_RUNS + 1))  # made here instead


def test_a_process_with_other_threads_makes_every_run_itself() -> None:
    import os
    import threading

    from tongzhou_check.formats.twofold import MIN_RUNS, write_runs

    parent, release = os.getpid(), threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        out = io.BytesIO()
        write_runs([lambda: str(os.getpid() == parent).encode() for _ in range(MIN_RUNS * 2)], out)
    finally:
        release.set()
        other.join()
    assert out.getvalue() == b"True" * (MIN_RUNS * 2)


def test_json_and_sarif_written_on_two_cores_are_written_as_on_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from tongzhou_check import forked
    from tongzhou_check.formats import json_format, records, sarif
    from tongzhou_check.model import Finding, Report, Severity, Suppression

    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)

    rows = [Finding(rule="TZ004", name="n", severity=Severity.error, file="a.xlsx", clause="c",
                    message_zh=f"第{i}行{ODD[i % len(ODD)]}", message_en="m", sheet="S", row=i + 2, column="B",
                    suppressed=Suppression("waiver", "理由") if i % 4 == 0 else None) for i in range(23)]
    report = Report("v", "p", "1", "s", "c", None, (), "2018-12-31", (), findings=tuple(rows))
    whole = json_format.render_bytes(report, "zh"), sarif.render_bytes(report, "zh")
    monkeypatch.setattr(records, "CHUNK", 2)  # 12 runs: the second half made by a forked copy
    monkeypatch.setattr(sarif, "CHUNK", 2)
    assert (json_format.render_bytes(report, "zh"), sarif.render_bytes(report, "zh")) == whole
    assert whole[0] == (json.dumps(records.as_records(report, "zh"), ensure_ascii=False, indent=2) + "\n").encode(
        "utf-8", "backslashreplace")
