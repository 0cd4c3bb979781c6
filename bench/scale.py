"""Benchmark: the whole project at scale on this machine: 20,000 articles, about 30 M characters.

Generates the corpus of bench/build_speed.py at scale (seed paragraphs recombined into articles of about 1,500
characters, park names swapped for gazetteer parks, every figure changed: `corpus(..., chars=1500,
vary_figures=True)`) plus 100 more articles, then measures in one run, against the budgets of issue 18:

  build      the full build (`python -m loaders build` in a new process, empty cache, as `make run` runs it on
             seeds/) against bare jieba segmentation (`segmenter().lcut`, dictionary loaded beforehand) of the
             same texts; both on both cores (the build forks one worker per core; bare segmentation runs in a
             pool of as many), bare timed before and after the build, the build compared with their mean.
             Peak memory of the build process (psutil, sampled every 0.1 s: the main process, and the sum over
             it and its workers; and the kernel's max RSS of any one of them, from wait4).
  incremental  100 more articles stored with `python -m loaders add` and built again with the cache (only they
             are processed), against building those 100 alone (`--seeds`, no cache), each a new process.
  app        `streamlit run app.py` on the built data (PARKS_DATA_DIR), every page of app.py loaded once in
             chromium (Playwright, as tests/test_browser.py does; search with q=复工, the reader on the article
             with the most rows); the server's RSS sampled throughout; each page's first load timed.
  pages      bench/dashboard_speed.py --data on the built data: every page's rerun after a filter change
             against its minimal page (bench/minimal/), and each real page's 95th percentile rerun.
  search     bench/search_speed.py --texts on the built texts: 20 queries, 95th percentile.
  downloads  dashboard.downloads on the full dataset: to_csv of every table (the biggest is judged),
             to_export(..., "parquet") and the data page's all-tables XLSX (to_xlsx), plus Stata, Data Package
             and JSON for the record.

The 20,000-article build is run first, and every step but `incremental` reads it; `incremental` runs last (it
rebuilds data/ with 20,100 articles). Prints a table of measured against budget, and with --json writes it.

    python bench/scale.py [--articles 20000] [--chars 1500] [--add 100] [--reruns 12] [--dir DIR]
                          [--steps build,app,pages,search,downloads,incremental] [--json FILE]

With --dir the work folder is kept (seeds/, data/, the cache, new/); a later run with the same --dir and without
`build` in --steps reuses its data/. Takes 10–20 minutes on the 2-core machine.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from build_speed import corpus  # noqa: E402

PY = sys.executable
STEPS = ["build", "app", "pages", "search", "downloads", "incremental"]
MB = 1024 * 1024
BUDGET = {"build_ratio": 1.5, "incremental_ratio": 2.0, "build_mb": 2048, "app_mb": 1536, "page_ratio": 1.5,
          "page_p95_s": 1.0, "search_p95_ms": 100, "download_s": 5.0}


def env(cache: Path | None) -> dict[str, str]:
    """The environment of a `python -m loaders` child: this checkout, and that cache ("" = none)."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "LOADERS_CACHE_DIR": str(cache) if cache else ""}


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f}/{five:.1f}"


class Sampler(threading.Thread):
    """Samples the RSS of a process (and, with tree, of its descendants) every `interval` seconds."""

    def __init__(self, pid: int, tree: bool = True, interval: float = 0.1):
        super().__init__(daemon=True)
        self.process, self.tree, self.interval = psutil.Process(pid), tree, interval
        self.main_peak = self.tree_peak = self.last = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                main = self.process.memory_info().rss
                total = main
                if self.tree:
                    for child in self.process.children(recursive=True):
                        try:
                            total += child.memory_info().rss
                        except psutil.Error:
                            pass
            except psutil.Error:
                break
            self.main_peak, self.tree_peak, self.last = max(self.main_peak, main), max(self.tree_peak, total), main
            self.done.wait(self.interval)

    def stop(self) -> None:
        self.done.set()
        self.join()


