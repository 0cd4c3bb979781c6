"""Reading and writing the correction store, `data/corrections.jsonl`, and publishing its effect.

Every change takes the one lock that builds and imports take (`store.lock`), rewrites the store through a
temporary file renamed into place, then re-applies every correction to the extracted tables
(`data/extracted/`, which every build writes and git ignores) and replaces the published ones: a
correction shows at once, without extracting any article again. Where no build has run yet (a fresh
checkout holds the published tables only), the store is written and the next build applies it.

A line of the store that is not UTF-8 JSON (a bad byte, a broken edit) is set aside by every writer, byte
for byte, in corrections.unreadable.jsonl beside the store (`set_aside`), with one line naming the file,
the line and the reason; a rewrite of the store never drops a line it cannot read.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from . import corrections as c
from loaders import resolve
from loaders.articles import store
from loaders.files import keep_aside
from loaders.publish.write import TABLES, csv_bytes


def _read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _lines(data_dir: Path) -> list[str | bytes]:
    """The store's lines in order: text, or the bytes as they were of a line that is not UTF-8 JSON (one that
    could not be set aside), so that a rewrite keeps it."""
    path = c.store_path(data_dir)
    if not path.exists():
        return []
    good, bad = c.split(path.read_bytes())
    return [line for _, line in sorted(good + [(n, raw) for n, raw, _ in bad], key=lambda pair: pair[0])]


def _id(line: str | bytes):
    """The id of a stored line, None for one that is no record."""
    record = json.loads(line) if isinstance(line, str) else None
    rid = record.get("id") if isinstance(record, dict) else None
    return rid if isinstance(rid, str) else None


def set_aside(data_dir: Path) -> list[str]:
    """Move the store's lines that are not UTF-8 JSON, byte for byte, to corrections.unreadable.jsonl beside
    it (the caller holds the lock); one line each naming the file, the line and the reason. Lines that cannot
    be moved stay in the store, skipped by every reader and kept by every rewrite."""
    path = c.store_path(data_dir)
    if not path.exists():
        return []
    good, bad = c.split(path.read_bytes())
    if not bad:
        return []
    side = path.with_name(c.ASIDE)
    try:
        keep_aside(side, [raw for _, raw, _ in bad])     # first the copy, then the store: a crash loses nothing
        c.write_store(data_dir, [text for _, text in good])
        done = f"set aside in {side}"
    except OSError as e:
        done = f"skipped, left in the store (cannot write {side}: {e.strerror or e})"
    return [f"{path} line {number}: {reason} — {done}" for number, _, reason in bad]


def built(data_dir: Path) -> bool:
    """Whether data/ holds the extracted tables a correction is re-applied to (a build has run here)."""
    return (Path(data_dir) / "extracted").is_dir()


def publish(data_dir: Path, echo=print) -> list[dict]:
    """Apply the store to data/extracted/ and replace the published tables (the caller holds the lock).
    Returns the orphans; each is also one line through `echo`."""
    data_dir = Path(data_dir)
    base = data_dir / "extracted"
    if not base.is_dir():
        raise c.CorrectionError(f"{data_dir} was built before corrections existed: run python -m loaders build")
    records, problems = c.read(data_dir)
    for problem in problems:
        echo(f"skipped correction {problem}")
    documents = _read_csv(data_dir / "documents.csv")
    origins = {d["doc_id"]: d["origin"] for d in documents}
    facts = _read_csv(base / "facts.csv")
    # the resolution stage reads the text around every fact; corrections read their targets' texts
    wanted = {r["target"]["doc_id"] for r in records if "doc_id" in r["target"]} | {f["doc_id"] for f in facts}
    texts = {d: (data_dir / "texts" / f"{d}.txt").read_text(encoding="utf-8")
             for d in wanted if d in origins and (data_dir / "texts" / f"{d}.txt").exists()}
    applied = c.apply(_read_csv(base / "parks.csv"), _read_csv(base / "measures.csv"), facts,
                      texts, origins, records, {d["doc_id"]: d.get("published", "") for d in documents})
    resolved = resolve.resolve(applied.facts, texts, documents, records, applied.parks)
    orphans = applied.orphans + resolved.orphans
    for orphan in orphans:
        echo(c.orphan_line(orphan))
    tables = {"parks": applied.parks, "measures": applied.measures, "facts": resolved.facts,
              "figures": resolved.figures, "park_totals": resolved.totals, "rejected": applied.rejected,
              "orphaned": orphans, "park_redirects": applied.redirects}
    for name, rows in tables.items():
        store._write_atomic(data_dir / f"{name}.csv", csv_bytes(TABLES[name], rows))
    return orphans


def record(data_dir: Path, records: list[dict], echo=print, publish_now: bool = True, warn=None) -> list[dict]:
    """Check each record, append it to the store and publish (unless a build follows); the records as
    stored (with id and time). Raises CorrectionError before anything is written when one is unusable.
    Lines of the store set aside go through `warn` (default `echo`)."""
    vocab = c.Vocabulary.load()
    checked = [c.check(r, vocab) for r in records]
    with store.lock(data_dir):
        for line in set_aside(data_dir):
            (warn or echo)(line)
        lines = _lines(data_dir)
        known = {_id(line) for line in lines}
        for r in checked:
            if r["id"] in known:
                raise c.CorrectionError(f"id {r['id']} is already in the store")
        c.write_store(data_dir, lines + [c.dumps(r) for r in checked])
        if publish_now and built(data_dir):
            publish(data_dir, echo)
    return checked


def withdraw(data_dir: Path, ids: list[str], echo=print, warn=None) -> list[str]:
    """Take records out of the store (an undo) and publish; the ids that were found."""
    with store.lock(data_dir):
        for line in set_aside(data_dir):
            (warn or echo)(line)
        kept, found, named = [], [], False
        for line in _lines(data_dir):
            rid = _id(line)
            rec = json.loads(line) if rid in ids else None
            (found if rid in ids else kept).append(rid if rid in ids else line)
            if rid in ids and rec.get("action") == "set_park" and "doc_id" in (rec.get("target") or {}):
                named = True
        if found:
            c.write_store(data_dir, kept)
            if built(data_dir):
                publish(data_dir, echo)
        if named:       # the article was extracted for the park it named: only a build extracts it again
            echo("a withdrawn correction named the park of an article: run python -m loaders build to extract the "
                 "article again without it")
    return found


def import_lines(data_dir: Path, lines: list[str | None], echo=print, warn=None) -> tuple[int, int, int]:
    """Apply the valid records of a JSON Lines file, refuse each malformed one with one line naming its line
    (a line given as None is not UTF-8). (imported, already there, refused)."""
    vocab = c.Vocabulary.load()
    refused, fresh, same = 0, [], 0
    with store.lock(data_dir):
        for line in set_aside(data_dir):
            (warn or echo)(line)
        present = {_id(line): json.loads(line) for line in _lines(data_dir) if _id(line)}
        seen = set()
        for number, line in enumerate(lines, 1):
            if line is None:
                echo(f"line {number}: refused: not valid UTF-8")
                refused += 1
                continue
            if not line.strip():
                continue
            try:
                rec = c.check(json.loads(line), vocab)
            except json.JSONDecodeError as e:
                echo(f"line {number}: refused: not JSON ({e.msg} at column {e.colno})")
                refused += 1
                continue
            except c.CorrectionError as e:
                echo(f"line {number}: refused: {e}")
                refused += 1
                continue
            if rec["id"] in present:
                if present[rec["id"]] == rec:
                    same += 1
                    continue
                echo(f"line {number}: refused: id {rec['id']} is already used by another correction")
                refused += 1
                continue
            if rec["id"] in seen:
                echo(f"line {number}: refused: id {rec['id']} appears twice in the file")
                refused += 1
                continue
            seen.add(rec["id"])
            fresh.append(rec)
        if fresh:
            c.write_store(data_dir, _lines(data_dir) + [c.dumps(r) for r in fresh])
            if built(data_dir):
                publish(data_dir, echo)
        named = [r for r in fresh if c.is_document_park(r)]
        if named:
            echo(f"{len(named)} correction(s) name the park of an article: run python -m loaders build to extract "
                 "the article for it")
    return len(fresh), same, refused


def orphans(data_dir: Path) -> list[dict]:
    path = Path(data_dir) / "orphaned.csv"
    return _read_csv(path) if path.exists() else []
