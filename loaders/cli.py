"""Command line for the dataset and its article store.

    python -m loaders build [--seeds DIR] [--out DIR] [--no-cache] [--engine local|dask [--scheduler ADDRESS]]
    python -m loaders add FILE|COLLECTION|FOLDER... [--column FIELD=COLUMN] [--build]
    python -m loaders remove ID... [--build]
    python -m loaders list
    python -m loaders corrections list|export FILE|import FILE|withdraw ID...
    python -m loaders password
    python -m loaders package FILE.zip [--format datapackage|parquet|stata] [--data DIR]

`build` reads seeds/ and the store data/articles/ (with `--seeds DIR`, only DIR) and reprocesses only
documents whose text changed since the last build. Every file that cannot become a document gets one
line naming it and the reason; the build goes on with the others and ends with a summary. Exit status:
0 when data/ was written (add: nothing refused), 2 when not. `--engine dask` processes the documents on a
dask.distributed cluster (loaders/engines.py): the one at `--scheduler ADDRESS`, else a local one started for
the build; the default, `local`, is a fork pool on this machine's cores.
"""
from __future__ import annotations

import argparse
import codecs
import json
import sys
import time
from pathlib import Path

from filelock import Timeout

from . import engines, progress, resolve
from .articles import bulk, store
from .correct import correction_store, corrections
from .cache import ResultCache, default_dir
from .assemble.dataset import assemble
from .engines import EngineError
from .extract.pipeline import DocResult
from .articles.read import InputError, read_article
from .publish.write import write_dataset

ARTICLE_SUFFIXES = {".txt", ".md"}


LOCKED = 75                 # exit status when another import or build kept the lock (EX_TEMPFAIL): try again


def article_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)


def process_all(items: list[tuple[str, ...]], workers: int | None = None, *, engine: str = "local",
                scheduler: str | None = None, progress=None) -> list[DocResult | tuple[str, str]]:
    """Process documents, in the order given, on `engine` (loaders/engines.py): by default on every core of this
    machine when there are many (fork after the dictionaries are loaded); `dask` on a dask.distributed cluster.
    `progress(done, total)` follows the documents."""
    return engines.map_documents(items, engine, scheduler, workers=workers, progress=progress)


def build(seeds: Path, out: Path, echo=print, *, with_store: bool = False, cache: Path | None = None,
          warn=None, engine: str = "local", scheduler: str | None = None, progress=None,
          wait: float = store.LOCK_WAIT) -> int:
    """Build `out` from the articles in `seeds` (origin seed) and, `with_store`, those in out/articles/
    (origin imported). Documents whose text is in `cache` are not processed again; the others are processed on
    `engine` (and `scheduler`, see process_all). What the stores had to set aside (an unreadable line or index)
    is one line each through `warn` (default `echo`). `progress(stage, done, total)` follows the stages of
    loaders/progress.py STAGES (read, extract, resolve, write). The lock on `out` is waited for `wait` seconds,
    then filelock.Timeout."""
    started = time.perf_counter()
    if not seeds.is_dir():
        echo(f"error: {seeds}: no such folder of articles")
        return 2
    try:
        engines.check(engine, scheduler)
    except EngineError as e:
        echo(f"error: {e}")
        return 2
    with store.lock(out, timeout=wait):
        return _build_locked(seeds, out, echo, with_store, cache, started, warn or echo, engine, scheduler,
                             progress or (lambda stage, done, total: None))