def measured(cmd: list[str], cwd: Path, environ: dict[str, str]) -> dict:
    """Run cmd; its wall seconds, CPU seconds (its own and its children's), peak RSS (main process, and the sum
    over its process tree, sampled), the kernel's max RSS of any one process of it, and its output."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=environ, stdout=log, stderr=subprocess.STDOUT)
        sampler = Sampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)      # (reaps the child: its rusage covers its workers too)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output[-3000:]}")
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "main_mb": sampler.main_peak / MB,
            "tree_mb": sampler.tree_peak / MB, "maxrss_mb": usage.ru_maxrss / 1024, "output": output}


# ---------------------------------------------------------------------------------------------- bare jieba

_TEXTS: list[str] = []


def _cut(i: int) -> int:
    from loaders.extract.measures import segmenter
    return len(segmenter().lcut(_TEXTS[i]))


def bare_segmentation(texts: list[str], workers: int) -> tuple[float, float]:
    """(wall, CPU) seconds of segmenter().lcut over every text on `workers` processes (forked after the
    dictionary is loaded, chunks as loaders.cli.process_all makes them)."""
    global _TEXTS
    from loaders.extract.measures import segmenter
    segmenter()
    _TEXTS = texts
    before = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    if workers == 1:
        for i in range(len(texts)):
            _cut(i)
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pool.map(_cut, range(len(texts)), chunksize=max(1, len(texts) // (workers * 8)))
            pool.close()
            pool.join()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
    cpu = sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before))
    return seconds, cpu


def step_build(work: Path, cache: Path, chars: int) -> dict:
    texts = [p.read_text(encoding="utf-8") for p in sorted((work / "seeds").iterdir())]
    workers = multiprocessing.cpu_count()
    print(f"[build] bare segmentation on {workers} processes … (load {load()})", flush=True)
    bare_before, bare_before_cpu = bare_segmentation(texts, workers)
    print(f"[build]   {bare_before:.1f} s; full build (python -m loaders build, empty cache) …", flush=True)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(work / "data", ignore_errors=True)
    run = measured([PY, "-m", "loaders", "build"], work, env(cache))
    print(f"[build]   {run['seconds']:.1f} s; bare segmentation again … (load {load()})", flush=True)
    bare_after, bare_after_cpu = bare_segmentation(texts, workers)
    print(f"[build]   {bare_after:.1f} s; bare segmentation on one process … ", flush=True)
    single, _ = bare_segmentation(texts, 1)
    bare = (bare_before + bare_after) / 2
    bare_cpu = (bare_before_cpu + bare_after_cpu) / 2
    summary = [line for line in run["output"].splitlines() if line.startswith(("built", "processed"))]
    return {"articles": len(texts), "chars": sum(map(len, texts)), "workers": workers,
            "bare_s": [bare_before, bare_after], "bare_one_process_s": single, "bare_cpu_s": bare_cpu,
            "build_s": run["seconds"], "build_cpu_s": run["cpu"], "ratio": run["seconds"] / bare,
            "cpu_ratio": run["cpu"] / bare_cpu, "main_mb": run["main_mb"], "tree_mb": run["tree_mb"],
            "maxrss_mb": run["maxrss_mb"], "summary": summary}


def step_incremental(work: Path, cache: Path) -> dict:
    new = sorted((work / "new").iterdir())
    print(f"[incremental] add {len(new)} articles (python -m loaders add) … (load {load()})", flush=True)
    add = measured([PY, "-m", "loaders", "add", *[str(p) for p in new]], work, env(cache))
    print(f"[incremental]   {add['seconds']:.1f} s; incremental build with the cache …", flush=True)
    rebuild = measured([PY, "-m", "loaders", "build"], work, env(cache))
    print(f"[incremental]   {rebuild['seconds']:.1f} s; those {len(new)} built alone (no cache) …", flush=True)
    shutil.rmtree(work / "alone", ignore_errors=True)
    alone = measured([PY, "-m", "loaders", "build", "--seeds", str(work / "new"), "--out", str(work / "alone")],
                     work, env(None))
    print(f"[incremental]   {alone['seconds']:.1f} s", flush=True)
    summary = [line for line in rebuild["output"].splitlines() if line.startswith(("built", "processed"))]
    return {"added": len(new), "add_s": add["seconds"], "rebuild_s": rebuild["seconds"], "alone_s": alone["seconds"],
            "ratio": (add["seconds"] + rebuild["seconds"]) / alone["seconds"],
            "rebuild_ratio": rebuild["seconds"] / alone["seconds"], "rebuild_main_mb": rebuild["main_mb"],
            "rebuild_tree_mb": rebuild["tree_mb"], "summary": summary}


# ---------------------------------------------------------------------------------------------- the app

def step_app(data: Path) -> dict:
    """Start the server on `data`, load every page once in chromium, sample the server's RSS."""
    from playwright.sync_api import sync_playwright
    from dashboard_speed import SEARCH_QUERY, app_pages, reader_doc

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [PY, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**env(None), "PARKS_DATA_DIR": str(data)})
    sampler = Sampler(server.pid, tree=False)
    sampler.start()
    pages: dict[str, float] = {}
    try:
        for _ in range(240):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        idle = sampler.last / MB
        params = {"search": f"?q={urllib.parse.quote(SEARCH_QUERY)}", "reader": f"?read={reader_doc(data)}"}
        print(f"[app] server up ({idle:.0f} MB); loading every page … (load {load()})", flush=True)
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
            page = browser.new_context(viewport={"width": 1400, "height": 2400}).new_page()
            page.set_default_timeout(600_000)
            for slug in app_pages():
                started = time.perf_counter()
                page.goto(f"{url}/{'' if slug == 'overview' else slug}{params.get(slug, '')}")
                page.wait_for_selector("h1")
                page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')")
                pages[slug] = time.perf_counter() - started
                errors = page.locator("[data-testid=stException]").count()
                print(f"[app]   {slug}: {pages[slug]:.1f} s, server {sampler.last / MB:.0f} MB"
                      + (f", {errors} error box(es)" if errors else ""), flush=True)
                if errors:
                    raise SystemExit(f"page {slug} shows an exception: "
                                     + page.locator("[data-testid=stException]").first.inner_text()[:500])
            browser.close()
        time.sleep(1)
        final = psutil.Process(server.pid).memory_info().rss / MB
    finally:
        sampler.stop()
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return {"idle_mb": idle, "peak_mb": sampler.main_peak / MB, "final_mb": final, "first_load_s": pages}


