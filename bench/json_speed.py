"""Benchmark: the JSON download (dashboard.downloads.to_json) against the way it was made before (each table's
pandas JSON parsed back and the whole dumped again with an indent), side by side in one run on the same tables.

Loads a built dataset as the data page does (`dashboard.dataset.load`, `downloads.export_frame` of every table),
keeps the first --rows rows of each table (all with --rows 0), and makes the all-tables JSON both ways,
alternating, --repeats times each. Prints the median seconds of each, the ratio, and whether the two documents
hold the same values (both parsed back).

    python bench/json_speed.py [--data data] [--rows 0] [--repeats 2]
"""
from __future__ import annotations

import json

import pandas as pd
from download_tables import arguments, load, side_by_side

from dashboard import downloads


def with_roundtrip(tables: dict[str, pd.DataFrame], filters: dict) -> bytes:
    """The code before: every table's JSON parsed into Python objects, then the whole dumped with indent=1."""
    body = {"filters": filters,
            "tables": {name: json.loads(frame.to_json(orient="records", force_ascii=False))
                       for name, frame in tables.items()}}
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def main() -> None:
    args = arguments(__doc__, rows=0)
    _, tables = load(args.data, args.rows)
    filters = {"province": ["江苏"]}
    made, (before, now) = side_by_side({"parse and dump again": lambda: with_roundtrip(tables, filters),
                                        "to_json (pandas' JSON joined)": lambda: downloads.to_json(tables, filters)},
                                       args.repeats)
    print(f"median: before {before:.2f} s, to_json {now:.2f} s; {before / now:.2f}× faster")
    same = len({json.dumps(json.loads(data), sort_keys=True) for data in made.values()}) == 1
    print(f"same values in both documents: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
