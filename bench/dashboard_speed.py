"""Benchmark: every dashboard page's rerun after a filter change against its own minimal page, side by side.

For each page of app.py's PAGES, `bench/minimal/<page>.py` is a minimal page: the same app shell (cached
data, the filtered selection, the sidebar's filters, the URL), the same data shaping (the same
dashboard.dataset / review / found functions the real page calls, on the same filtered frame), and then
each of the page's figures drawn with one plotly express call in default styling, each table as a plain
st.dataframe of the same rows, each text row as a plain st.markdown; nothing else (no captions, evidence
blocks, downloads, hover formatting, pickers or forms). Each minimal page's docstring says what it mirrors.
Target: every page reruns within 1.5× of its minimal page.

Two more baselines, as before: `bare_page.py` only reads the same cached dataset and writes one number;
`bare_app.py` is the shell every page runs in around one number.

Makes a synthetic dataset about 100 times the seeds' (data/ copied 100 times under new ids: parks, documents
and their texts/{doc_id}.txt, measures, rejected rows; each copy's facts repeated to about 50,000), points the
app at it with PARKS_DATA_DIR, and for every page runs the real page (app.py, switched to the page) and its
minimal page in two AppTests in the same process (so they share the cached dataset), warms both over the
filter sequence, then times `--reruns` reruns of each, interleaved (real then minimal, then minimal then
real ...), every rerun after the same region-filter change. The search page gets `q` and the reader `read`
in the URL before its first run. Prints the median rerun of each and the median of the per-round ratios
real / minimal (wall clock: the verdict; and CPU time of the process, which other processes' load
disturbs less), and both pages against the shell.

    python bench/dashboard_speed.py [--copies 100] [--reruns 8] [--pages reopening,support]
    python bench/dashboard_speed.py --data DIR [--json FILE]     # a built dataset instead (bench/scale.py)

With `--data DIR` the pages run on that built dataset as it is (no synthetic copies; the reader opens the
article with the most rows). Besides the medians it prints each real page's 95th percentile rerun, and
`--json FILE` writes every figure for another script.
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import gc
import json
import logging
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
from loaders import resolve  # noqa: E402
from loaders.publish.write import TABLES as WRITTEN, csv_bytes  # noqa: E402

MINIMAL = ROOT / "bench" / "minimal"
REGIONS = [["东部"], ["西部"], ["中部", "东北"], []]
TARGET = 1.5
SEARCH_QUERY = "复工"      # occurs in four of the five seed articles, so in 400 synthetic ones


def server_like() -> None:
    """Make AppTest rerun a page as a running server does. AppTest resets two things on every run that a
    server keeps, and both cost the real pages (app.py + a page) more than the single-script minimal pages:
    it compiles the scripts again (a new ScriptCache per run: 2-17 ms for a page of pages/, more than the
    page's minimal twin), and it forgets that app.py calls st.navigation, so with a pages/ folder beside
    app.py every run first starts the page in Streamlit's old multipage mode, where ui.context() switches
    that mode off and reruns (a second script start per run). A server compiles each script once and
    switches the old mode off for good at the first navigation. `--apptest-as-is` times without this."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    shared = ScriptCache()

    class ServerPages(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False     # AppTest resets a subclass attribute only

    app_test.ScriptCache = lambda: shared
    app_test.PagesManager = ServerPages


def app_pages() -> list[str]:
    """The url paths of app.py's PAGES, in its order (read from the source: app.py runs Streamlit)."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PAGES" for t in node.targets):
            return [slug for _, slug in ast.literal_eval(node.value)]
    raise SystemExit("app.py has no PAGES list")


def synthetic(copies: int, fact_repeats: int, out: Path) -> dict[str, int]:
    """Write a dataset of `copies` copies of data/ into `out` (tables, rejected.csv, orphaned.csv, codebook,
    and each document's text under its new id); returns the row count of each table."""
    names = [*TABLES, "rejected"]
    seed = {t: pd.read_csv(ROOT / "data" / f"{t}.csv", dtype=str, keep_default_na=False) for t in names}
    frames = {t: [] for t in names}
    for k in range(copies):
        tag = f"_{k:03d}"
        frames["parks"].append(seed["parks"].assign(park_id=seed["parks"]["park_id"] + tag,
                                                    name=seed["parks"]["name"] + tag))
        # titles numbered in front: the dashboard labels a document by its id's first 3 characters and its
        # title's first 28, and a selectbox maps equal labels to the last option (the reader would jump)
        frames["documents"].append(seed["documents"].assign(doc_id=seed["documents"]["doc_id"] + tag,
                                                            title=f"{k:03d}·" + seed["documents"]["title"]))
        for t in ("measures", "rejected"):
            frames[t].append(seed[t].assign(park_id=seed[t]["park_id"].where(seed[t]["park_id"] == "",
                                                                             seed[t]["park_id"] + tag),
                                            doc_id=seed[t]["doc_id"] + tag))
        for r in range(fact_repeats):
            # each repeat its own span (facts are keyed by doc_id, start, end, park_id, metric, as the build keys them)
            facts = seed["facts"].assign(park_id=seed["facts"]["park_id"] + tag, doc_id=seed["facts"]["doc_id"] + tag,
                                         start=(pd.to_numeric(seed["facts"]["start"]) + r).astype(str),
                                         end=(pd.to_numeric(seed["facts"]["end"]) + r).astype(str))
            values = pd.to_numeric(facts["value"]) * (1 + r / 10)
            facts["value"] = values.where(facts["unit"] != "%", values.clip(upper=100)).map("{:g}".format)
            frames["facts"].append(facts)
    (out / "texts").mkdir(parents=True)
    for t in names:
        pd.concat(frames[t]).to_csv(out / f"{t}.csv", index=False)
    for name in ("codebook.yaml", "orphaned.csv"):
        if (ROOT / "data" / name).exists():
            shutil.copy(ROOT / "data" / name, out / name)
    for doc_id in seed["documents"]["doc_id"]:
        text = ROOT / "data" / "texts" / f"{doc_id}.txt"
        for k in range(copies):
            shutil.copy(text, out / "texts" / f"{doc_id}_{k:03d}.txt")
    # figures and park totals as the build makes them (the resolution stage on these facts), so pages that
    # read figures draw as many as a real dataset of this size has
    facts = pd.concat(frames["facts"]).to_dict("records")
    documents = pd.concat(frames["documents"]).to_dict("records")
    texts = {d["doc_id"]: (out / "texts" / f"{d['doc_id']}.txt").read_text(encoding="utf-8") for d in documents}
    resolved = resolve.resolve(facts, texts, documents)
    for name, rows in (("facts", resolved.facts), ("figures", resolved.figures), ("park_totals", resolved.totals)):
        (out / f"{name}.csv").write_bytes(csv_bytes(WRITTEN[name], rows))
    counts = {t: sum(len(f) for f in frames[t]) for t in names}
    return counts | {"figures": len(resolved.figures), "park_totals": len(resolved.totals)}


def reader_doc(data: Path | None = None) -> str:
    """The reader's article: the first copy of the seed article with the most extracted rows, or with `data`
    (a built dataset) its own article with the most rows."""
    rows = pd.concat([pd.read_csv((data or ROOT / "data") / f"{t}.csv", dtype=str, keep_default_na=False)["doc_id"]
                      for t in ("facts", "measures")])
    return rows.value_counts().idxmax() + ("" if data else "_000")


def counted(data: Path) -> dict[str, int]:
    """Rows of each table of a built dataset."""
    return {t: len(pd.read_csv(data / f"{t}.csv", dtype=str, usecols=[0]))
            for t in (*TABLES, "rejected", "figures", "park_totals") if (data / f"{t}.csv").exists()}


def p95(values: list[float]) -> float:
    """The 95th percentile (linear between the two nearest of few values; the largest of one)."""
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


class Runner:
    """One AppTest on one page, warmed; `rerun(regions)` changes the region filter and times one rerun."""

    def __init__(self, script: Path, page: str | None, params: dict[str, str]):
        self.at = AppTest.from_file(str(script), default_timeout=120)
        if page is None:                      # a single-script page (minimal page or baseline)
            self.at.query_params.update(params)
            self.at.run()
        else:                                 # app.py: starts on the overview, then switches
            self.at.run()
            if page != "overview":
                self.at.switch_page(f"pages/{page}.py")
            self.at.query_params.update(params)
            self.at.run()
        self.check()
        self.filtered = bool(self.at.multiselect) and any(w.key == "w_region" for w in self.at.multiselect)

    def check(self) -> None:
        if self.at.exception:
            raise RuntimeError(" | ".join(str(e.value).splitlines()[0] if e.value else str(e) for e in self.at.exception))

    def rerun(self, regions: list[str]) -> tuple[float, float]:
        """(wall, CPU) seconds of one rerun after setting the region filter. CPU is the process's (the
        script thread's, and AppTest's polling), which other processes on a busy machine disturb less."""
        if self.filtered:
            self.at.multiselect(key="w_region").set_value(regions)
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        self.at.run()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        self.check()
        return seconds, cpu


def interleaved(runners: list[Runner], reruns: int) -> list[list[tuple[float, float]]]:
    """Warm every runner over the filter sequence, then `reruns` timed reruns of each, interleaved (the order
    rotates each round), every round after the same region change; the (wall, CPU) seconds of each rerun,
    per runner, in rounds."""
    for regions in REGIONS:
        for r in runners:
            r.rerun(regions)
    times = [[] for _ in runners]
    for i in range(reruns):
        regions = REGIONS[i % len(REGIONS)]
        order = list(range(len(runners)))
        shift = i % len(order)
        for j in order[shift:] + order[:shift]:
            times[j].append(runners[j].rerun(regions))
    return times


def median(times: list[tuple[float, float]], which: int = 0) -> float:
    return statistics.median(t[which] for t in times)


def paired_ratio(real: list[tuple[float, float]], minimal: list[tuple[float, float]], which: int = 0) -> float:
    """The median over rounds of real / minimal: the two reruns of a round run back to back, so a burst of
    load from other processes falls on both, which the ratio of the two medians would not cancel."""
    return statistics.median(r[which] / m[which] for r, m in zip(real, minimal))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--fact-repeats", type=int, default=9)
    parser.add_argument("--reruns", type=int, default=8)
    parser.add_argument("--pages", default="", help="comma-separated url paths (default: every page of app.py)")
    parser.add_argument("--data", type=Path, default=None,
                        help="a built dataset to run the pages on (default: a synthetic one, --copies)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures to this file too")
    parser.add_argument("--apptest-as-is", action="store_true",
                        help="time AppTest's own reruns (recompiling and restarting every run), see server_like()")
    args = parser.parse_args()
    pages = app_pages()
    if args.pages:
        wanted = [p.strip() for p in args.pages.split(",") if p.strip()]
        unknown = [p for p in wanted if p not in pages]
        if unknown:
            parser.error(f"unknown pages {unknown}; app.py has {pages}")
        pages = wanted
    # AppTest's set-up logs "missing ScriptRunContext" warnings from the main thread: noise here (a filter,
    # since Streamlit sets its loggers' levels again whenever its config is read)
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    if not args.apptest_as_is:
        server_like()
    data = args.data.resolve() if args.data else None
    params = {"search": {"q": SEARCH_QUERY}, "reader": {"read": reader_doc(data)}}
    began = time.perf_counter()
    report = {"reruns": args.reruns, "pages": {}}
    with contextlib.ExitStack() as stack:
        if data:
            counts = counted(data)
            os.environ["PARKS_DATA_DIR"] = str(data)
            print(f"dataset {data}: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory())
            counts = synthetic(args.copies, args.fact_repeats, Path(tmp) / "data")
            os.environ["PARKS_DATA_DIR"] = str(Path(tmp) / "data")
            print("synthetic dataset: " + ", ".join(f"{n:,} {t}" for t, n in counts.items())
                  + f", {counts['documents']:,} texts")
        print(f"{args.reruns} reruns each, after the same region-filter changes, real and minimal interleaved"
              f"{' (AppTest as is)' if args.apptest_as_is else ''}; ms: medians; ratios: medians of the per-round "
              f"ratios; search q={SEARCH_QUERY}, reader read={params['reader']['read']}")
        bare, shell = (median(t) for t in interleaved([Runner(ROOT / "bench" / "bare_page.py", None, {}),
                                                        Runner(ROOT / "bench" / "bare_app.py", None, {})], args.reruns))
        report["bare_ms"], report["shell_ms"] = bare * 1000, shell * 1000
        head = (f"{'page':<12}{'real ms':>8}{'minimal ms':>11}{'real/min':>9}  {'≤1.5×':<6}"
                f"{'CPU real/min':>13}{'real/shell':>11}{'min/shell':>10}{'real p95 ms':>12}")
        print(head)
        print("-" * len(head))
        for name, wall in (("bare read", bare), ("shell", shell)):
            print(f"{name:<12}{wall * 1000:>8.0f}{'':>11}{'':>9}  {'':<6}{'':>13}{wall / shell:>11.2f}")
        missed, failed = [], []
        for page in pages:
            try:
                real_times, minimal_times = interleaved([Runner(ROOT / "app.py", page, params.get(page, {})),
                                                         Runner(MINIMAL / f"{page}.py", None, params.get(page, {}))],
                                                        args.reruns)
            except Exception as e:          # a page that errors is reported, not worked around
                failed.append(page)
                print(f"{page:<12}error: {type(e).__name__}: {str(e)[:200]}")
                report["pages"][page] = {"error": f"{type(e).__name__}: {str(e)[:200]}"}
                continue
            real, minimal = median(real_times), median(minimal_times)
            ratio, cpu_ratio = paired_ratio(real_times, minimal_times), paired_ratio(real_times, minimal_times, 1)
            if ratio > TARGET:
                missed.append(page)
            tail = p95([t[0] for t in real_times])
            print(f"{page:<12}{real * 1000:>8.0f}{minimal * 1000:>11.0f}{ratio:>8.2f}×  {'yes' if ratio <= TARGET else 'NO':<6}"
                  f"{cpu_ratio:>12.2f}×{real / shell:>11.2f}{minimal / shell:>10.2f}{tail * 1000:>12.0f}")
            report["pages"][page] = {"real_ms": real * 1000, "minimal_ms": minimal * 1000, "ratio": ratio,
                                     "cpu_ratio": cpu_ratio, "real_p95_ms": tail * 1000,
                                     "minimal_p95_ms": p95([t[0] for t in minimal_times]) * 1000,
                                     "real_max_ms": max(t[0] for t in real_times) * 1000}
        print(f"within {TARGET}× of the minimal page: {len(pages) - len(missed) - len(failed)} of {len(pages)}"
              + (f"; missed: {', '.join(missed)}" if missed else "") + (f"; errors: {', '.join(failed)}" if failed else ""))
    print(f"wall time {time.perf_counter() - began:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(report | {"counts": counts, "seconds": time.perf_counter() - began},
                                        indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