def step_pages(data: Path, reruns: int, out: Path) -> dict:
    print(f"[pages] bench/dashboard_speed.py --data … (load {load()})", flush=True)
    subprocess.run([PY, str(ROOT / "bench" / "dashboard_speed.py"), "--data", str(data), "--reruns", str(reruns),
                    "--json", str(out)], check=True, env=env(None))
    return json.loads(out.read_text(encoding="utf-8"))


def step_search(data: Path, out: Path) -> dict:
    print(f"[search] bench/search_speed.py --texts … (load {load()})", flush=True)
    subprocess.run([PY, str(ROOT / "bench" / "search_speed.py"), "--texts", str(data / "texts"), "--repeats", "5",
                    "--naive-repeats", "1", "--json", str(out)], check=True, env=env(None))
    return json.loads(out.read_text(encoding="utf-8"))


def timed(fn) -> tuple[float, int]:
    started = time.perf_counter()
    body = fn()
    return time.perf_counter() - started, len(body)


def step_downloads(data: Path) -> dict:
    """The data page's downloads of the full dataset, each made as its button makes it."""
    from dashboard import dataset, downloads
    from dashboard.dataset import DATA_TABLES
    print(f"[downloads] loading {data} … (load {load()})", flush=True)
    full = dataset.load(data)
    tables = {name: downloads.export_frame(name, full.table(name)) for name in DATA_TABLES}
    rows = {name: len(frame) for name, frame in tables.items()}
    csv = {}
    for name, frame in tables.items():
        csv[name] = timed(lambda: downloads.to_csv(frame))
        print(f"[downloads]   CSV {name}: {csv[name][0]:.2f} s, {csv[name][1] / MB:.1f} MB", flush=True)
    biggest = max(csv, key=lambda n: csv[n][1])
    made = {"csv_biggest": csv[biggest]}
    makers = {
        "parquet": lambda: downloads.to_export({n: full.table(n) for n in DATA_TABLES}, full.codebook, "parquet"),
        "xlsx": lambda: downloads.to_xlsx(tables, full.codebook, {}),
        "stata": lambda: downloads.to_export({n: full.table(n) for n in DATA_TABLES}, full.codebook, "stata"),
        "datapackage": lambda: downloads.to_datapackage({n: full.table(n) for n in DATA_TABLES}, full.codebook, {}),
        "json": lambda: downloads.to_json(tables, {}),
    }
    for what, make in makers.items():
        made[what] = timed(make)
        print(f"[downloads]   {what}: {made[what][0]:.2f} s, {made[what][1] / MB:.1f} MB", flush=True)
    return {"rows": rows, "biggest": biggest, "csv": {n: {"s": s, "mb": b / MB} for n, (s, b) in csv.items()},
            **{k: {"s": s, "mb": b / MB} for k, (s, b) in made.items()}}


