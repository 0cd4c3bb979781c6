"""Bytes for the download buttons: CSV (UTF-8 with BOM for Excel), XLSX (a sheet per table, the codebook and
the filters that made it) and JSON. Pure functions: tested directly, and called lazily by the buttons.

Spreadsheet programs run a cell that starts with = + - @ (or tab / CR, which some strip first) as a
formula, and article text is user-supplied, so such text cells get a leading apostrophe in CSV and XLSX.
JSON is data for programs and keeps the text exactly, and so does the Data Package (a zip of datapackage.json and
the loaders' CSVs, loaders/publish/package.py), which R and pandas read with every field's type.
"""
from __future__ import annotations

import io
import json
import re

import pandas as pd
import xlsxwriter

from loaders.publish import exports, package

EXCEL_ROWS = 1_048_576              # rows of a sheet, the header included
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# columns for people, in this order; internal twins (value_num) are dropped
EXPORT_COLUMNS = {
    "parks": ["park_id", "name", "aliases", "park_type", "level", "province", "city", "region", "lat", "lon",
              "flags", "origin"],
    "measures": ["park_id", "park_name", "park_type", "province", "region", "measure_type", "cue", "doc_id",
                 "evidence", "start", "end", "flags", "status", "origin"],
    "facts": ["park_id", "park_name", "park_type", "province", "region", "metric", "value", "unit", "basis",
              "scope", "date", "as_of", "date_basis", "doc_id", "evidence", "raw", "start", "end", "flags", "status", "origin", "figure_id"],
    "documents": ["doc_id", "title", "source", "published", "chars", "sha256", "origin", "duplicate_of", "status"],
    "figures": ["figure_id", "park_id", "park_name", "park_type", "province", "region", "metric", "basis", "scope",
                "value", "unit", "as_of", "role", "part_of", "mentions", "reports", "doc_ids", "flags"],
    "park_totals": ["total_id", "park_id", "park_name", "park_type", "province", "region", "metric", "basis", "scope", "value",
                    "unit", "how", "figures", "reports", "doc_ids", "first_as_of", "last_as_of", "flags"],
    "rejected": ["table", "park_id", "park_name", "metric", "measure_type", "value", "unit", "basis", "scope", "date",
                 "doc_id", "evidence", "start", "end", "raw", "flags", "origin", "correction_id", "author", "note",
                 "time"],
}


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell that a spreadsheet would run as a formula starts with an apostrophe."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            values = out[column].astype(str)
            risky = values.str.startswith(FORMULA_START) & out[column].notna()
            if risky.any():
                out[column] = out[column].astype(object)
                out.loc[risky, column] = "'" + values[risky]
    return out


def export_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    columns = [c for c in EXPORT_COLUMNS.get(name, frame.columns) if c in frame.columns]
    return frame[columns]


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese correctly; formulas neutralised.
    CRLF line ends (RFC 4180): with them pandas also quotes a field holding a bare CR, which it
    otherwise writes raw and so splits the row."""
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_json(tables: dict[str, pd.DataFrame], filters: dict[str, list[str]]) -> bytes:
    """{"filters": {...}, "tables": {name: [row, ...]}} with Chinese kept as is (not \\u escapes).
    Each table is pandas' own JSON of its records, put in place as it is: parsing it back to re-indent the
    whole took 5 of every 6 seconds (bench/json_speed.py)."""
    parts = ['{"filters": ', json.dumps(filters, ensure_ascii=False), ', "tables": {']
    for i, (name, frame) in enumerate(tables.items()):
        parts += [", " if i else "", json.dumps(name, ensure_ascii=False), ": ",
                  frame.to_json(orient="records", force_ascii=False)]
    parts.append("}}\n")
    return "".join(parts).encode("utf-8")


def codebook_rows(codebook: dict) -> pd.DataFrame:
    """The codebook flattened for a sheet: [section, code, zh, en, family, unit, definition_zh, definition_en];
    then what every column holds (section `columns`, code `table.column`, the description in zh and en)."""
    rows = []
    for section in ("measure_types", "families", "metrics", "bases", "statuses", "document_statuses", "date_bases", "flags"):
        for code, entry in codebook.get(section, {}).items():
            rows.append({"section": section, "code": code, "zh": entry.get("zh", ""), "en": entry.get("en", ""),
                         "family": entry.get("family", ""), "unit": entry.get("unit", ""),
                         "definition_zh": entry.get("definition_zh", ""),
                         "definition_en": entry.get("definition_en", "")})
    for table, columns in package.column_text(codebook).items():
        for column, entry in columns.items():
            rows.append({"section": "columns", "code": f"{table}.{column}", "zh": entry.get("zh", ""),
                         "en": entry.get("en", ""), "family": "", "unit": "", "definition_zh": "", "definition_en": ""})
    return pd.DataFrame(rows)


def package_rows(name: str, frame: pd.DataFrame) -> list[dict]:
    """A table's rows as the loaders write them: their columns in their order, every cell text; the dashboard's
    own columns (park_name, value_num …) dropped, a column an older build lacks empty."""
    columns = package.TABLES[name]
    out = {c: frame[c].map(exports.cell_text).tolist() if c in frame.columns else [""] * len(frame) for c in columns}
    return [dict(zip(columns, cells)) for cells in zip(*out.values())] if len(frame) else []


def to_datapackage(tables: dict[str, pd.DataFrame], codebook: dict, filters: dict[str, list[str]]) -> bytes:
    """A Frictionless Data Package (zip) of documents, parks, facts and measures as they are selected; `filters`
    ({} for the full dataset) are recorded in datapackage.json."""
    rows = {name: package_rows(name, tables[name]) for name in package.TABLES}
    return package.package_bytes(rows, codebook, filters)


def to_export(tables: dict[str, pd.DataFrame], codebook: dict, fmt: str) -> bytes:
    """Every table as it is selected, as Parquet or Stata .dta files in a zip (loaders/publish/exports.py), typed
    straight from the frames (making every cell text first and parsing it again took most of the time)."""
    return exports.export_zip({name: tables[name] for name in package.TABLES}, codebook, fmt)


def filter_rows(filters: dict[str, list[str]], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Which filters made this file, and how many rows each table kept."""
    rows = [{"item": f"filter: {key}", "value": " | ".join(values) if values else "(all)"}
            for key, values in filters.items()]
    rows += [{"item": f"rows: {name}", "value": str(len(frame))} for name, frame in tables.items()]
    return pd.DataFrame(rows)