def _build_locked(seeds: Path, out: Path, echo, with_store: bool, cache_dir: Path | None, started: float,
                  warn, engine: str = "local", scheduler: str | None = None, progress=None) -> int:
    skipped: list[str] = []
    # corrections are read first: a `set_park` on a document names the park its sentences are about, which
    # extraction needs; the rest apply after extraction. A bad line of the store is set aside and reported
    for line in correction_store.set_aside(out):
        warn(line)
    records, problems = corrections.read(out)
    named = corrections.document_parks(records)
    items = []
    names: dict[str, Path] = {}          # doc_id -> file, for the lines that name a skipped file
    origin: dict[str, str] = {}
    sources = [(p.stem, p, "seed") for p in article_files(seeds)]
    row_of: dict[str, dict] = {}          # imported id -> its store entry (a collection's title, date …)
    if with_store:
        sources += [(aid, path, "imported") for aid, path in store.texts(out, warn=warn).items()]
        row_of = store.read_index(out, warn=lambda line: None)
    cache = ResultCache(cache_dir)
    cached: dict[str, DocResult | None] = {}
    for n, (doc_id, path, where) in enumerate(sources, 1):
        progress("read", n, len(sources))
        if doc_id in names:
            echo(f"skipped {path}: same document id as {names[doc_id].name}")
            skipped.append(path.name)
            continue
        names[doc_id] = path
        origin[doc_id] = where
        try:
            text, _encoding = read_article(path)
        except InputError as e:
            echo(f"skipped {path}: {e}")
            skipped.append(path.name)
            continue
        items.append((doc_id, text, named.get(doc_id, "")))
        cached[doc_id] = cache.get(*items[-1])
    todo = [item for item in items if cached[item[0]] is None]
    try:
        fresh = process_all(todo, engine=engine, scheduler=scheduler,
                            progress=lambda done, total: progress("extract", done, total))
    except EngineError as e:
        echo(f"error: {e}; {out} left unchanged")
        return 2
    for item, r in zip(todo, fresh):
        if not isinstance(r, tuple):
            cache.put(r, item[1], item[2])
    results = []
    for r in [c for c in cached.values() if c is not None] + fresh:
        if isinstance(r, tuple):
            echo(f"skipped {names[r[0]]}: {r[1]}")
            skipped.append(names[r[0]].name)
            continue
        if not r.mentions:
            # kept (documents.csv status no_park): it can be read, searched and given its park in the reader
            echo(f"no park found in {names[r.doc_id]}: kept as {r.doc_id} with status no_park")
        r.origin = origin[r.doc_id]
        if r.origin == "imported":
            with_row_metadata(r, row_of.get(r.doc_id, {}))
        results.append(r)
    echo(f"processed {len(todo)} document(s), {len(items) - len(todo)} unchanged since the last build")
    if not any(r.mentions for r in results):
        echo(f"error: no document with a park in {seeds}; {out} left unchanged")
        return 2
    progress("resolve", 0, 4)
    extracted = assemble(results)
    texts = {r.doc_id: r.text for r in results}
    # corrections apply after extraction, every build
    for problem in problems:
        echo(f"skipped correction {problem}")
    applied = corrections.apply(extracted["parks"], extracted["measures"], extracted["facts"], texts,
                                {r.doc_id: r.origin for r in results}, records,
                                {d["doc_id"]: d["published"] for d in extracted["documents"]})
    progress("resolve", 2, 4)
    # resolution: re-posted copies, then facts -> figures -> park totals (loaders/resolve/)
    mirror_of = resolve.mark_copies(results, extracted["documents"])
    progress("resolve", 3, 4)
    resolved = resolve.resolve(applied.facts, texts, extracted["documents"], records, applied.parks)
    orphans = applied.orphans + resolved.orphans
    progress("resolve", 4, 4)
    for orphan in orphans:
        echo(corrections.orphan_line(orphan))
    tables = {"documents": extracted["documents"], "parks": applied.parks, "measures": applied.measures,
              "facts": resolved.facts, "figures": resolved.figures, "park_totals": resolved.totals,
              "rejected": applied.rejected, "orphaned": orphans, "park_redirects": applied.redirects}
    progress("write", 0, 1)
    try:
        write_dataset(tables, extracted, texts, out)
    except OSError as e:
        echo(f"error: cannot write {out}: {e.strerror or e}; {out} left unchanged")
        return 2
    progress("write", 1, 1)
    seconds = time.perf_counter() - started
    without = sum(d["status"] == "no_park" for d in tables["documents"])
    echo(f"built {out}: {len(tables['documents'])} documents ({len(mirror_of)} re-posted copies"
         f"{f', {without} with no park' if without else ''}), "
         f"{len(tables['parks'])} parks, {len(tables['measures'])} measures, {len(tables['facts'])} facts "
         f"({len(tables['figures'])} figures) in {seconds:.1f} s")
    echo(f"skipped {len(skipped)} file(s)" + (f": {', '.join(skipped)}" if skipped else ""))
    if records:
        echo(f"applied {len(records) - len(orphans)} of {len(records)} correction(s); "
             f"{len(orphans)} orphaned, {len(applied.rejected)} row(s) rejected")
    return 0


def _build_with_progress(seeds: Path, out: Path, mode: str, **run) -> int:
    """`build` with the command line's progress (loaders/progress.py): a bar on a terminal, or stage lines and
    warning lines on stderr for a program that follows the build."""
    if mode == "lines":
        run["warn"] = lambda line: print(f"{progress.WARNING_PREFIX} {line}", file=sys.stderr, flush=True)
    with progress.stages(mode) as tick:
        return build(seeds, out, progress=tick, **run)


