"""Benchmark: documents per second per worker, the local engine against dask.distributed (loaders/engines.py).

Builds the synthetic corpus of bench/build_speed.py (seed paragraphs recombined, park names swapped), then times,
in one run, the per-article step (`engines.map_documents`, what `build` runs) on:
  local 1   one process, no pool (`process_all(items, workers=1)`)
  local N   the fork pool on every core (the default engine of `build`)
  dask 1/2  a LocalCluster with 1 and 2 worker processes of one thread each, connected to by address as a remote
            cluster would be; the cluster's start and each worker's loading of the dictionaries are timed apart
            ("start-up"), the timing is what a build on an already running cluster pays.
Every engine's results are checked equal to the local ones. The machine's load average is printed: the figures
are only comparable within one run.

    python bench/engines.py [--articles 1000]
"""
from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from build_speed import corpus  # noqa: E402

from loaders import engines  # noqa: E402
from loaders.articles.read import read_article  # noqa: E402


def timed(items, engine, scheduler=None, workers=None):
    started = time.perf_counter()
    results = engines.map_documents(items, engine, scheduler, workers=workers)
    return time.perf_counter() - started, results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chars = corpus(args.articles, folder)
        items = [(p.stem, read_article(p)[0]) for p in sorted(folder.iterdir())]
    load_before = os.getloadavg()
    engines.load_rules()                   # the parent's dictionaries: loaded before the local pool forks, untimed
    rows = []
    seconds, reference = timed(items, "local", workers=1)
    rows.append(("local", 1, seconds, 0.0))
    cores = multiprocessing.cpu_count()
    seconds, results = timed(items, "local", workers=cores)
    assert results == reference
    rows.append(("local", cores, seconds, 0.0))
    for n in (1, 2):
        started = time.perf_counter()
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, **engines.QUIET,
                          silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            client.run(engines.load_rules)
            startup = time.perf_counter() - started
            seconds, results = timed(items, "dask", cluster.scheduler_address)
        assert results == reference, f"dask with {n} worker(s) gave other results"
        rows.append(("dask", n, seconds, startup))
    load_after = os.getloadavg()

    failed = sum(isinstance(r, tuple) for r in reference)
    print(f"corpus: {len(items)} articles, {chars:,} characters ({failed} failed extraction); {cores} cores; "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    print(f"{'engine':<8}{'workers':>8}{'seconds':>9}{'docs/s':>9}{'docs/s/worker':>15}{'start-up s':>12}")
    for engine, n, seconds, startup in rows:
        rate = len(items) / seconds
        print(f"{engine:<8}{n:>8}{seconds:>9.2f}{rate:>9.1f}{rate / n:>15.1f}"
              f"{(f'{startup:.1f}' if engine == 'dask' else '-'):>12}")


if __name__ == "__main__":
    main()