# ---------------------------------------------------------------------------------------------- report

def table(results: dict) -> list[tuple[str, str, str, str]]:
    """(what, measured, budget, met) rows."""
    rows = []

    def row(what: str, value: float | None, budget: float, shown: str, limit: str) -> None:
        rows.append((what, shown, limit, "—" if value is None else ("yes" if value <= budget else "NO")))

    if "build" in results:
        b = results["build"]
        row("full build / bare segmentation (both cores, wall)", b["ratio"], BUDGET["build_ratio"],
            f"{b['ratio']:.2f}× ({b['build_s']:.0f} s / {statistics.mean(b['bare_s']):.0f} s)", "≤ 1.5×")
        rows.append(("  the same in CPU time", f"{b['cpu_ratio']:.2f}×", "", ""))
        row("build peak memory, main process", b["main_mb"], BUDGET["build_mb"], f"{b['main_mb']:,.0f} MB", "≤ 2 GB")
        rows.append(("  main + workers (sum of RSS, sampled)", f"{b['tree_mb']:,.0f} MB", "", ""))
    if "incremental" in results:
        i = results["incremental"]
        row(f"add {i['added']} + incremental build / those built alone", i["ratio"], BUDGET["incremental_ratio"],
            f"{i['ratio']:.2f}× ({i['add_s']:.1f} + {i['rebuild_s']:.1f} s / {i['alone_s']:.1f} s)", "≤ 2×")
    if "app" in results:
        a = results["app"]
        row("app server peak RSS, every page loaded once", a["peak_mb"], BUDGET["app_mb"],
            f"{a['peak_mb']:,.0f} MB", "≤ 1.5 GB")
    if "pages" in results:
        ok = {p: v for p, v in results["pages"]["pages"].items() if "ratio" in v}
        worst = max(ok, key=lambda p: ok[p]["ratio"])
        slow = max(ok, key=lambda p: ok[p]["real_p95_ms"])
        row("page rerun / minimal page, worst page", ok[worst]["ratio"], BUDGET["page_ratio"],
            f"{ok[worst]['ratio']:.2f}× ({worst})", "≤ 1.5×")
        row("page rerun p95, slowest page", ok[slow]["real_p95_ms"] / 1000, BUDGET["page_p95_s"],
            f"{ok[slow]['real_p95_ms']:,.0f} ms ({slow})", "≤ 1 s")
        failed = [p for p, v in results["pages"]["pages"].items() if "error" in v]
        if failed:
            rows.append(("pages that failed", ", ".join(failed), "", "NO"))
    if "search" in results:
        s = results["search"]
        row("search p95 over 20 queries (as the page calls it)", s["page_p95_ms"], BUDGET["search_p95_ms"],
            f"{s['page_p95_ms']:.0f} ms (engine alone {s['p95_ms']:.0f} ms)", "≤ 100 ms")
    if "downloads" in results:
        d = results["downloads"]
        row(f"CSV download of the biggest table ({d['biggest']})", d["csv_biggest"]["s"], BUDGET["download_s"],
            f"{d['csv_biggest']['s']:.1f} s ({d['csv_biggest']['mb']:.0f} MB)", "≤ 5 s")
        for what in ("parquet", "xlsx"):
            row(f"{what} download of every table", d[what]["s"], BUDGET["download_s"],
                f"{d[what]['s']:.1f} s ({d[what]['mb']:.0f} MB)", "≤ 5 s")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--chars", type=int, default=1500)
    parser.add_argument("--add", type=int, default=100)
    parser.add_argument("--reruns", type=int, default=12)
    parser.add_argument("--dir", type=Path, default=None, help="work folder, kept (default: a temporary one)")
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps {sorted(unknown)}; choose from {STEPS}")
    began = time.perf_counter()
    holder = None if args.dir else tempfile.TemporaryDirectory(prefix="scale-")
    work = (args.dir or Path(holder.name)).resolve()
    work.mkdir(parents=True, exist_ok=True)
    data, cache = work / "data", work / "cache"
    results: dict = {"started": time.strftime("%Y-%m-%d %H:%M"), "load_start": load(), "cores": os.cpu_count()}
    try:
        if "build" in steps or not (work / "seeds").is_dir():
            for folder in ("seeds", "new"):
                shutil.rmtree(work / folder, ignore_errors=True)
                (work / folder).mkdir()
            chars = corpus(args.articles + args.add, work / "seeds", chars=args.chars, vary_figures=True)
            for path in sorted((work / "seeds").iterdir())[args.articles:]:
                shutil.move(path, work / "new" / path.name)
            print(f"corpus: {args.articles:,} articles + {args.add} to add, {chars:,} characters in all", flush=True)
        if "build" in steps:
            results["build"] = step_build(work, cache, args.chars)
        if not (data / "facts.csv").is_file():
            raise SystemExit(f"{data} is not built: run with the build step")
        if "app" in steps:
            results["app"] = step_app(data)
        if "pages" in steps:
            results["pages"] = step_pages(data, args.reruns, work / "pages.json")
        if "search" in steps:
            results["search"] = step_search(data, work / "search.json")
        if "downloads" in steps:
            results["downloads"] = step_downloads(data)
        if "incremental" in steps:
            results["incremental"] = step_incremental(work, cache)
    finally:
        if holder:
            holder.cleanup()
    results["load_end"], results["minutes"] = load(), (time.perf_counter() - began) / 60
    rows = table(results)
    width = max(len(r[0]) for r in rows)
    print()
    if "build" in results:
        b = results["build"]
        print(f"corpus: {b['articles']:,} articles, {b['chars']:,} characters; {b['workers']} cores; "
              + "; ".join(b["summary"]))
    print(f"load average (1/5 min) at start {results['load_start']}, at end {results['load_end']}; "
          f"{results['minutes']:.0f} minutes")
    print(f"{'':<{width}}  {'measured':<34}{'budget':<10}met")
    for what, shown, limit, met in rows:
        print(f"{what:<{width}}  {shown:<34}{limit:<10}{met}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
