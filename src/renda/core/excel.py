"""Excel files in and out (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# Text starting with one of these is taken as a formula by a spreadsheet (OWASP "CSV
# injection"): openpyxl itself writes a string starting with = as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(ws, value):
    """A cell for `value`: numbers stay numbers; text is always text. Text that a spreadsheet
    would run as a formula is kept as typed, written as a string with Excel's quote prefix
    (as if typed after an apostrophe: editing the cell keeps it text)."""
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if not text.startswith(FORMULA_STARTS):
        return text
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def write_workbook(title: str, headers: list[str], rows: Iterable[list]) -> bytes:
    """An export of user data: no cell is ever a formula (see text_cell)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Sheet1")
    ws.append([text_cell(ws, h) for h in headers])
    for row in rows:
        ws.append([text_cell(ws, v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_workbook(title: str, headers: list[str], example: list[str], notes: list[str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(example)
    for i, _ in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = 16
    info = wb.create_sheet("填写说明")
    for line in notes:
        info.append([line])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class WorkbookError(ValueError):
    pass


def read_rows(file) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    """Header names and (row number, {header: value}) for each non-empty data row of the
    first sheet — or of a CSV file (by its name), the same rows for the same checks."""
    if str(getattr(file, "name", "")).lower().endswith(".csv"):
        return _csv_rows(file)
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-xlsx file
        raise WorkbookError("无法读取该文件，请上传 Excel（.xlsx）格式的文件。") from exc
    try:
        return _rows(wb)
    except WorkbookError:
        raise
    except Exception as exc:  # read-only mode parses a sheet lazily: its damage shows here
        raise WorkbookError("无法读取该文件，文件可能已损坏，请重新保存为 Excel（.xlsx）格式后上传。") from exc
    finally:
        wb.close()


def _csv_rows(file):
    raw = file.read()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in Chinese saves CSV in GB18030 (GBK)
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise WorkbookError("无法读取该CSV文件，请以 UTF-8 编码保存后上传。")
    rows = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(rows)]
    except (StopIteration, csv.Error):
        raise WorkbookError("文件是空的：第一行应为表头。") from None
    data = []
    try:
        for number, values in enumerate(rows, start=2):
            if all(not v.strip() for v in values):
                continue
            data.append((number, {header[i]: values[i] for i in range(min(len(header), len(values))) if header[i]}))
    except csv.Error as exc:
        raise WorkbookError("CSV文件格式有误，请检查后重新上传。") from exc
    return header, data


def _rows(wb) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    if not wb.worksheets:
        raise WorkbookError("文件中没有工作表：第一张工作表的第一行应为表头。")
    rows = wb.worksheets[0].iter_rows(values_only=True)
    try:
        header = [str(h).strip() if h is not None else "" for h in next(rows)]
    except StopIteration:
        raise WorkbookError("文件是空的：第一行应为表头。") from None
    data = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        record = {header[i]: values[i] for i in range(min(len(header), len(values))) if header[i]}
        data.append((number, record))
    return header, data
