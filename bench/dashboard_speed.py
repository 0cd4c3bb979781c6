"""Benchmark: a dashboard page rerun after a filter change, against bare pages, side by side in one run.

Two baselines: `bare_page.py` only reads the same cached dataset and writes one number; `bare_app.py`
is the shared shell every page runs in (cached data, the filtered selection, the sidebar's filters, the
URL) around one number. A page's ratio to the shell is the cost of the page's own work.

Makes a synthetic dataset about 100 times the seeds' (the seed parks copied 100 times under new names,
each copy's figures repeated to about 50,000 facts), points the app at it with PARKS_DATA_DIR, and for
every page times AppTest reruns that each change the region filter. Prints the median rerun per page
and its ratio to both baselines.

    python bench/dashboard_speed.py [--copies 100] [--reruns 8]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from dashboard.dataset import TABLES  # noqa: E402

PAGES = ["overview", "reopening", "support", "investment", "measures", "profile", "data"]
REGIONS = [["东部"], ["西部"], ["中部", "东北"], []]


def synthetic(copies: int, fact_repeats: int, out: Path) -> dict[str, int]:
    """Write a dataset of `copies` copies of data/ into `out`; returns the row count of each table."""
    seed = {t: pd.read_csv(ROOT / "data" / f"{t}.csv", dtype=str, keep_default_na=False) for t in TABLES}
    frames = {t: [] for t in TABLES}
    for k in range(copies):
        tag = f"_{k:03d}"
        frames["parks"].append(seed["parks"].assign(park_id=seed["parks"]["park_id"] + tag,
                                                    name=seed["parks"]["name"] + tag))
        frames["documents"].append(seed["documents"].assign(doc_id=seed["documents"]["doc_id"] + tag))
        frames["measures"].append(seed["measures"].assign(park_id=seed["measures"]["park_id"] + tag,
                                                          doc_id=seed["measures"]["doc_id"] + tag))
        for r in range(fact_repeats):
            facts = seed["facts"].assign(park_id=seed["facts"]["park_id"] + tag, doc_id=seed["facts"]["doc_id"] + tag)
            values = pd.to_numeric(facts["value"]) * (1 + r / 10)
            facts["value"] = values.where(facts["unit"] != "%", values.clip(upper=100)).map("{:g}".format)
            frames["facts"].append(facts)
    out.mkdir(parents=True)
    for t in TABLES:
        pd.concat(frames[t]).to_csv(out / f"{t}.csv", index=False)
    shutil.copy(ROOT / "data" / "codebook.yaml", out / "codebook.yaml")
    return {t: sum(len(f) for f in frames[t]) for t in TABLES}


def timed_reruns(path: Path, page: str | None, reruns: int) -> float:
    """Median seconds of an AppTest rerun that changes the region filter (the bare page just reruns)."""
    at = AppTest.from_file(str(path), default_timeout=120)
    at.run()
    if page and page not in ("overview", "shell"):
        at.switch_page(f"pages/{page}.py").run()
    at.run()  # warm: caches filled, page imported
    times = []
    for i in range(reruns):
        if page:
            at.multiselect(key="w_region").set_value(REGIONS[i % len(REGIONS)])
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, [e.value for e in at.exception]
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--fact-repeats", type=int, default=9)
    parser.add_argument("--reruns", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        counts = synthetic(args.copies, args.fact_repeats, Path(tmp) / "data")
        os.environ["PARKS_DATA_DIR"] = str(Path(tmp) / "data")
        print("synthetic dataset: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
        bare = timed_reruns(ROOT / "bench" / "bare_page.py", None, args.reruns)
        shell = timed_reruns(ROOT / "bench" / "bare_app.py", "shell", args.reruns)
        print(f"{'page':<12}{'rerun ms':>10}{'× shell':>9}{'× bare read':>13}")
        print(f"{'bare read':<12}{bare * 1000:>10.0f}{bare / shell:>9.2f}{1:>13.2f}")
        print(f"{'shell':<12}{shell * 1000:>10.0f}{1:>9.2f}{shell / bare:>13.2f}")
        worst = 0.0
        for page in PAGES:
            seconds = timed_reruns(ROOT / "app.py", page, args.reruns)
            worst = max(worst, seconds)
            print(f"{page:<12}{seconds * 1000:>10.0f}{seconds / shell:>9.2f}{seconds / bare:>13.2f}")
        print(f"slowest page: {worst * 1000:.0f} ms = {worst / shell:.2f}× the shell, {worst / bare:.1f}× the bare read")


if __name__ == "__main__":
    main()