def with_row_metadata(r: DocResult, entry: dict) -> None:
    """What a collection's row said of its article: its title, source and url win over what the text gives (a
    crawl's columns are the page's own); its date counts only when the text states none (basis column)."""
    r.title = entry.get("title") or r.title
    r.source = entry.get("source") or r.source
    r.url = entry.get("url", "")
    if r.published:
        r.published_basis = "text"
    elif entry.get("published"):
        r.published, r.published_basis = entry["published"], "column"


def add(files: list[Path], data: Path, echo=print, mapping: dict[str, str] | None = None) -> int:
    """Store each file; one line per file (added, duplicate, refused with the reason). A collection (CSV, XLSX,
    JSONL, ZIP) or a folder is stored row by row (loaders/articles/bulk.py): its column mapping, then one line
    per refused row and per duplicate, then a summary. 2 if anything was refused."""
    given = []
    outcomes: list[store.Outcome] = []
    refused = 0
    for path in files:
        if path.is_dir() or bulk.is_collection(path.name):
            refused += add_collection(path, data, echo, mapping)
            continue
        try:
            given.append((path.name, path.read_bytes()))
        except OSError as e:
            outcomes.append(store.Outcome("refused", str(path), detail=f"cannot read file ({e.strerror})"))
    outcomes += store.add(data, given, warn=echo) if given else []
    for outcome in outcomes:
        echo(outcome.line())
    return 2 if refused or any(o.status == "refused" for o in outcomes) else 0


def add_collection(path: Path, data: Path, echo=print, mapping: dict[str, str] | None = None) -> int:
    """Store the articles of one collection file or folder; returns how many rows (or the whole file) were
    refused."""
    try:
        if path.is_dir():
            found = bulk.read_folder(path, mapping)
        else:
            found = bulk.read(path.name, path.read_bytes(), mapping)
    except InputError as e:
        echo(f"refused {path}: {e}")
        return 1
    except OSError as e:
        echo(f"refused {path}: cannot read file ({e.strerror or e})")
        return 1
    if any(found.mapping.values()):
        echo(f"{path}: columns " + ", ".join(f"{f}={c}" for f, c in found.mapping.items() if c))
    for bad in found.bad:
        echo(bad.line())
    with progress.bar(len(found.rows), f"storing {path.name}") as tick:
        outcomes = store.add_rows(data, found.rows, warn=echo, progress=tick)
    for outcome in outcomes:
        if outcome.status != "added":
            echo(outcome.line())
    added = sum(o.status == "added" for o in outcomes)
    echo(f"{path}: added {added} article(s), skipped {len(outcomes) - added} duplicate(s), "
         f"refused {len(found.bad)} row(s)")
    return len(found.bad)


def remove(ids: list[str], data: Path, echo=print) -> int:
    outcomes = store.remove(data, ids, warn=echo)
    for outcome in outcomes:
        echo(outcome.line())
    return 2 if any(o.status == "not found" for o in outcomes) else 0


def list_articles(data: Path, echo=print) -> int:
    index = store.read_index(data, warn=echo)
    for aid, entry in index.items():
        echo(f"{aid}\t{entry['added']}\t{entry['chars']} chars\t{entry['format']}\t{entry['name']}")
    echo(f"{len(index)} imported article(s) in {store.store_dir(data)}")
    return 0


def _utf8(line: bytes) -> str | None:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


