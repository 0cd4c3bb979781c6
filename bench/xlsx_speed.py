"""Benchmark: the XLSX download (dashboard.downloads.to_xlsx) against pandas' `to_excel` through openpyxl, which it
replaced, side by side in one run on the same tables.

Loads a built dataset as the data page does (`dashboard.dataset.load`, `downloads.export_frame` of every table),
keeps the first --rows rows of each table (all with --rows 0), and makes the all-tables workbook both ways,
alternating, --repeats times each. Prints the median seconds of each, the ratio, and whether the two workbooks
hold the same cells (read back with openpyxl; skipped above 50,000 rows, where reading back takes minutes).

    python bench/xlsx_speed.py [--data data] [--rows 20000] [--repeats 2]
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402

from dashboard import dataset, downloads  # noqa: E402
from dashboard.dataset import DATA_TABLES  # noqa: E402


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
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--rows", type=int, default=20000, help="rows kept of each table (0: all)")
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    full = dataset.load(args.data)
    tables = {name: downloads.export_frame(name, full.table(name)) for name in DATA_TABLES}
    if args.rows:
        tables = {name: frame.head(args.rows) for name, frame in tables.items()}
    total = sum(len(f) for f in tables.values())
    print(f"{args.data}: {total:,} rows in {len(tables)} tables "
          f"({', '.join(f'{n} {len(f):,}' for n, f in tables.items())})", flush=True)
    times: dict[str, list[float]] = {"pandas + openpyxl": [], "to_xlsx (XlsxWriter)": []}
    made = {}
    for _ in range(args.repeats):
        for what, make in (("pandas + openpyxl", lambda: with_pandas(tables, full.codebook)),
                           ("to_xlsx (XlsxWriter)", lambda: downloads.to_xlsx(tables, full.codebook, {}))):
            started = time.perf_counter()
            made[what] = make()
            times[what].append(time.perf_counter() - started)
            print(f"  {what}: {times[what][-1]:.2f} s, {len(made[what]) / 1e6:.1f} MB", flush=True)
    before, now = (statistics.median(t) for t in times.values())
    print(f"median: pandas + openpyxl {before:.2f} s, to_xlsx {now:.2f} s; {before / now:.2f}× faster")
    if total <= 50_000:
        same = cells(made["pandas + openpyxl"]) == cells(made["to_xlsx (XlsxWriter)"])
        print(f"same cells in both workbooks: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
