"""The tables in the formats researchers load with one call: Parquet (typed) and Stata .dta (version 118, UTF-8,
variable labels from the codebook).

Types come from the Data Package schema (`package.field`), so all three exports agree: integer columns are
nullable integers, number columns floats, everything else text as the CSV holds it (a date stays text: "2020-03"
is a month, not a day, and Stata and Parquet have no month-or-day type). An empty cell is missing (NA), never 0.

`export_zip(tables, codebook, fmt)` is pure: `tables` is {name: [row dict, ...]} as `package.read_tables` gives, or
{name: DataFrame} as the dashboard holds it (typed column by column, `typed_frame`: no text row per cell first);
the zip holds one file per table plus codebook.yaml, and the same input gives the same bytes.
"""
from __future__ import annotations

import io
import zipfile

import pandas as pd
import yaml

from .package import TABLES, _entry, column_text, field

FORMATS = {"parquet": ".parquet", "stata": ".dta"}
STATA_LABEL_CHARS = 80               # Stata's limit for a variable label
STATA_STR_BYTES = 2045               # longer text goes into a strL
# `end` is a reserved word in Stata: the span's two columns get names of their own there (the label says so)
STATA_NAMES = {"start": "span_start", "end": "span_end"}


def typed(name: str, rows: list[dict], codebook: dict) -> pd.DataFrame:
    """One table with the schema's types: {integer: Int64, number: Float64, other: string}, "" as NA."""
    columns = TABLES[name]
    frame = pd.DataFrame([{c: row.get(c, "") for c in columns} for row in rows], columns=columns, dtype="string")
    for column in columns:
        kind = field(name, column, codebook)["type"]
        text = frame[column].replace("", pd.NA)
        if kind == "integer":
            frame[column] = pd.to_numeric(text).astype("Int64")
        elif kind == "number":
            frame[column] = pd.to_numeric(text).astype("Float64")
        else:
            frame[column] = frame[column].fillna("")
    return frame


def cell_text(value) -> str:
    """A cell as the loaders' CSV holds it: "" for missing, 300 not 300.0, dates as YYYY-MM-DD."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _text(values: pd.Series) -> pd.Series:
    """A column as the CSV's text (string dtype, "" for missing), as `typed` reads it from rows."""
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):     # text already: no cell by cell
        return values.astype("string").fillna("")
    return values.map(cell_text).astype("string")


def typed_frame(name: str, frame: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """`typed` for a DataFrame (the dashboard's selection: text columns, lat/lon as floats, extra columns of its
    own): the same columns, types and values as `typed` gives for the same rows as text, column by column."""
    out = {}
    for column in TABLES[name]:
        values = frame[column] if column in frame.columns else pd.Series("", index=frame.index, dtype="string")
        kind = field(name, column, codebook)["type"]
        if kind in ("integer", "number"):
            if not pd.api.types.is_numeric_dtype(values):          # text as the CSV holds it: parsed as `typed` does
                values = pd.to_numeric(_text(values).replace("", pd.NA))
            values = values.astype("Int64" if kind == "integer" else "Float64")
        else:
            values = _text(values)
        out[column] = values.array          # not the selection's index: a new 0..n-1, as `typed` has
    return pd.DataFrame(out, columns=TABLES[name])


def labels(name: str, codebook: dict, lang: str = "en") -> dict[str, str]:
    """{column: label} from the codebook's column descriptions."""
    text = column_text(codebook).get(name, {})
    out = {}
    for column in TABLES[name]:
        out[column] = (text.get(column) or {}).get(lang, "") or column
    return out


def _cut(label: str) -> str:
    return label if len(label) <= STATA_LABEL_CHARS else label[:STATA_LABEL_CHARS - 1] + "…"


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, engine="pyarrow", index=False)
    return buffer.getvalue()


def stata_bytes(frame: pd.DataFrame, variable_labels: dict[str, str], table_label: str = "") -> bytes:
    """Version 118 (Stata 14+: UTF-8 text). Stata has no nullable integer: integers go out as doubles with
    Stata's missing value where a cell is empty; text longer than 2045 bytes as strL; start and end are
    span_start and span_end."""
    out = frame.rename(columns=STATA_NAMES)
    variable_labels = {STATA_NAMES.get(c, c): _cut(f"({c} in the CSV) " + label if c in STATA_NAMES else label)
                       for c, label in variable_labels.items()}
    for column in out.columns:
        if isinstance(out[column].dtype, pd.Int64Dtype | pd.Float64Dtype):
            out[column] = out[column].astype("float64")
        else:
            out[column] = out[column].astype(object)
    long_text = [c for c in out.columns if out[c].dtype == object
                 and max((len(str(v).encode("utf-8")) for v in out[c]), default=0) > STATA_STR_BYTES]
    buffer = io.BytesIO()
    out.to_stata(buffer, write_index=False, version=118, variable_labels=variable_labels,
                 data_label=table_label[:STATA_LABEL_CHARS], convert_strl=long_text,
                 time_stamp=pd.Timestamp("2020-01-01"))
    return buffer.getvalue()


def export_zip(tables: dict[str, list[dict]], codebook: dict, fmt: str) -> bytes:
    """A zip of every table as `fmt` (parquet or stata) and codebook.yaml."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in TABLES:
            table = tables.get(name, [])
            frame = typed_frame(name, table, codebook) if isinstance(table, pd.DataFrame) else typed(name, table, codebook)
            body = parquet_bytes(frame) if fmt == "parquet" else stata_bytes(frame, labels(name, codebook), name)
            z.writestr(_entry(name + FORMATS[fmt]), body)
        book = yaml.safe_dump(codebook, allow_unicode=True, sort_keys=False, width=120)
        z.writestr(_entry("codebook.yaml"), book.encode("utf-8"))
    return buffer.getvalue()