def corrections_command(args, echo=print) -> int:
    """list | export FILE | import FILE | withdraw ID…: the correction store as JSON Lines."""
    data = args.data
    if args.action == "list":
        records, problems = corrections.read(data)
        orphaned = {o["correction_id"]: o["reason"] for o in correction_store.orphans(data)}
        for r in records:
            state = f"orphaned: {orphaned[r['id']]}" if r["id"] in orphaned else "in force"
            changes = json.dumps(r["set"], ensure_ascii=False) if r["set"] else ""
            echo("\t".join([r["id"], r["time"], r["author"] or "-", corrections.describe(r), changes, state]))
        for problem in problems:
            echo(f"unreadable: {problem}")
        side = corrections.store_path(data).with_name(corrections.ASIDE)
        if side.is_file():            # lines set aside earlier are not forgotten
            echo(f"{len(side.read_bytes().splitlines())} unreadable line(s) kept in {side}")
        echo(f"{len(records)} correction(s) in {corrections.store_path(data)}, {len(orphaned)} orphaned")
        return 2 if problems else 0
    if args.action in ("export", "import") and len(args.args) != 1:
        echo(f"error: corrections {args.action} takes one FILE")
        return 2
    if args.action == "export":
        records, problems = corrections.read(data)
        body = "".join(corrections.dumps(r) + "\n" for r in records).encode("utf-8")
        try:
            store._write_atomic(Path(args.args[0]).resolve(), body)
        except OSError as e:
            echo(f"error: cannot write {args.args[0]}: {e.strerror or e}")
            return 2
        for problem in problems:
            echo(f"not exported: {problem}")
        echo(f"exported {len(records)} correction(s) to {args.args[0]}")
        return 2 if problems else 0
    if args.action == "import":
        path = Path(args.args[0])
        try:
            data_bytes = path.read_bytes().removeprefix(codecs.BOM_UTF8)
        except OSError as e:
            echo(f"error: {path}: cannot read ({e.strerror or e})")
            return 2
        lines = [_utf8(line.removesuffix(b"\r")) for line in data_bytes.split(b"\n")]   # a bad byte refuses its line
        done, same, refused = correction_store.import_lines(data, lines, echo=lambda line: echo(f"{path}: {line}"),
                                                            warn=echo)
        echo(f"imported {done} correction(s) from {path}; {same} already in the store; {refused} refused")
        if done and not correction_store.built(data):
            echo(f"{data} has not been built here yet: run python -m loaders build to apply them")
        return 2 if refused else 0
    if not args.args:
        echo("error: corrections withdraw takes one or more correction ids")
        return 2
    found = correction_store.withdraw(data, args.args)
    for rid in args.args:
        echo(f"withdrawn {rid}" if rid in found else f"not found {rid}")
    return 0 if len(found) == len(args.args) else 2


def package_command(target: Path, data: Path, echo=print, fmt: str = "datapackage") -> int:
    """Write the built `data` atomically as FILE.zip: a Frictionless Data Package (loaders/publish/package.py), or
    every table as Parquet or Stata .dta (loaders/publish/exports.py). Input that cannot be used gets one line
    naming the file and the reason, and exit 2."""
    from .publish import exports, package
    if target.suffix.lower() != ".zip":
        echo(f"error: {target}: not a .zip file name (the tables are written as FILE.zip)")
        return 2
    folder = target.resolve().parent
    if not folder.is_dir():
        echo(f"error: cannot write {target}: {folder} is not a folder")
        return 2
    if target.is_dir():
        echo(f"error: cannot write {target}: it is a folder")
        return 2
    lock = None
    if (data / "facts.csv").is_file():    # (never create a lock beside a folder that is not a dataset)
        try:
            lock = store.lock(data, timeout=600)
            lock.acquire()                # a build swaps data/ for a new folder: read one build's tables
        except Timeout:
            raise
        except OSError:                   # a read-only place: read without the lock
            lock = None
    try:
        tables, codebook, notes = package.load(data)
    except package.PackageError as e:
        echo(f"error: {e}")
        return 2
    finally:
        if lock is not None:
            lock.release()
    body = package.package_bytes(tables, codebook, {}) if fmt == "datapackage" else \
        exports.export_zip(tables, codebook, fmt)
    try:
        package.write_atomic(target, body)
    except OSError as e:
        echo(f"error: cannot write {target}: {e.strerror or e}")
        return 2
    for note in notes:
        echo(f"warning: {note}")
    what = {"datapackage": "Data Package", "parquet": "Parquet tables", "stata": "Stata tables (.dta, version 118)"}
    echo(f"wrote {target}: {what[fmt]} of {len(tables['documents'])} documents, {len(tables['parks'])} parks, "
         f"{len(tables['facts'])} facts, {len(tables['measures'])} measures ({len(body):,} bytes)")
    return 0


