"""What the download benchmarks (xlsx_speed.py, json_speed.py) share: their arguments, the tables as the data page
exports them, and the side-by-side timing loop.

    args = arguments(__doc__, rows=20000)
    full, tables = load(args.data, args.rows)      # dashboard.dataset.Dataset, {table: export frame}
    made, medians = side_by_side({"before": make_a, "now": make_b}, args.repeats)
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import dataset, downloads  # noqa: E402
from dashboard.dataset import DATA_TABLES  # noqa: E402


def arguments(doc: str, rows: int) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--rows", type=int, default=rows, help="rows kept of each table (0: all)")
    ap.add_argument("--repeats", type=int, default=2)
    return ap.parse_args()


def load(data: Path, rows: int):
    """The built dataset and every table as the data page exports it, the first `rows` rows of each (0: all);
    prints their size."""
    full = dataset.load(data)
    tables = {name: downloads.export_frame(name, full.table(name)) for name in DATA_TABLES}
    if rows:
        tables = {name: frame.head(rows) for name, frame in tables.items()}
    print(f"{data}: {sum(len(f) for f in tables.values()):,} rows in {len(tables)} tables "
          f"({', '.join(f'{n} {len(f):,}' for n, f in tables.items())})", flush=True)
    return full, tables


def side_by_side(makers: dict, repeats: int) -> tuple[dict[str, bytes], list[float]]:
    """Each maker run in turn, `repeats` times; returns what each made last and the median seconds of each."""
    times: dict[str, list[float]] = {what: [] for what in makers}
    made = {}
    for _ in range(repeats):
        for what, make in makers.items():
            started = time.perf_counter()
            made[what] = make()
            times[what].append(time.perf_counter() - started)
            print(f"  {what}: {times[what][-1]:.2f} s, {len(made[what]) / 1e6:.1f} MB", flush=True)
    return made, [statistics.median(t) for t in times.values()]
