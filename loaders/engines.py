"""Where the per-article step runs: this machine's cores (`local`, a fork pool) or a dask.distributed cluster
(`dask`).

    map_documents(items, "local")                          # the default
    map_documents(items, "dask")                           # a LocalCluster: one process per core, one thread each
    map_documents(items, "dask", "tcp://10.0.0.5:8786")    # a running scheduler and its workers

`items` are (doc_id, text) or (doc_id, text, park an editor named for it); the answer has one entry per item, in
the order of the items: its DocResult, or (doc_id, reason) when extraction failed on it. Processing a document is
pure (`pipeline.process`), so every engine gives the same results. dask gets the documents in batches (one task
per batch, a few per worker), so a corpus of 20,000 articles is a few hundred tasks, not 20,000. A cluster that
cannot be used (no scheduler at the address, no workers, workers that cannot import these loaders or run other
rules) raises EngineError with one line saying why.
"""
from __future__ import annotations

import asyncio
import logging
import math
import multiprocessing
from typing import Sequence

from .extract.pipeline import DocResult, process

ENGINES = ("local", "dask")
PARALLEL_FROM = 40          # below this many documents one process is faster than starting a pool
BATCHES_PER_WORKER = 4      # dask: tasks per worker (load balance) …
MAX_BATCH = 200             # … and at most this many documents in one task
LOCAL_CHUNK = 50            # local: documents a worker takes at a time, so progress moves every ~0.5 s of work
WAIT_FOR_WORKERS = 30       # seconds a scheduler with no worker yet is given to get one

# no dashboard; the scheduler's small HTTP server (health, metrics) on a free port of this machine only, not on
# 8787, where a second cluster would print a warning
QUIET = {"dashboard_address": None, "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"}}

Result = DocResult | tuple[str, str]


class EngineError(Exception):
    """An engine that cannot be used; the message is one line for the user."""


def process_item(item: tuple[str, ...]) -> Result:
    """A document's rows, or (doc_id, reason) when extraction fails on it: one bad article must not stop the build.
    `item`: (doc_id, text) or (doc_id, text, park an editor named for it)."""
    try:
        return process(*item)
    except Exception as e:  # noqa: BLE001 - reported as one line naming the file
        return item[0], f"extraction failed ({type(e).__name__}: {e})"


def process_batch(items: Sequence[tuple[str, ...]]) -> list[Result]:
    return [process_item(item) for item in items]


def importable() -> bool:
    """Run on a dask scheduler: that it could unpickle this function is the point."""
    return True


def one_line(e: BaseException, kind: bool = True) -> str:
    """An exception as one line: `Kind: message`, its whitespace (dask's messages span lines) folded."""
    text = " ".join(str(e).split())
    return f"{type(e).__name__}: {text}" if kind else text


def load_rules() -> str:
    """Load the dictionaries, the park grammar and MinHash in this process; returns the version of the rules (the
    hash of loaders/**/*.py and loaders/data/*.yaml) it runs."""
    from .cache import rules_version
    from .extract.measures import segmenter
    from .extract.parks import grammar
    from .resolve.mirrors import signature
    segmenter()
    grammar()
    signature("")
    return rules_version()


def check(engine: str, scheduler: str | None = None) -> None:
    """EngineError when the engine's name or the scheduler's address cannot be used (before anything starts)."""
    if engine not in ENGINES:
        raise EngineError(f"--engine {engine}: use {' or '.join(ENGINES)}")
    if scheduler is not None and engine != "dask":
        raise EngineError("--scheduler ADDRESS is for --engine dask")
    if scheduler is not None and not scheduler.strip():
        raise EngineError("--scheduler: give the address of a dask scheduler (tcp://HOST:8786)")


def map_documents(items: list[tuple[str, ...]], engine: str = "local", scheduler: str | None = None,
                  workers: int | None = None, progress=None) -> list[Result]:
    """Process every item on `engine`; results in the order of `items`. `scheduler` (dask only): the address of a
    running scheduler, else a LocalCluster is started for this call. `workers` (local only): processes to use
    (default: every core when there are PARALLEL_FROM documents or more). `progress(done, total)` is called as
    documents finish (by batch on dask). Nothing is started for no items."""
    check(engine, scheduler)
    if not items:
        return []
    progress = progress or (lambda done, total: None)
    if engine == "dask":
        return _dask(items, scheduler, progress)
    return _local(items, workers, progress)


