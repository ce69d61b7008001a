"""Messages rendered as columns equal the template formatted finding by finding."""

from __future__ import annotations

import numpy as np

from tongzhou_check.messages import per_distinct, pick, render

ID = "11010519491231002X"
LABEL = {"zh": "身份证号码", "en": "resident ID number"}


def _one_by_one(template: str, lang: str, scalars: dict, columns: dict, n: int) -> list[str]:
    out = []
    for i in range(n):
        fields = {k: pick(v, lang) for k, v in scalars.items()}
        fields.update({k: pick(v[i], lang) for k, v in columns.items()})
        out.append(template.format_map(fields))
    return out


def test_columns_render_as_the_template_formats_each_row() -> None:
    columns = {
        "value": np.array([f"号码{ID}", "", "13812345678", f"号码{ID}", None, float("nan")], dtype=object),
        "pi": np.array([LABEL, LABEL, {"zh": "手机号码", "en": "mobile number"}, LABEL, LABEL, LABEL], dtype=object),
        "row": np.array([2, 3, 4, 5, 6, 7], dtype=object),
        "flag": np.array([True, 1, 1.0, False, 0, None], dtype=object),
    }
    scalars = {"title": {"zh": "个人信息", "en": "Personal information"}, "sheet": "信息发布登记", "n": 3}
    for template in ("{title}:第{row}行「{value}」含{pi}({flag}),共{n}项。", "{row:>4}|{value!r}|{sheet}", "plain"):
        for lang in ("zh", "en"):
            got = render(template, lang, 6, scalars, columns, lambda field, key: "").tolist()
            assert got == _one_by_one(template, lang, scalars, columns, 6)
    shown = render("{value}", "zh", 6, {}, columns, lambda field, key: "").tolist()
    assert ID not in "".join(shown) and "110105********002X" in shown[0]  # text fields pass the masking step


def test_indexed_fields_come_from_the_sheet() -> None:
    cells = np.array(["甲", "乙", "甲"], dtype=object)

    def indexed(field: str, key: str) -> np.ndarray | str:
        return "收到日期" if field == "headers" else cells

    got = render("「{headers[received]}」为{values[received]}", "zh", 3, {}, {}, indexed).tolist()
    assert got == ["「收到日期」为甲", "「收到日期」为乙", "「收到日期」为甲"]


def test_each_distinct_value_is_shown_once_none_and_nan_apart() -> None:
    calls: list = []

    def show(v: object) -> str:
        calls.append(v)
        return repr(v)

    values = np.array(["a", None, "a", 3, float("nan"), True, 1, None], dtype=object)
    assert per_distinct(values, show).tolist() == ["'a'", "None", "'a'", "3", "nan", "True", "1", "None"]
    plain = np.array(["x", "y", "x", "x", None], dtype=object)
    calls.clear()
    assert per_distinct(plain, show).tolist() == ["'x'", "'y'", "'x'", "'x'", "None"]
    assert len(calls) == 3
