"""What the appendix counts in one workbook: applications by Table 三 row and applicant, records by 重点领域."""

from __future__ import annotations

import pandas as pd

from tongzhou_check.checks import Context, Workbook
from tongzhou_check.masking import mask
from tongzhou_check.model import Facts, Unplaced
from tongzhou_check.reader import SheetData
from tongzhou_check.text import squash

NEW, CARRIED, OPEN = "new", "carried", "open"  # 一、本年新收 · 二、上年结转 · 四、结转下年度继续办理
Counts = list[pd.DataFrame]  # (row, type) records, tallied once per workbook


def collect(book: Workbook, ctx: Context) -> Facts:
    """The facts of one workbook for the year's appendix, counting up to the year's end or as-of, if earlier.

    What is counted where is the pack's `appendix:` (kinds and column keys, validated when the pack loads).
    """
    spec = ctx.pack.appendix
    if spec is None:
        return Facts()
    start = pd.Timestamp(ctx.year, 1, 1)
    end = min(pd.Timestamp(ctx.year, 12, 31), pd.Timestamp(ctx.as_of))
    counts: Counts = []
    unplaced: list[Unplaced] = []
    areas: Counts = []
    for sheet in book.sheets:
        if spec.applications and sheet.kind.key == spec.applications["kind"]:
            frames, missed = _applications(sheet, spec.applications, start, end)
            counts += frames
            unplaced += missed
        if spec.catalogue and sheet.kind.key == spec.catalogue["kind"]:
            areas.append(_areas(sheet, spec.catalogue["area"], pd.Series(True, index=sheet.rows), "catalogue"))
        if spec.publication and sheet.kind.key == spec.publication["kind"]:
            published = _dates(sheet, spec.publication["date"])
            areas.append(_areas(sheet, spec.publication["area"], published.between(start, end), "publication"))
    return Facts(applications=_tally(counts), unplaced=tuple(unplaced), areas=_tally(areas))


def _dates(sheet: SheetData, key: str) -> pd.Series:
    if key not in sheet.columns:
        return pd.Series(pd.NaT, index=sheet.rows, dtype="datetime64[ns]")
    return pd.to_datetime(sheet.values(key), errors="coerce")


def _applications(sheet: SheetData, cols: dict[str, str], start: pd.Timestamp, end: pd.Timestamp
                  ) -> tuple[Counts, list[Unplaced]]:
    """Rows 一, 二, 四 and the outcome of each application replied by the end, by applicant type.

    一+二 = 三(七)+四 holds for every placed application: one counted in 一 or 二 is either replied by the end (an
    outcome row) or not (四). Those that cannot be placed are listed, never dropped silently, and show in the checks.
    """
    received, replied = _dates(sheet, cols["received"]), _dates(sheet, cols["replied"])
    new = received.between(start, end)
    carried = (received < start) & ~(replied < start)
    counted = new | carried
    bad_reply = counted & (_unreadable(sheet, cols["replied"], replied) | (new & (replied < start)))
    done = counted & (replied <= end) & ~bad_reply
    waiting = counted & ~(replied <= end) & ~bad_reply
    unplaced = _listed(sheet, cols, "received", received.isna() & ~(replied < start))  # may belong to the year
    unplaced += _listed(sheet, cols, "replied", bad_reply)
    if cols["applicant"] not in sheet.columns:
        return [], unplaced + _whole(sheet, "applicant", counted)
    applicant = sheet.values(cols["applicant"])
    unplaced += _listed(sheet, cols, "applicant", counted & applicant.isna())
    frames = [pd.DataFrame({"row": row, "type": applicant[rows & applicant.notna()]})
              for row, rows in ((NEW, new), (CARRIED, carried), (OPEN, waiting))]
    placed = done & applicant.notna()
    if cols["outcome"] not in sheet.columns:
        return frames, unplaced + _whole(sheet, "outcome", placed)
    outcome = sheet.values(cols["outcome"])
    unplaced += _listed(sheet, cols, "outcome", placed & outcome.isna())
    known = placed & outcome.notna()
    return [*frames, pd.DataFrame({"row": outcome[known], "type": applicant[known]})], unplaced


def _unreadable(sheet: SheetData, key: str, dates: pd.Series) -> pd.Series:
    """Cells written but not a date the count can use (unreadable text, or a year pandas cannot hold)."""
    if key not in sheet.columns:
        return pd.Series(False, index=sheet.rows)
    return sheet.parsed[key].invalid | (sheet.values(key).notna() & dates.isna())


def _listed(sheet: SheetData, cols: dict[str, str], role: str, rows: pd.Series) -> list[Unplaced]:
    """The applications `rows` left unplaced because of one column (its role: received, applicant …)."""
    key = cols[role]
    where = sheet.rows[rows.to_numpy(dtype=bool)]
    if where.empty:
        return []
    letter, _ = sheet.letter(key)
    texts = sheet.text(key, where) if key in sheet.columns else pd.Series("", index=where)
    return [Unplaced(mask(sheet.name) or "", f"{letter}{row}" if letter else None, role, mask(str(text)) or "")
            for row, text in zip(where, texts, strict=True)]


def _whole(sheet: SheetData, role: str, rows: pd.Series) -> list[Unplaced]:
    """A sheet without the column: one entry for all the applications it leaves unplaced."""
    count = int(rows.sum())
    return [Unplaced(mask(sheet.name) or "", None, role, count=count)] if count else []


def _areas(sheet: SheetData, key: str, rows: pd.Series, what: str) -> pd.DataFrame:
    if key in sheet.columns:
        area = sheet.values(key).fillna("").astype(str).map(squash)
    else:
        area = pd.Series("", index=sheet.rows)
    return pd.DataFrame({"row": area[rows.to_numpy(dtype=bool)], "type": what})


def _tally(frames: Counts) -> tuple[tuple[str, str, int], ...]:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return ()
    sizes = pd.concat(frames).groupby(["row", "type"], sort=True).size()
    return tuple((str(row), str(kind), int(n)) for (row, kind), n in sizes.items())