def password_command(echo=print) -> int:
    """Read a password twice without echo and print its hash for PARKS_EDITOR_PASSWORD_HASH."""
    import getpass
    from .access import hash_password
    first = getpass.getpass("editor password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if sys.stdin.isatty() and getpass.getpass("again: ") != first:
        echo("error: the two passwords differ")
        return 2
    if len(first) < 8:
        echo("error: use at least 8 characters")
        return 2
    echo(hash_password(first))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build data/ from seeds/ and the imported articles")
    b.add_argument("--seeds", type=Path, default=None,
                   help="build from this folder of articles only (default: seeds/ and data/articles/)")
    b.add_argument("--out", type=Path, default=Path("data"), help="output folder (default: data/)")
    b.add_argument("--no-cache", action="store_true", help="process every document again")
    b.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                   help=f"how long to wait while another import or build holds the lock (default {store.LOCK_WAIT:g})")
    b.add_argument("--with-store", action="store_true",
                   help="with --seeds: build the imported articles of --out/articles/ too")
    b.add_argument("--engine", default="local", metavar="local|dask",
                   help="where documents are processed: local (this machine's cores, the default) or dask "
                        "(a dask.distributed cluster)")
    b.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="with --engine dask: the address of a running dask scheduler (tcp://HOST:8786); "
                        "without it a local cluster is started for the build")
    a = sub.add_parser("add", help="import article files (.txt .md .html .docx .pdf), collections with one article "
                                   "per row (.csv .tsv .xlsx .jsonl), ZIPs of them, or folders into data/articles/")
    a.add_argument("files", nargs="+", type=Path)
    a.add_argument("--column", action="append", default=[], metavar="FIELD=COLUMN",
                   help="which column of a collection holds a field (text, title, published, source, url), "
                        "when its name is not recognised; repeat for several")
    r = sub.add_parser("remove", help="remove imported articles by id")
    r.add_argument("ids", nargs="+")
    sub.add_parser("list", help="list the imported articles")
    c = sub.add_parser("corrections", help="list, export, import or withdraw corrections (JSON Lines)")
    c.add_argument("action", choices=["list", "export", "import", "withdraw"])
    c.add_argument("args", nargs="*", help="FILE for export and import; correction ids for withdraw")
    sub.add_parser("password", help="print the hash of an editor password (for PARKS_EDITOR_PASSWORD_HASH)")
    k = sub.add_parser("package", help="write the built data/ as a Frictionless Data Package (FILE.zip), or its "
                                       "tables as Parquet or Stata .dta files in FILE.zip")
    k.add_argument("file", type=Path, metavar="FILE.zip")
    k.add_argument("--format", choices=["datapackage", "parquet", "stata"], default="datapackage",
                   help="datapackage (CSV + datapackage.json, the default), parquet (typed) or stata (version 118)")
    for p in (a, r):
        p.add_argument("--build", action="store_true", help="rebuild data/ afterwards")
    for p in (b, a, r):
        p.add_argument("--progress", choices=progress.MODES, default="auto",
                       help="auto (a bar on a terminal, the default), bar, none, or lines (one '@progress STAGE "
                            "DONE TOTAL' line per step and '@warning TEXT' for what a store set aside, on stderr: "
                            "for programs that run the build)")
    for p in (a, r, sub.choices["list"], c, k):
        p.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: data/)")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            cache = None if args.no_cache else default_dir()
            run = {"cache": cache, "engine": args.engine, "scheduler": args.scheduler,
                   "wait": store.LOCK_WAIT if args.wait is None else args.wait}
            if args.seeds is None:
                return _build_with_progress(Path("seeds"), args.out, args.progress, with_store=True, **run)
            return _build_with_progress(args.seeds, args.out, args.progress, with_store=args.with_store, **run)
        if args.command == "list":
            return list_articles(args.data)
        if args.command == "corrections":
            return corrections_command(args)
        if args.command == "password":
            return password_command()
        if args.command == "package":
            return package_command(args.file, args.data, fmt=args.format)
        if args.command == "add":
            mapping = dict(c.split("=", 1) for c in args.column if "=" in c)
            bad = [c for c in args.column if "=" not in c or c.split("=", 1)[0] not in bulk.FIELDS]
            if bad:
                print(f"error: --column {bad[0]}: use FIELD=COLUMN, FIELD one of {', '.join(bulk.FIELDS)}")
                return 2
            status = add(args.files, args.data, mapping=mapping)
        else:
            status = remove(args.ids, args.data)
        if args.build:
            built = _build_with_progress(Path("seeds"), args.data, args.progress, with_store=True, cache=default_dir())
            status = status or built
        return status
    except KeyboardInterrupt:
        print("interrupted; data/ left unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head`: the work is done, nothing to report
        return 0
    except corrections.CorrectionError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except Timeout:
        print("error: another import or build holds the lock on data/; try again when it has finished",
              file=sys.stderr)
        return LOCKED
    return 2