def _local(items: list[tuple[str, ...]], workers: int | None, progress) -> list[Result]:
    """On this machine's cores: a fork pool, forked after the dictionaries are loaded so they are loaded once."""
    load_rules()
    workers = workers or (multiprocessing.cpu_count() if len(items) >= PARALLEL_FROM else 1)
    total = len(items)
    results: list[Result] = []
    if workers <= 1:
        for item in items:
            results.append(process_item(item))
            progress(len(results), total)
        return results
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        # imap keeps the order of the items and hands results back as chunks finish, for the progress; small
        # chunks keep the progress moving and the workers busy to the end (a chunk of a 20,000-article build
        # was 1,250 documents, ~9 s with no progress at all)
        chunk = max(1, min(LOCAL_CHUNK, total // (workers * 8)))
        for r in pool.imap(process_item, items, chunksize=chunk):
            results.append(r)
            progress(len(results), total)
    return results


def batches(items: list, workers: int) -> list[list]:
    """`items` cut into consecutive batches: BATCHES_PER_WORKER per worker, at most MAX_BATCH items each."""
    size = max(1, min(MAX_BATCH, math.ceil(len(items) / (max(1, workers) * BATCHES_PER_WORKER))))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _dask(items: list[tuple[str, ...]], scheduler: str | None, progress) -> list[Result]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:
        raise EngineError(f"the dask engine needs dask.distributed ({e}): pip install -r requirements.txt") from e
    cluster = None
    if scheduler:
        try:
            # first a bare connection: a Client that fails to start hangs at exit in its __del__ and prints a
            # traceback. dask's connect timeout applies (distributed.comm.timeouts.connect, 30 s)
            asyncio.run(_reach(scheduler))
            client = Client(scheduler, set_as_default=False)
        except (OSError, ValueError, TypeError) as e:
            raise EngineError(f"cannot reach the dask scheduler at {scheduler} ({one_line(e, kind=False)})") from e
        where = f"the dask scheduler at {scheduler}"
    else:
        try:
            cluster = LocalCluster(n_workers=multiprocessing.cpu_count(), threads_per_worker=1, processes=True,
                                   silence_logs=logging.ERROR, **QUIET)
            client = Client(cluster, set_as_default=False)
        except Exception as e:  # noqa: BLE001 - whatever stops a local cluster from starting is one line
            if cluster is not None:
                cluster.close()
            raise EngineError(f"cannot start a local dask cluster ({one_line(e)})") from e
        where = "the local dask cluster"
    try:
        return _run(client, items, where, progress)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


async def _reach(address: str) -> None:
    from distributed.comm import connect
    comm = await connect(address)
    await comm.close()


def _run(client, items: list[tuple[str, ...]], where: str, progress) -> list[Result]:
    # the scheduler unpickles the tasks, so it imports loaders too
    try:
        client.run_on_scheduler(importable)
    except Exception as e:  # noqa: BLE001 - a scheduler that cannot import loaders fails in unpickling, in any way
        raise EngineError(f"{where} cannot import the loaders ({one_line(e)}); start the scheduler in a copy of "
                          f"this repository with its requirements installed (PYTHONPATH=. dask scheduler)") from e
    try:
        client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
    except Exception as e:  # noqa: BLE001 - a timeout of dask's own kind
        raise EngineError(f"{where} has no worker (none joined in {WAIT_FOR_WORKERS} s): start one in a copy "
                          f"of this repository (PYTHONPATH=. dask worker {client.scheduler.address})") from e
    # every worker loads the dictionaries once now, and says which rules it runs: a worker with other loaders
    # code would give other rows
    try:
        versions = client.run(load_rules)
    except Exception as e:  # noqa: BLE001 - a worker that cannot import loaders fails in unpickling, in any way
        raise EngineError(f"the workers of {where} cannot run the loaders ({one_line(e)}); start each worker in a "
                          f"copy of this repository with its requirements installed (PYTHONPATH=. dask worker "
                          f"ADDRESS)") from e
    from .cache import rules_version
    other = sorted(w for w, v in versions.items() if v != rules_version())
    if other:
        raise EngineError(f"{len(other)} worker(s) of {where} run other loaders rules than this copy "
                          f"({', '.join(other[:3])}{' …' if len(other) > 3 else ''}): give them this version")
    try:
        futures = client.map(process_batch, batches(items, len(versions)), pure=False)
        done = []
        # in the order of the batches, which the workers mostly take in that order: a count that only grows
        for future in futures:
            done.append(future.result())
            progress(sum(map(len, done)), len(items))
    except Exception as e:  # noqa: BLE001 - a lost worker or scheduler, of dask's own kinds
        raise EngineError(f"{where} failed while processing ({one_line(e)})") from e
    return [r for batch in done for r in batch]