def to_xlsx(tables: dict[str, pd.DataFrame], codebook: dict, filters: dict[str, list[str]]) -> bytes:
    """One sheet per table, then `codebook` and `filters`. `value` becomes a number where it is one.

    Written row by row with XlsxWriter: pandas' `to_excel` styles every cell on its way through openpyxl, which
    took 116 s for the 20,000-article dataset (bench/xlsx_speed.py compares the two). Text is written as text:
    no string becomes a formula, a number or a link (a url column would otherwise be 65,530 links at most)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                        "strings_to_urls": False, "nan_inf_to_errors": True})
    sheets = [(name[:31], frame, True) for name, frame in tables.items()]
    sheets += [("codebook", codebook_rows(codebook), False), ("filters", filter_rows(filters, tables), False)]
    for name, frame, is_table in sheets:
        frame = _no_cr(neutralise(frame))
        if is_table and "value" in frame.columns:
            numbers = pd.to_numeric(frame["value"], errors="coerce")
            frame = frame.assign(value=numbers.astype(object).where(numbers.notna(), frame["value"]))
        dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
        if dates:                                                    # as the CSV writes them, not Excel serials
            frame = frame.assign(**{c: frame[c].dt.strftime("%Y-%m-%d") for c in dates})
        frame = frame.astype(object).where(frame.notna(), None)     # a missing cell stays empty
        if len(frame) >= EXCEL_ROWS:
            raise ValueError(f"{name}: {len(frame):,} rows, more than a sheet holds ({EXCEL_ROWS - 1:,}); "
                             "download it as CSV or Parquet")
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, [str(c) for c in frame.columns])
        for r, row in enumerate(frame.itertuples(index=False, name=None), 1):
            sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def _no_cr(frame: pd.DataFrame) -> pd.DataFrame:
    """Line breaks as LF: XlsxWriter would keep a CR as `_x000D_`, which Excel reads back as a CR but openpyxl and
    pandas do not (openpyxl wrote it raw, and XML readers turn a raw CR into a LF, which is what this gives)."""
    out = frame
    for column in frame.columns:
        if frame[column].dtype == object:
            hit = frame[column].astype(str).str.contains("\r", regex=False)
            if hit.any():
                out = out.copy() if out is frame else out
                out.loc[hit, column] = frame.loc[hit, column].str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    return out


def file_name(what: str, filters: dict[str, list[str]], ext: str) -> str:
    """e.g. `parks-reopening_facts_region-东部_park_type-高新区.csv`, or `..._all.csv` for the full dataset.
    Only characters safe in a file name on every system are kept."""
    if filters:
        parts = [f"{key}-{'+'.join(values[:3])}{'+etc' if len(values) > 3 else ''}" for key, values in filters.items()]
        tail = "_".join(parts)
    else:
        tail = "all"
    name = f"parks-reopening_{what}_{tail}"
    name = re.sub(r'[\\/:*?"<>|\s]+', "-", name)[:150]
    return f"{name}.{ext}"
