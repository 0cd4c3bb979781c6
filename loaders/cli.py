"""Command line: `python -m loaders build [--seeds DIR] [--out DIR]`.

Every file that cannot become a document gets one line naming it and the reason; the build goes on
with the others and ends with a summary. Exit status 0 when data/ was written, 2 when it was not.
"""
from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path

from .dataset import assemble
from .measures import segmenter
from .parks import grammar
from .pipeline import DocResult, process
from .read import InputError, read_article
from .write import write_dataset

ARTICLE_SUFFIXES = {".txt", ".md"}
PARALLEL_FROM = 40          # below this many documents one process is faster than starting a pool


def article_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)


def _process(item: tuple[str, str]) -> DocResult | tuple[str, str]:
    """A document's rows, or (doc_id, reason) when extraction fails on it: one bad article must not
    stop the build."""
    try:
        return process(*item)
    except Exception as e:  # noqa: BLE001 - reported as one line naming the file
        return item[0], f"extraction failed ({type(e).__name__}: {e})"


def process_all(items: list[tuple[str, str]], workers: int | None = None) -> list[DocResult | tuple[str, str]]:
    """Process documents, on every core when there are many (fork after the dictionaries are loaded)."""
    segmenter()
    grammar()
    workers = workers or (multiprocessing.cpu_count() if len(items) >= PARALLEL_FROM else 1)
    if workers <= 1:
        return [_process(item) for item in items]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        return pool.map(_process, items, chunksize=max(1, len(items) // (workers * 8)))


def build(seeds: Path, out: Path, echo=print) -> int:
    started = time.perf_counter()
    if not seeds.is_dir():
        echo(f"error: {seeds}: no such folder of articles")
        return 2
    skipped: list[str] = []
    items = []
    names: dict[str, Path] = {}          # doc_id -> file, for the lines that name a skipped file
    for path in article_files(seeds):
        if path.stem in names:
            echo(f"skipped {path}: same document id as {names[path.stem].name}")
            skipped.append(path.name)
            continue
        names[path.stem] = path
        try:
            text, _encoding = read_article(path)
        except InputError as e:
            echo(f"skipped {path}: {e}")
            skipped.append(path.name)
            continue
        items.append((path.stem, text))
    results = []
    for r in process_all(items):
        if isinstance(r, tuple):
            echo(f"skipped {names[r[0]]}: {r[1]}")
            skipped.append(names[r[0]].name)
            continue
        if not r.mentions:
            echo(f"skipped {names[r.doc_id]}: no park found in the text")
            skipped.append(names[r.doc_id].name)
            continue
        results.append(r)
    if not results:
        echo(f"error: no document with a park in {seeds}; {out} left unchanged")
        return 2
    tables = assemble(results)
    try:
        write_dataset(tables, {r.doc_id: r.text for r in results}, out)
    except OSError as e:
        echo(f"error: cannot write {out}: {e.strerror or e}; {out} left unchanged")
        return 2
    seconds = time.perf_counter() - started
    echo(f"built {out}: {len(tables['documents'])} documents, {len(tables['parks'])} parks, "
         f"{len(tables['measures'])} measures, {len(tables['facts'])} facts in {seconds:.1f} s")
    echo(f"skipped {len(skipped)} file(s)" + (f": {', '.join(skipped)}" if skipped else ""))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build data/ from a folder of articles")
    b.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of articles (default: seeds/)")
    b.add_argument("--out", type=Path, default=Path("data"), help="output folder (default: data/)")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            return build(args.seeds, args.out)
    except KeyboardInterrupt:
        print("interrupted; data/ left unchanged", file=sys.stderr)
        return 130
    return 2
