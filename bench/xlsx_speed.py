"""Benchmark: the XLSX download (dashboard.downloads.to_xlsx) against pandas' `to_excel` through openpyxl, which it
replaced, side by side in one run on the same tables.

Loads a built dataset as the data page does (`dashboard.dataset.load`, `downloads.export_frame` of every table),
keeps the first --rows rows of each table (all with --rows 0), and makes the all-tables workbook both ways,
alternating, --repeats times each. Prints the median seconds of each, the ratio, and whether the two workbooks
hold the same cells (read back with openpyxl; skipped above 50,000 rows, where reading back takes minutes).

    python bench/xlsx_speed.py [--data data] [--rows 20000] [--repeats 2]
"""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
from download_tables import arguments, load, side_by_side

from dashboard import downloads


def with_pandas(tables: dict[str, pd.DataFrame], codebook: dict) -> bytes:
    """The code before: one `to_excel` per sheet through openpyxl."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame = downloads.neutralise(frame)
            if "value" in frame.columns:
                numbers = pd.to_numeric(frame["value"], errors="coerce")
                frame = frame.assign(value=numbers.astype(object).where(numbers.notna(), frame["value"]))
            frame.to_excel(writer, sheet_name=name[:31], index=False)
        downloads.neutralise(downloads.codebook_rows(codebook)).to_excel(writer, sheet_name="codebook", index=False)
        downloads.neutralise(downloads.filter_rows({}, tables)).to_excel(writer, sheet_name="filters", index=False)
    return buffer.getvalue()


def cells(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    # line breaks compared as LF (openpyxl wrote a CR raw, which XML reading turns into a LF)
    fold = lambda v: v.replace("\r", "\n") if isinstance(v, str) else v
    return {name: [tuple(map(fold, row)) for row in book[name].values] for name in book.sheetnames}


def main() -> None:
    args = arguments(__doc__, rows=20000)
    full, tables = load(args.data, args.rows)
    made, (before, now) = side_by_side({"pandas + openpyxl": lambda: with_pandas(tables, full.codebook),
                                        "to_xlsx (XlsxWriter)": lambda: downloads.to_xlsx(tables, full.codebook, {})},
                                       args.repeats)
    print(f"median: pandas + openpyxl {before:.2f} s, to_xlsx {now:.2f} s; {before / now:.2f}× faster")
    if sum(len(f) for f in tables.values()) <= 50_000:
        same = cells(made["pandas + openpyxl"]) == cells(made["to_xlsx (XlsxWriter)"])
        print(f"same cells in both workbooks: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
